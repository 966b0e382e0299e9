import test from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LevelStore } from '../store/level-store.ts';
import { MemoryStore } from '../store/memory-store.ts';
import { ReportError } from './report-errors.ts';
import { ReportStore } from './report-store.ts';
import { scriptedCall, type Script, type Step } from './testing/scripted-call.ts';

const context = { skillsOf: (q: string) => (q === 'billing' ? ['billing'] : ['tech']), wrapUpMs: () => 0 };
const call = (id: string, startedAt: number, steps: Step[], more: Partial<Script> = {}) => scriptedCall({ id, startedAt, flow: 'main', steps, ...more });
const answeredAfter = (queue: string, seconds: number, agent = 'a1'): Step[] => [{ queue }, { wait: seconds }, { agent, queue }, { wait: 60 }];
const abandonedAfter = (queue: string, seconds: number): Step[] => [{ queue }, { wait: seconds }];
const day = (date: string, timezone: string) => ({ from: Date.parse(`${date}T00:00:00Z`) - 86_400_000, to: Date.parse(`${date}T00:00:00Z`) + 2 * 86_400_000, interval: 'day' as const, timezone });

async function recordAll(reports: ReportStore, calls: ReturnType<typeof call>[]) {
  return Promise.all(calls.map(({ call: c, trail }) => reports.recordCall(c, trail, context)));
}

test('given a call recorded twice, when reported, then it counts once and the second record changes nothing', async (t) => {
  const reports = new ReportStore(new MemoryStore());
  const c = call('c1', Date.parse('2026-03-02T10:00:00Z'), answeredAfter('billing', 10));
  t.deepEqual(await recordAll(reports, [c, c]), ['recorded', 'unchanged']);
  t.is(await reports.recordCall(c.call, c.trail, context), 'unchanged');
  const result = await reports.query({ ...day('2026-03-02', 'UTC'), interval: 'total' });
  t.like(result.total, { calls: 1, offered: 1, answered: 1, handled: 1 });
});

test('given a survey result that arrives after the call was recorded, when recorded again, then the figures are corrected, not doubled', async (t) => {
  const reports = new ReportStore(new MemoryStore());
  const before = call('c1', Date.parse('2026-03-02T10:00:00Z'), answeredAfter('billing', 10));
  const after = call('c1', Date.parse('2026-03-02T10:00:00Z'), [...answeredAfter('billing', 10), { survey: 5 }]);
  t.is(await reports.recordCall(before.call, before.trail, context), 'recorded');
  t.is(await reports.recordCall(after.call, after.trail, context), 'corrected');
  const { total } = await reports.query({ ...day('2026-03-02', 'UTC'), interval: 'total' });
  t.like(total, { calls: 1, answered: 1, handled: 1 });
  t.like(total.csat, { responses: 1, average: 5, satisfiedRate: 1 });
});

test('given answers after 12 s and 25 s and abandons after 3 s and 40 s, when asked at T = 20 s and 30 s, then the same rollups give both service levels', async (t) => {
  const reports = new ReportStore(new MemoryStore());
  const at = Date.parse('2026-03-02T10:00:00Z');
  await recordAll(reports, [
    call('a', at, answeredAfter('billing', 12)), call('b', at + 1000, answeredAfter('billing', 25)),
    call('c', at + 2000, abandonedAfter('billing', 3)), call('d', at + 3000, abandonedAfter('billing', 40)),
  ]);
  const query = { ...day('2026-03-02', 'UTC'), interval: 'total' as const };
  const t20 = (await reports.query({ ...query, serviceLevelSeconds: 20 })).total;
  t.like(t20, { offered: 4, answered: 2, abandoned: 2, abandonedShort: 1, answeredWithinThreshold: 1, serviceLevel: 0.3333 });
  t.is(t20.longestWaitSeconds > 40, true);
  t.is((await reports.query({ ...query, serviceLevelSeconds: 30 })).total.serviceLevel, 0.6667);
  const odd = await reports.query({ ...query, serviceLevelSeconds: 28 });
  t.is(odd.query.serviceLevelSeconds, 25, 'a T between bin edges is rounded down, and the report says so');
});

test('given calls either side of midnight in Shanghai, when reported per day in Asia/Shanghai and in UTC, then the zone decides the day', async (t) => {
  const reports = new ReportStore(new MemoryStore());
  await recordAll(reports, [call('late', Date.parse('2026-03-02T15:59:59Z'), []), call('early', Date.parse('2026-03-02T16:00:00Z'), [])]);
  const shanghai = await reports.query(day('2026-03-02', 'Asia/Shanghai'));
  t.deepEqual(shanghai.series.filter((p) => p.figures.calls > 0).map((p) => [p.label, p.figures.calls]), [['2026-03-02T00:00+08:00', 1], ['2026-03-03T00:00+08:00', 1]]);
  const utc = await reports.query(day('2026-03-02', 'UTC'));
  t.deepEqual(utc.series.filter((p) => p.figures.calls > 0).map((p) => [p.label, p.figures.calls]), [['2026-03-02T00:00+00:00', 2]]);
});

test('given calls late on the evenings around the New York DST change, when reported per day, then each lands on its local day', async (t) => {
  const reports = new ReportStore(new MemoryStore());
  // 23:30 EST on 7 March and 23:30 EDT on 8 March (a 23-hour day).
  await recordAll(reports, [call('sat', Date.parse('2026-03-08T04:30:00Z'), []), call('sun', Date.parse('2026-03-09T03:30:00Z'), [])]);
  const result = await reports.query({ from: Date.parse('2026-03-07T05:00:00Z'), to: Date.parse('2026-03-10T04:00:00Z'), interval: 'day', timezone: 'America/New_York' });
  t.deepEqual(result.series.map((p) => [p.label, p.figures.calls]), [['2026-03-07T00:00-05:00', 1], ['2026-03-08T00:00-05:00', 1], ['2026-03-09T00:00-04:00', 0]]);
});

test('given calls in two queues, when grouped by queue, filtered, and filtered across dimensions, then groups, totals and a clear refusal', async (t) => {
  const reports = new ReportStore(new MemoryStore());
  const at = Date.parse('2026-03-02T10:00:00Z');
  await recordAll(reports, [call('a', at, answeredAfter('billing', 5)), call('b', at, answeredAfter('tech', 5, 'a2')), call('c', at, answeredAfter('tech', 50, 'a2')), call('d', at, [{ node: 'menu' }])]);
  const byQueue = await reports.query({ ...day('2026-03-02', 'UTC'), interval: 'total', groupBy: 'queue' });
  t.deepEqual(byQueue.groups, ['billing', 'tech']);
  t.deepEqual(byQueue.totals.map((g) => [g.group, g.figures.answered]), [['billing', 1], ['tech', 2]]);
  t.is(byQueue.total.calls, 4, 'the total counts every call, queued or not');
  const tech = await reports.query({ ...day('2026-03-02', 'UTC'), interval: 'total', queue: 'tech' });
  t.deepEqual(tech.groups, ['tech']);
  t.like(tech.total, { calls: 2, answered: 2, serviceLevel: 0.5 });
  const error = await t.throwsAsync(reports.query({ ...day('2026-03-02', 'UTC'), groupBy: 'agent', queue: 'tech' }), { instanceOf: ReportError });
  t.is(error?.code, 'REPORT_UNSUPPORTED_FILTER');
});

test('given flow calls, when grouped by flow, then the funnel counts callers reaching and leaving each node', async (t) => {
  const reports = new ReportStore(new MemoryStore());
  const at = Date.parse('2026-03-02T10:00:00Z');
  await recordAll(reports, [
    call('a', at, [{ node: 'welcome' }, { node: 'menu' }]),
    call('b', at, [{ node: 'welcome' }]),
    call('c', at, [{ node: 'welcome' }, { node: 'menu' }, { node: 'q' }, ...answeredAfter('billing', 5)]),
  ]);
  const result = await reports.query({ ...day('2026-03-02', 'UTC'), interval: 'total', groupBy: 'flow' });
  t.deepEqual(result.funnel, [{ flow: 'main', nodes: [
    { node: 'welcome', reached: 3, dropped: 1, dropRate: 0.3333 },
    { node: 'menu', reached: 2, dropped: 1, dropRate: 0.5 },
    { node: 'q', reached: 1, dropped: 0, dropRate: 0 },
  ] }]);
});

test('given a level store closed and opened again, when reported, then the rollups were on disk and recording again still counts once', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'deskline-reports-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const c = call('c1', Date.parse('2026-03-02T10:00:00Z'), answeredAfter('billing', 10));
  const first = await LevelStore.open(join(dir, 'db'));
  await new ReportStore(first).recordCall(c.call, c.trail, context);
  await first.close();
  const second = await LevelStore.open(join(dir, 'db'));
  const reports = new ReportStore(second);
  t.is(await reports.recordCall(c.call, c.trail, context), 'unchanged');
  t.like((await reports.query({ ...day('2026-03-02', 'UTC'), interval: 'total' })).total, { calls: 1, answered: 1 });
  await second.close();
});

test('given a bad range or interval, when queried, then ReportErrors with stable codes', async (t) => {
  const reports = new ReportStore(new MemoryStore());
  const code = async (query: object) => (await t.throwsAsync(reports.query(query as never), { instanceOf: ReportError }))?.code;
  t.is(await code({ from: 10, to: 5, interval: 'day', timezone: 'UTC' }), 'REPORT_BAD_RANGE');
  t.is(await code({ from: 0, to: 500 * 86_400_000, interval: 'day', timezone: 'UTC' }), 'REPORT_RANGE_TOO_LARGE');
  t.is(await code({ from: 0, to: 86_400_000, interval: 'fortnight', timezone: 'UTC' }), 'REPORT_BAD_QUERY');
  t.is(await code({ from: 0, to: 86_400_000, interval: 'day', timezone: 'Atlantis/Capital' }), 'REPORT_BAD_TIMEZONE');
  t.is(await code({ from: 0, to: 86_400_000, interval: 'day', timezone: 'UTC', queue: 'a', agent: 'b' }), 'REPORT_UNSUPPORTED_FILTER');
});
