import test from 'ava';
import { ManualClock } from '../core/clock.ts';
import { MemoryStore } from '../store/memory-store.ts';
import { FollowupError } from './errors.ts';
import { FollowupService, type CallSource } from './followup-service.ts';
import { followupSettings } from './followup-settings.ts';
import type { Reminder } from './followup-types.ts';
import { followupIdFor } from './followups-from-call.ts';
import { endedCall, HOUR, MIN, quietLogger, T0 } from './testing-followups.ts';

async function setup(store = new MemoryStore(), clock = new ManualClock(T0), calls?: CallSource) {
  const service = await FollowupService.open({ store, clock, logger: quietLogger, settings: followupSettings(), ...(calls ? { calls } : {}) });
  const events: string[] = [];
  const reminders: Reminder[] = [];
  service.on('created', (f) => events.push(`created ${f.id}`));
  service.on('updated', (f, before, changed) => events.push(`updated ${f.id} r${before.revision}→r${f.revision} ${changed.join(',')}`));
  service.on('closed', (f) => events.push(`closed ${f.id} ${f.status}`));
  service.on('reminder', (r) => reminders.push(r));
  /**
   * Moves time a minute at a time, letting the reminders' store writes (and the next arming)
   * finish after each step, as they would between real timer ticks.
   */
  const advance = async (ms: number) => {
    for (let left = ms; ; left -= MIN) {
      clock.advance(Math.min(Math.max(left, 0), MIN));
      await service.idle();
      if (left <= MIN) break;
    }
  };
  return { service, store, clock, events, reminders, advance };
}

const code = async (promise: Promise<unknown>) => ((await promise.then(() => undefined, (e: unknown) => e)) as FollowupError | undefined)?.code;

test('given a manual follow-up, when created, patched with its revision, commented and closed, then stored, listed and told in order', async (t) => {
  const { service, events } = await setup();
  const f = await service.create({ title: ' Call Mrs Li back ', assignee: { agent: 'a1' } }, 'agent');
  t.like(f, { kind: 'manual', title: 'Call Mrs Li back', status: 'open', priority: 'normal', dueAt: T0 + 24 * HOUR, revision: 1, createdBy: 'agent' });
  const { after } = await service.patch(f.id, { priority: 'urgent', dueAt: T0 + HOUR, revision: 1 }, 'sup');
  t.like(after, { priority: 'urgent', dueAt: T0 + HOUR, revision: 2 });
  await service.comment(f.id, { text: 'left a message' }, 'agent');
  await service.setStatus(f.id, { status: 'done', reason: 'sorted' }, 'agent');
  t.like(await service.get(f.id), { status: 'done', revision: 4, comments: [{ by: 'agent', text: 'left a message' }] });
  t.deepEqual(events, [`created ${f.id}`, `updated ${f.id} r1→r2 dueAt,priority`, `updated ${f.id} r2→r3 comments`, `updated ${f.id} r3→r4 status`, `closed ${f.id} done`]);
  t.deepEqual((await service.list({ status: ['done'] })).map((x) => x.id), [f.id]);
  t.deepEqual(await service.list({ status: ['open'] }), []);
});

test('given a stale revision, when patched, then 409-style conflict (body) or 412-style precondition (If-Match), and a patch without either is refused', async (t) => {
  const { service } = await setup();
  const f = await service.create({ title: 'x' }, 'agent');
  await service.patch(f.id, { note: 'a', revision: 1 }, 'sup');
  t.is(await code(service.patch(f.id, { note: 'b', revision: 1 }, 'other')), 'FOLLOWUP_CONFLICT');
  t.is(await code(service.patch(f.id, { note: 'b' }, 'other', { ifMatch: 1 })), 'FOLLOWUP_PRECONDITION_FAILED');
  t.is(await code(service.patch(f.id, { note: 'b' }, 'other')), 'FOLLOWUP_REVISION_REQUIRED');
  t.is(await code(service.patch(f.id, { note: 'b', revision: 2 }, 'other', { guard: () => { throw new FollowupError('FOLLOWUP_NOT_FOUND', 'not yours'); } })), 'FOLLOWUP_NOT_FOUND');
  t.is((await service.get(f.id)).note, 'a');
  t.is(await code(service.patch('nope', { note: 'b', revision: 1 }, 'x')), 'FOLLOWUP_NOT_FOUND');
});

test('given bad bodies, when created, then FOLLOWUP_INVALID naming each field', async (t) => {
  const { service } = await setup();
  const error = await service.create({ title: '', assignee: { agent: 'a!b' }, priority: 'asap', dueAt: -1, extra: 1 }, 'x').then(() => undefined, (e: FollowupError) => e);
  if (!error) return t.fail('created');
  t.is(error.code, 'FOLLOWUP_INVALID');
  t.deepEqual((error.details as { field: string }[]).map((i) => i.field).sort(), ['', 'assignee.agent', 'dueAt', 'priority', 'title']);
  t.is(await code(service.comment('x', { text: 'x'.repeat(4001) }, 'x')), 'FOLLOWUP_INVALID');
});

test('given two changes of one follow-up at once, when both carry revision 1, then exactly one wins', async (t) => {
  const { service } = await setup();
  const f = await service.create({ title: 'x' }, 'agent');
  const results = await Promise.allSettled([service.patch(f.id, { note: 'a', revision: 1 }, 'u1'), service.patch(f.id, { note: 'b', revision: 1 }, 'u2')]);
  t.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
});

test('given a finished call with a voicemail, when handed over twice (a replay), then one follow-up, created once', async (t) => {
  const { call, trail } = endedCall('c9', [{ type: 'voicemail', recording: 'vm-9', durationSeconds: 20 }]);
  const calls: CallSource = { get: async (id) => (id === 'c9' ? call : undefined), trail: async () => trail };
  const { service, events } = await setup(undefined, undefined, calls);
  t.is((await service.fromEndedCall('c9')).length, 1);
  t.deepEqual(await service.fromEndedCall('c9'), []);
  t.deepEqual(await service.fromEndedCall('unknown'), []);
  t.deepEqual(events, [`created ${followupIdFor('c9', 'voicemail')}`]);
  t.like(await service.get(followupIdFor('c9', 'voicemail')), { createdBy: 'system', links: { callId: 'c9', voicemail: { recording: 'vm-9' } } });
  t.deepEqual((await service.list({ callId: 'c9' })).map((f) => f.kind), ['voicemail']);
});

test('given a follow-up due in 1 h, when time passes, then due-soon 15 min before and overdue at the due time, each once', async (t) => {
  const { service, reminders, advance } = await setup();
  const f = await service.create({ title: 'x', dueAt: T0 + HOUR }, 'agent');
  await advance(44 * MIN);
  t.deepEqual(reminders, []);
  await advance(1 * MIN);
  t.deepEqual(reminders.map((r) => [r.kind, r.at - T0, r.followup.id]), [['due-soon', 45 * MIN, f.id]]);
  await advance(15 * MIN);
  await advance(5 * HOUR);
  t.deepEqual(reminders.map((r) => [r.kind, r.at - T0]), [['due-soon', 45 * MIN], ['overdue', 60 * MIN]]);
});

test('given reminders sent, when rescheduled, then they are armed again for the new due time; when closed, none', async (t) => {
  const { service, reminders, advance } = await setup();
  const f = await service.create({ title: 'x', dueAt: T0 + 30 * MIN }, 'agent');
  const g = await service.create({ title: 'y', dueAt: T0 + 30 * MIN }, 'agent');
  await service.setStatus(g.id, { status: 'cancelled' }, 'sup');
  await advance(31 * MIN);
  t.deepEqual(reminders.map((r) => `${r.kind} ${r.followup.id === f.id ? 'f' : 'g'}`), ['due-soon f', 'overdue f']);
  await service.patch(f.id, { dueAt: T0 + 2 * HOUR, revision: 1 }, 'sup');
  await advance(2 * HOUR);
  t.deepEqual(reminders.map((r) => r.kind), ['due-soon', 'overdue', 'due-soon', 'overdue']);
  await service.setStatus(f.id, { status: 'done' }, 'sup');
  await service.setStatus(f.id, { status: 'open' }, 'sup');
  await advance(HOUR);
  t.is(reminders.length, 4, 'reopening keeps the same due time: its reminders went already');
});

test('given a restart, when the service opens on the same store, then reminders are re-armed and none is sent twice; one missed while down is sent as overdue only', async (t) => {
  const store = new MemoryStore();
  const first = await setup(store, new ManualClock(T0));
  const sent = await first.service.create({ title: 'sent before', dueAt: T0 + 20 * MIN }, 'agent');
  const missed = await first.service.create({ title: 'missed', dueAt: T0 + 3 * HOUR }, 'agent');
  await first.advance(10 * MIN);
  t.deepEqual(first.reminders.map((r) => [r.kind, r.followup.id]), [['due-soon', sent.id]]);
  first.service.stop();

  const second = await setup(store, new ManualClock(T0 + 4 * HOUR));
  await second.advance(0);
  await second.advance(HOUR);
  t.deepEqual(second.reminders.map((r) => [r.kind, r.followup.id]).sort(), [['overdue', missed.id], ['overdue', sent.id]].sort());
  t.is(await code(first.service.create({ title: 'late' }, 'x')), 'FOLLOWUP_STOPPED');
});

test('given lists, when filtered by assignee, kind, due window and status, then each reads its index and applies every filter', async (t) => {
  const { service } = await setup();
  const a = await service.create({ title: 'a', assignee: { agent: 'a1' }, dueAt: T0 + HOUR }, 'x');
  const b = await service.create({ title: 'b', assignee: { skill: 'billing' }, dueAt: T0 + 2 * HOUR, priority: 'high' }, 'x');
  const c = await service.create({ title: 'c', dueAt: T0 + 3 * HOUR }, 'x');
  await service.setStatus(c.id, { status: 'in-progress' }, 'x');
  const ids = async (q: Parameters<FollowupService['list']>[0]) => (await service.list(q)).map((f) => f.id);
  t.deepEqual(await ids({ assignee: { agent: 'a1' } }), [a.id]);
  t.deepEqual(await ids({ assignee: { skill: 'billing' } }), [b.id]);
  t.deepEqual(await ids({ assignee: 'none' }), [c.id]);
  t.deepEqual(await ids({ status: ['open', 'in-progress'], dueBefore: T0 + 2 * HOUR }), [a.id]);
  t.deepEqual(await ids({ status: ['open', 'in-progress'], dueAfter: T0 + 2 * HOUR }), [b.id, c.id]);
  t.deepEqual(await ids({ kind: ['manual'], status: ['in-progress'] }), [c.id]);
  t.deepEqual(await ids({ kind: ['voicemail'] }), []);
  t.deepEqual((await ids({})).length, 3);
});
