import test from 'ava';
import pino from 'pino';
import { MemoryStore } from '../store/memory-store.ts';
import { CallEndings } from './call-endings.ts';
import { CallRecords } from './call-records.ts';
import { newCall, transition } from './call-machine.ts';
import type { CallEnv, CallInput, CallState } from './call-types.ts';

const env: CallEnv = { settings: { greetingMedia: ['sound:hello-world'], goodbyeMedia: ['sound:vm-goodbye'], idleTimeoutMs: 30_000, maxCallMs: 3_600_000 }, flows: { get: () => undefined, current: () => undefined }, timezone: 'UTC' };
const logger = pino({ level: 'silent' });

async function endCall(records: CallRecords, id: string): Promise<CallState> {
  let state: CallState | undefined;
  let current = newCall({ channelId: id, channelName: `PJSIP/${id}`, caller: { number: '5550100', name: '' }, dialed: '4000', at: 1000 });
  for (const type of ['entered', 'answered', 'left'] as CallInput['type'][]) {
    const result = transition(current, { type, at: 2000 } as CallInput, env);
    await records.save(state, result.next, result.trail);
    state = current = result.next;
  }
  return current;
}

test('given a call ended and the process died before any consumer ran, when the next start replays, then each consumer gets the call once and the markers go', async (t) => {
  const store = new MemoryStore();
  const before = new CallEndings(store, logger);
  before.register('reports', async () => undefined);
  before.register('webhooks', async () => undefined);
  await endCall(new CallRecords(store, before), 'c1');
  // No `ended()` call: the crash came between the final save and the in-memory event.

  const seen: string[] = [];
  const after = new CallEndings(store, logger);
  after.register('reports', async (id) => void seen.push(`reports:${id}`));
  after.register('webhooks', async (id) => void seen.push(`webhooks:${id}`));
  t.is(await after.replay(), 2);
  await after.idle();
  t.deepEqual(seen.sort(), ['reports:c1', 'webhooks:c1']);
  t.is(await after.replay(), 0);
});

test('given a consumer that fails, when the call ends, then only its marker stays for the next start', async (t) => {
  const store = new MemoryStore();
  const endings = new CallEndings(store, logger);
  let fail = true;
  const handled: string[] = [];
  endings.register('reports', async (id) => void handled.push(id));
  endings.register('followups', async (id) => {
    if (fail) throw new Error('disk full');
    handled.push(`followups:${id}`);
  });
  await endCall(new CallRecords(store, endings), 'c2');
  endings.ended('c2');
  await endings.idle();
  t.deepEqual(handled, ['c2']);

  fail = false;
  const next = new CallEndings(store, logger);
  next.register('reports', async () => t.fail('reports already handled c2'));
  next.register('followups', async (id) => void handled.push(`followups:${id}`));
  t.is(await next.replay(), 1);
  await next.idle();
  t.deepEqual(handled, ['c2', 'followups:c2']);
});

test('given calls still running, when saved, then no markers are written (only the end counts)', async (t) => {
  const store = new MemoryStore();
  const endings = new CallEndings(store, logger);
  endings.register('reports', async () => t.fail('not ended'));
  const records = new CallRecords(store, endings);
  const first = newCall({ channelId: 'c3', channelName: 'PJSIP/c3', caller: { number: '1', name: '' }, dialed: '4000', at: 1 });
  const entered = transition(first, { type: 'entered', at: 2 } as CallInput, env);
  await records.save(undefined, entered.next, entered.trail);
  t.is(await endings.replay(), 0);
});

test('a consumer name is checked and registered once', (t) => {
  const endings = new CallEndings(new MemoryStore(), logger);
  t.throws(() => endings.register('Bad Name', async () => undefined), { message: /bad call-endings consumer name/ });
  endings.register('reports', async () => undefined);
  t.throws(() => endings.register('reports', async () => undefined), { message: /twice/ });
});
