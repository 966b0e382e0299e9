// `deskline users …` against the admin API served on a temporary control socket.
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { createApi } from '../../api/v1/api-app.ts';
import { apiHarness } from '../../api/v1/testing-api.ts';
import { main } from '../main.ts';

async function capture(fn: () => Promise<number>) {
  const original = console.log;
  let out = '';
  console.log = (...args: unknown[]) => (out += `${args.join(' ')}\n`);
  try {
    return { code: await fn(), out };
  } finally {
    console.log = original;
  }
}

test('given a running service, when a user\'s password is reset from the shell, then the new one logs in, the old does not, and users list shows them', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'deskline-users-cli-'));
  const a = await apiHarness();
  const api = createApi({ auth: a.auth, audit: a.audit, events: a.events, now: () => a.clock.now(), version: 't', logger: { error() {} } as never, local: { username: 'local-admin' }, health: () => { throw new Error('unused'); } });
  const server = createAdaptorServer({ fetch: new Hono().route('/api/v1', api).fetch }) as Server;
  const socket = join(dir, 'deskline.sock');
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  t.teardown(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });
  const list = await capture(() => main(['users', 'list', '--socket', socket]));
  t.is(list.code, 0);
  t.regex(list.out, /^agent\s+agent\s+a1/m);
  const reset = await capture(() => main(['users', 'reset-password', 'agent', '--socket', socket]));
  t.is(reset.code, 0);
  const password = /new password for agent: (\S+)/.exec(reset.out)![1]!;
  t.truthy(await a.login('agent', password));
  await t.throwsAsync(a.login('agent'));
  const [entry] = await a.audit.list({ action: 'users.update' });
  t.like(entry, { actor: 'local-admin', target: 'agent', detail: { passwordChanged: true } });
  t.false(JSON.stringify(entry).includes(password));
  t.is((await main(['users', 'reset-password', 'nobody', '--socket', socket])), 1);
});
