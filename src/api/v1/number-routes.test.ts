import test from 'ava';
import { apiHarness } from './testing-api.ts';
import { withEveryCapability } from './testing-capabilities.ts';

test('given an admin, when the number routes are read, changed with the read revision, changed again on a stale one, then ETags, conflict, warnings and audit are as documented', async (t) => {
  const h = await apiHarness(withEveryCapability(t));
  const admin = await h.login('admin');
  const read = await h.request('/number-routes', { as: admin });
  t.is(read.status, 200);
  t.is(read.headers.get('etag'), '"1"');
  t.like(await read.json(), { routes: [{ number: '4000', flow: 'main' }], revision: 1, updatedBy: 'system:site-file' });

  const routes = [{ number: '4000', flow: 'main' }, { number: '400*', flow: 'sales', hours: { timezone: 'UTC', weekly: { mon: ['09:00-17:00'] } }, closedFlow: 'after-hours' }];
  const saved = await h.request('/number-routes', { method: 'PUT', as: admin, json: { routes }, headers: { 'if-match': '"1"' } });
  t.is(saved.status, 200, JSON.stringify(await saved.clone().json()));
  t.is(saved.headers.get('etag'), '"2"');
  const body = await saved.json() as { revision: number; updatedBy: string; warnings: { path: unknown[] }[] };
  t.like(body, { revision: 2, updatedBy: 'admin' });
  // No flow is published in this harness: each named flow gets a warning, the save still stands.
  t.deepEqual(body.warnings.map((w) => w.path), [[0, 'flow'], [1, 'flow'], [1, 'closedFlow']]);

  const stale = await h.request('/number-routes', { method: 'PUT', as: admin, json: { routes: [] }, headers: { 'if-match': '"1"' } });
  t.is(stale.status, 409);
  t.like(await stale.json(), { error: { code: 'FLOW_CONFLICT' } });

  const bad = await h.request('/number-routes', { method: 'PUT', as: admin, json: { routes: [{ number: '4 0', flow: 'x' }, { number: '1', flow: 'y', extra: 1 }] } });
  t.is(bad.status, 400);
  const problems = (await bad.json() as { error: { code: string; details: { path: unknown[] }[] } }).error;
  t.is(problems.code, 'FLOW_INVALID');
  t.deepEqual(problems.details.map((p) => p.path), [[0, 'number'], [1]]);

  const entry = (await h.audit.list()).find((e) => e.action === 'routes.update');
  t.like(entry, { actor: 'admin', target: 'number-routes', detail: { before: [{ number: '4000', flow: 'main' }], revision: 2 } });
});

test('given the routes, when a number is tested, then the flow its call would run is answered (business hours applied)', async (t) => {
  const h = await apiHarness(withEveryCapability(t));
  const admin = await h.login('admin');
  const routes = [{ number: '4000', flow: 'main' }, { number: '400*', flow: 'sales', hours: { timezone: 'UTC', weekly: { mon: ['09:00-17:00'] } }, closedFlow: 'after-hours' }];
  t.is((await h.request('/number-routes', { method: 'PUT', as: admin, json: { routes } })).status, 200);
  const monday10 = Date.UTC(2026, 10, 23, 10, 0);
  const monday20 = Date.UTC(2026, 10, 23, 20, 0);
  const ask = async (number: string, at: number) => (await (await h.request('/number-routes/resolve', { method: 'POST', as: admin, json: { number, at } })).json() as { flow: string | null }).flow;
  t.is(await ask('4000', monday20), 'main');
  t.is(await ask('4001', monday10), 'sales');
  t.is(await ask('4001', monday20), 'after-hours');
  t.is(await ask('5000', monday10), null);
  const supervisor = await h.login('supervisor');
  t.is((await h.request('/number-routes', { as: supervisor })).status, 200);
  t.is((await h.request('/number-routes', { method: 'PUT', as: supervisor, json: { routes } })).status, 403);
});
