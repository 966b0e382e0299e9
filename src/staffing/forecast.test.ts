import test from 'ava';
import { ReportService } from '../reports/report-service.ts';
import { MemoryStore } from '../store/memory-store.ts';
import { pino } from 'pino';
import { CallRecords } from '../calls/call-records.ts';
import { dayOf, forecastWeek, historyRange, linearWeights } from './forecast.ts';
import { holidaysOfRoutes } from './holidays.ts';
import { requiredAgents } from './erlang.ts';
import { readHistory, patienceOf } from './history.ts';
import { StaffingService, staffingCsv } from './staffing-service.ts';
import { DEFAULT_PATTERN, expectedCalls, syntheticFacts } from './testing/synthetic-history.ts';

const ZONE = 'Asia/Shanghai';
// Wednesday 2026-03-18 10:00 in Shanghai; the forecast week is Monday 2026-03-23 … Sunday 03-29.
const NOW = Date.parse('2026-03-18T10:00:00+08:00');

async function seeded(options: Parameters<typeof syntheticFacts>[3] = {}, weeksOfHistory = 6) {
  const store = new MemoryStore();
  const reports = new ReportService({ store, records: new CallRecords(store), logger: pino({ level: 'silent' }), queues: [], repeatCallerWindowHours: 0, defaults: { timezone: ZONE, serviceLevelSeconds: 20, shortAbandonSeconds: 5 } });
  const range = historyRange(NOW, weeksOfHistory, ZONE);
  // History up to now (today's calls so far included: the forecast must not use a partial day).
  const facts = syntheticFacts(range.from, NOW, ZONE, options);
  await Promise.all(facts.map((f) => reports.rollups.recordFacts(f)));
  return { reports, facts };
}

test('given the history window, when computed in Shanghai, then it is N whole local weeks before today and the forecast week is next Monday to Sunday', (t) => {
  const range = historyRange(NOW, 4, ZONE);
  t.is(range.to, Date.parse('2026-03-18T00:00:00+08:00'));
  t.is(range.from, Date.parse('2026-02-18T00:00:00+08:00'));
  const week = forecastWeek(NOW, ZONE);
  t.deepEqual(week.map((d) => d.date), ['2026-03-23', '2026-03-24', '2026-03-25', '2026-03-26', '2026-03-27', '2026-03-28', '2026-03-29']);
  t.is(dayOf(Date.parse('2026-03-08T06:59:00Z'), 'America/New_York').date, '2026-03-08');
  t.deepEqual(linearWeights(4), [4, 3, 2, 1]);
});

test('given 6 weeks of seeded Poisson calls with a known weekly pattern, when forecast with 4 weeks, then every half hour, day and the week are within 4 standard deviations of the pattern', async (t) => {
  const { reports } = await seeded({ seed: 7 });
  const service = new StaffingService({ reports, now: () => NOW, timezone: ZONE, holidays: () => [] });
  const forecast = await service.forecast({ queue: 'billing', serviceLevel: 0.8, thresholdSeconds: 20, weeks: 4 });
  t.is(forecast.intervals.length, 7 * 48);
  t.deepEqual(forecast.daysUsed, [4, 4, 4, 4, 4, 4, 4]);
  // Tolerance: the weighted mean of 4 Poisson counts with weights 4,3,2,1 has variance λ·Σw²/(Σw)² = 0.3 λ.
  let worst = 0;
  const daily = new Map<number, { forecast: number; expected: number }>();
  for (const interval of forecast.intervals) {
    const slot = Number(interval.time.slice(0, 2)) * 2 + (interval.time.endsWith('30') ? 1 : 0);
    const expected = expectedCalls(interval.weekday, slot);
    const sd = Math.sqrt(0.3 * expected);
    if (expected === 0) t.is(interval.calls, 0, `${interval.date} ${interval.time}`);
    else worst = Math.max(worst, Math.abs(interval.calls - expected) / sd);
    const day = daily.get(interval.weekday) ?? { forecast: 0, expected: 0 };
    day.forecast += interval.calls;
    day.expected += expected;
    daily.set(interval.weekday, day);
  }
  t.true(worst < 4, `worst half hour ${worst.toFixed(2)} standard deviations off`);
  // A day (~450 calls): 4 sd ≈ 9 %; the week (~2,700 calls): 4 sd ≈ 4 %.
  for (const [weekday, day] of daily) {
    if (day.expected === 0) continue;
    t.true(Math.abs(day.forecast - day.expected) < 4 * Math.sqrt(0.3 * day.expected), `weekday ${weekday}: ${day.forecast.toFixed(1)} vs ${day.expected.toFixed(1)}`);
  }
  const week = [...daily.values()].reduce((s, d) => ({ forecast: s.forecast + d.forecast, expected: s.expected + d.expected }), { forecast: 0, expected: 0 });
  t.true(Math.abs(week.forecast - week.expected) < 4 * Math.sqrt(0.3 * week.expected), `week: ${week.forecast.toFixed(1)} vs ${week.expected.toFixed(1)}`);
  // AHT = talk 200 s + wrap-up 30 s; patience 90 s (estimated from abandons and waits).
  t.true(Math.abs(forecast.ahtSeconds - 230) / 230 < 0.03, `AHT ${forecast.ahtSeconds}`);
  t.is(forecast.model, 'erlang-a');
  t.true(Math.abs(forecast.patienceSeconds! - DEFAULT_PATTERN.meanPatienceSeconds) / DEFAULT_PATTERN.meanPatienceSeconds < 0.08, `patience ${forecast.patienceSeconds}`);
  // Agents: each half hour staffed for its own calls, AHT and the queue's patience; the busiest
  // needs about its load in erlangs; an empty one none.
  for (const i of forecast.intervals.filter((_, n) => n % 7 === 0)) {
    t.is(i.agents, requiredAgents(i.calls / 1800, i.ahtSeconds, { serviceLevel: 0.8, thresholdSeconds: 20, patienceSeconds: forecast.patienceSeconds! }).agents, `${i.date} ${i.time}`);
    if (i.calls > 0) t.true(i.serviceLevel >= 0.8);
  }
  const peak = forecast.intervals.reduce((a, b) => (b.calls > a.calls ? b : a));
  const load = (peak.calls * peak.ahtSeconds) / 1800;
  t.true(peak.agents >= load * 0.8 && peak.agents <= load + 5, `peak ${peak.calls} calls, ${load.toFixed(1)} E → ${peak.agents}`);
  t.is(forecast.intervals.find((i) => i.weekday === 6)!.agents, 0);
  const csv = staffingCsv(forecast);
  t.is(csv.trim().split('\r\n').length, 1 + 7 * 48);
  t.regex(csv, /^date,time,weekday,holiday,forecast_calls,aht_seconds,required_agents/);
});

test('given a holiday with twice the calls in the history and one in the forecast week, when forecast, then the holiday is left out of the average and the coming one is flagged', async (t) => {
  const holidays = holidaysOfRoutes([
    { number: '4000', flow: 'main', hours: { timezone: ZONE, weekly: { mon: ['09:00-18:00'] }, holidays: [{ date: '2026-03-09', name: 'Spring rush' }, { date: '2026-03-27', name: 'Company day' }] } },
    { number: '4001', flow: 'main' },
  ]);
  t.deepEqual(holidays.map((h) => h.date), ['2026-03-09', '2026-03-27']);
  const { reports } = await seeded({ seed: 11, scale: (date) => (date === '2026-03-09' ? 2 : 1) });
  const forecastWith = (list: typeof holidays) => new StaffingService({ reports, now: () => NOW, timezone: ZONE, holidays: () => list }).forecast({ queue: 'billing', serviceLevel: 0.8, thresholdSeconds: 20, weeks: 4 });
  const aware = await forecastWith(holidays);
  const blind = await forecastWith([]);
  t.deepEqual(aware.holidaysLeftOut, ['2026-03-09']);
  t.is(aware.daysUsed[0], 3);
  const mondayTotal = (f: typeof aware) => f.intervals.filter((i) => i.weekday === 0).reduce((s, i) => s + i.calls, 0);
  const expectedMonday = Array.from({ length: 48 }, (_, slot) => expectedCalls(0, slot)).reduce((a, b) => a + b, 0);
  t.true(Math.abs(mondayTotal(aware) - expectedMonday) < 4 * Math.sqrt((expectedMonday * 21) / 49), `holiday left out: ${mondayTotal(aware)} vs ${expectedMonday}`);
  // Left in, the rush (the newest Monday but one, weight 3 of 10) lifts the Monday forecast by ~30 %.
  t.true(mondayTotal(blind) / expectedMonday > 1.2, `holiday kept: ${mondayTotal(blind)} vs ${expectedMonday}`);
  t.deepEqual(aware.holidaysAhead, [{ date: '2026-03-27', name: 'Company day' }]);
  t.true(aware.intervals.filter((i) => i.date === '2026-03-27').every((i) => i.holiday === 'Company day'));
  t.true(aware.intervals.filter((i) => i.date !== '2026-03-27').every((i) => i.holiday === undefined));
});

test('given only two weeks of history and few abandons, when forecast with 4 weeks, then days before the first call are not counted as empty and Erlang C is used', async (t) => {
  const { reports } = await seeded({ seed: 3, pattern: { ...DEFAULT_PATTERN, meanPatienceSeconds: 1e9 } }, 2);
  const forecast = await new StaffingService({ reports, now: () => NOW, timezone: ZONE, holidays: () => [] }).forecast({ serviceLevel: 0.8, thresholdSeconds: 20, weeks: 4 });
  t.deepEqual(forecast.daysUsed, [2, 2, 2, 2, 2, 2, 2]);
  t.is(forecast.model, 'erlang-c');
  t.is(forecast.patienceSeconds, null);
  const total = forecast.intervals.reduce((s, i) => s + i.calls, 0);
  const expected = forecast.intervals.reduce((s, i) => s + expectedCalls(i.weekday, Number(i.time.slice(0, 2)) * 2 + (i.time.endsWith('30') ? 1 : 0)), 0);
  // Two days per weekday, weights 4 and 3: variance λ·25/49.
  t.true(Math.abs(total - expected) < 4 * Math.sqrt((expected * 25) / 49), `${total} vs ${expected}`);
  const history = await readHistory(reports, { ...historyRange(NOW, 4, ZONE), timezone: ZONE });
  t.is(patienceOf(history), undefined);
});
