import test from 'ava';
import { apiHarness } from './testing-api.ts';

test('given a user, when they log in, then the session cookie is HttpOnly and SameSite=Lax, and /auth/me names them with their permissions', async (t) => {
  const { request, login } = await apiHarness();
  const res = await request('/auth/login', { method: 'POST', json: { username: 'supervisor', password: 'tea kettle on the hob' } });
  t.is(res.status, 200);
  const cookie = res.headers.get('set-cookie') ?? '';
  t.regex(cookie, /HttpOnly/);
  t.regex(cookie, /SameSite=Lax/);
  const me = await (await request('/auth/me', { as: await login('supervisor') })).json() as { role: string; permissions: string[] };
  t.is(me.role, 'supervisor');
  t.true(me.permissions.includes('recordings.listen'));
});

test('given a session, when a change is sent without the CSRF token or with a wrong one, then it is refused 403 CSRF; with it, it passes', async (t) => {
  const { request, login } = await apiHarness();
  const admin = await login('admin');
  const body = { username: 'newbie', password: 'a long enough passphrase', role: 'agent' };
  const none = await request('/users', { method: 'POST', json: body, headers: { cookie: `deskline_session=${admin.cookie}` } });
  t.is(none.status, 403);
  t.like(await none.json(), { error: { code: 'CSRF' } });
  const wrong = await request('/users', { method: 'POST', json: body, as: admin, headers: { 'x-csrf-token': admin.csrf.slice(0, -2) + 'xx' } });
  t.is(wrong.status, 403);
  t.is((await request('/users', { method: 'POST', json: body, as: admin })).status, 201);
});

test('given a session id from before login (fixation), when the victim logs in, then the old id is not their session', async (t) => {
  const { request, login } = await apiHarness();
  const planted = 'A'.repeat(43);
  const res = await request('/auth/login', { method: 'POST', json: { username: 'agent', password: 'tea kettle on the hob' }, headers: { cookie: `deskline_session=${planted}` } });
  t.is(res.status, 200);
  t.notRegex(res.headers.get('set-cookie') ?? '', new RegExp(planted));
  t.is((await request('/auth/me', { headers: { cookie: `deskline_session=${planted}` } })).status, 401);
  t.truthy(await login('agent'));
});

test('given a logged-in user, when they log out, then the session no longer works', async (t) => {
  const { request, login } = await apiHarness();
  const s = await login('agent');
  t.is((await request('/auth/logout', { method: 'POST', as: s })).status, 204);
  t.is((await request('/auth/me', { as: s })).status, 401);
});

test('given an API token, when it is revoked, then the next request with it is 401; a wrong token is 401 even with a good cookie', async (t) => {
  const { request, login } = await apiHarness();
  const admin = await login('admin');
  const created = await (await request('/tokens', { method: 'POST', as: admin, json: { name: 'crm', scopes: ['audit.read'] } })).json() as { token: string; info: { id: string } };
  const bearer = { authorization: `Bearer ${created.token}` };
  t.is((await request('/audit', { headers: bearer })).status, 200);
  t.is((await request('/users', { headers: bearer })).status, 403, 'outside its scopes');
  t.is((await request(`/tokens/${created.info.id}`, { method: 'DELETE', as: admin })).status, 200);
  t.is((await request('/audit', { headers: bearer })).status, 401);
  t.is((await request('/audit', { headers: { authorization: 'Bearer dkl_nope', cookie: `deskline_session=${admin.cookie}` } })).status, 401);
});

test('given failed logins, when the name locks, then the answer is 429 with Retry-After and the error shape', async (t) => {
  const { request } = await apiHarness();
  for (let i = 0; i < 5; i++) t.is((await request('/auth/login', { method: 'POST', json: { username: 'agent', password: 'wrong wrong wrong' } })).status, 401);
  const locked = await request('/auth/login', { method: 'POST', json: { username: 'agent', password: 'tea kettle on the hob' } });
  t.is(locked.status, 429);
  t.is(locked.headers.get('retry-after'), '900');
  t.like(await locked.json(), { error: { code: 'LOCKED_OUT' } });
});

test('given a user edited by two admins, when the second saves with the old revision, then 412; the audit log has before and after', async (t) => {
  const { request, login, audit } = await apiHarness();
  const admin = await login('admin');
  const read = await request('/users/agent', { as: admin });
  const etag = read.headers.get('etag')!;
  t.is((await request('/users/agent', { method: 'PATCH', as: admin, json: { displayName: 'First' }, headers: { 'if-match': etag } })).status, 200);
  const stale = await request('/users/agent', { method: 'PATCH', as: admin, json: { displayName: 'Second' }, headers: { 'if-match': etag } });
  t.is(stale.status, 412);
  t.like(await stale.json(), { error: { code: 'REVISION_MISMATCH' } });
  const [entry] = await audit.list({ action: 'users.update' });
  t.like(entry, { actor: 'admin', target: 'agent', detail: { before: { displayName: 'agent' }, after: { displayName: 'First' } } });
  t.false(JSON.stringify(entry).includes('scrypt'), 'no password hashes in the audit log');
});

test('given an agent, when they choose zh-CN for themselves, then /auth/me says so at their next login and the change is audited; a bad language is 400', async (t) => {
  const h = await apiHarness();
  const agent = await h.login('agent');
  const changed = await h.request('/auth/me', { method: 'PATCH', as: agent, json: { locale: 'zh-CN' } });
  t.is(changed.status, 200);
  t.like(await changed.json(), { username: 'agent', locale: 'zh-CN' });
  t.is((await h.request('/auth/me', { method: 'PATCH', as: agent, json: { locale: 'fr' } })).status, 400);
  t.like(await (await h.request('/auth/me', { as: await h.login('agent') })).json(), { locale: 'zh-CN' });
  t.like((await h.audit.list()).find((e) => e.action === 'users.set-locale'), { actor: 'agent', target: 'agent', detail: { before: 'en', after: 'zh-CN' } });
});
