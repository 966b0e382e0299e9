import test from 'ava';
import { ManualClock } from '../core/clock.ts';
import { MemoryStore } from '../store/memory-store.ts';
import { QaError } from './qa-errors.ts';
import { DEFAULT_CRITERIA, QaService } from './qa-service.ts';

function setup() {
  const clock = new ManualClock(Date.UTC(2026, 10, 24, 9));
  const store = new MemoryStore();
  const calls = new Set(['c1', 'c2']);
  const qa = new QaService({ store, clock, callExists: async (id) => calls.has(id) });
  return { clock, store, qa };
}
const two = [
  { id: 'greeting', label: { en: 'Greeting', 'zh-CN': '问候' }, weight: 1, maxScore: 5 },
  { id: 'resolution', label: { en: 'Resolution', 'zh-CN': '解决' }, weight: 2, maxScore: 5 },
];
const code = async (p: Promise<unknown>) => ((await p.then(() => undefined, (e: unknown) => e)) as QaError | undefined)?.code;

test('given nothing configured, when criteria are read, then the defaults at revision 0; a change bumps the revision and a stale one is a conflict', async (t) => {
  const { qa, store, clock } = setup();
  const first = await qa.criteria();
  t.is(first.revision, 0);
  t.deepEqual(first.criteria, [...DEFAULT_CRITERIA]);
  clock.advance(1000);
  const { before, after } = await qa.setCriteria(two, 0, 'boss');
  t.is(before.revision, 0);
  t.like(after, { revision: 1, updatedBy: 'boss', updatedAt: clock.now() });
  t.is(await code(qa.setCriteria(two, 0, 'other')), 'QA_CONFLICT');
  t.is(await code(qa.setCriteria([], 1, 'boss')), 'QA_INVALID');
  // Persisted: a new service over the same store reads them.
  const again = new QaService({ store, clock, callExists: async () => true });
  t.deepEqual((await again.criteria()).criteria, two);
});

test('given two admins saving from the same revision at once, then exactly one wins', async (t) => {
  const { qa } = setup();
  const results = await Promise.allSettled([qa.setCriteria(two, 0, 'a'), qa.setCriteria(two.slice(0, 1), 0, 'b')]);
  t.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
  t.is((await qa.criteria()).revision, 1);
});

test('given reviewers, when they evaluate a call, then one evaluation each (saving again replaces it) with the total computed, against the current criteria', async (t) => {
  const { qa, clock } = setup();
  await qa.setCriteria(two, 0, 'boss');
  const first = await qa.evaluate('c1', 'sup1', { scores: { greeting: 5, resolution: 3 }, comment: 'good opening' });
  t.is(first.before, undefined);
  t.like(first.after, { callId: 'c1', reviewer: 'sup1', total: 11, maxTotal: 15, percent: 73.3, criteriaRevision: 1, comment: 'good opening' });
  clock.advance(60_000);
  const second = await qa.evaluate('c1', 'sup1', { scores: { greeting: 5, resolution: 5 } });
  t.deepEqual(second.before, first.after);
  t.like(second.after, { total: 15, percent: 100, createdAt: first.after.createdAt, updatedAt: clock.now() });
  await qa.evaluate('c1', 'sup2', { scores: { greeting: 1, resolution: 1 } });
  const { evaluations } = await qa.forCall('c1');
  t.deepEqual(evaluations.map((e) => [e.reviewer, e.total]), [['sup1', 15], ['sup2', 3]]);
  t.deepEqual((await qa.forCall('c2')).evaluations, []);
});

test('given bad scores or an unknown call, when evaluating, then QA_INVALID naming the fields or QA_CALL_NOT_FOUND, and nothing is saved', async (t) => {
  const { qa } = setup();
  const error = await qa.evaluate('c1', 'sup1', { scores: { greeting: 9, nope: 1 } }).catch((e: QaError) => e);
  t.is((error as QaError).code, 'QA_INVALID');
  t.true((error as QaError).issues.some((i) => i.field === 'scores.nope'));
  t.true((error as QaError).issues.some((i) => i.field === 'scores.greeting'));
  t.is(await code(qa.evaluate('zz', 'sup1', { scores: {} })), 'QA_CALL_NOT_FOUND');
  t.is(await code(qa.forCall('zz')), 'QA_CALL_NOT_FOUND');
  t.deepEqual((await qa.forCall('c1')).evaluations, []);
});

test('given comments on a call, when listed, then oldest first with author and time; empty ones are refused', async (t) => {
  const { qa, clock } = setup();
  await qa.comment('c1', 'sup1', 'listen at 0:40');
  clock.advance(5000);
  await qa.comment('c1', 'sup2', '  agreed ');
  t.deepEqual((await qa.forCall('c1')).comments.map((c) => [c.author, c.text]), [['sup1', 'listen at 0:40'], ['sup2', 'agreed']]);
  t.is(await code(qa.comment('c1', 'sup1', ' ')), 'QA_INVALID');
  t.is(await code(qa.comment('zz', 'sup1', 'hello')), 'QA_CALL_NOT_FOUND');
  t.deepEqual((await qa.forCall('c2')).comments, []);
});

test('given call ids and reviewer names with key separators, then they stay apart', async (t) => {
  const calls = new Set(['a!b', 'a']);
  const tricky = new QaService({ store: new MemoryStore(), clock: new ManualClock(0), callExists: async (id) => calls.has(id) });
  await tricky.evaluate('a!b', 'x', { scores: Object.fromEntries(DEFAULT_CRITERIA.map((c) => [c.id, 1])) });
  await tricky.evaluate('a', 'b!x', { scores: Object.fromEntries(DEFAULT_CRITERIA.map((c) => [c.id, 2])) });
  t.deepEqual((await tricky.forCall('a')).evaluations.map((e) => e.reviewer), ['b!x']);
  t.deepEqual((await tricky.forCall('a!b')).evaluations.map((e) => e.reviewer), ['x']);
});
