import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AnswerAudio } from '../../knowledge/base/answer-audio.ts';
import { exportCsv, type ArticleInput } from '../../knowledge/base/index.ts';
import { KnowledgeService } from '../../knowledge/service/index.ts';
import { CHINESE, ENGLISH } from '../../knowledge/service/testing-knowledge.ts';
import { createApi } from './api-app.ts';
import { knowledgeRoutes } from './knowledge-routes.ts';
import { apiHarness } from './testing-api.ts';
import { walkEveryRoute } from './rbac-walk.ts';
import type { Audit } from './user-routes.ts';

interface AuditEntry { actor: string; action: string; target?: string; detail?: Record<string, unknown> }

const quiet = { info() {}, warn() {}, error() {}, debug() {}, child() { return quiet; } } as never;
const noCalls = { list: async () => [], trail: async () => [] };

/** The knowledge routes in the API as the control socket serves them (caller: local admin "root"). */
async function setup(options: { audit?: Audit; answerAudio?: AnswerAudio } = {}) {
  const audited: AuditEntry[] = [];
  let service!: KnowledgeService;
  const h = await apiHarness(async ({ store, clock }) => {
    service = await KnowledgeService.open({ store, clock, logger: quiet });
    return {};
  });
  const audit: Audit = options.audit ?? (async (entry) => void audited.push(entry));
  const api = createApi({
    auth: h.auth, audit: h.audit, events: h.events, now: () => h.clock.now(), version: 't', logger: { error() {} } as never, local: { username: 'root' },
    health: () => { throw new Error('unused'); },
    extraRoutes: [(app) => app.route('/', knowledgeRoutes({ knowledge: service, audit, analytics: { records: noCalls, now: () => h.clock.now() }, ...(options.answerAudio ? { answerAudio: options.answerAudio } : {}) }))],
  });
  const meta = () => service.editMeta('seed');
  const call = async (method: string, path: string, body?: unknown, raw = false, headers: Record<string, string> = {}) => {
    const init: RequestInit = { method, headers };
    if (body !== undefined) {
      init.body = raw ? (body as RequestInit['body']) : JSON.stringify(body);
      init.headers = { 'content-type': raw ? 'application/octet-stream' : 'application/json', ...headers };
    }
    const response = await api.request(`/knowledge${path}`, init);
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, json: json as any, text, type: response.headers.get('content-type'), etag: response.headers.get('etag') };
  };
  return { call, audited, service, meta };
}

const refund = ENGLISH[1]!;

test('given a valid article, when PUT, then version 1 is stored, audited and readable with its history', async (t) => {
  const { call, audited } = await setup();
  const put = await call('PUT', '/articles/refund', refund);
  t.is(put.status, 200);
  t.like(put.json.version, { id: 'refund', version: 1, change: 'put', author: 'root' });
  t.deepEqual(audited, [{ actor: 'root', action: 'knowledge.article.put', target: 'refund', detail: { version: 1 } }]);
  const got = await call('GET', '/articles/refund');
  t.is(got.status, 200);
  t.like(got.json, { version: 1, author: 'root', publishedVersion: null, article: { id: 'refund', title: 'Refunds' } });
  const { id: _id, ...withoutId } = refund;
  t.is((await call('PUT', '/articles/refund', { ...withoutId, title: 'Refunds v2' })).status, 200);
  const history = await call('GET', '/articles/refund/versions');
  t.deepEqual(history.json.history.map((v: { version: number; article: { title: string } }) => [v.version, v.article.title]), [[1, 'Refunds'], [2, 'Refunds v2']]);
});

test('given an article with several bad fields, when PUT, then 400 names every field and nothing is stored', async (t) => {
  const { call } = await setup();
  const bad: Partial<ArticleInput> & Record<string, unknown> = { ...refund, id: 'other-id', title: '', language: 'fr' as never, similarQuestions: ['ok', ''], colour: 'red' };
  const put = await call('PUT', '/articles/refund', bad);
  t.is(put.status, 400);
  t.is(put.json.error.code, 'KB_INVALID_ARTICLE');
  t.deepEqual(put.json.error.details.map((d: { path: string }) => d.path).sort(), ['colour', 'id', 'language', 'similarQuestions.1', 'title']);
  t.regex(put.json.error.message, /title: must not be empty/);
  t.is((await call('GET', '/articles/refund')).status, 404);
  const notJson = await call('PUT', '/articles/refund', '{"id": ', true);
  t.is(notJson.status, 415, notJson.text);
  t.is(notJson.json.error.code, 'UNSUPPORTED_MEDIA_TYPE');
  const malformed = await call('PUT', '/articles/refund', '{"id": ');
  t.is(malformed.status, 400);
  t.is(malformed.json.error.code, 'BAD_REQUEST');
  t.is((await call('PUT', '/articles/refund', [refund])).status, 400);
});

test('given unknown ids and versions, when read, restored or removed, then 404 with the knowledge-base code', async (t) => {
  const { call } = await setup();
  t.like((await call('GET', '/articles/nope')).json.error, { code: 'KB_NOT_FOUND' });
  t.is((await call('GET', '/articles/nope')).status, 404);
  t.is((await call('GET', '/articles/nope/versions')).status, 404);
  t.is((await call('DELETE', '/articles/nope')).status, 404);
  await call('PUT', '/articles/refund', refund);
  const restore = await call('POST', '/articles/refund/restore', { version: 9 });
  t.is(restore.status, 404);
  t.is(restore.json.error.code, 'KB_NO_SUCH_VERSION');
  const badBody = await call('POST', '/articles/refund/restore', { version: 'one' });
  t.is(badBody.status, 400);
  t.is(badBody.json.error.details[0].path, 'version');
});

test('given an edited and removed article, when restored, then it comes back as a new version and each change is audited', async (t) => {
  const { call, audited } = await setup();
  await call('PUT', '/articles/refund', refund);
  await call('PUT', '/articles/refund', { ...refund, answer: 'changed' });
  const removed = await call('DELETE', '/articles/refund');
  t.like(removed.json.version, { version: 3, change: 'remove', article: null });
  const gone = await call('GET', '/articles/refund');
  t.is(gone.status, 404);
  t.regex(gone.json.error.message, /removed in version 3/);
  const restored = await call('POST', '/articles/refund/restore', { version: 1 });
  t.like(restored.json.version, { version: 4, change: 'restore', restoredFrom: 1 });
  t.is((await call('GET', '/articles/refund')).json.article.answer, refund.answer);
  t.deepEqual(audited.map((a) => a.action), ['knowledge.article.put', 'knowledge.article.put', 'knowledge.article.remove', 'knowledge.article.restore']);
});

test('given articles in both languages, when listed with filters, then only the matching summaries come back', async (t) => {
  const { call, service, meta } = await setup();
  await service.articles.putMany([...ENGLISH, ...CHINESE], meta());
  const all = await call('GET', '/articles');
  t.is(all.json.total, 12);
  t.is(all.json.items[0].answer, undefined);
  t.is(all.json.items[0].publishedVersion, null, 'nothing is published yet');
  t.is((await call('GET', '/articles?language=zh-CN')).json.total, 6);
  t.deepEqual((await call('GET', '/articles?category=billing')).json.items.map((a: { id: string }) => a.id), ['billing-charge', 'refund']);
  t.deepEqual((await call('GET', '/articles?category=billing/refunds')).json.items.map((a: { id: string }) => a.id), ['refund']);
  t.deepEqual((await call('GET', '/articles?q=MONEY%20back')).json.items.map((a: { id: string }) => a.id), ['refund']);
  const first = await call('GET', '/articles?limit=5&sort=-id');
  t.is(first.json.items.length, 5);
  const second = await call('GET', `/articles?limit=5&sort=-id&cursor=${first.json.nextCursor}`);
  const third = await call('GET', `/articles?limit=5&sort=-id&cursor=${second.json.nextCursor}`);
  t.is(third.json.items.length, 2);
  t.is(third.json.nextCursor, null);
  const ids = [...first.json.items, ...second.json.items, ...third.json.items].map((a: { id: string }) => a.id);
  t.deepEqual(ids, [...ids].sort().reverse());
  t.is((await call('GET', '/articles?sort=answer')).json.error.code, 'BAD_SORT');
  t.is((await call('GET', '/articles?cursor=bm9wZQ')).json.error.code, 'BAD_CURSOR');
  const bad = await call('GET', '/articles?language=fr&limit=0');
  t.is(bad.status, 400);
  t.deepEqual(bad.json.error.details.map((d: { path: string }) => d.path).sort(), ['language', 'limit']);
});

test('given a JSON file, when imported, then every article is stored, audited, and exports in both formats', async (t) => {
  const { call, audited } = await setup();
  const imported = await call('POST', '/import?format=json', JSON.stringify([...ENGLISH, ...CHINESE]), true);
  t.is(imported.status, 200);
  t.deepEqual(imported.json, { imported: 12, ids: [...ENGLISH, ...CHINESE].map((a) => a.id) }, 'the count and every imported article, in file order');
  t.deepEqual(audited, [{ actor: 'root', action: 'knowledge.import', target: 'knowledge-base', detail: { format: 'json', articles: 12 } }]);
  const json = await call('GET', '/export?format=json&language=en');
  t.regex(json.type!, /application\/json/);
  t.is(json.json.length, 6);
  const csv = await call('GET', '/export?format=csv');
  t.regex(csv.type!, /text\/csv/);
  t.is(csv.text, exportCsv(JSON.parse((await call('GET', '/export?format=json')).text)));
  t.is((await call('GET', '/export?format=markdown')).status, 400);
});

test('given a CSV file with bad rows, when imported, then 400 lists each row and field and nothing is imported', async (t) => {
  const { call, audited } = await setup();
  const csv = 'id,title,standardQuestion,answer,language,author\na,Title,Q?,Answer,en,al\nb,,Q?,Answer,xx,al\nc,T,Q?,Answer,en\n';
  const result = await call('POST', '/import?format=csv', csv, true);
  t.is(result.status, 400);
  t.is(result.json.error.code, 'KB_IMPORT_INVALID');
  t.regex(result.json.error.message, /nothing was imported/);
  t.deepEqual(result.json.error.details.map((d: { row: number; path: string }) => [d.row, d.path]), [[2, 'title'], [2, 'language'], [3, '']]);
  t.is((await call('GET', '/articles')).json.total, 0);
  t.deepEqual(audited, []);
});

test('given a Markdown folder as JSON, when imported, then its articles are stored; bad bodies and formats are refused', async (t) => {
  const { call } = await setup();
  const md = '---\ntitle: Hours\nstandardQuestion: When are you open?\nlanguage: en\nauthor: al\n---\n\nNine to five.\n';
  const ok = await call('POST', '/import?format=markdown', { files: [{ path: 'hours.md', content: md }] });
  t.is(ok.status, 200, ok.text);
  t.deepEqual(ok.json, { imported: 1, ids: ['hours'] });
  t.is((await call('GET', '/articles/hours')).json.article.answer, 'Nine to five.');
  const badFile = await call('POST', '/import?format=markdown', { files: [{ path: 'x.md', content: 'no front matter' }] });
  t.is(badFile.status, 400);
  t.is(badFile.json.error.details[0].file, 'x.md');
  t.is((await call('POST', '/import?format=markdown', { files: 'nope' })).status, 400);
  t.is((await call('POST', '/import?format=xml', '[]', true)).status, 400);
  const binary = await call('POST', '/import?format=csv', new Uint8Array([0xff, 0xfe, 0x00, 0x81, 0x00]), true);
  t.is(binary.status, 400);
  t.regex(binary.json.error.details[0].message, /UTF-8|binary/);
});

test('given bodies over the limits, when sent, then 413 with a clear message; a 2 MB import is still accepted', async (t) => {
  const { call } = await setup();
  const ask = await call('POST', '/ask', { text: 'x'.repeat(1024 * 1024), language: 'en' });
  t.is(ask.status, 413);
  t.deepEqual(ask.json.error, { code: 'PAYLOAD_TOO_LARGE', message: 'the body must be at most 1 MB' });
  t.is((await call('PUT', '/articles/refund', { ...refund, answer: 'y'.repeat(1024 * 1024) })).status, 413);
  const huge = await call('POST', '/import?format=csv', new Uint8Array(50 * 1024 * 1024 + 1).fill(0x61), true);
  t.is(huge.status, 413);
  t.is(huge.json.error.message, 'the body must be at most 50 MB');
  const big = await call('POST', '/import?format=json', JSON.stringify([{ ...refund, answer: 'z'.repeat(19_000) }, ...Array.from({ length: 100 }, (_, i) => ({ ...refund, id: `r-${i}`, answer: 'z'.repeat(19_000) }))]), true);
  t.is(big.status, 200);
  t.is(big.json.imported, 101);
});

test('given articles, when published and asked, then the answer comes from the published snapshot', async (t) => {
  const { call, service, meta, audited } = await setup();
  t.deepEqual((await call('GET', '/published')).json, { published: null });
  const before = await call('POST', '/ask', { text: 'I want a refund', language: 'en' });
  t.deepEqual(before.json.warnings, ['no knowledge base is published']);
  await service.articles.putMany([...ENGLISH, ...CHINESE], meta());
  const published = await call('POST', '/publish');
  t.is(published.status, 200);
  t.like(published.json.published, { version: 1, by: 'root', articles: { en: 6, 'zh-CN': 6 } });
  t.like(audited.at(-1), { action: 'knowledge.publish', target: 'knowledge-base', detail: { version: 1 } });
  t.like((await call('GET', '/published')).json.published, { version: 1 });
  const en = await call('POST', '/ask', { text: 'how can I get my money back', language: 'en', limit: 2 });
  t.is(en.json.matches.length, 2);
  t.is(en.json.matches[0].article.id, 'refund');
  t.false(en.json.outOfScope);
  t.is((await call('POST', '/ask', { text: '退款多久能到账', language: 'zh-CN' })).json.matches[0].article.id, 'zh-refund');
  t.true((await call('POST', '/ask', { text: 'what is the weather like on mars', language: 'en' })).json.outOfScope);
  t.is((await call('GET', '/articles/refund')).json.publishedVersion, 1);
  // The list says which version of each article is live, without a request per article.
  const listed = (await call('GET', '/articles?language=en&limit=2&sort=id')).json.items;
  t.deepEqual(listed.map((a: { id: string; publishedVersion: number | null }) => [a.id, a.publishedVersion]), [['billing-charge', 1], ['cancel-subscription', 1]]);
  const bad = await call('POST', '/ask', { text: 'x', language: 'de', limit: 0 });
  t.is(bad.status, 400);
  t.deepEqual(bad.json.error.details.map((d: { path: string }) => d.path).sort(), ['language', 'limit']);
});

test('given a lexicon, when read, replaced badly and replaced well, then defaults, 400 with fields, then the new version', async (t) => {
  const { call, audited } = await setup();
  const initial = await call('GET', '/lexicons/en');
  t.is(initial.json.version, 0);
  t.true(initial.json.lexicon.stopWords.includes('the'));
  const bad = await call('PUT', '/lexicons/en', { synonyms: { cc: '' }, stopWords: 'the' });
  t.is(bad.status, 400);
  t.is(bad.json.error.code, 'KB_INVALID_LEXICON');
  t.deepEqual(bad.json.error.details.map((d: { path: string }) => d.path).sort(), ['stopWords', 'synonyms.cc']);
  const good = await call('PUT', '/lexicons/en', { synonyms: { dosh: 'money' }, stopWords: ['the'] });
  t.is(good.status, 200);
  t.is(good.json.version, 1);
  t.deepEqual((await call('GET', '/lexicons/en')).json.lexicon, { synonyms: { dosh: 'money' }, stopWords: ['the'] });
  t.deepEqual(audited, [{ actor: 'root', action: 'knowledge.lexicon.put', target: 'en', detail: { version: 1 } }]);
  t.is((await call('GET', '/lexicons/fr')).status, 400);
});

test('given an audit log that fails, when a change is made, then 500 INTERNAL without internals', async (t) => {
  const { call } = await setup({ audit: () => Promise.reject(new Error('audit log unavailable')) });
  const put = await call('PUT', '/articles/refund', refund);
  t.is(put.status, 500);
  t.deepEqual(put.json.error, { code: 'INTERNAL', message: 'internal error: the server log has the details' });
});

test('given two authors editing one article, when the second saves on the version both read, then 412 and the first edit stands; If-None-Match: * only creates', async (t) => {
  const { call } = await setup();
  const created = await fetchJson(call, 'PUT', '/articles/refund', refund, { 'if-none-match': '*' });
  t.is(created.status, 200);
  t.is(created.etag, '"1"');
  t.is((await fetchJson(call, 'PUT', '/articles/refund', refund, { 'if-none-match': '*' })).status, 412, 'exists already');
  const read = await call('GET', '/articles/refund');
  t.is(read.etag, '"1"');
  t.is((await fetchJson(call, 'PUT', '/articles/refund', { ...refund, answer: 'first' }, { 'if-match': read.etag! })).status, 200);
  const second = await fetchJson(call, 'PUT', '/articles/refund', { ...refund, answer: 'second' }, { 'if-match': read.etag! });
  t.is(second.status, 412);
  t.is(second.json.error.code, 'KB_VERSION_MISMATCH');
  t.is((await call('GET', '/articles/refund')).json.article.answer, 'first');
  t.is((await fetchJson(call, 'DELETE', '/articles/refund', undefined, { 'if-match': '"1"' })).status, 412);
  t.is((await fetchJson(call, 'PUT', '/articles/refund', refund, { 'if-match': 'yesterday' })).status, 400);
});

test('given the knowledge routes, when walked for every role, then access is the permission matrix', async (t) => {
  await walkEveryRoute(t, async ({ store, clock }) => {
    const service = await KnowledgeService.open({ store, clock, logger: quiet });
    const answerAudio = new AnswerAudio({ dir: await mkdtemp(join(tmpdir(), 'deskline-kb-audio-walk-')) });
    return { extraRoutes: [(app) => app.route('/', knowledgeRoutes({ knowledge: service, audit: async () => undefined, analytics: { records: noCalls, now: () => clock.now() }, answerAudio }))] };
  });
});

function fetchJson(call: Awaited<ReturnType<typeof setup>>['call'], method: string, path: string, body: unknown, headers: Record<string, string>) {
  return call(method, path, body, false, headers);
}

test('given an article, when its recorded answer is uploaded, then it is converted to 8 kHz WAV, a new version plays it, it can be heard, and bad audio or a stale version changes nothing', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'deskline-kb-audio-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const { call, audited, service, meta } = await setup({ answerAudio: new AnswerAudio({ dir }) });
  await service.articles.putMany([refund], meta());
  const source = join(dir, '..', `${process.pid}-answer-source.wav`);
  t.teardown(() => rm(source, { force: true }));
  await promisify(execFile)('sox', ['-n', '-r', '44100', '-c', '2', '-b', '16', source, 'synth', '1.5', 'sine', '440']);
  const wav = await readFile(source);

  const stale = await call('PUT', '/articles/refund/audio/en', wav, true, { 'content-type': 'audio/wav', 'if-match': '"7"' });
  t.is(stale.status, 412);
  const bad = await call('PUT', '/articles/refund/audio/en', new TextEncoder().encode('not audio at all'), true, { 'content-type': 'audio/wav' });
  t.is(bad.status, 422);
  t.is(bad.json.error.code, 'PROMPT_BAD_AUDIO');
  t.is((await call('PUT', '/articles/refund/audio/en', wav, true, { 'content-type': 'text/plain' })).status, 415);
  t.is((await call('PUT', '/articles/nope/audio/en', wav, true, { 'content-type': 'audio/wav' })).status, 404);
  t.is((await call('PUT', '/articles/refund/audio/fr', wav, true, { 'content-type': 'audio/wav' })).status, 400);
  t.is((await call('GET', '/articles/refund')).json.version, 1, 'nothing refused changed the article');
  t.deepEqual(await readdir(dir), [], 'and no file was left behind');

  const ok = await call('PUT', '/articles/refund/audio/en', wav, true, { 'content-type': 'audio/wav', 'if-match': '"1"' });
  t.is(ok.status, 200, ok.text);
  t.like(ok.json.version, { version: 2, article: { answerAudio: { en: 'refund.en.wav' }, answer: refund.answer } });
  t.true(Math.abs(ok.json.durationSeconds - 1.5) < 0.05, `${ok.json.durationSeconds} s`);
  t.deepEqual(await readdir(dir), ['refund.en.wav']);
  t.like(audited.at(-1), { action: 'knowledge.article.audio', target: 'refund', detail: { version: 2, language: 'en', before: null, after: 'refund.en.wav' } });
  const heard = await call('GET', '/articles/refund/audio/en');
  t.is(heard.status, 200);
  t.is(heard.type, 'audio/wav');
  const stored = await readFile(join(dir, 'refund.en.wav'));
  t.is(stored.readUInt32LE(24), 8000, 'the sample rate Asterisk plays');
  t.is(stored.readUInt16LE(22), 1, 'mono');
  t.is((await call('GET', '/articles/refund/audio/zh-CN')).status, 404);
});
