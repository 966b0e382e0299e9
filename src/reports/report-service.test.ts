import test from 'ava';
import { pino } from 'pino';
import { CallRecords } from '../calls/call-records.ts';
import { CallEndings } from '../calls/call-endings.ts';
import type { CallState } from '../calls/call-types.ts';
import { MemoryStore } from '../store/memory-store.ts';
import { csvCell } from './report-csv.ts';
import { ReportService } from './report-service.ts';
import { startReports } from './reports-module.ts';
import { scriptedCall, type Step } from './testing/scripted-call.ts';

const T0 = Date.parse('2026-03-02T02:00:00Z');
const HOUR = 3_600_000;

function setup() {
  const store = new MemoryStore();
  const records = new CallRecords(store);
  const deps = {
    store, records, logger: pino({ level: 'silent' }),
    queues: [{ id: 'billing', requiredSkills: [{ skill: 'billing', minLevel: 1 }], wrapUpSeconds: 30 }],
    repeatCallerWindowHours: 24,
    defaults: { timezone: 'Asia/Shanghai', serviceLevelSeconds: 20, shortAbandonSeconds: 5 },
  };
  return { store, records, deps, service: new ReportService(deps) };
}

async function save(records: CallRecords, id: string, startedAt: number, steps: Step[], caller = '+8613800000001'): Promise<CallState> {
  const { call, trail } = scriptedCall({ id, startedAt, caller, flow: 'main', steps });
  await records.save(undefined, call, trail);
  return call;
}

const today = { from: Date.parse('2026-03-01T16:00:00Z'), to: Date.parse('2026-03-02T16:00:00Z'), interval: 'total' as const };

test('given two calls from one number within the window, when they end, then the second is a repeat call and wrap-up and skills come from the queue settings', async (t) => {
  const { records, service } = setup();
  await save(records, 'first', T0, [{ queue: 'billing' }, { wait: 5 }, { agent: 'a1' }, { wait: 60 }]);
  await save(records, 'second', T0 + 2 * HOUR, [{ queue: 'billing' }, { wait: 5 }, { agent: 'a1' }, { wait: 60 }]);
  await save(records, 'other', T0 + 3 * HOUR, [], '+8613800000002');
  for (const id of ['first', 'second', 'other']) await service.callEnded(id);
  const result = await service.query(today);
  t.like(result.total, { calls: 3, repeatCalls: 1, repeatCallerRate: 0.3333, handled: 2, averageWrapSeconds: 30 });
  t.is(result.query.timezone, 'Asia/Shanghai', 'the site zone is the default');
  const bySkill = await service.query({ ...today, groupBy: 'skill' });
  t.deepEqual(bySkill.groups, ['billing']);
});

test('given calls stored before reports were kept, when backfilled twice, then each is recorded once and agents\' feature-code calls are left out', async (t) => {
  const { records, service } = setup();
  for (let i = 0; i < 25; i++) await save(records, `c${i}`, T0 + i * 60_000, [{ queue: 'billing' }, { wait: 3 }]);
  const login = scriptedCall({ id: 'login', startedAt: T0 + 30 * 60_000, steps: [] });
  await records.save(undefined, { ...login.call, feature: '*50' }, login.trail);
  t.deepEqual(await service.backfill({ from: T0 - HOUR, to: T0 + HOUR }), { recorded: 25, unchanged: 0, corrected: 0 });
  t.deepEqual(await service.backfill({ from: T0 - HOUR, to: T0 + HOUR }), { recorded: 0, unchanged: 25, corrected: 0 });
  t.like((await service.query(today)).total, { calls: 25, abandoned: 25 });
});

test('given the module wired to call endings, when a call ends, then it is recorded without anyone awaiting it', async (t) => {
  const { records, deps } = setup();
  const endings = new CallEndings(deps.store, deps.logger);
  const service = startReports({ ...deps, endings });
  const call = await save(records, 'c1', T0, [{ queue: 'billing' }, { wait: 3 }, { agent: 'a1' }]);
  endings.ended(call.callId);
  await endings.idle();
  t.like((await service.query(today)).total, { calls: 1, answered: 1 });
});

test('given a report, when exported as CSV, then one line per interval plus totals, and formula-like cells are defused', async (t) => {
  const { records, service } = setup();
  await save(records, 'c1', T0, [{ queue: 'billing' }, { wait: 3 }, { agent: 'a1' }, { wait: 30 }]);
  await service.callEnded('c1');
  const csv = await service.csv({ from: today.from, to: today.to + 86_400_000, interval: 'day', groupBy: 'queue' });
  const lines = csv.trimEnd().split('\r\n');
  t.is(lines.length, 1 + 2 + 1);
  t.true(lines[0]!.startsWith('interval,start_utc,end_utc,timezone,queue,t_s,s_s,calls,offered,answered'));
  t.true(lines[1]!.startsWith('2026-03-02T00:00+08:00,2026-03-01T16:00:00.000Z,2026-03-02T16:00:00.000Z,Asia/Shanghai,billing,20,5,1,1,1'));
  t.true(lines[3]!.startsWith('total,'));
  t.is(csvCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
  t.is(csvCell('-5'), "'-5");
  t.is(csvCell(-5), '-5', 'numbers are numbers');
});
