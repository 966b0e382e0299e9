import test, { type ExecutionContext } from 'ava';
import { QaService } from '../../qa/qa-service.ts';
import { qaRoutes } from './qa-routes.ts';
import { walkEveryRoute } from './rbac-walk.ts';
import { apiHarness, type HarnessExtras } from './testing-api.ts';

const calls = new Set(['c1', 'rbac-probe']);
const withQa: HarnessExtras = async ({ store, clock, audit }) => {
  const service = new QaService({ store, clock, callExists: async (id) => calls.has(id) });
  return { extraRoutes: [(api) => api.route('/', qaRoutes({ qa: service, audit: (e) => audit.append(e) }))] };
};
const two = [
  { id: 'greeting', label: { en: 'Greeting', 'zh-CN': '问候' }, weight: 1, maxScore: 5 },
  { id: 'resolution', label: { en: 'Resolution', 'zh-CN': '解决' }, weight: 2, maxScore: 5 },
];

async function setup(_t: ExecutionContext) {
  const h = await apiHarness(withQa);
  const as = async (role: string) => {
    const login = await h.login(role);
    return async (method: string, path: string, body?: unknown) => {
      const res = await h.request(path, { method, as: login, ...(body === undefined ? {} : { json: body }) });
      return { status: res.status, json: (await res.json().catch(() => undefined)) as any };
    };
  };
  return { ...h, as };
}

test('given the defaults, when an admin replaces the criteria with the revision read, then 200 with the next revision; a stale revision is 409; both audited once', async (t) => {
  const { as, audit } = await setup(t);
  const admin = await as('admin');
  const read = await admin('GET', '/qa/criteria');
  t.is(read.status, 200);
  t.is(read.json.revision, 0);
  t.true(read.json.criteria.length >= 3);
  const put = await admin('PUT', '/qa/criteria', { revision: 0, criteria: two });
  t.is(put.status, 200);
  t.like(put.json, { revision: 1, updatedBy: 'admin' });
  const stale = await admin('PUT', '/qa/criteria', { revision: 0, criteria: two.slice(0, 1) });
  t.is(stale.status, 409);
  t.is(stale.json.error.code, 'QA_CONFLICT');
  const entries = await audit.list({ action: 'qa.criteria-update' });
  t.is(entries.length, 1);
  t.like(entries[0], { actor: 'admin', detail: { before: { revision: 0 }, after: { revision: 1 } } });
});

test('given bad criteria, when PUT, then 400 naming each field', async (t) => {
  const admin = await (await setup(t)).as('admin');
  const dup = await admin('PUT', '/qa/criteria', { revision: 0, criteria: [two[0], { ...two[1], id: 'greeting', maxScore: 0 }] });
  t.is(dup.status, 400);
  t.is(dup.json.error.code, 'QA_INVALID');
  t.deepEqual(dup.json.error.details.map((d: { field: string }) => d.field), ['criteria.1.id', 'criteria.1.maxScore']);
  const shape = await admin('PUT', '/qa/criteria', { revision: 0, criteria: [{ id: 'x', label: { en: 'x' }, weight: 1, maxScore: 1 }] });
  t.is(shape.status, 400);
  t.true(JSON.stringify(shape.json.error.details).includes('criteria.0.label.zh-CN'));
  t.is((await admin('PUT', '/qa/criteria', { criteria: two })).status, 400, 'a change without a revision is refused');
});

test('given criteria, when a supervisor scores a call, then the total is the server\'s, one evaluation per reviewer, others see it, and it is audited with before/after', async (t) => {
  const { as, audit } = await setup(t);
  const admin = await as('admin');
  await admin('PUT', '/qa/criteria', { revision: 0, criteria: two });
  const supervisor = await as('supervisor');
  const saved = await supervisor('POST', '/calls/c1/qa', { scores: { greeting: 4, resolution: 5 }, comment: 'solid', total: 9999 });
  t.is(saved.status, 200);
  t.like(saved.json.evaluation, { reviewer: 'supervisor', total: 14, maxTotal: 15, percent: 93.3, comment: 'solid' });
  t.is((await supervisor('POST', '/calls/c1/qa', { scores: { greeting: 5, resolution: 5 } })).json.evaluation.total, 15);
  await admin('POST', '/calls/c1/qa', { scores: { greeting: 1, resolution: 1 } });
  const all = await admin('GET', '/calls/c1/qa');
  t.deepEqual(all.json.evaluations.map((e: { reviewer: string; total: number }) => [e.reviewer, e.total]), [['admin', 3], ['supervisor', 15]]);
  const entries = (await audit.list({ action: 'qa.evaluate' })).reverse();
  t.is(entries.length, 3);
  t.like(entries[1], { actor: 'supervisor', target: 'c1', detail: { before: { total: 14 }, after: { total: 15 } } });
  t.is(entries[0]!.detail!.before, null);
});

test('given bad scores, when POST /calls/{id}/qa, then 400 naming scores.<id>; an unknown call is 404', async (t) => {
  const supervisor = await (await setup(t)).as('supervisor');
  const bad = await supervisor('POST', '/calls/c1/qa', { scores: { greeting: 6, bogus: 1, understanding: 1, resolution: 1, courtesy: 1, compliance: 1 } });
  t.is(bad.status, 400);
  t.deepEqual(bad.json.error.details.map((d: { field: string }) => d.field), ['scores.bogus', 'scores.greeting']);
  const notNumber = await supervisor('POST', '/calls/c1/qa', { scores: { greeting: 'five' } });
  t.is(notNumber.status, 400);
  t.true(JSON.stringify(notNumber.json.error.details).includes('scores.greeting'));
  const missing = await supervisor('POST', '/calls/nope/qa', { scores: {} });
  t.is(missing.status, 404);
  t.is(missing.json.error.code, 'QA_CALL_NOT_FOUND');
  t.is((await supervisor('GET', '/calls/nope/qa')).status, 404);
});

test('given a call, when reviewers comment, then the thread lists them oldest first and each is audited; an empty comment is 400', async (t) => {
  const { as, audit } = await setup(t);
  const supervisor = await as('supervisor');
  t.is((await supervisor('POST', '/calls/c1/qa/comments', { text: 'check 0:42' })).status, 201);
  t.is((await supervisor('POST', '/calls/c1/qa/comments', { text: '   ' })).status, 400);
  const { json } = await supervisor('GET', '/calls/c1/qa');
  t.deepEqual(json.comments.map((c: { author: string; text: string }) => [c.author, c.text]), [['supervisor', 'check 0:42']]);
  t.is((await audit.list({ action: 'qa.comment' })).length, 1);
});

test('given an agent or technician, when they try QA, then 403 naming recordings.qa or recordings.read', async (t) => {
  const { as } = await setup(t);
  const agent = await as('agent');
  const refused = await agent('POST', '/calls/c1/qa', { scores: {} });
  t.is(refused.status, 403);
  t.is(refused.json.error.details.permission, 'recordings.qa');
  t.is((await agent('GET', '/qa/criteria')).json.error.details.permission, 'recordings.read');
  t.is((await (await as('technician'))('PUT', '/qa/criteria', { revision: 0, criteria: two })).status, 403);
});

test('given the QA routes, when walked for every role, then access is exactly the permission matrix', async (t) => {
  const { operations } = await walkEveryRoute(t, withQa);
  t.true(operations.some((o) => o.path === '/calls/{id}/qa' && o.access === 'recordings.qa'));
});
