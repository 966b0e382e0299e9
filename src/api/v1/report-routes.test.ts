import test from 'ava';
import { CallRecords } from '../../calls/call-records.ts';
import { ReportService } from '../../reports/report-service.ts';
import { scriptedCall } from '../../reports/testing/scripted-call.ts';
import { reportRoutes } from './report-routes.ts';
import { apiHarness } from './testing-api.ts';
import { quietLogger } from './testing-capabilities.ts';

const T0 = Date.parse('2026-03-02T02:00:00Z');

test('given ended calls, when a supervisor asks for the day\'s report as JSON and CSV, then the figures come from the rollups; bad queries name the problem', async (t) => {
  let reports!: ReportService;
  let records!: CallRecords;
  const h = await apiHarness(async ({ store }) => {
    records = new CallRecords(store);
    reports = new ReportService({ store, records, logger: quietLogger, queues: [{ id: 'billing', requiredSkills: [], wrapUpSeconds: 0 }], repeatCallerWindowHours: 24, defaults: { timezone: 'Asia/Shanghai', serviceLevelSeconds: 20, shortAbandonSeconds: 5 } });
    return { extraRoutes: [(api) => api.route('/', reportRoutes({ reports }))] };
  });
  const answered = scriptedCall({ id: 'a', startedAt: T0, steps: [{ queue: 'billing' }, { wait: 10 }, { agent: 'a1' }, { wait: 60 }] });
  const abandoned = scriptedCall({ id: 'b', startedAt: T0 + 60_000, steps: [{ queue: 'billing' }, { wait: 40 }] });
  for (const { call, trail } of [answered, abandoned]) {
    await records.save(undefined, call, trail);
    await reports.callEnded(call.callId);
  }
  const sup = await h.login('supervisor');
  const day = '?from=2026-03-02T00:00%2B08:00&to=2026-03-03T00:00%2B08:00&interval=total&groupBy=queue';
  const res = await h.request(`/reports/calls${day}`, { as: sup });
  t.is(res.status, 200);
  const body = await res.json() as { total: { calls: number; answered: number; abandoned: number; serviceLevel: number } };
  t.like(body.total, { calls: 2, answered: 1, abandoned: 1, serviceLevel: 0.5 });
  const csv = await h.request(`/reports/calls${day}&format=csv`, { as: sup });
  t.regex(csv.headers.get('content-type')!, /text\/csv/);
  t.regex(await csv.text(), /billing/);
  const bad = await h.request('/reports/calls?from=yesterday&to=today', { as: sup });
  t.is(bad.status, 400);
  t.regex(((await bad.json()) as { error: { code: string } }).error.code, /^REPORT_/);
  t.is((await h.request(`/reports/calls${day}&timezone=Mars/Olympus`, { as: sup })).status, 400);
  t.is((await h.request(`/reports/calls${day}`, { as: await h.login('agent') })).status, 403);
});
