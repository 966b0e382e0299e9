import test from 'ava';
import { CallRecords } from '../../calls/call-records.ts';
import { ReportService } from '../../reports/report-service.ts';
import { historyRange } from '../../staffing/forecast.ts';
import { StaffingService } from '../../staffing/staffing-service.ts';
import { syntheticFacts } from '../../staffing/testing/synthetic-history.ts';
import { staffingRoutes } from './staffing-routes.ts';
import { apiHarness } from './testing-api.ts';
import { quietLogger } from './testing-capabilities.ts';

const ZONE = 'Asia/Shanghai';

async function harness() {
  let staffing!: StaffingService;
  const h = await apiHarness(async ({ store, clock }) => {
    const reports = new ReportService({ store, records: new CallRecords(store), logger: quietLogger, queues: [], repeatCallerWindowHours: 0, defaults: { timezone: ZONE, serviceLevelSeconds: 20, shortAbandonSeconds: 5 } });
    const range = historyRange(clock.now(), 2, ZONE);
    await Promise.all(syntheticFacts(range.from, range.to, ZONE, { seed: 5 }).map((f) => reports.rollups.recordFacts(f)));
    staffing = new StaffingService({ reports, now: () => clock.now(), timezone: ZONE, holidays: () => [{ date: '2026-12-01', name: '公司日' }] });
    return { extraRoutes: [(api) => api.route('/', staffingRoutes({ staffing }))] };
  });
  return h;
}

test('given two weeks of history, when a supervisor asks for the staffing forecast as JSON and CSV, then every half hour of next week has calls and agents, and a stricter target needs more agents', async (t) => {
  const h = await harness();
  const sup = await h.login('supervisor');
  const res = await h.request('/reports/staffing?queue=billing&weeks=2', { as: sup });
  t.is(res.status, 200);
  const body = await res.json() as { timezone: string; model: string; intervals: { date: string; time: string; calls: number; agents: number; holiday?: string; asaSeconds: number | null }[]; holidaysAhead: unknown[]; target: { serviceLevel: number } };
  t.is(body.timezone, ZONE);
  t.is(body.intervals.length, 7 * 48);
  t.is(body.target.serviceLevel, 0.8);
  t.deepEqual(body.holidaysAhead, [{ date: '2026-12-01', name: '公司日' }]);
  t.true(body.intervals.filter((i) => i.date === '2026-12-01').every((i) => i.holiday === '公司日'));
  const agents = (list: typeof body.intervals) => list.reduce((s, i) => s + i.agents, 0);
  t.true(agents(body.intervals) > 0 && body.intervals.some((i) => i.calls > 20));
  const strict = await (await h.request('/reports/staffing?queue=billing&weeks=2&target=95&thresholdSeconds=10&maxAbandon=1', { as: sup })).json() as typeof body;
  t.true(agents(strict.intervals) > agents(body.intervals));
  const other = await (await h.request('/reports/staffing?queue=nobody&weeks=2', { as: sup })).json() as typeof body;
  t.is(agents(other.intervals), 0);

  const csv = await h.request('/reports/staffing?queue=billing&weeks=2&format=csv', { as: sup });
  t.is(csv.status, 200);
  t.regex(csv.headers.get('content-type')!, /text\/csv/);
  t.regex(csv.headers.get('content-disposition')!, /staffing-billing\.csv/);
  const lines = (await csv.text()).trim().split('\r\n');
  t.is(lines.length, 1 + 7 * 48);
  t.regex(lines[0]!, /^date,time,weekday,holiday,forecast_calls/);
});

test('given bad staffing queries, when asked, then 400 names the field; agents may not read reports (403), and nobody logged out (401)', async (t) => {
  const h = await harness();
  const sup = await h.login('supervisor');
  for (const [query, field] of [['target=120', 'target'], ['target=abc', 'target'], ['weeks=0', 'weeks'], ['weeks=2.5', 'weeks'], ['thresholdSeconds=-1', 'thresholdSeconds'], ['maxAbandon=90', 'maxAbandon'], ['format=xml', 'format']] as const) {
    const res = await h.request(`/reports/staffing?${query}`, { as: sup });
    t.is(res.status, 400, query);
    t.regex(JSON.stringify(await res.json()), new RegExp(field), query);
  }
  t.is((await h.request('/reports/staffing', { as: await h.login('agent') })).status, 403);
  t.is((await h.request('/reports/staffing')).status, 401);
  t.deepEqual(h.errors, []);
});
