import test, { type ExecutionContext } from 'ava';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { FlowStore } from '../../ivr/flow-store.ts';
import type { PromptStore } from '../../prompts/prompt-store.ts';
import { publishedPromptUsage } from '../../prompts/prompt-usage.ts';
import { promptStore, synth, tempDir } from '../../prompts/testing-prompts.ts';
import { isPromptUpload, promptRoutes } from './prompt-routes.ts';
import { walkEveryRoute } from './rbac-walk.ts';
import { apiHarness, type HarnessExtras } from './testing-api.ts';

const flow = (prompt: string) => ({ id: 'greeter', name: 'Greeter', languages: ['en'], defaultLanguage: 'en', start: 'bye', nodes: { bye: { kind: 'hangup', prompts: [{ prompt }] } } });

function extras(dir: string, out: { prompts?: PromptStore; flows?: FlowStore; catalog?: Map<string, Map<string, string>> }): HarnessExtras {
  return async ({ store, clock, audit }) => {
    const flows = new FlowStore(store, () => clock.now());
    const made = await promptStore(dir, { usedBy: publishedPromptUsage(flows) });
    Object.assign(out, { prompts: made.store, flows, catalog: made.catalog });
    return { extraRoutes: [(api) => api.route('/', promptRoutes({ prompts: made.store, audit: (e) => audit.append(e) }))] };
  };
}

async function setup(t: ExecutionContext) {
  const dir = await tempDir(t);
  const out: { prompts?: PromptStore; flows?: FlowStore; catalog?: Map<string, Map<string, string>> } = {};
  const h = await apiHarness(extras(dir, out));
  const admin = await h.login('admin');
  const send = async (method: string, path: string, init: { body?: Uint8Array | string; type?: string; json?: unknown; headers?: Record<string, string> } = {}) => {
    const headers: Record<string, string> = { ...init.headers, ...(init.type ? { 'content-type': init.type } : {}) };
    const res = await h.request(path, { method, as: admin, headers, ...(init.body !== undefined ? { body: init.body } : {}), ...(init.json !== undefined ? { json: init.json } : {}) });
    const bytes = Buffer.from(await res.arrayBuffer());
    const isJson = (res.headers.get('content-type') ?? '').includes('json');
    return { status: res.status, headers: res.headers, bytes, json: isJson && bytes.length ? JSON.parse(bytes.toString('utf8')) : undefined };
  };
  return { ...h, dir, admin, send, prompts: out.prompts!, flows: out.flows!, catalog: out.catalog! };
}

test('given an uploaded recording, when a flow is published, listed, read, streamed with ranges and deleted, then each answers as documented and changes are audited', async (t) => {
  const { send, dir, flows, catalog, audit } = await setup(t);
  const hasPrompt = (language: string, id: string) => catalog.get(language)?.has(id) ?? false;
  await flows.saveDraft('greeter', flow('greeting'), 0, 'admin');
  await t.throwsAsync(flows.publish('greeter', 1, 'admin', { hasPrompt }), { message: /1 error/ }, 'before the upload the prompt does not exist');

  const wav = await synth(join(dir, 'in.wav'), 1, { rate: 16000, channels: 1 });
  const put = await send('PUT', '/prompts/en/greeting', { body: wav, type: 'audio/wav' });
  t.is(put.status, 200);
  t.like(put.json.prompt, { language: 'en', id: 'greeting', source: 'upload', recorded: true, durationSeconds: 1, bytes: 16044, updatedBy: 'admin' });
  t.is(await flows.publish('greeter', 1, 'admin', { hasPrompt }), 1, 'usable in a flow at once');

  const one = await send('GET', '/prompts/en/greeting');
  t.deepEqual(one.json, { prompt: put.json.prompt, usedBy: ['greeter'] });
  const list = await send('GET', '/prompts?language=en&sort=id&limit=1');
  t.is(list.json.total, 2);
  t.is(list.json.items[0].id, 'greeting');
  t.truthy(list.json.nextCursor);
  t.deepEqual((await send('GET', '/prompts?source=catalog')).json.items.map((p: { language: string; id: string }) => `${p.language}/${p.id}`), ['en/welcome', 'zh-CN/welcome']);
  t.is((await send('GET', '/prompts?language=fr')).json.error.code, 'PROMPT_BAD_LANGUAGE');

  const full = await send('GET', '/prompts/en/greeting/audio');
  t.is(full.status, 200);
  t.is(full.headers.get('content-type'), 'audio/wav');
  t.deepEqual(full.bytes, await readFile(join(dir, 'prompts/en/greeting.wav')));
  const etag = full.headers.get('etag')!;
  const part = await send('GET', '/prompts/en/greeting/audio', { headers: { range: 'bytes=0-43' } });
  t.is(part.status, 206);
  t.is(part.headers.get('content-range'), 'bytes 0-43/16044');
  t.is(part.bytes.toString('latin1', 0, 4), 'RIFF');
  t.is((await send('GET', '/prompts/en/greeting/audio', { headers: { range: 'bytes=-10' } })).bytes.length, 10);
  t.is((await send('GET', '/prompts/en/greeting/audio', { headers: { range: 'bytes=99999-' } })).status, 416);
  t.is((await send('GET', '/prompts/en/greeting/audio', { headers: { range: 'bytes=0-9', 'if-range': etag } })).status, 206);
  t.is((await send('GET', '/prompts/en/greeting/audio', { headers: { range: 'bytes=0-9', 'if-range': '"old"' } })).status, 200, 'another copy: the whole file');
  const notRecorded = await send('GET', '/prompts/en/welcome/audio');
  t.deepEqual([notRecorded.status, notRecorded.json.error.code], [404, 'PROMPT_NOT_RECORDED']);

  const replaced = await send('PUT', '/prompts/en/greeting', { body: await synth(join(dir, 'b.ogg'), 2), type: 'audio/ogg' });
  t.is(replaced.json.prompt.durationSeconds, 2);
  const inUse = await send('DELETE', '/prompts/en/greeting');
  t.deepEqual([inUse.status, inUse.json.error.code, inUse.json.error.details], [409, 'PROMPT_IN_USE', { flows: ['greeter'] }]);

  const uploads = await audit.list({ action: 'prompt.upload' });
  t.is(uploads.length, 2);
  t.like(uploads[0], { actor: 'admin', target: 'en/greeting' });
  t.deepEqual(uploads.map((u) => [(u.detail as { before: { sha256: string } | null }).before?.sha256 ?? null, (u.detail as { after: { sha256: string } }).after.sha256]).reverse(),
    [[null, put.json.prompt.sha256], [put.json.prompt.sha256, replaced.json.prompt.sha256]]);

  const recorded = await send('PUT', '/prompts/en/welcome', { body: wav, type: 'audio/x-wav' });
  t.is(recorded.json.prompt.catalogText, 'Thank you for calling.');
  const deleted = await send('DELETE', '/prompts/en/welcome');
  t.is(deleted.status, 200);
  t.like(deleted.json.prompt, { source: 'catalog', recorded: false });
  const [entry] = await audit.list({ action: 'prompt.delete' });
  t.like(entry, { actor: 'admin', target: 'en/welcome', detail: { before: { source: 'upload' }, after: { source: 'catalog' } } });
  t.deepEqual([(await send('DELETE', '/prompts/en/welcome')).status, (await send('GET', '/prompts/en/nope')).status], [404, 404]);
});

test('given bodies that are not usable audio, when PUT, then 415 / 422 / 413 in the error shape naming why, and nothing is stored', async (t) => {
  const { send, dir } = await setup(t);
  const wav = await synth(join(dir, 'in.wav'), 0.5);
  const cases: [string, Uint8Array | string, string, number, string, RegExp][] = [
    ['text/plain', wav, 'text/plain', 415, 'PROMPT_UNSUPPORTED_TYPE', /content type "text\/plain"/],
    ['json', '{"audio": true}', 'application/json', 415, 'PROMPT_UNSUPPORTED_TYPE', /application\/json/],
    ['garbage', 'not audio, honestly', 'audio/wav', 422, 'PROMPT_BAD_AUDIO', /not an audio file/],
    ['empty', new Uint8Array(0), 'audio/wav', 422, 'PROMPT_BAD_AUDIO', /empty/],
    ['cut', wav.subarray(0, 40), 'application/octet-stream', 422, 'PROMPT_BAD_AUDIO', /sox cannot read this wav file: /],
  ];
  for (const [what, body, type, status, codeWanted, message] of cases) {
    const res = await send('PUT', '/prompts/en/x', { body, type });
    t.deepEqual([res.status, res.json?.error?.code], [status, codeWanted], what);
    t.regex(res.json.error.message, message, what);
  }
  // Over 20 MB: refused by the API's body limit (1 MB until the lead lets uploads through) or the store's.
  const huge = await send('PUT', '/prompts/en/x', { body: new Uint8Array(21 * 1024 * 1024), type: 'audio/wav' });
  t.is(huge.status, 413);
  t.true(['PAYLOAD_TOO_LARGE', 'PROMPT_TOO_LARGE'].includes(huge.json.error.code));
  t.deepEqual(await readdir(join(dir, 'prompts/en')), []);
  t.true(isPromptUpload('PUT', '/api/v1/prompts/zh-CN/welcome'));
  t.false(isPromptUpload('PUT', '/api/v1/prompts/zh-CN/welcome/tts'));
  t.false(isPromptUpload('POST', '/api/v1/prompts/zh-CN/welcome'));
});

test('given text, when previewed and saved with TTS, then audio/wav comes back, the saved prompt is audited, bad voices and texts are 400', async (t) => {
  const { send, audit, dir } = await setup(t);
  const preview = await send('POST', '/prompts/preview', { json: { text: '请按一号键。', language: 'zh-CN' } });
  t.is(preview.status, 200);
  t.is(preview.headers.get('content-type'), 'audio/wav');
  t.is(preview.bytes.toString('latin1', 8, 12), 'WAVE');
  t.deepEqual(await readdir(join(dir, 'prompts/zh-CN')), []);
  const saved = await send('POST', '/prompts/en/after-hours/tts', { json: { text: 'We are closed.', voice: 'flite:rms' } });
  t.is(saved.status, 200);
  t.like(saved.json.prompt, { source: 'tts', tts: { text: 'We are closed.', voice: 'flite:rms' } });
  const [entry] = await audit.list({ action: 'prompt.tts' });
  t.like(entry, { actor: 'admin', target: 'en/after-hours', detail: { before: null, after: { source: 'tts' } } });
  const voices = await send('GET', '/prompts/voices');
  t.deepEqual(voices.json.voices['zh-CN'], [{ name: 'espeak-ng:cmn', label: 'espeak-ng, Mandarin (male, formant synthesis)', default: true }]);
  for (const [body, codeWanted] of [
    [{ text: 'x', language: 'en', voice: 'flite:nope' }, 'PROMPT_BAD_VOICE'],
    [{ text: 'x'.repeat(600), language: 'en' }, 'PROMPT_BAD_TEXT'],
    [{ text: 'x', language: 'klingon' }, 'BAD_REQUEST'],
    [{ text: 'x', language: 'fr' }, 'PROMPT_BAD_LANGUAGE'],
    [{ language: 'en' }, 'BAD_REQUEST'],
  ] as const) {
    const res = await send('POST', '/prompts/preview', { json: body });
    t.deepEqual([res.status, res.json.error.code], [400, codeWanted], JSON.stringify(body));
  }
});

test('given each role, when prompts are read and changed, then flows.read reads and flows.write changes (and every route is in the RBAC walk)', async (t) => {
  const { request, login, dir } = await setup(t);
  const supervisor = await login('supervisor');
  t.is((await request('/prompts', { as: supervisor })).status, 200);
  const denied = await request('/prompts/en/x', { method: 'PUT', as: supervisor, body: await synth(join(dir, 'in.wav'), 0.2), headers: { 'content-type': 'audio/wav' } });
  t.deepEqual([denied.status, ((await denied.json()) as { error: { details: unknown } }).error.details], [403, { permission: 'flows.write' }]);
  for (const role of ['agent', 'technician']) t.is((await request('/prompts/en/welcome', { as: await login(role) })).status, 403, role);
  t.is((await request('/prompts')).status, 401);
  const walk = await walkEveryRoute(t, extras(await tempDir(t), {}));
  t.true(walk.operations.filter((o) => o.path.startsWith('/prompts')).length >= 8);
});

const TRAVERSALS = [
  '/prompts/../x', '/prompts/%2e%2e/x', '/prompts/en/%2e%2e', '/prompts/en/..%2f..%2foutside', '/prompts/%2e%2e%2f%2e%2e/outside',
  '/prompts/en/%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/prompts/en/a%2fb', '/prompts/en%2f..%2f..%2fen/x', '/prompts/en/x%00', '/prompts/en%00/x',
  '/prompts/en/..%5c..%5coutside', '/prompts/%2fetc/passwd', '/prompts/en/%252e%252e%252foutside', `/prompts/en/${'a'.repeat(5000)}`,
  `/prompts/${'e'.repeat(3000)}/x`, '/prompts/en/%E2%80%AEx', '/prompts/en/.', '/prompts/en/outside.wav', '/prompts/EN/x',
];

test('given path traversal attempts, when sent to every prompt route, then 400 or 404 in the error shape and no file outside the folder is read, written or removed', async (t) => {
  const { send, dir } = await setup(t);
  const outside = await synth(join(dir, 'outside.wav'), 0.2);
  await writeFile(join(dir, 'outside.meta.json'), '{"keep":true}');
  const wav = await synth(join(dir, 'prompts', 'in.wav'), 0.2);
  const before = await tree(dir);
  for (const path of TRAVERSALS) {
    for (const [method, suffix, init] of [['GET', '', {}], ['GET', '/audio', {}], ['PUT', '', { body: wav, type: 'audio/wav' }], ['DELETE', '', {}], ['POST', '/tts', { json: { text: 'owned' } }]] as const) {
      const res = await send(method, `${path}${suffix}`, init);
      t.true(res.status === 400 || res.status === 404, `${method} ${path.slice(0, 60)}${suffix} → ${res.status}`);
      t.is(typeof res.json?.error?.code, 'string', `${method} ${path.slice(0, 60)}${suffix}: error shape`);
      t.false(res.bytes.includes(outside.subarray(0, 200)), 'never the outside file');
    }
  }
  t.deepEqual(await tree(dir), before, 'nothing was created, changed or removed anywhere');
  t.deepEqual(await readFile(join(dir, 'outside.meta.json'), 'utf8'), '{"keep":true}');
});

/** Every file under `dir` with its size and mtime. */
async function tree(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    const s = await stat(path);
    out.push(`${relative(dir, path)} ${entry.isDirectory() ? 'dir' : `${s.size} ${s.mtimeMs}`}`);
  }
  return out.sort();
}

test('given a few hundred random parameters and bodies, when sent to the prompt routes, then no 5xx and every error is in the error shape', async (t) => {
  const { send, dir, prompts } = await setup(t);
  let seed = 7;
  const r = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const wav = await synth(join(dir, 'in.wav'), 0.3, { rate: 8000, channels: 1 });
  const strings = ['en', 'zh-CN', 'fr', '', '..', '%2e%2e', 'a%2fb', '%00', 'x'.repeat(70), 'welcome', 'ok-1', '😀', 'A', '-x', '%ff', "'", '%20'];
  const bodies = (): { body?: Uint8Array | string; type?: string; json?: unknown } => pick([
    () => ({ body: wav, type: pick(['audio/wav', 'application/octet-stream', 'audio/mpeg', 'text/plain', 'audio/wav; charset=x']) }),
    () => ({ body: Buffer.concat([wav.subarray(0, Math.floor(r() * wav.length))]), type: 'audio/wav' }),
    () => ({ body: Uint8Array.from({ length: Math.floor(r() * 3000) }, () => Math.floor(r() * 256)), type: pick(['audio/ogg', 'audio/flac', 'application/octet-stream']) }),
    () => ({ body: Buffer.concat([Buffer.from(pick(['RIFF\xff\xff\xff\xffWAVEfmt ', 'fLaC', 'OggS', 'ID3', 'FORM\0\0\0\0AIFF', '.snd']), 'latin1'), Uint8Array.from({ length: 600 }, () => Math.floor(r() * 256))]), type: 'application/octet-stream' }),
    () => ({ json: pick([{ text: 'hi' }, { text: '' }, { text: 'x', voice: pick(['espeak-ng:cmn', 'flite:slt', '../x', 7]) }, { text: '\u0000' }, null, [], { text: 'y'.repeat(501) }, { text: '你好', language: pick(strings) }]) }),
    () => ({ body: '{"unterminated": ', type: 'application/json' }),
  ])();
  const statuses = new Map<number, number>();
  for (let i = 0; i < 300; i++) {
    const language = r() < 0.6 ? pick(['en', 'zh-CN']) : pick(strings), id = r() < 0.6 ? pick(['welcome', 'ok-1']) : pick(strings);
    const [method, path] = pick([['GET', `/prompts/${language}/${id}`], ['GET', `/prompts/${language}/${id}/audio`], ['PUT', `/prompts/${language}/${id}`], ['DELETE', `/prompts/${language}/${id}`], ['POST', `/prompts/${language}/${id}/tts`], ['POST', '/prompts/preview'], ['GET', `/prompts?language=${language}&sort=${pick(['id', '-id', 'x', ''])}&limit=${pick(['1', '0', 'x', '2000'])}`]] as const);
    const res = await send(method, path, method === 'GET' || method === 'DELETE' ? {} : bodies());
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    t.true(res.status < 500, `${method} ${path} → ${res.status} ${res.bytes.toString('utf8', 0, 200)}`);
    if (res.status >= 400) t.is(typeof res.json?.error?.message, 'string', `${method} ${path} → ${res.status}: error shape`);
  }
  t.log([...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' '));
  t.true((statuses.get(200) ?? 0) > 10, 'some requests were valid and reached the store');
  for (const p of await prompts.list()) if (p.recorded) t.is(p.source === 'upload' || p.source === 'tts', true, `${p.language}/${p.id} has matching notes`);
});
