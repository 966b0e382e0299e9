import test from 'ava';
import { MemoryStore } from '../store/memory-store.ts';
import { CallRecords } from './call-records.ts';
import { newCall, transition } from './call-machine.ts';
import type { CallEnv, CallInput, CallState, CallSettings } from './call-types.ts';

const settings: CallSettings = { greetingMedia: ['sound:hello-world'], goodbyeMedia: ['sound:vm-goodbye'], idleTimeoutMs: 30_000, maxCallMs: 3_600_000 };
const env: CallEnv = { settings, flows: { get: () => undefined, current: () => undefined }, timezone: 'UTC' };

async function playCall(records: CallRecords, id: string, number: string, at: number, inputs: CallInput['type'][]): Promise<CallState> {
  let state: CallState | undefined;
  let current = newCall({ channelId: id, channelName: `PJSIP/${id}`, caller: { number, name: '' }, dialed: '4000', at });
  let t = at;
  for (const type of inputs) {
    t += 10;
    const input = (type === 'dtmf' ? { type, digit: '1', durationMs: 100, at: t } : { type, at: t }) as CallInput;
    const result = transition(current, input, env);
    await records.save(state, result.next, result.trail);
    state = current = result.next;
  }
  return current;
}

test('given saved transitions, when read back, then record and ordered trail are complete', async (t) => {
  const records = new CallRecords(new MemoryStore());
  await playCall(records, 'c1', '5550100', 1000, ['entered', 'answered', 'dtmf', 'dtmf', 'left']);
  const call = await records.get('c1');
  t.like(call, { phase: 'ended', outcome: 'completed', digits: '11' });
  const trail = await records.trail('c1');
  t.deepEqual(trail.map((e) => e.type), ['entered', 'answered', 'dtmf', 'dtmf', 'ended']);
  t.true(trail.every((e, i) => i === 0 || e.at >= trail[i - 1]!.at));
  t.deepEqual(await records.active(), []);
});

test('given calls over time, when listed by range, caller and outcome, then the right ones come newest first', async (t) => {
  const records = new CallRecords(new MemoryStore());
  await playCall(records, 'a', '111', 1000, ['entered', 'answered', 'left']);
  await playCall(records, 'b', '222', 2000, ['entered', 'left']);
  await playCall(records, 'c', '111', 3000, ['entered', 'answered']);
  t.deepEqual((await records.list()).map((c) => c.callId), ['c', 'b', 'a']);
  t.deepEqual((await records.list({ from: 1500, to: 2500 })).map((c) => c.callId), ['b']);
  t.deepEqual((await records.list({ caller: '111' })).map((c) => c.callId), ['c', 'a']);
  t.deepEqual((await records.list({ outcome: 'abandoned' })).map((c) => c.callId), ['b']);
  t.deepEqual((await records.active()).map((c) => c.callId), ['c']);
  t.deepEqual((await records.list({ limit: 1 })).map((c) => c.callId), ['c']);
});

test('given transcripts on calls, when searched by words, then only calls saying all of them come back', async (t) => {
  const records = new CallRecords(new MemoryStore());
  const a = await playCall(records, 'a', '111', 1000, ['entered', 'answered', 'left']);
  const b = await playCall(records, 'b', '222', 2000, ['entered', 'answered', 'left']);
  await records.save(a, { ...a, trailLength: a.trailLength + 1 }, [{ at: 1100, type: 'transcript', leg: 'caller', text: 'I want to pay my Bill' }]);
  await records.save(b, { ...b, trailLength: b.trailLength + 1 }, [{ at: 2100, type: 'transcript', leg: 'caller', text: 'my internet is down' }]);
  t.deepEqual((await records.list({ text: 'pay bill' })).map((c) => c.callId), ['a']);
  t.deepEqual((await records.list({ text: 'MY' })).map((c) => c.callId), ['b', 'a']);
  t.deepEqual(await records.list({ text: 'refund' }), []);
});

test('given calls that joined queues and reached agents, when listed by agent and queue (alone or with other filters), then only those calls come back', async (t) => {
  const records = new CallRecords(new MemoryStore());
  const note = async (state: CallState, entries: Omit<import('./call-types.ts').TrailEntry, 'at'>[]) => {
    const next = { ...state, trailLength: state.trailLength + entries.length };
    await records.save(state, next, entries.map((e) => ({ at: state.startedAt + 5, ...e }) as import('./call-types.ts').TrailEntry));
    return next;
  };
  const a = await playCall(records, 'a', '111', 1000, ['entered', 'answered']);
  const b = await playCall(records, 'b', '222', 2000, ['entered', 'answered']);
  const c = await playCall(records, 'c', '111', 3000, ['entered', 'answered']);
  await note(a, [{ type: 'queue', queue: 'sales' }, { type: 'agent-connected', agentId: 'ann', queue: 'sales' }]);
  // b overflowed from sales to support and reached bob there.
  await note(b, [{ type: 'queue', queue: 'sales' }, { type: 'agent-connected', agentId: 'bob', queue: 'support' }]);
  await note(c, [{ type: 'agent-connected', agentId: 'ann', queue: 'support' }]);
  const ids = async (q: Parameters<CallRecords['list']>[0]) => (await records.list(q)).map((x) => x.callId);
  t.deepEqual(await ids({ agent: 'ann' }), ['c', 'a']);
  t.deepEqual(await ids({ agent: 'bob' }), ['b']);
  t.deepEqual(await ids({ queue: 'sales' }), ['b', 'a']);
  t.deepEqual(await ids({ queue: 'support' }), ['c', 'b']);
  t.deepEqual(await ids({ agent: 'ann', queue: 'support' }), ['c']);
  t.deepEqual(await ids({ caller: '111', agent: 'ann', from: 2000 }), ['c']);
  t.deepEqual(await ids({ caller: '222', queue: 'sales' }), ['b']);
  t.deepEqual(await ids({ agent: 'nobody' }), []);
  t.deepEqual(await ids({ agent: 'a!n' }), []);
});
