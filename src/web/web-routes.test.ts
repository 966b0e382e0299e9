import test from 'ava';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { webRoutes } from './web-routes.ts';

const INDEX = '<!doctype html><html><head><script type="module" src="/assets/index-Ab12.js"></script></head><body><div id="root"></div></body></html>';

/** A built UI in a temp folder (as Vite writes it), a secret beside it, and the app as the appliance composes it. */
async function built(t: import('ava').ExecutionContext, withIndex = true) {
  const root = await mkdtemp(join(tmpdir(), 'deskline-web-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const dir = join(root, 'web');
  await mkdir(join(dir, 'assets'), { recursive: true });
  if (withIndex) await writeFile(join(dir, 'index.html'), INDEX);
  await writeFile(join(dir, 'assets', 'index-Ab12.js'), 'console.log(1)');
  await writeFile(join(dir, 'assets', 'index-Cd34.css'), 'body{}');
  await writeFile(join(dir, 'robots.txt'), 'User-agent: *');
  await writeFile(join(root, 'secret.txt'), 'do not serve');
  const api = new Hono();
  api.get('/ping', (c) => c.json({ pong: true }));
  const app = new Hono()
    .get('/healthz', (c) => c.json({ ok: true }))
    .route('/api/v1', api)
    .route('/', webRoutes({ dir }));
  return app;
}

test('given a build, when / or a client route is asked for, then index.html is answered, not cached, with a CSP', async (t) => {
  const app = await built(t);
  for (const path of ['/', '/wallboard', '/followups', '/some/deep/page', '/recordings/1795567350.0', '/knowledge/faq.v2']) {
    const res = await app.request(path);
    t.is(res.status, 200, path);
    t.is(res.headers.get('content-type'), 'text/html; charset=utf-8', path);
    t.is(res.headers.get('cache-control'), 'no-cache', path);
    t.regex(res.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    t.is(await res.text(), INDEX, path);
  }
});

test('given a build, when a hashed asset is asked for, then it comes with its content type and a year-long immutable cache', async (t) => {
  const app = await built(t);
  const js = await app.request('/assets/index-Ab12.js');
  t.is(js.status, 200);
  t.is(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
  t.is(js.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  t.is(js.headers.get('x-content-type-options'), 'nosniff');
  t.is(await js.text(), 'console.log(1)');
  const css = await app.request('/assets/index-Cd34.css');
  t.is(css.headers.get('content-type'), 'text/css; charset=utf-8');
  const robots = await app.request('/robots.txt');
  t.is(robots.headers.get('content-type'), 'text/plain; charset=utf-8');
  t.is(robots.headers.get('cache-control'), 'no-cache', 'unhashed files are revalidated');
});

test('given a build, when a missing asset is asked for, then it is a 404, never the page served as a script', async (t) => {
  const app = await built(t);
  for (const path of ['/assets/index-Old9.js', '/favicon.ico']) {
    const res = await app.request(path);
    t.is(res.status, 404, path);
    t.false((await res.text()).includes('<html'), path);
  }
});

test('given a build, when a path tries to leave the build folder, then nothing outside it is served', async (t) => {
  const app = await built(t);
  for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%00']) {
    const res = await app.request(path);
    t.false((await res.text()).includes('do not serve'), path);
    t.true(res.status === 404 || res.status === 200, `${path}: ${res.status}`);
  }
});

test('given the web routes mounted after the API, when /api/v1 and /healthz are asked for, then they answer as before (the UI takes nothing of theirs)', async (t) => {
  const app = await built(t);
  t.deepEqual(await (await app.request('/api/v1/ping')).json(), { pong: true });
  t.deepEqual(await (await app.request('/healthz')).json(), { ok: true });
  const unknown = await app.request('/api/v1/no-such-route');
  t.is(unknown.status, 404);
  t.false((await unknown.text()).includes('<html'), 'an unknown API path is not the SPA page');
  t.is((await app.request('/api', { method: 'GET' })).status, 404);
});

test('given a build, when HEAD or a change is sent, then HEAD has no body and other methods are not the UI\'s', async (t) => {
  const app = await built(t);
  const head = await app.request('/wallboard', { method: 'HEAD' });
  t.is(head.status, 200);
  t.is(head.headers.get('content-type'), 'text/html; charset=utf-8');
  t.is(await head.text(), '');
  t.is((await app.request('/wallboard', { method: 'POST' })).status, 404);
});

test('given no build, when / is asked for, then a page (not a 5xx) says to run npm run build:web', async (t) => {
  const app = await built(t, false);
  for (const path of ['/', '/wallboard']) {
    const res = await app.request(path);
    t.is(res.status, 404, path);
    t.is(res.headers.get('content-type'), 'text/html; charset=utf-8');
    t.is(res.headers.get('cache-control'), 'no-store');
    t.regex(await res.text(), /npm run build:web/);
  }
  t.deepEqual(await (await app.request('/api/v1/ping')).json(), { pong: true }, 'the API works without a UI build');
});
