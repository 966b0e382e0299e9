import test, { type ExecutionContext } from 'ava';
import { TEST_PASSWORD } from '../../auth/testing-auth.ts';
import { FollowupService } from '../../followups/followup-service.ts';
import { followupSettings } from '../../followups/followup-settings.ts';
import { endedCall, quietLogger } from '../../followups/testing-followups.ts';
import { followupRoutes } from './followup-routes.ts';
import { walkEveryRoute } from './rbac-walk.ts';
import { apiHarness, type HarnessExtras, type Login } from './testing-api.ts';

const HOUR = 3_600_000;
const SKILLS: Record<string, string[]> = { a1: ['billing'], a2: ['sales'] };

function withFollowups(ref: { service?: FollowupService }): HarnessExtras {
  return async ({ store, clock, audit }) => {
    ref.service = await FollowupService.open({ store, clock, logger: quietLogger, settings: followupSettings() });
    return { extraRoutes: [(api) => api.route('/', followupRoutes({ followups: ref.service!, audit: (e) => audit.append(e), skillsOf: (id) => SKILLS[id] ?? [] }))] };
  };
}

async function setup(t: ExecutionContext) {
  const ref: { service?: FollowupService } = {};
  const h = await apiHarness(withFollowups(ref));
  t.teardown(() => ref.service!.stop());
  await h.auth.users.create({ username: 'agent2', password: TEST_PASSWORD, role: 'agent', agentId: 'a2' });
  const as = { supervisor: await h.login('supervisor'), agent: await h.login('agent'), agent2: await h.login('agent2') };
  const call = async (who: Login, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await h.request(path, { method, as: who, headers, ...(body === undefined ? {} : typeof body === 'string' ? { body, headers: { ...headers, 'content-type': 'application/json' } } : { json: body }) });
    const text = await res.text();
    return { status: res.status, etag: res.headers.get('etag'), json: text ? JSON.parse(text) : undefined, text };
  };
  const create = async (who: Login, body: Record<string, unknown>) => (await call(who, 'POST', '/followups', body)).json.followup as { id: string; revision: number };
  return { ...h, service: ref.service!, as, call, create };
}

const isErrorShape = (json: unknown) => {
  const e = (json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  return typeof e?.code === 'string' && typeof e.message === 'string';
};

test('given a supervisor, when they create, read and list a follow-up, then 201 with an ETag, the same on GET, and the create is audited', async (t) => {
  const { as, call, audit, clock } = await setup(t);
  const created = await call(as.supervisor, 'POST', '/followups', { title: 'Call back about the refund', assignee: { skill: 'billing' }, priority: 'high' });
  t.is(created.status, 201);
  t.is(created.etag, '"1"');
  t.like(created.json.followup, { kind: 'manual', status: 'open', priority: 'high', assignee: { skill: 'billing' }, dueAt: clock.now() + 24 * HOUR, createdBy: 'supervisor' });
  const { id } = created.json.followup;
  const one = await call(as.supervisor, 'GET', `/followups/${id}`);
  t.is(one.etag, '"1"');
  t.deepEqual(one.json, created.json);
  t.like((await call(as.supervisor, 'GET', '/followups')).json, { total: 1, nextCursor: null, items: [{ id }] });
  const [entry] = await audit.list({ action: 'followup.create' });
  t.like(entry, { actor: 'supervisor', target: id, detail: { after: { id, priority: 'high', comments: 0 } } });
});

test('given a follow-up, when PATCHed with a stale If-Match, a stale revision or neither, then 412, 409 and 428 in the error shape; with the ETag, 200 and audited before/after', async (t) => {
  const { as, call, create, audit } = await setup(t);
  const { id } = await create(as.supervisor, { title: 'x' });
  const ok = await call(as.supervisor, 'PATCH', `/followups/${id}`, { dueAt: Date.UTC(2026, 10, 25, 12), note: 'see call' }, { 'if-match': '"1"' });
  t.is(ok.status, 200);
  t.is(ok.etag, '"2"');
  for (const [headers, body, status, code] of [
    [{ 'if-match': '"1"' }, { note: 'late' }, 412, 'FOLLOWUP_PRECONDITION_FAILED'],
    [{}, { note: 'late', revision: 1 }, 409, 'FOLLOWUP_CONFLICT'],
    [{}, { note: 'late' }, 428, 'FOLLOWUP_REVISION_REQUIRED'],
    [{ 'if-match': 'three' }, { note: 'late' }, 400, 'BAD_IF_MATCH'],
  ] as const) {
    const res = await call(as.supervisor, 'PATCH', `/followups/${id}`, body, headers);
    t.deepEqual([res.status, res.json.error?.code], [status, code]);
  }
  const [entry] = await audit.list({ action: 'followup.update' });
  t.like(entry, { actor: 'supervisor', target: id, detail: { before: { note: '', revision: 1 }, after: { note: 'see call', revision: 2 } } });
});

test('given status steps, when a cancelled one is closed, then 409 FOLLOWUP_BAD_TRANSITION; reopened then closed, the trail has both', async (t) => {
  const { as, call, create } = await setup(t);
  const { id } = await create(as.supervisor, { title: 'x' });
  t.is((await call(as.supervisor, 'POST', `/followups/${id}/status`, { status: 'cancelled', reason: 'duplicate' })).status, 200);
  const refused = await call(as.supervisor, 'POST', `/followups/${id}/status`, { status: 'done' });
  t.is(refused.status, 409);
  t.is(refused.json.error.code, 'FOLLOWUP_BAD_TRANSITION');
  t.regex(refused.json.error.message, /reopen it first/);
  await call(as.supervisor, 'POST', `/followups/${id}/status`, { status: 'open', reason: 'not a duplicate' });
  const closed = await call(as.supervisor, 'POST', `/followups/${id}/status`, { status: 'done', revision: 3 });
  t.is(closed.status, 200);
  t.deepEqual(closed.json.followup.statusTrail.map((s: { to: string }) => s.to), ['open', 'cancelled', 'open', 'done']);
  t.is((await call(as.supervisor, 'POST', `/followups/${id}/status`, { status: 'open', revision: 1 })).json.error.code, 'FOLLOWUP_CONFLICT');
});

test('given follow-ups for several people, when agent a1 (skill billing) lists, reads and changes them, then only theirs, their skill\'s, unassigned and their own are there; others are 404', async (t) => {
  const { as, call, create } = await setup(t);
  const mineDirect = await create(as.supervisor, { title: 'a1', assignee: { agent: 'a1' } });
  const billing = await create(as.supervisor, { title: 'billing', assignee: { skill: 'billing' } });
  const pool = await create(as.supervisor, { title: 'pool' });
  const written = await create(as.agent, { title: 'written by a1', assignee: { agent: 'a2' } });
  const other = await create(as.supervisor, { title: 'a2', assignee: { agent: 'a2' } });
  const sales = await create(as.supervisor, { title: 'sales', assignee: { skill: 'sales' } });
  const ids = async (who: Login, query = '') => ((await call(who, 'GET', `/followups${query}`)).json.items as { id: string }[]).map((f) => f.id).sort();
  t.deepEqual(await ids(as.agent), [mineDirect.id, billing.id, pool.id, written.id].sort());
  t.deepEqual(await ids(as.agent, '?mine=true'), [mineDirect.id, billing.id].sort());
  t.deepEqual(await ids(as.agent2), [pool.id, written.id, other.id, sales.id].sort());
  t.is((await ids(as.supervisor)).length, 6);
  for (const [method, path, body] of [['GET', `/followups/${other.id}`, undefined], ['PATCH', `/followups/${other.id}`, { note: 'x', revision: 1 }], ['POST', `/followups/${sales.id}/comments`, { text: 'x' }], ['POST', `/followups/${sales.id}/status`, { status: 'done' }]] as const) {
    const res = await call(as.agent, method, path, body);
    t.deepEqual([res.status, res.json.error.code], [404, 'FOLLOWUP_NOT_FOUND'], `${method} ${path}`);
  }
  const started = await call(as.agent, 'POST', `/followups/${pool.id}/status`, { status: 'in-progress' });
  t.deepEqual(started.json.followup.assignee, { agent: 'a1' }, 'the agent who starts it takes it over');
  t.is((await call(as.agent2, 'GET', `/followups/${pool.id}`)).status, 404);
});

test('given a call\'s follow-ups, when listed by filters and sorts, then each filter narrows, sorting by priority ranks urgent first, and pages follow the cursor', async (t) => {
  const { as, call, create, service } = await setup(t);
  const { call: record, trail } = endedCall('c-77', [{ type: 'voicemail', recording: 'vm-77', durationSeconds: 8 }]);
  const [voicemail] = await service.fromCall(record, trail);
  const low = await create(as.supervisor, { title: 'low', priority: 'low', dueAt: Date.UTC(2026, 10, 30) });
  const urgent = await create(as.supervisor, { title: 'urgent', priority: 'urgent', dueAt: Date.UTC(2026, 11, 30), callId: 'c-77' });
  const ids = async (query: string) => ((await call(as.supervisor, 'GET', `/followups${query}`)).json.items as { id: string }[]).map((f) => f.id);
  t.deepEqual(await ids('?callId=c-77'), [voicemail!.id, urgent.id]);
  t.deepEqual(await ids('?kind=voicemail'), [voicemail!.id]);
  t.deepEqual(await ids('?sort=-priority'), [urgent.id, voicemail!.id, low.id]);
  t.deepEqual(await ids('?sort=dueAt'), [voicemail!.id, low.id, urgent.id]);
  t.deepEqual(await ids(`?dueAfter=${Date.UTC(2026, 10, 29)}&dueBefore=${Date.UTC(2026, 11, 1)}`), [low.id]);
  t.deepEqual(await ids('?status=open,waiting&assignee=none'), [voicemail!.id, low.id, urgent.id]);
  const first = (await call(as.supervisor, 'GET', '/followups?limit=2&sort=createdAt')).json;
  const second = (await call(as.supervisor, 'GET', `/followups?limit=2&sort=createdAt&cursor=${first.nextCursor}`)).json;
  t.is(first.total, 3);
  t.deepEqual([...first.items, ...second.items].map((f: { id: string }) => f.id).sort(), [voicemail!.id, low.id, urgent.id].sort());
  t.is(second.nextCursor, null);
  for (const bad of ['?status=closed', '?sort=title', '?assignee=agent:a!b', '?mine=yes', '?dueBefore=-1', '?cursor=zzz']) {
    const res = await call(as.supervisor, 'GET', `/followups${bad}`);
    t.is(res.status, 400, bad);
    t.true(isErrorShape(res.json), bad);
  }
});

test('given comments, when added, then 201 and audited; an empty or 4001-character one is 400 naming text', async (t) => {
  const { as, call, create, audit } = await setup(t);
  const { id } = await create(as.agent, { title: 'x' });
  const added = await call(as.agent, 'POST', `/followups/${id}/comments`, { text: '客户说明天再打 — call tomorrow' });
  t.is(added.status, 201);
  t.like(added.json.followup.comments[0], { by: 'agent', text: '客户说明天再打 — call tomorrow' });
  for (const text of ['   ', 'x'.repeat(4001)]) {
    const res = await call(as.agent, 'POST', `/followups/${id}/comments`, { text });
    t.is(res.status, 400);
    t.is(res.json.error.details[0].path, 'text');
  }
  t.is((await audit.list({ action: 'followup.comment' })).length, 1);
});

/** Deterministic, so a failing body can be replayed. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}
const ODD: unknown[] = [null, true, 0, -1, 1.5, 1e308, 2 ** 53 + 1, '', ' ', 'x'.repeat(5000), '\u0000', '😀', [], {}, { agent: '' }, { agent: 'a1', skill: 'b' }, { __proto__: { admin: true } }, '1'];
/** Per field: values a client might well send (valid and nearly valid); ODD values are mixed in. */
const PLAUSIBLE: Record<string, unknown[]> = {
  title: ['Call back', '投诉 回电', 'x'.repeat(200), 'x'.repeat(201)], note: ['', 'see the call', 'x'.repeat(4000), 'x'.repeat(4001)],
  assignee: [null, { agent: 'a1' }, { skill: 'billing' }, { agent: 'a2' }, { agent: 'a!' }], priority: ['low', 'normal', 'high', 'urgent', 'asap'],
  dueAt: [Date.UTC(2026, 10, 25), 0, 9_999_999_999_999, 10_000_000_000_000, -5], callId: ['c-1', 'x'.repeat(257)], callerNumber: ['+8613800000000', '(030) 123-45', 'abc'],
  revision: [1, 2, 3, 0], status: ['open', 'in-progress', 'waiting', 'done', 'cancelled', 'closed'], reason: ['duplicate', 'x'.repeat(501)], text: ['ok', '客户说明天再打', 'x'.repeat(4001)],
};
const FIELDS_OF: Record<string, string[]> = {
  create: ['title', 'note', 'assignee', 'priority', 'dueAt', 'callId', 'callerNumber'], patch: ['title', 'note', 'assignee', 'priority', 'dueAt', 'revision'],
  comment: ['text'], status: ['status', 'reason', 'revision'],
};

function randomBody(r: () => number, route: string): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const roll = r();
  if (roll < 0.04) return '{"title": ';
  if (roll < 0.06) return pick(['[]', 'null', '"x"', '{}']);
  const body: Record<string, unknown> = {};
  for (const field of FIELDS_OF[route]!) if (r() < 0.6) body[field] = r() < 0.85 ? pick(PLAUSIBLE[field]!) : pick(ODD);
  if (route === 'create' && body.title === undefined && r() < 0.8) body.title = 'A follow-up';
  if (route === 'comment' && body.text === undefined && r() < 0.8) body.text = 'noted';
  if (r() < 0.05) body[pick(['extra', 'constructor', 'id', 'kind', 'status'])] = pick(ODD);
  return JSON.stringify(body);
}

test('given a few hundred random create, patch, comment and status bodies, when sent as supervisor and agent, then no 5xx and every error is in the error shape', async (t) => {
  const { as, call, create, errors } = await setup(t);
  const target = await create(as.supervisor, { title: 'fuzz target' });
  const r = prng(20261124);
  const statuses = new Map<number, number>();
  for (let i = 0; i < 600; i++) {
    const who = r() < 0.7 ? as.supervisor : as.agent;
    const [method, path, route] = ([['POST', '/followups', 'create'], ['PATCH', `/followups/${target.id}`, 'patch'], ['POST', `/followups/${target.id}/comments`, 'comment'], ['POST', `/followups/${target.id}/status`, 'status']] as const)[i % 4]!;
    const headers: Record<string, string> = r() < 0.3 ? { 'if-match': ['"1"', '*', 'W/"2"', 'x', '"99999999999999"'][Math.floor(r() * 5)]! } : {};
    const res = await call(who, method, path, randomBody(r, route), headers);
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    if (res.status >= 500) t.fail(`${method} ${path} → ${res.status} ${res.text.slice(0, 300)}`);
    if (res.status >= 400 && !isErrorShape(res.json)) t.fail(`${method} ${path} → ${res.status} not in the error shape: ${res.text.slice(0, 200)}`);
  }
  t.log([...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' '));
  t.true((statuses.get(201) ?? 0) > 50, 'many bodies were valid');
  t.true((statuses.get(200) ?? 0) > 5, 'some changes went through');
  t.true((statuses.get(400) ?? 0) > 100, 'many were refused');
  t.true([404, 409, 412, 428].filter((s) => statuses.has(s)).length >= 3, 'the domain refusals were reached too');
  t.deepEqual(errors, []);
});

test('given the follow-up routes, when the RBAC walk calls each for every role, then 401/403/allowed exactly as the matrix says', async (t) => {
  const { operations } = await walkEveryRoute(t, withFollowups({}));
  t.true(operations.filter((o) => o.path.startsWith('/followups')).length >= 6);
});
