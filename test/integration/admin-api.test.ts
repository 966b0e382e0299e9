// The admin API over a real port on a running appliance, end to end with the sandbox Asterisk:
// an admin uploads a recorded prompt (any audio sox reads), builds and publishes a flow that
// plays it, routes a number to it, and a real call to that number hears the prompt as Asterisk
// plays it. Every change is in the audit log.
import test from 'ava';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { placeTestCall } from '../../src/calls/test-call.ts';
import { tempDir } from '../helpers/appliance.ts';
import { useDeskline } from '../helpers/sandbox.ts';

const run = promisify(execFile);
const { sandbox, appliance } = useDeskline(test, { site: { id: 'api', timezone: 'Asia/Shanghai' } });

/** A logged-in browser-like client: session cookie and CSRF token. */
async function login(base: string, username: string, password: string) {
  const res = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (res.status !== 200) throw new Error(`login: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return (path: string, init: { method?: string; json?: unknown; body?: Uint8Array; headers?: Record<string, string> } = {}) => fetch(`${base}${path}`, {
    method: init.method ?? 'GET',
    headers: { cookie, 'x-csrf-token': csrfToken, ...(init.json !== undefined && { 'content-type': 'application/json' }), ...(init.body && { 'content-type': 'audio/wav' }), ...init.headers },
    ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : init.body ? { body: init.body } : {}),
  });
}

test.serial('given an admin on the API, when a prompt is uploaded, a flow playing it published and a number routed to it, then a real call to that number hears the prompt', async (t) => {
  const deskline = appliance();
  const admin = deskline.firstAdmin!;
  const api = await login(`${deskline.httpUrl}/api/v1`, admin.username, admin.password);

  // A CD-quality stereo tone, as a person would upload: converted for the phone line.
  const dir = await tempDir();
  const source = join(dir.path, 'tone.wav');
  await run('sox', ['-n', '-r', '44100', '-c', '2', '-b', '16', source, 'synth', '1.5', 'sine', '440', 'vol', '0.5']);
  const uploaded = await api('/prompts/en/api-tone', { method: 'PUT', body: await readFile(source) });
  await dir.remove();
  t.is(uploaded.status, 200, await uploaded.clone().text());
  t.like(await uploaded.json(), { prompt: { language: 'en', id: 'api-tone', source: 'upload', recorded: true } });

  const flow = { id: 'api-flow', name: 'API flow', languages: ['en'], defaultLanguage: 'en', start: 'hello', nodes: { hello: { kind: 'play', prompts: [{ prompt: 'api-tone' }], next: 'bye' }, bye: { kind: 'hangup' } } };
  t.is((await api('/flows/api-flow', { method: 'PUT', json: flow, headers: { 'if-match': '"0"' } })).status, 200);
  t.is((await api('/flows/api-flow/publish', { method: 'POST', headers: { 'if-match': '"1"' } })).status, 200);
  const routes = await api('/number-routes', { method: 'PUT', json: { routes: [{ number: '5100', flow: 'api-flow' }] } });
  t.is(routes.status, 200, await routes.clone().text());
  t.like(await (await api('/number-routes/resolve', { method: 'POST', json: { number: '5100' } })).json(), { flow: 'api-flow', publishedVersion: 1 });

  const call = await placeTestCall({ to: '5100', script: 'wait 5; hangup', callerNumber: '5550100', timeoutSeconds: 30 }, { telephony: deskline.telephony, calls: deskline.calls, records: deskline.records, media: sandbox().media });
  t.like((await deskline.records.get(call.callId))?.flow, { flowId: 'api-flow', version: 1 });
  const played = call.prompts.find((p) => p.promptId === 'api-tone');
  t.truthy(played, JSON.stringify(call.prompts));
  t.falsy(played!.failed, 'Asterisk played the converted file');
  t.true(played!.finishedAt! - played!.startedAt! >= 1_000, `played for ${played!.finishedAt! - played!.startedAt!} ms`);

  const actions = (await deskline.audit.list({ actor: admin.username })).map((e) => e.action);
  for (const action of ['prompt.upload', 'flows.save-draft', 'flows.publish', 'routes.update']) t.true(actions.includes(action), `${action} in ${actions.join(', ')}`);
});
