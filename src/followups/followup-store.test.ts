import test from 'ava';
import { MemoryStore } from '../store/memory-store.ts';
import { transition } from './followup-machine.ts';
import { FollowupStore } from './followup-store.ts';
import { created, HOUR, T0 } from './testing-followups.ts';

test('given a follow-up changed several times, when saved each time, then its index keys move with it and none is left behind', async (t) => {
  const store = new MemoryStore();
  const records = new FollowupStore(store);
  const first = created({ assignee: { agent: 'a1' }, links: { callId: 'c!1/é', recordingIds: [], transcript: false } });
  await records.save(undefined, first);
  const second = transition(first, { type: 'assign', assignee: { skill: 'billing.zh' }, at: T0, by: 'sup' }).next;
  await records.save(first, second);
  const third = transition(second, { type: 'reschedule', dueAt: T0 + 9 * HOUR, at: T0, by: 'sup' }).next;
  await records.save(second, third);
  const fourth = transition(third, { type: 'close', at: T0, by: 'sup' }).next;
  await records.save(third, fourth);
  const keys: string[] = [];
  for await (const [key] of store.section('followups').entries()) keys.push(key);
  t.deepEqual(keys.map((k) => k.split('!').slice(0, 2).join('!')).sort(), ['as!skill:billing.zh', 'call!c%211%2F%C3%A9', 'cr!1795510800000', 'fu!manual-1', 'st!done'].sort());
  t.deepEqual((await records.list({ callId: 'c!1/é' })).map((f) => f.status), ['done']);
  t.deepEqual(await records.list({ assignee: { agent: 'a1' } }), []);
  t.deepEqual((await records.list({ assignee: { skill: 'billing.zh' }, dueBefore: T0 + 10 * HOUR, dueAfter: T0 + 9 * HOUR })).length, 1);
});
