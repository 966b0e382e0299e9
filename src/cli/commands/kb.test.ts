// `deskline kb …`: argument errors without a service, then the commands against the real admin
// API routes served on a temporary control socket.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { createApi } from '../../api/v1/api-app.ts';
import { knowledgeRoutes } from '../../api/v1/knowledge-routes.ts';
import { apiHarness } from '../../api/v1/testing-api.ts';
import { CHINESE, ENGLISH, harness } from '../../knowledge/service/testing-knowledge.ts';
import { main } from '../main.ts';

async function capture(fn: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  const original = { log: console.log, error: console.error, write: process.stderr.write };
  let out = '';
  let err = '';
  console.log = (...args: unknown[]) => (out += `${args.join(' ')}\n`);
  console.error = (...args: unknown[]) => (err += `${args.join(' ')}\n`);
  process.stderr.write = ((chunk: string | Uint8Array) => ((err += String(chunk)), true)) as typeof process.stderr.write;
  try {
    return { code: await fn(), out, err };
  } finally {
    Object.assign(console, { log: original.log, error: original.error });
    process.stderr.write = original.write;
  }
}

const dir = await mkdtemp(join(tmpdir(), 'deskline-kb-cli-'));
const missingSocket = join(dir, 'nobody-home.sock');
const kb = (...args: string[]) => capture(() => main(['kb', ...args]));

test.after.always(() => rm(dir, { recursive: true, force: true }));

const usageErrors: [string[], RegExp][] = [
  [['show'], /deskline kb show: give exactly one article id/],
  [['history', 'a', 'b'], /deskline kb history: give exactly one article id/],
  [['import'], /give one file or folder to import/],
  [['import', join(dir, 'missing.json')], /missing\.json: no such file or folder/],
  [['export'], /--format must be json or csv/],
  [['export', '--format', 'xml'], /--format must be json or csv/],
  [['export', '--format', 'json', 'stray'], /unexpected argument "stray"/],
  [['list', '--limit', 'lots'], /--limit takes a whole number from 1 to 1000\b/],
  [['list', '--lang', 'fr'], /--lang "fr": must be en or zh-CN/],
  [['publish', 'now'], /unexpected argument "now"/],
  [['ask'], /give the question to ask/],
  [['ask', ' '], /give the question to ask/],
  [['ask', 'refund', '--lang', 'de'], /--lang "de": must be en or zh-CN/],
  [['ask', 'refund', '--limit', '0'], /--limit takes a whole number from 1 to 50/],
];
for (const [args, message] of usageErrors) {
  test.serial(`given "deskline kb ${args.join(' ')}", when run, then exit 1 with one clear line and no stack`, async (t) => {
    const { code, err } = await kb(...args, '--socket', missingSocket);
    t.is(code, 1);
    t.regex(err, message);
    t.notRegex(err, /\n\s+at /);
  });
}

test.serial('given an unknown option, when "kb ask" runs, then exit 1 with the usage', async (t) => {
  const { code, err } = await kb('ask', 'refund', '--colour');
  t.is(code, 1);
  t.regex(err, /deskline kb ask: Unknown option '--colour'/);
  t.regex(err, /Usage: deskline kb ask/);
});

test.serial('given a file whose format cannot be told, when imported, then --format is asked for; a folder takes only markdown', async (t) => {
  await writeFile(join(dir, 'articles.txt'), '[]');
  t.regex((await kb('import', join(dir, 'articles.txt'), '--socket', missingSocket)).err, /give --format json\|csv\|markdown/);
  t.regex((await kb('import', dir, '--format', 'csv', '--socket', missingSocket)).err, /only a Markdown folder can be imported/);
  t.regex((await kb('import', join(dir, 'articles.txt'), '--format', 'yaml', '--socket', missingSocket)).err, /must be json, csv or markdown/);
});

test.serial('given a CSV file with bad rows, when imported, then each row and field is printed, nothing is sent and the exit is 1', async (t) => {
  const file = join(dir, 'bad.csv');
  await writeFile(file, 'id,title,standardQuestion,answer,language,author\na,Title,Q?,Answer,en,al\nb,,Q?,Answer,xx,al\n');
  const { code, err } = await kb('import', file, '--socket', missingSocket);
  t.is(code, 1);
  t.regex(err, /bad\.csv has 2 problems; nothing was imported/);
  t.regex(err, /row 2 \(line 3\), title: must not be empty/);
  t.regex(err, /row 2 \(line 3\), language: must be one of zh-CN, en/);
  t.notRegex(err, /not running/);
});

test.serial('given no running service, when a command needs it, then exit 1 saying Deskline is not running', async (t) => {
  const { code, err } = await kb('list', '--socket', missingSocket);
  t.is(code, 1);
  t.regex(err, /Deskline is not running \(no control socket at .*nobody-home\.sock\)/);
  t.notRegex(err, /\n\s+at /);
  const file = join(dir, 'good.json');
  await writeFile(file, JSON.stringify(ENGLISH));
  t.regex((await kb('import', file, '--socket', missingSocket)).err, /Deskline is not running/);
});

test.serial('given a running service, when articles are imported, listed, shown, published, asked and exported, then each command works end to end', async (t) => {
  const h = await harness();
  // The admin API as the control socket serves it: every caller is the local admin.
  const a = await apiHarness();
  const api = createApi({
    auth: a.auth, audit: a.audit, events: a.events, now: () => a.clock.now(), version: 't', logger: { error() {} } as never, local: { username: 'local-admin' },
    health: () => { throw new Error('unused'); },
    extraRoutes: [(v1) => v1.route('/', knowledgeRoutes({ knowledge: h.service, audit: async () => undefined, analytics: { records: { list: async () => [], trail: async () => [] }, now: () => a.clock.now() } }))],
  });
  const app = new Hono().route('/api/v1', api);
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  const socket = join(dir, 'deskline.sock');
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const s = ['--socket', socket];

  const json = join(dir, 'all.json');
  await writeFile(json, JSON.stringify([...ENGLISH, ...CHINESE]));
  const imported = await kb('import', json, ...s);
  t.is(imported.code, 0, imported.err);
  t.regex(imported.out, /imported 12 articles/);

  const mdDir = join(dir, 'md');
  await mkdir(mdDir, { recursive: true });
  await writeFile(join(mdDir, 'hours-note.md'), '---\ntitle: Holiday hours\nstandardQuestion: Are you open on holidays?\nlanguage: en\nauthor: al\n---\n\nClosed on public holidays.\n');
  t.regex((await kb('import', mdDir, ...s)).out, /imported 1 articles/);

  const list = await kb('list', '--lang', 'en', '--category', 'billing', ...s);
  t.regex(list.out, /billing-charge\s+en\s+billing\s+Unknown charges/);
  t.regex(list.out, /2 of 2 article\(s\)/);

  const shown = await kb('show', 'refund', ...s);
  t.regex(shown.out, /^refund {2}\(en, version 1, not published\)/);
  t.regex(shown.out, /answer:\n {2}Refunds are paid within 14 days\./);
  t.regex((await kb('history', 'refund', ...s)).out, /v1 .* put .* local-admin {2}Refunds/);

  const published = await kb('publish', ...s);
  t.regex(published.out, /published version 1: 6 zh-CN, 7 en articles/);
  t.regex((await kb('show', 'refund', ...s)).out, /version 1, published\)/);

  const asked = await kb('ask', 'how', 'do', 'I', 'get', 'my', 'money', 'back', ...s);
  t.is(asked.code, 0);
  t.regex(asked.out, /^answer:\n1\. refund {2}confidence/);
  t.regex((await kb('ask', '退款多久能到账', ...s)).out, /1\. zh-refund/);
  t.regex((await kb('ask', 'what is the weather like on mars', ...s)).out, /^out of scope/);
  t.like(JSON.parse((await kb('ask', 'refund', '--json', '--limit', '1', ...s)).out), { outOfScope: false, matches: [{ article: { id: 'refund' } }] });

  const csv = join(dir, 'export.csv');
  t.is((await kb('export', '--format', 'csv', '--out', csv, ...s)).code, 0);
  const exported = await readFile(csv, 'utf8');
  t.true(exported.startsWith('id,title,standardQuestion'));
  t.is(exported.trim().split('\r\n').length, 1 + 13);
  const again = await kb('import', csv, ...s);
  t.regex(again.out, /imported 13 articles/);

  t.regex((await kb('show', 'nope', ...s)).err, /deskline kb show: no article nope/);
});
