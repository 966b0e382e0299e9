// Damaged knowledge-base imports: exports of valid articles (CSV, JSON, Markdown) mutated at the
// byte, character and field level, plus random text, through parseArticles. Whatever comes in, the
// import must return (never throw), finish quickly, and either accept articles that each pass
// checkArticle with unique ids, or refuse with issues that each say where and what. Shared by the
// CI fuzz (import-fuzz.test.ts, 3000 cases) and `npm run bench -- fuzz` (100× that). Seeded.
import { checkArticle, type Article } from './article.ts';
import { exportCsv, exportJson, exportMarkdown } from './export.ts';
import { parseArticles, type ImportResult, type ImportSource } from './import.ts';
import { sampleArticle, trickyArticle } from './testing-articles.ts';

export const IMPORT_FUZZ_CI_CASES = 3_000;
/** One import of a few kB must never take this long, even on a loaded box (a hang shows as this). */
export const IMPORT_CASE_BUDGET_MS = 5_000;

function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const valid = (input: ReturnType<typeof sampleArticle>): Article => (checkArticle(input) as { ok: true; article: Article }).article;

function baseArticles(): Article[] {
  return [
    valid(sampleArticle()),
    valid(trickyArticle()),
    valid(sampleArticle({ id: 'zh-1', title: '退款政策', standardQuestion: '怎么退款？', similarQuestions: ['我要退钱'], keywords: ['退款'], language: 'zh-CN', answer: '14 天内退款。' })),
  ];
}

const PIECES = ['"', ',', '\n', '\r\n', '|', '\\', '---', ':', '- ', '#', '{', '}', '[', ']', '\ufeff', '\u0000', '\u0007', '😀', '退款', 'id', 'title', 'language', 'en', 'zh-CN', 'xx', '&a', '*a', '!!binary', '__proto__', ' ', '\t', 'a'.repeat(400)];
const JUNK: unknown[] = [null, true, 0, -1, 1e309, '', ' ', 'x'.repeat(25_000), [], {}, [[[]]], { __proto__: { polluted: 1 } }, ['a', 1, null], '2026-02-30', 'en', 'zh-CN', 'klingon', '../../etc/passwd'];

function mutateText(r: () => number, text: string): string {
  let out = text;
  for (let m = 1 + Math.floor(r() * 5); m > 0; m--) {
    const at = Math.floor(r() * (out.length + 1));
    const op = r();
    if (op < 0.3) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(r() * 20));
    else if (op < 0.6) out = out.slice(0, at) + PIECES[Math.floor(r() * PIECES.length)] + out.slice(at);
    else if (op < 0.75) out = out.slice(0, at) + out.slice(at, at + 1 + Math.floor(r() * 60)).repeat(2 + Math.floor(r() * 3)) + out.slice(at);
    else if (op < 0.9) out = out.slice(0, at) + String.fromCharCode(Math.floor(r() * 0xffff)) + out.slice(at + 1);
    else out = out.slice(0, Math.floor(r() * out.length));
  }
  return out;
}

/** Some bytes flipped or invalid UTF-8 inserted: the decoder's side. */
function mutateBytes(r: () => number, text: string): Uint8Array {
  const bytes = Buffer.from(text);
  for (let m = 1 + Math.floor(r() * 3); m > 0 && bytes.length; m--) bytes[Math.floor(r() * bytes.length)] = [0xff, 0xc0, 0x80, 0xfe, 0x00][Math.floor(r() * 5)]!;
  return bytes;
}

function mutateJson(r: () => number, articles: Article[]): string {
  const docs = JSON.parse(exportJson(articles)) as Record<string, unknown>[];
  for (let m = 1 + Math.floor(r() * 3); m > 0; m--) {
    const doc = docs[Math.floor(r() * docs.length)]!;
    const keys = [...Object.keys(doc), 'extra', 'constructor'];
    const key = keys[Math.floor(r() * keys.length)]!;
    if (r() < 0.2) delete doc[key];
    else doc[key] = JUNK[Math.floor(r() * JUNK.length)];
  }
  if (r() < 0.1) docs.push(structuredClone(docs[0]!));  // a duplicate id
  return JSON.stringify(r() < 0.1 ? docs[0] : docs);
}

/** The i-th case: a source to import (kind names it for the report). */
function fuzzCase(r: () => number, i: number, articles: Article[]): { kind: string; source: ImportSource } {
  const picked = articles.filter(() => r() < 0.7);
  const some = picked.length ? picked : [articles[0]!];
  switch (i % 7) {
    case 0: return { kind: 'csv-text', source: { format: 'csv', data: mutateText(r, exportCsv(some)) } };
    case 1: return { kind: 'csv-bytes', source: { format: 'csv', data: mutateBytes(r, exportCsv(some)) } };
    case 2: return { kind: 'json-text', source: { format: 'json', data: mutateText(r, exportJson(some)) } };
    case 3: return { kind: 'json-fields', source: { format: 'json', data: mutateJson(r, some) } };
    case 4: {
      const files = exportMarkdown(some).map((f) => ({ path: f.path, content: r() < 0.5 ? mutateText(r, String(f.content)) : String(f.content) }));
      return { kind: 'markdown', source: { format: 'markdown', files } };
    }
    case 5: {
      const files = exportMarkdown(some).map((f) => ({ path: f.path, content: r() < 0.5 ? mutateBytes(r, String(f.content)) : String(f.content) }));
      return { kind: 'markdown-bytes', source: { format: 'markdown', files } };
    }
    default: {
      const text = Array.from({ length: Math.floor(r() * 60) }, () => PIECES[Math.floor(r() * PIECES.length)]).join('');
      const format = (['csv', 'json', 'markdown'] as const)[Math.floor(r() * 3)]!;
      return { kind: 'random', source: format === 'markdown' ? { format, files: [{ path: 'r.md', content: text }] } : { format, data: text } };
    }
  }
}

/** What is wrong with a result, or undefined. */
function problemWith(result: ImportResult): string | undefined {
  if (result.ok) {
    if (result.articles.length === 0) return 'accepted with no articles';
    const ids = new Set<string>();
    for (const article of result.articles) {
      const check = checkArticle(article);
      if (!check.ok) return `accepted an article that fails checkArticle: ${JSON.stringify(check.issues).slice(0, 200)}`;
      if (ids.has(article.id)) return `accepted a duplicate id ${article.id}`;
      ids.add(article.id);
    }
    return undefined;
  }
  if (result.issues.length === 0) return 'refused without an issue';
  for (const issue of result.issues) {
    if (typeof issue.message !== 'string' || issue.message.trim() === '' || typeof issue.path !== 'string') return `an issue without a message or path: ${JSON.stringify(issue).slice(0, 200)}`;
  }
  return undefined;
}

/** Key order aside, and CRLF read as LF (a CSV reads as if it had no CR: bad-input.test.ts). */
const canonical = (value: unknown): string => JSON.stringify(value, (_k, v: unknown) =>
  v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : typeof v === 'string' ? v.replace(/\r\n/g, '\n') : v);

export async function runImportFuzz(options: { cases?: number; seed?: number; progress?: (done: number) => void } = {}) {
  const cases = options.cases ?? IMPORT_FUZZ_CI_CASES;
  const r = mulberry32(options.seed ?? 20261125);
  const articles = baseArticles();
  const failures: string[] = [];
  const outcomes = { accepted: 0, refused: 0 };
  let slowestMs = 0;
  // The unmutated exports must come back as they went out.
  for (const [format, source] of [['csv', { format: 'csv', data: exportCsv(articles) }], ['json', { format: 'json', data: exportJson(articles) }], ['markdown', { format: 'markdown', files: exportMarkdown(articles) }]] as const) {
    const result = await parseArticles(source as ImportSource);
    if (!result.ok || canonical(result.articles) !== canonical(articles)) failures.push(`${format}: the unmutated export does not import as itself: ${JSON.stringify(result).slice(0, 300)}`);
  }
  for (let i = 0; i < cases; i++) {
    if (options.progress && i > 0 && i % 10_000 === 0) options.progress(i);
    const { kind, source } = fuzzCase(r, i, articles);
    const started = performance.now();
    try {
      const result = await parseArticles(source);
      const problem = problemWith(result);
      if (problem) failures.push(`case ${i} (${kind}): ${problem}`);
      outcomes[result.ok ? 'accepted' : 'refused']++;
    } catch (error) {
      failures.push(`case ${i} (${kind}): threw ${(error as Error).stack?.slice(0, 300) ?? String(error)}`);
    }
    const ms = performance.now() - started;
    slowestMs = Math.max(slowestMs, ms);
    if (ms > IMPORT_CASE_BUDGET_MS) failures.push(`case ${i} (${kind}): took ${Math.round(ms)} ms`);
  }
  return { cases, failures, outcomes: { ...outcomes, slowestMs: Math.round(slowestMs) } };
}
