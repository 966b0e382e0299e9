import test from 'ava';
import { apiHarness } from './testing-api.ts';
import { withEveryCapability } from './testing-capabilities.ts';

const flow = (greeting: string) => ({
  id: 'main', name: 'Main', languages: ['en'], defaultLanguage: 'en', start: 'hello',
  nodes: { hello: { kind: 'play', prompts: [{ tts: greeting }], next: 'bye' }, bye: { kind: 'hangup' } },
});

test('given an admin editing a flow, when saved, validated, simulated, published, edited concurrently and rolled back, then each step answers as documented and is audited', async (t) => {
  const h = await apiHarness(withEveryCapability(t));
  const admin = await h.login('admin');
  const saved = await h.request('/flows/main', { method: 'PUT', as: admin, json: flow('Welcome'), headers: { 'if-match': '"0"' } });
  t.is(saved.status, 200);
  t.is(saved.headers.get('etag'), '"1"');
  t.deepEqual(((await saved.json()) as { problems: unknown[] }).problems, []);
  const valid = await (await h.request('/flows/main/validate', { method: 'POST', as: admin, json: {} })).json() as { ok: boolean };
  t.true(valid.ok);
  const bad = await (await h.request('/flows/main/validate', { method: 'POST', as: admin, json: { ...flow('x'), start: 'nowhere' } })).json() as { ok: boolean; errors: { path: unknown[] }[] };
  t.false(bad.ok);
  t.true(bad.errors.length > 0);
  const sim = await (await h.request('/flows/main/simulate', { method: 'POST', as: admin, json: {} })).json() as { path: string[] };
  t.deepEqual(sim.path, ['hello', 'bye']);
  t.deepEqual(await (await h.request('/flows/main/publish', { method: 'POST', as: admin, headers: { 'if-match': '"1"' } })).json(), { version: 1 });
  // Two editors read revision 1; the second save is refused.
  t.is((await h.request('/flows/main', { method: 'PUT', as: admin, json: flow('Hello again'), headers: { 'if-match': '"1"' } })).status, 200);
  const stale = await h.request('/flows/main', { method: 'PUT', as: admin, json: flow('Mine'), headers: { 'if-match': '"1"' } });
  t.is(stale.status, 409);
  t.like(await stale.json(), { error: { code: 'FLOW_CONFLICT' } });
  t.deepEqual(await (await h.request('/flows/main/publish', { method: 'POST', as: admin })).json(), { version: 2 });
  t.is((await h.request('/flows/main/rollback', { method: 'POST', as: admin, json: { version: 1 } })).status, 200);
  const read = await (await h.request('/flows/main', { as: admin })).json() as { publishedVersion: number };
  t.is(read.publishedVersion, 1);
  const v2 = await (await h.request('/flows/main/versions/2', { as: admin })).json() as { doc: { nodes: { hello: { prompts: { tts: string }[] } } } };
  t.is(v2.doc.nodes.hello.prompts[0]!.tts, 'Hello again');
  t.deepEqual((await h.audit.list()).filter((e) => e.action.startsWith('flows.')).map((e) => e.action).reverse(), ['flows.save-draft', 'flows.publish', 'flows.save-draft', 'flows.publish', 'flows.rollback']);
  t.is((await h.request('/flows/nope', { as: admin })).status, 404);
  t.is((await h.request('/flows/main/rollback', { method: 'POST', as: admin, json: { version: 9 } })).status, 404);
  t.is((await h.request('/flows/Bad%20Id', { as: admin })).status, 400);
  t.is((await h.request('/flows/main', { method: 'PUT', as: await h.login('supervisor'), json: flow('no') })).status, 403, 'supervisors read flows, admins change them');
});

test('given an invalid draft, when published, then 400 FLOW_INVALID with every problem, and nothing changes for calls', async (t) => {
  const h = await apiHarness(withEveryCapability(t));
  const admin = await h.login('admin');
  await h.request('/flows/main', { method: 'PUT', as: admin, json: { ...flow('x'), start: 'nowhere' } });
  const published = await h.request('/flows/main/publish', { method: 'POST', as: admin });
  t.is(published.status, 400);
  const body = await published.json() as { error: { code: string; details: unknown[] } };
  t.is(body.error.code, 'FLOW_INVALID');
  t.true(body.error.details.length > 0);
  t.is(((await (await h.request('/flows/main', { as: admin })).json()) as { publishedVersion: number | null }).publishedVersion, null);
});
