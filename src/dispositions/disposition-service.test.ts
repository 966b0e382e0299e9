import test from 'ava';
import { CallRecords } from '../calls/call-records.ts';
import { ManualClock } from '../core/clock.ts';
import { MemoryStore } from '../store/memory-store.ts';
import { DispositionError } from './disposition-errors.ts';
import { DispositionService } from './disposition-service.ts';
import { saveQueuedCall } from './testing-dispositions.ts';

const hour = 3_600_000;
const t0 = Date.UTC(2026, 10, 24, 9);

async function setup() {
  const store = new MemoryStore();
  const clock = new ManualClock(t0);
  const service = new DispositionService({ store, now: () => clock.now(), records: new CallRecords(store), repeatWindowHours: 24, articleCategory: (id) => (id === 'late-fee' ? ['Billing', 'Dispute'] : undefined) });
  const put = (id: string, en: string, zh: string, extra: Record<string, unknown> = {}) => service.store.putCategory(id, { names: { en, 'zh-CN': zh }, ...extra }, 0, 'admin');
  await put('billing', 'Billing', '账单');
  await put('billing-dispute', 'Dispute', '争议', { parentId: 'billing' });
  await put('billing-refund', 'Refund', '退款', { parentId: 'billing' });
  await put('tech', 'Technical', '技术', { match: { menuKeys: ['3'] } });
  return { store, clock, service };
}

const code = async (t: import('ava').ExecutionContext, promise: Promise<unknown>) => (await t.throwsAsync(promise, { instanceOf: DispositionError }))!.code;

test('given categories, when one is replaced with a stale revision, then DISPOSITION_CONFLICT; with the right one it is saved and the revision moves', async (t) => {
  const { service } = await setup();
  t.is(await code(t, service.store.putCategory('tech', { names: { en: 'Tech', 'zh-CN': '技术' } }, 0, 'admin')), 'DISPOSITION_CONFLICT');
  const { before, after } = await service.store.putCategory('tech', { names: { en: 'Tech', 'zh-CN': '技术' } }, 1, 'admin');
  t.is(before?.value.names.en, 'Technical');
  t.like(after, { revision: 2, updatedBy: 'admin', value: { id: 'tech', active: true } });
});

test('given bad categories, when saved, then DISPOSITION_INVALID names the field: missing name, unknown parent, a loop, too deep', async (t) => {
  const { service } = await setup();
  const invalid = async (id: string, body: unknown, rev = 0) => {
    const error = await t.throwsAsync(service.store.putCategory(id, body, rev, 'admin'), { instanceOf: DispositionError });
    t.is(error!.code, 'DISPOSITION_INVALID');
    return error!.issues.map((i) => i.path.join('.'));
  };
  t.deepEqual(await invalid('x', { names: { en: 'X' } }), ['names.zh-CN']);
  t.deepEqual(await invalid('x', { names: { en: 'X', 'zh-CN': '叉' }, parentId: 'nope' }), ['parentId']);
  t.deepEqual(await invalid('billing', { names: { en: 'B', 'zh-CN': '账' }, parentId: 'billing-dispute' }, 1), ['parentId']);
  t.deepEqual(await invalid('Bad Id', { names: { en: 'X', 'zh-CN': '叉' } }), ['id']);
  t.deepEqual(await invalid('x', []), ['']);
  await service.store.putCategory('l3', { names: { en: 'L3', 'zh-CN': '三' }, parentId: 'billing-dispute' }, 0, 'admin');
  await service.store.putCategory('l4', { names: { en: 'L4', 'zh-CN': '四' }, parentId: 'l3' }, 0, 'admin');
  t.deepEqual(await invalid('l5', { names: { en: 'L5', 'zh-CN': '五' }, parentId: 'l4' }), ['parentId']);
});

test('given an answered queue call, when classified twice, then the last wins and the history keeps both with who, when and the note', async (t) => {
  const { store, clock, service } = await setup();
  await saveQueuedCall(store, 'c1', { number: '5551000', at: t0, queue: 'billing-q', agentId: 'a1', trail: [{ type: 'input', flow: 'main', digit: '3' }] });
  const wrap = await service.wrapUp('c1');
  t.like(wrap, { callId: 'c1', queue: 'billing-q', policy: 'optional', agents: ['a1'] });
  t.deepEqual(wrap.suggestions.map((s) => s.categoryId), ['tech']);
  await service.classify('c1', 'tech', 'a1', '  router reset  ');
  clock.advance(60_000);
  const { after } = await service.classify('c1', 'billing-dispute', 'supervisor');
  t.is(after.categoryId, 'billing-dispute');
  t.deepEqual(after.history, [{ categoryId: 'tech', by: 'a1', at: t0, note: 'router reset' }, { categoryId: 'billing-dispute', by: 'supervisor', at: t0 + 60_000 }]);
  t.deepEqual(after.queues, ['billing-q']);
  t.is((await service.wrapUp('c1')).current?.categoryId, 'billing-dispute');
  const listed = await service.forCalls(['c1', 'never-classified']);
  t.deepEqual([...listed.keys()], ['c1']);
  t.is(listed.get('c1')?.categoryId, 'billing-dispute');
});

test('given a retired category, when a call is classified with it, then DISPOSITION_RETIRED; old calls keep it; deleting a used one is DISPOSITION_IN_USE', async (t) => {
  const { store, service } = await setup();
  await saveQueuedCall(store, 'c1', { number: '5551000', at: t0, queue: 'q', agentId: 'a1' });
  await service.classify('c1', 'billing-refund', 'a1');
  await service.store.putCategory('billing-refund', { names: { en: 'Refund', 'zh-CN': '退款' }, parentId: 'billing', active: false }, 1, 'admin');
  t.is(await code(t, service.classify('c1', 'billing-refund', 'a1')), 'DISPOSITION_RETIRED');
  t.is((await service.current('c1'))?.categoryId, 'billing-refund');
  t.is(await code(t, service.store.deleteCategory('billing-refund', undefined)), 'DISPOSITION_IN_USE');
  t.is(await code(t, service.store.deleteCategory('billing', undefined)), 'DISPOSITION_IN_USE');
  t.is(await code(t, service.classify('c1', 'nope', 'a1')), 'DISPOSITION_INVALID');
  t.is(await code(t, service.classify('no-call', 'tech', 'a1')), 'DISPOSITION_CALL_NOT_FOUND');
  t.is(await code(t, service.classify('c1', 'tech', 'a1', 'x'.repeat(2001))), 'DISPOSITION_INVALID');
  await service.store.putCategory('spare', { names: { en: 'Spare', 'zh-CN': '备用' } }, 0, 'admin');
  t.is(await code(t, service.store.deleteCategory('spare', 7)), 'DISPOSITION_CONFLICT');
  t.is((await service.store.deleteCategory('spare', 1)).value.id, 'spare');
  t.is(await service.store.category('spare'), undefined);
});

test('given queue policies, when set with revisions, then each queue has its own and an unset queue is optional', async (t) => {
  const { service } = await setup();
  await service.store.putPolicy('billing-q', 'required', 0, 'admin');
  t.is(await code(t, service.store.putPolicy('billing-q', 'off', 0, 'admin')), 'DISPOSITION_CONFLICT');
  t.is(await code(t, service.store.putPolicy('billing-q', 'sometimes', 1, 'admin')), 'DISPOSITION_INVALID');
  t.is(await service.policyFor('billing-q'), 'required');
  t.is(await service.policyFor('other'), 'optional');
  t.is(await service.policyFor(undefined), 'optional');
  t.deepEqual((await service.store.policies()).map((p) => [p.queueId, p.stored.value, p.stored.revision]), [['billing-q', 'required', 1]]);
});

test('given classified calls and later calls from the same numbers, when reported, then counts by category and top level and repeat rates follow the window', async (t) => {
  const { store, service } = await setup();
  // Dispute: 2 calls, both called back within 24 h. Refund: 1 call, called back after 25 h (not a repeat). Tech: 2 calls, 1 repeat, 1 withheld.
  const calls: [string, string, number, string, string][] = [
    ['d1', '5550001', t0, 'billing-dispute', 'q1'], ['d2', '5550002', t0 + hour, 'billing-dispute', 'q1'],
    ['r1', '5550003', t0 + 2 * hour, 'billing-refund', 'q2'],
    ['k1', '5550004', t0 + 3 * hour, 'tech', 'q2'], ['k2', 'anonymous', t0 + 4 * hour, 'tech', 'q2'],
  ];
  for (const [id, number, at, category, queue] of calls) {
    await saveQueuedCall(store, id, { number, at, queue, agentId: 'a1' });
    await service.classify(id, category, 'a1');
  }
  await saveQueuedCall(store, 'd1-again', { number: '5550001', at: t0 + 5 * hour });
  await saveQueuedCall(store, 'd2-again', { number: '5550002', at: t0 + hour + 24 * hour });
  await saveQueuedCall(store, 'r1-late', { number: '5550003', at: t0 + 2 * hour + 25 * hour });
  await saveQueuedCall(store, 'k1-again', { number: '5550004', at: t0 + 4 * hour });
  await saveQueuedCall(store, 'k2-again', { number: 'anonymous', at: t0 + 5 * hour });
  const report = await service.report({ from: t0, to: t0 + 24 * hour });
  t.is(report.classified, 5);
  t.deepEqual(report.byCategory.map((r) => [r.categoryId, r.calls]), [['billing-dispute', 2], ['tech', 2], ['billing-refund', 1]]);
  t.deepEqual(report.byTopLevel.map((r) => [r.categoryId, r.calls, r.share]), [['billing', 3, 0.6], ['tech', 2, 0.4]]);
  t.deepEqual(report.repeat.byCategory.map((r) => [r.categoryId, r.calls, r.repeated, r.anonymous, r.rate]), [['billing-dispute', 2, 2, 0, 1], ['tech', 2, 1, 1, 1], ['billing-refund', 1, 0, 0, 0]]);
  t.deepEqual(report.repeat.byTopLevel.map((r) => [r.categoryId, r.repeated, r.rate]), [['tech', 1, 1], ['billing', 2, 2 / 3]]);
  const q2 = await service.report({ from: t0, to: t0 + 24 * hour, queue: 'q2' });
  t.deepEqual(q2.byCategory.map((r) => [r.categoryId, r.calls]), [['tech', 2], ['billing-refund', 1]]);
  const early = await service.report({ from: t0, to: t0 + hour });
  t.deepEqual(early.byCategory.map((r) => r.categoryId), ['billing-dispute']);
  t.is(await code(t, service.report({ from: t0, to: t0 })), 'DISPOSITION_INVALID');
});

test('given an article shown during the call whose knowledge category names a disposition category, when wrapping up, then it is suggested', async (t) => {
  const { store, service } = await setup();
  await saveQueuedCall(store, 'c1', { number: '5551000', at: t0, queue: 'q', agentId: 'a1', trail: [{ type: 'assist-shown', articleId: 'late-fee', rank: 1 }] });
  t.deepEqual((await service.wrapUp('c1')).suggestions.map((s) => s.categoryId), ['billing-dispute']);
});
