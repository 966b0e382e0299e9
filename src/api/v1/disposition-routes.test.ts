import test, { type ExecutionContext } from 'ava';
import { CallRecords } from '../../calls/call-records.ts';
import { DispositionService } from '../../dispositions/disposition-service.ts';
import { saveQueuedCall } from '../../dispositions/testing-dispositions.ts';
import { dispositionRoutes } from './disposition-routes.ts';
import { walkEveryRoute } from './rbac-walk.ts';
import { apiHarness, type HarnessExtras } from './testing-api.ts';

const hour = 3_600_000;
const live = new Map<string, string>();
const extras: HarnessExtras = async ({ store, clock, audit }) => {
  const dispositions = new DispositionService({ store, now: () => clock.now(), records: new CallRecords(store), repeatWindowHours: 24 });
  return { extraRoutes: [(api) => api.route('/', dispositionRoutes({ dispositions, audit: (e) => audit.append(e), agentOn: (id) => live.get(id) }))] };
};

async function setup(t: ExecutionContext) {
  const h = await apiHarness(extras);
  const admin = await h.login('admin');
  const as = (who: typeof admin) => async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await h.request(path, { method, as: who, headers, ...(body === undefined ? {} : { json: body }) });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined, etag: res.headers.get('etag') };
  };
  const call = as(admin);
  const category = (id: string, en: string, zh: string, extra: Record<string, unknown> = {}) => call('PUT', `/dispositions/categories/${id}`, { names: { en, 'zh-CN': zh }, ...extra }, { 'if-match': '"0"' });
  t.is((await category('billing', 'Billing', '账单')).status, 200);
  t.is((await category('billing-dispute', 'Dispute', '争议', { parentId: 'billing', match: { menuKeys: ['21'] } })).status, 200);
  t.is((await category('tech', 'Technical', '技术')).status, 200);
  return { ...h, admin, call, as };
}

test('given an admin, when categories are created, replaced with If-Match, retired and deleted, then each answers as documented and is audited', async (t) => {
  const { call, audit } = await setup(t);
  const list = await call('GET', '/dispositions/categories');
  t.deepEqual(list.json.categories.map((c: { value: { id: string } }) => c.value.id), ['billing', 'billing-dispute', 'tech']);
  const stale = await call('PUT', '/dispositions/categories/tech', { names: { en: 'Tech', 'zh-CN': '技术' } }, { 'if-match': '"0"' });
  t.is(stale.status, 409);
  t.is(stale.json.error.code, 'DISPOSITION_CONFLICT');
  const saved = await call('PUT', '/dispositions/categories/tech', { names: { en: 'Tech', 'zh-CN': '技术' }, active: false }, { 'if-match': '"1"' });
  t.is(saved.status, 200);
  t.is(saved.etag, '"2"');
  t.like(saved.json, { revision: 2, value: { active: false } });
  const bad = await call('PUT', '/dispositions/categories/x', { names: { en: 'X' }, parentId: 'nope' });
  t.is(bad.status, 400);
  t.is(bad.json.error.code, 'DISPOSITION_INVALID');
  t.deepEqual(bad.json.error.details.map((d: { path: string[] }) => d.path.join('.')), ['names.zh-CN']);
  t.is((await call('PUT', '/dispositions/categories/Bad%20Id', { names: { en: 'X', 'zh-CN': '叉' } })).status, 400);
  t.is((await call('PUT', '/dispositions/categories/x', { names: { en: 'X', 'zh-CN': '叉' } }, { 'if-match': 'three' })).status, 400);
  const inUse = await call('DELETE', '/dispositions/categories/billing');
  t.is(inUse.status, 409);
  t.is(inUse.json.error.code, 'DISPOSITION_IN_USE');
  t.is((await call('DELETE', '/dispositions/categories/tech')).status, 204);
  t.is((await call('DELETE', '/dispositions/categories/tech')).status, 404);
  const actions = (await audit.list()).filter((e) => e.action.startsWith('disposition.')).map((e) => e.action).reverse();
  t.deepEqual(actions, ['disposition.category.create', 'disposition.category.create', 'disposition.category.create', 'disposition.category.update', 'disposition.category.delete']);
  const update = (await audit.list({ action: 'disposition.category.update' }))[0]!;
  t.like(update.detail, { before: { active: true }, after: { active: false } });
});

test('given queue policies, when set and read, then each queue keeps its own with a revision, and a bad value names the field', async (t) => {
  const { call } = await setup(t);
  const set = await call('PUT', '/dispositions/queues/billing-q', { policy: 'required' });
  t.is(set.status, 200);
  t.like(set.json, { queueId: 'billing-q', policy: 'required', revision: 1, updatedBy: 'admin' });
  t.is((await call('PUT', '/dispositions/queues/billing-q', { policy: 'off' }, { 'if-match': '"0"' })).json.error.code, 'DISPOSITION_CONFLICT');
  const bad = await call('PUT', '/dispositions/queues/billing-q', { policy: 'sometimes' });
  t.is(bad.status, 400);
  t.true(JSON.stringify(bad.json.error).includes('policy'));
  t.deepEqual((await call('GET', '/dispositions/queues')).json.policies.map((p: { queueId: string; policy: string }) => [p.queueId, p.policy]), [['billing-q', 'required']]);
});

test('given an ended queue call answered by agent a1, when a1 asks for suggestions and classifies it, then it is stored, audited and another agent is refused', async (t) => {
  const { store, call, as, login, audit, clock, auth } = await setup(t);
  await call('PUT', '/dispositions/queues/billing-q', { policy: 'required' });
  await saveQueuedCall(store, 'c1', { number: '5551000', at: clock.now() - hour, queue: 'billing-q', agentId: 'a1', trail: [{ type: 'input', flow: 'main', digit: '2' }, { type: 'input', flow: 'main', digit: '1' }] });
  const agent = as(await login('agent'));
  const wrap = await agent('GET', '/calls/c1/disposition/suggestions');
  t.is(wrap.status, 200);
  t.like(wrap.json, { callId: 'c1', queue: 'billing-q', policy: 'required', agents: ['a1'] });
  t.deepEqual(wrap.json.suggestions.map((s: { categoryId: string }) => s.categoryId), ['billing-dispute']);
  t.deepEqual((await agent('GET', '/calls/c1/disposition')).json, { disposition: null });
  const set = await agent('PUT', '/calls/c1/disposition', { categoryId: 'billing-dispute', note: 'late fee disputed' });
  t.is(set.status, 200);
  t.like(set.json.disposition, { callId: 'c1', categoryId: 'billing-dispute', queues: ['billing-q'], history: [{ by: 'agent', note: 'late fee disputed' }] });
  t.is((await agent('GET', '/calls/c1/disposition')).json.disposition.categoryId, 'billing-dispute');
  t.like((await audit.list({ action: 'disposition.set' }))[0], { actor: 'agent', target: 'c1', detail: { after: { categoryId: 'billing-dispute' } } });
  // Another agent (a2) was never on the call.
  await auth.users.create({ username: 'agent2', password: 'correct horse battery staple', role: 'agent', agentId: 'a2' });
  const other = as(await login('agent2', 'correct horse battery staple'));
  t.is((await other('PUT', '/calls/c1/disposition', { categoryId: 'tech' })).status, 403);
  t.is((await other('GET', '/calls/c1/disposition/suggestions')).status, 403);
  // While a call is live and a2 is on it (the queue says so), a2 may.
  live.set('c1', 'a2');
  t.is((await other('GET', '/calls/c1/disposition/suggestions')).status, 200);
  live.delete('c1');
  const missing = await call('PUT', '/calls/nope/disposition', { categoryId: 'tech' });
  t.is(missing.status, 404);
  t.is(missing.json.error.code, 'DISPOSITION_CALL_NOT_FOUND');
  const badBody = await call('PUT', '/calls/c1/disposition', { categoryId: 'tech', extra: 1 });
  t.is(badBody.status, 400);
  const unknown = await call('PUT', '/calls/c1/disposition', { categoryId: 'nope' });
  t.deepEqual([unknown.status, unknown.json.error.code, unknown.json.error.details[0].path], [400, 'DISPOSITION_INVALID', ['categoryId']]);
});

test('given classified calls and a later call from one number, when the report is asked, then counts and repeat rates come back; bad ranges name the field', async (t) => {
  const { store, call, clock } = await setup(t);
  const t0 = clock.now() - 10 * hour;
  await saveQueuedCall(store, 'c1', { number: '5551000', at: t0, queue: 'q1', agentId: 'a1' });
  await saveQueuedCall(store, 'c2', { number: '5552000', at: t0 + hour, queue: 'q2', agentId: 'a1' });
  await saveQueuedCall(store, 'c1-again', { number: '5551000', at: t0 + 2 * hour });
  await call('PUT', '/calls/c1/disposition', { categoryId: 'billing-dispute' });
  await call('PUT', '/calls/c2/disposition', { categoryId: 'tech' });
  const report = await call('GET', `/reports/dispositions?from=${t0}&to=${clock.now()}`);
  t.is(report.status, 200);
  t.is(report.json.classified, 2);
  t.deepEqual(report.json.byTopLevel.map((r: { categoryId: string; calls: number }) => [r.categoryId, r.calls]), [['billing', 1], ['tech', 1]]);
  t.deepEqual(report.json.repeat.byCategory.map((r: { categoryId: string; rate: number }) => [r.categoryId, r.rate]), [['billing-dispute', 1], ['tech', 0]]);
  t.is(report.json.query.windowHours, 24);
  const q2 = await call('GET', `/reports/dispositions?from=${t0}&to=${clock.now()}&queue=q2`);
  t.deepEqual(q2.json.byCategory.map((r: { categoryId: string }) => r.categoryId), ['tech']);
  const iso = await call('GET', `/reports/dispositions?from=${new Date(t0).toISOString()}&to=${new Date(clock.now()).toISOString()}`);
  t.is(iso.json.classified, 2);
  const bad = await call('GET', '/reports/dispositions?from=yesterday&to=now');
  t.deepEqual([bad.status, bad.json.error.code, bad.json.error.details[0].path], [400, 'DISPOSITION_INVALID', ['from']]);
  t.is((await call('GET', `/reports/dispositions?from=${clock.now()}&to=${t0}`)).status, 400);
});

test('given the disposition routes, when every role calls each, then access is exactly the permission matrix', async (t) => {
  const { operations } = await walkEveryRoute(t, extras);
  t.true(operations.filter((o) => o.path.includes('disposition')).length >= 9);
});
