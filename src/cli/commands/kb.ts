// `deskline kb …`: the knowledge base from a shell. Everything but `kb bench` talks to the
// running service over the control socket (the admin API's routes, src/api/v1/knowledge-routes.ts).
import { readFile, stat, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { basename, extname } from 'node:path';
import { parseArgs } from 'node:util';
import { formatIssue, parseArticles, PROGRESS_STEP, readMarkdownFolder, type Article, type ArticleVersion, type ImportIssue, type ImportSource } from '../../knowledge/base/index.ts';
import { KB_BENCH_HELP, runKbBench } from '../../knowledge/evaluation/kb-bench-command.ts';
import type { KnowledgeAnswer, PublishInfo } from '../../knowledge/service/index.ts';
import { ControlUnavailable, controlRequest } from '../control-client.ts';
import { UsageError, type Command } from './command.ts';
import { siteHelp, siteOptions, socketFrom } from './site-options.ts';

export const kbBenchCommand: Command = {
  name: 'kb bench',
  summary: 'evaluate the knowledge-base matcher on JSONL {"text","label"} files and print one JSON object',
  help: KB_BENCH_HELP,
  run: (argv) => runKbBench(argv),
};

// The service's import body limit (MAX_IMPORT_BYTES in src/api/v1/api-app.ts): checked here first so a
// too-big file gets advice, not a refused upload.
const MAX_IMPORT_BYTES = 50 * 1024 * 1024;
// Import and publish of 10k articles take minutes (publish trains one matcher per language).
const LONG_TIMEOUT_MS = 15 * 60_000;
// The admin API's knowledge routes, served on the control socket to the local admin.
const KB = '/api/v1/knowledge';

interface ServiceError { error?: { code?: string; message?: string; details?: unknown } }

const jsonOption = { json: { type: 'boolean', default: false } } as const;

function language(value: string | undefined, text = ''): 'en' | 'zh-CN' {
  if (value === undefined) return /\p{Script=Han}/u.test(text) ? 'zh-CN' : 'en';
  if (value === 'en') return 'en';
  if (value === 'zh-CN' || value === 'zh') return 'zh-CN';
  throw new UsageError(`--lang ${JSON.stringify(value)}: must be en or zh-CN`);
}

function wholeNumber(flag: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag} takes a whole number from ${min} to ${max}`);
  return n;
}

// Positionals are allowed by parseArgs and refused here, so a stray word gets a usage message, not a stack.
function noPositionals(positionals: string[]): void {
  if (positionals.length) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
}

function oneId(positionals: string[], usage: string): string {
  if (positionals.length !== 1) throw new UsageError(`give exactly one article id (${usage})`);
  return positionals[0]!;
}

/** controlRequest, with "not running" as a plain message and service errors as one. */
async function call<T>(values: { site?: string; socket?: string }, method: 'GET' | 'POST', path: string, body?: unknown, timeoutMs?: number): Promise<T> {
  const socket = await socketFrom(values);
  try {
    const response = await controlRequest<T & ServiceError>(socket, method, path, body, timeoutMs);
    if (response.status !== 200) fail(response.status, response.body);
    return response.body;
  } catch (error) {
    if (error instanceof ControlUnavailable) throw new UsageError(error.message);
    throw error;
  }
}

/** For bodies and answers that are not JSON (CSV import, CSV export). */
function rawRequest(socketPath: string, method: 'GET' | 'POST', path: string, body?: { data: Uint8Array; type: string }, timeoutMs = LONG_TIMEOUT_MS): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers = body ? { 'content-type': body.type, 'content-length': String(body.data.length) } : {};
    const req = request({ socketPath, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ECONNREFUSED') reject(new UsageError(`Deskline is not running (no control socket at ${socketPath})`));
      else reject(error);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`control socket gave no answer to ${method} ${path} within ${timeoutMs / 1000} s`)));
    req.end(body?.data);
  });
}

function fail(status: number, body: ServiceError): never {
  const issues = body.error?.details;
  if (body.error?.code === 'KB_IMPORT_INVALID' && Array.isArray(issues)) printIssues(issues as ImportIssue[]);
  throw new UsageError(body.error?.message ?? `service answered ${status}`);
}

function printIssues(issues: ImportIssue[]): void {
  for (const issue of issues) console.error(`  ${formatIssue(issue)}`);
}

function parseJson(text: string): ServiceError {
  try {
    return JSON.parse(text) as ServiceError;
  } catch {
    return { error: { message: text.slice(0, 200) } };
  }
}

// ---------------------------------------------------------------- kb import

type ImportFormat = ImportSource['format'];

async function readSource(path: string, format: string | undefined): Promise<{ source: ImportSource; bytes: number }> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(error.code === 'ENOENT' ? `${path}: no such file or folder` : `${path}: ${error.message}`);
  });
  const inferred: ImportFormat | undefined = info.isDirectory() ? 'markdown' : ({ '.json': 'json', '.csv': 'csv', '.md': 'markdown' } as const)[extname(path).toLowerCase() as '.json'];
  if (format !== undefined && !['json', 'csv', 'markdown'].includes(format)) throw new UsageError(`--format ${JSON.stringify(format)}: must be json, csv or markdown`);
  const chosen = (format as ImportFormat | undefined) ?? inferred;
  if (!chosen) throw new UsageError(`cannot tell the format of ${path} from its name: give --format json|csv|markdown`);
  if (info.isDirectory() && chosen !== 'markdown') throw new UsageError(`${path} is a folder: only a Markdown folder can be imported (--format markdown)`);
  if (info.isDirectory()) {
    const files = await readMarkdownFolder(path);
    return { source: { format: 'markdown', files }, bytes: files.reduce((n, f) => n + f.content.length, 0) };
  }
  if (info.size > MAX_IMPORT_BYTES) throw new UsageError(`${path} is ${(info.size / 2 ** 20).toFixed(1)} MB; the service takes imports up to 50 MB: split the file`);
  const data = await readFile(path);
  if (chosen === 'markdown') return { source: { format: 'markdown', files: [{ path: basename(path), content: data }] }, bytes: data.length };
  return { source: { format: chosen, data }, bytes: data.length };
}

/** Progress on stderr: one updating line on a terminal, a line per step in a log. */
function progressLine(label: string): (done: number, total: number) => void {
  return (done, total) => {
    if (total < PROGRESS_STEP) return;
    const line = `kb import: ${label} ${done}/${total}`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line}${done === total ? '\n' : ''}`);
    else process.stderr.write(`${line}\n`);
  };
}

export const kbImportCommand: Command = {
  name: 'kb import',
  summary: 'import articles from a JSON or CSV file or a Markdown folder (all or nothing)',
  help: `Usage: deskline kb import FILE|DIR [--format json|csv|markdown]

Checks every article here first (progress for big files) and prints each problem with its row,
line and field; a file with any problem imports nothing and exits 1. A good file is then sent
to the running service, which checks it again and stores every article in one batch. Imported
articles are drafts until \`deskline kb publish\`.

The format comes from the name (.json, .csv, .md, a folder = Markdown) unless --format is given.
Files up to 50 MB.

Options:
      --format FORMAT   json, csv or markdown
${siteHelp}`,
  async run(argv) {
    const { values, positionals } = parseArgs({ args: argv, options: { ...siteOptions, format: { type: 'string' } }, allowPositionals: true, strict: true });
    if (positionals.length !== 1) throw new UsageError('give one file or folder to import');
    const path = positionals[0]!;
    const { source, bytes } = await readSource(path, values.format);
    if (bytes > MAX_IMPORT_BYTES) throw new UsageError(`${path} holds ${(bytes / 2 ** 20).toFixed(1)} MB; the service takes imports up to 50 MB: split it`);
    const checked = await parseArticles(source, { onProgress: progressLine('checked') });
    if (!checked.ok) {
      console.error(`deskline kb import: ${path} has ${checked.issues.length} problem${checked.issues.length === 1 ? '' : 's'}; nothing was imported:`);
      printIssues(checked.issues);
      return 1;
    }
    process.stderr.write(`kb import: sending ${checked.articles.length} articles…\n`);
    const socket = await socketFrom(values);
    let response: { status: number; text: string };
    if (source.format === 'markdown') {
      // The files were checked as UTF-8 above, so decoding cannot lose anything.
      const files = source.files.map((f) => ({ path: f.path, content: typeof f.content === 'string' ? f.content : Buffer.from(f.content).toString('utf8') }));
      response = await rawRequest(socket, 'POST', `${KB}/import?format=markdown`, { data: Buffer.from(JSON.stringify({ files })), type: 'application/json' });
    } else {
      const data = typeof source.data === 'string' ? Buffer.from(source.data) : source.data;
      response = await rawRequest(socket, 'POST', `${KB}/import?format=${source.format}`, { data, type: source.format === 'csv' ? 'text/csv' : 'application/json' });
    }
    const body = parseJson(response.text) as ServiceError & { imported?: number };
    if (response.status !== 200) fail(response.status, body);
    console.log(`imported ${body.imported} articles (drafts until \`deskline kb publish\`)`);
    return 0;
  },
};

// ---------------------------------------------------------------- kb export

export const kbExportCommand: Command = {
  name: 'kb export',
  summary: 'export the current articles as JSON or CSV (to stdout or a file)',
  help: `Usage: deskline kb export --format json|csv [--out FILE] [--lang en|zh-CN]

Options:
      --format FORMAT   json or csv (both import back unchanged)
      --out FILE        write to FILE instead of stdout
      --lang LANG       only articles in this language
${siteHelp}`,
  async run(argv) {
    const { values, positionals } = parseArgs({ args: argv, options: { ...siteOptions, format: { type: 'string' }, out: { type: 'string' }, lang: { type: 'string' } }, allowPositionals: true, strict: true });
    noPositionals(positionals);
    if (values.format !== 'json' && values.format !== 'csv') throw new UsageError('--format must be json or csv');
    const query = new URLSearchParams({ format: values.format, ...(values.lang !== undefined ? { language: language(values.lang) } : {}) });
    const response = await rawRequest(await socketFrom(values), 'GET', `${KB}/export?${query}`);
    if (response.status !== 200) fail(response.status, parseJson(response.text));
    if (values.out) {
      await writeFile(values.out, response.text);
      console.error(`wrote ${values.out}`);
    } else process.stdout.write(response.text);
    return 0;
  },
};

// ---------------------------------------------------------------- kb list / show / history

type Summary = Pick<Article, 'id' | 'language' | 'title' | 'standardQuestion' | 'categoryPath' | 'tags'>;

export const kbListCommand: Command = {
  name: 'kb list',
  summary: 'list articles (current drafts), optionally by language, category or text',
  help: `Usage: deskline kb list [--lang en|zh-CN] [--category A/B] [--text WORDS] [--limit N] [--json]

Options:
      --lang LANG        only this language
      --category PATH    category path prefix, parts separated by / (billing/refunds)
      --text WORDS       id, title, questions or keywords contain WORDS (any case)
      --limit N          at most N articles (default 1000, at most 1000)
      --json             JSON output
${siteHelp}`,
  async run(argv) {
    const { values, positionals } = parseArgs({ args: argv, options: { ...siteOptions, ...jsonOption, lang: { type: 'string' }, category: { type: 'string' }, text: { type: 'string' }, limit: { type: 'string', default: '1000' } }, allowPositionals: true, strict: true });
    noPositionals(positionals);
    const query = new URLSearchParams({ limit: String(wholeNumber('--limit', values.limit!, 1, 1_000)) });
    if (values.lang !== undefined) query.set('language', language(values.lang));
    if (values.category) query.set('category', values.category);
    if (values.text) query.set('q', values.text);
    const page = await call<{ total: number; items: Summary[] }>(values, 'GET', `${KB}/articles?${query}`);
    const body = { total: page.total, articles: page.items };
    if (values.json) {
      console.log(JSON.stringify(body, null, 2));
      return 0;
    }
    const category = (a: Summary) => a.categoryPath.join('/') || '-';
    const idWidth = Math.min(40, Math.max(2, ...body.articles.map((a) => a.id.length)));
    const categoryWidth = Math.min(40, Math.max(1, ...body.articles.map((a) => category(a).length)));
    for (const a of body.articles) console.log(`${a.id.padEnd(idWidth)}  ${a.language.padEnd(5)}  ${category(a).padEnd(categoryWidth)}  ${a.title}`);
    console.log(`${body.articles.length} of ${body.total} article(s)`);
    return 0;
  },
};

interface ShownArticle { article: Article; version: number; author: string; at: string; publishedVersion: number | null }

function formatArticle(shown: ShownArticle): string {
  const a = shown.article;
  const published = shown.publishedVersion === null ? 'not published' : shown.publishedVersion === shown.version ? 'published' : `version ${shown.publishedVersion} is published`;
  const indent = (text: string) => text.split('\n').map((l) => `  ${l}`).join('\n');
  return [
    `${a.id}  (${a.language}, version ${shown.version}, ${published})`,
    `title:      ${a.title}`,
    `question:   ${a.standardQuestion}`,
    ...(a.similarQuestions.length ? ['similar:', ...a.similarQuestions.map((q) => `  - ${q}`)] : []),
    `keywords:   ${a.keywords.join(', ') || '-'}`,
    `category:   ${a.categoryPath.join(' / ') || '-'}`,
    `tags:       ${a.tags.join(', ') || '-'}`,
    `valid:      ${a.validFrom ?? 'always'} … ${a.validUntil ?? 'open-ended'}`,
    `author:     ${a.author} (last edit by ${shown.author} at ${shown.at})`,
    'answer:', indent(a.answer),
    ...(a.agentScript ? ['agent script:', indent(a.agentScript)] : []),
  ].join('\n');
}

export const kbShowCommand: Command = {
  name: 'kb show',
  summary: 'one article as it is now, and which version of it is published',
  help: `Usage: deskline kb show ID [--json]

Options:
      --json   JSON output
${siteHelp}`,
  async run(argv) {
    const { values, positionals } = parseArgs({ args: argv, options: { ...siteOptions, ...jsonOption }, allowPositionals: true, strict: true });
    const id = oneId(positionals, 'deskline kb show ID');
    const body = await call<ShownArticle>(values, 'GET', `${KB}/articles/${encodeURIComponent(id)}`);
    console.log(values.json ? JSON.stringify(body, null, 2) : formatArticle(body));
    return 0;
  },
};

export const kbHistoryCommand: Command = {
  name: 'kb history',
  summary: 'every version of an article: who changed what when',
  help: `Usage: deskline kb history ID [--json]

Restore an old version over the admin API (POST …/articles/ID/restore {"version": N}).

Options:
      --json   JSON output (every version in full)
${siteHelp}`,
  async run(argv) {
    const { values, positionals } = parseArgs({ args: argv, options: { ...siteOptions, ...jsonOption }, allowPositionals: true, strict: true });
    const id = oneId(positionals, 'deskline kb history ID');
    const { history } = await call<{ history: ArticleVersion[] }>(values, 'GET', `${KB}/articles/${encodeURIComponent(id)}/versions`);
    if (values.json) {
      console.log(JSON.stringify(history, null, 2));
      return 0;
    }
    for (const v of history) {
      const what = v.change === 'restore' ? `restore of v${v.restoredFrom}` : v.change;
      console.log(`v${String(v.version).padEnd(4)} ${v.at}  ${what.padEnd(14)} ${v.author}${v.article ? `  ${v.article.title}` : ''}`);
    }
    return 0;
  },
};

// ---------------------------------------------------------------- kb publish / ask

const counts = (info: PublishInfo) => Object.entries(info.articles).map(([l, n]) => `${n} ${l}`).join(', ');

export const kbPublishCommand: Command = {
  name: 'kb publish',
  summary: 'make the current articles live for the bot, agent assist and speech recognition',
  help: `Usage: deskline kb publish [--json]

Snapshots every article in force now and builds the matchers (minutes for 10k articles); until
it finishes the previous publication keeps answering.

Options:
      --json   JSON output
${siteHelp}`,
  async run(argv) {
    const { values, positionals } = parseArgs({ args: argv, options: { ...siteOptions, ...jsonOption }, allowPositionals: true, strict: true });
    noPositionals(positionals);
    const { published } = await call<{ published: PublishInfo }>(values, 'POST', `${KB}/publish`, {}, LONG_TIMEOUT_MS);
    console.log(values.json ? JSON.stringify(published, null, 2) : `published version ${published.version}: ${counts(published)} articles, built in ${Math.round(published.buildMs)} ms`);
    return 0;
  },
};

function formatAnswer(answer: KnowledgeAnswer): string {
  const lines = [answer.outOfScope ? 'out of scope: no article answers this confidently' : 'answer:'];
  if (answer.outOfScope && answer.matches.length) lines.push('closest candidates:');
  answer.matches.forEach((m, i) => {
    const closest = m.closestQuestion ? `; closest question "${m.closestQuestion.text}" (${m.closestQuestion.similarity.toFixed(2)})` : '';
    lines.push(`${i + 1}. ${m.article.id}  confidence ${m.confidence.toFixed(2)}  ${m.article.title}`);
    lines.push(`   matched: ${m.matchedTerms.join(', ') || '-'}${closest}`);
    if (i === 0 && !answer.outOfScope) lines.push(`   ${m.article.answer.split('\n')[0]!.slice(0, 160)}`);
  });
  for (const warning of answer.warnings) lines.push(`warning: ${warning}`);
  lines.push(`(${answer.ms.toFixed(1)} ms)`);
  return lines.join('\n');
}

export const kbAskCommand: Command = {
  name: 'kb ask',
  summary: 'test a question against the published knowledge base',
  help: `Usage: deskline kb ask "TEXT" [--lang en|zh-CN] [--limit N] [--json]

Options:
      --lang LANG   en or zh-CN (default: zh-CN if TEXT has Chinese characters, else en)
      --limit N     up to N articles, 1–50 (default 3)
      --json        JSON output
${siteHelp}`,
  async run(argv) {
    const { values, positionals } = parseArgs({ args: argv, options: { ...siteOptions, ...jsonOption, lang: { type: 'string' }, limit: { type: 'string', default: '3' } }, allowPositionals: true, strict: true });
    const text = positionals.join(' ');
    if (text.trim() === '') throw new UsageError('give the question to ask, e.g. deskline kb ask "how do I get a refund"');
    const body = { text, language: language(values.lang, text), limit: wholeNumber('--limit', values.limit!, 1, 50) };
    const answer = await call<KnowledgeAnswer>(values, 'POST', `${KB}/ask`, body);
    console.log(values.json ? JSON.stringify(answer, null, 2) : formatAnswer(answer));
    return 0;
  },
};

export const kbCommands: Command[] = [kbImportCommand, kbExportCommand, kbListCommand, kbShowCommand, kbHistoryCommand, kbPublishCommand, kbAskCommand, kbBenchCommand];
