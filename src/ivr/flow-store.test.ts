import test from 'ava';
import { MemoryStore } from '../store/memory-store.ts';
import { FlowError, FlowStore } from './flow-store.ts';

const doc = (target: string) => ({ id: 'main', name: 'Main', languages: ['en'], defaultLanguage: 'en', start: 'a', nodes: { a: { kind: 'goto', next: target }, b: { kind: 'hangup' }, c: { kind: 'hangup' } } });
const valid = (target: 'b' | 'c') => {
  const d = doc(target) as { nodes: Record<string, unknown> };
  delete d.nodes[target === 'b' ? 'c' : 'b'];
  return d;
};

test('given a draft, when saved with a stale revision, then FLOW_CONFLICT and nothing changes', async (t) => {
  const flows = new FlowStore(new MemoryStore(), () => 1000);
  t.is(await flows.saveDraft('main', valid('b'), 0, 'ann'), 1);
  t.is(await flows.saveDraft('main', valid('c'), 1, 'bob'), 2);
  const error = await t.throwsAsync(flows.saveDraft('main', valid('b'), 1, 'ann'), { instanceOf: FlowError });
  t.is(error?.code, 'FLOW_CONFLICT');
  t.like(await flows.draft('main'), { revision: 2, savedBy: 'bob' });
});

test('given drafts, when published twice and rolled back, then versions are kept and new calls get the chosen one', async (t) => {
  const store = new MemoryStore();
  const flows = new FlowStore(store, () => 1000);
  await flows.saveDraft('main', valid('b'), 0, 'ann');
  t.is(await flows.publish('main', 1, 'ann'), 1);
  await flows.saveDraft('main', valid('c'), 1, 'ann');
  t.is(await flows.publish('main', 2, 'ann'), 2);
  t.is(flows.current('main'), 2);
  t.is(flows.get('main', 1)!.nodes.a!.next, 'b', 'version 1 is unchanged');
  await flows.rollback('main', 1, 'ann');
  t.is(flows.current('main'), 1);
  const reloaded = new FlowStore(store, () => 1000);
  await reloaded.load();
  t.is(reloaded.current('main'), 1);
  t.is(reloaded.get('main', 2)!.nodes.a!.next, 'c');
  t.deepEqual(await reloaded.list(), [{ id: 'main', draftRevision: 2, publishedVersion: 1, versions: 2 }]);
});

test('given an invalid draft, when published, then FLOW_INVALID lists the problems and nothing is published', async (t) => {
  const flows = new FlowStore(new MemoryStore(), () => 1000);
  await flows.saveDraft('main', doc('nowhere'), 0, 'ann');
  const error = await t.throwsAsync(flows.publish('main', 1, 'ann'), { instanceOf: FlowError });
  t.is(error?.code, 'FLOW_INVALID');
  t.true(error!.problems.some((p) => p.message.includes('"nowhere"')));
  t.is(flows.current('main'), undefined);
  await t.throwsAsync(flows.rollback('main', 1, 'ann'), { message: /no version 1/ });
});
