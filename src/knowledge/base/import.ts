// All-or-nothing import of articles from JSON, CSV or a Markdown folder: decode, parse, validate
// every record, and only when nothing is wrong write them all in one batch.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { checkArticle, type Article } from './article.ts';
import type { ArticleStore, EditMeta } from './article-store.ts';
import { CsvError, parseCsv } from './csv.ts';
import { CSV_COLUMNS, REQUIRED_COLUMNS, rowToRecord, type CsvColumn } from './csv-columns.ts';
import { parseMarkdownArticle, type MarkdownFile } from './markdown.ts';

/** Where a problem is: CSV `row` (1-based, header excluded) and `line`; JSON `index` (0-based); Markdown `file`. */
export interface ImportIssue {
  row?: number;
  line?: number;
  index?: number;
  file?: string;
  /** field path, e.g. `similarQuestions.3`; '' for the file or record as a whole */
  path: string;
  message: string;
}

export type ImportSource =
  | { format: 'json'; data: string | Uint8Array }
  | { format: 'csv'; data: string | Uint8Array }
  | { format: 'markdown'; files: { path: string; content: string | Uint8Array }[] };

export interface ImportOptions {
  /** Called every PROGRESS_STEP records and once at the end of validation. */
  onProgress?: (done: number, total: number) => void;
}

export type ImportResult = { ok: true; articles: Article[] } | { ok: false; issues: ImportIssue[] };

export const PROGRESS_STEP = 500;
export const MAX_IMPORT_BYTES = 256 * 1024 * 1024;
export const MAX_IMPORT_RECORDS = 100_000;

interface RawRecord {
  where: Omit<ImportIssue, 'path' | 'message'>;
  value: unknown;
}

/** Parses and validates; never writes. */
export async function parseArticles(source: ImportSource, options: ImportOptions = {}): Promise<ImportResult> {
  const collected = source.format === 'markdown' ? readMarkdown(source.files) : source.format === 'csv' ? readCsv(source.data) : readJson(source.data);
  if (!collected.ok) return collected;
  return validate(collected.records, options);
}

/** Parses, validates and stores every article, or none. */
export async function importArticles(store: ArticleStore, source: ImportSource, meta: EditMeta, options: ImportOptions = {}): Promise<ImportResult> {
  const result = await parseArticles(source, options);
  if (result.ok) await store.putMany(result.articles, meta);
  return result;
}

/** Reads every `.md` file below `dir` (sorted, recursive) for a Markdown import. */
export async function readMarkdownFolder(dir: string): Promise<{ path: string; content: Uint8Array }[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const paths = entries.filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.md')).map((e) => join(e.parentPath, e.name)).sort();
  return Promise.all(paths.map(async (path) => ({ path: relative(dir, path), content: await readFile(path) })));
}

type Collected = { ok: true; records: RawRecord[] } | { ok: false; issues: ImportIssue[] };
const fail = (issue: ImportIssue): Collected => ({ ok: false, issues: [issue] });

/** Bytes → text: refuses non-UTF-8 and NUL bytes (binary files), drops a BOM. */
function decode(data: string | Uint8Array): { ok: true; text: string } | { ok: false; message: string } {
  if (data.length > MAX_IMPORT_BYTES) return { ok: false, message: `file is larger than ${MAX_IMPORT_BYTES} bytes` };
  let text: string;
  if (typeof data === 'string') text = data;
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(data);
    } catch {
      return { ok: false, message: 'file is not valid UTF-8 text (binary file?)' };
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes('\u0000')) return { ok: false, message: 'file contains NUL bytes (binary file?)' };
  if (text.trim() === '') return { ok: false, message: 'file is empty' };
  return { ok: true, text };
}

function readJson(data: string | Uint8Array): Collected {
  const decoded = decode(data);
  if (!decoded.ok) return fail({ path: '', message: decoded.message });
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoded.text);
  } catch (error) {
    return fail({ path: '', message: `not valid JSON: ${(error as Error).message}` });
  }
  if (!Array.isArray(parsed)) return fail({ path: '', message: 'JSON import must be an array of articles' });
  if (parsed.length === 0) return fail({ path: '', message: 'no articles in the file' });
  if (parsed.length > MAX_IMPORT_RECORDS) return fail({ path: '', message: `more than ${MAX_IMPORT_RECORDS} articles` });
  return { ok: true, records: parsed.map((value, index) => ({ where: { index }, value })) };
}

function readCsv(data: string | Uint8Array): Collected {
  const decoded = decode(data);
  if (!decoded.ok) return fail({ path: '', message: decoded.message });
  let rows;
  try {
    rows = parseCsv(decoded.text);
  } catch (error) {
    if (error instanceof CsvError) return fail({ line: error.line, path: '', message: error.message.replace(/^line \d+: /, '') });
    throw error;
  }
  const [head, ...body] = rows;
  if (!head) return fail({ path: '', message: 'file is empty' });
  const issues: ImportIssue[] = [];
  const known = new Set<string>(CSV_COLUMNS);
  const seen = new Set<string>();
  for (const name of head.cells) {
    const column = name.trim();
    if (!known.has(column)) issues.push({ line: head.line, path: column, message: `unknown column "${column}" (known: ${CSV_COLUMNS.join(', ')})` });
    else if (seen.has(column)) issues.push({ line: head.line, path: column, message: `column "${column}" appears twice` });
    seen.add(column);
  }
  for (const column of REQUIRED_COLUMNS) if (!seen.has(column)) issues.push({ line: head.line, path: column, message: `missing column "${column}"` });
  if (issues.length) return { ok: false, issues };
  if (body.length === 0) return fail({ line: head.line, path: '', message: 'no article rows after the header' });
  if (body.length > MAX_IMPORT_RECORDS) return fail({ path: '', message: `more than ${MAX_IMPORT_RECORDS} rows` });
  const header = head.cells.map((c) => c.trim() as CsvColumn);
  const records: RawRecord[] = [];
  body.forEach((row, i) => {
    const where = { row: i + 1, line: row.line };
    if (row.cells.length !== header.length) {
      issues.push({ ...where, path: '', message: `has ${row.cells.length} cells, the header has ${header.length}` });
    } else records.push({ where, value: rowToRecord(header, row.cells) });
  });
  // Rows with the wrong cell count are still reported alongside every other row's problems.
  return issues.length ? { ok: true, records: [...records, ...issues.map((issue) => ({ where: issue, value: BAD_SHAPE }))] } : { ok: true, records };
}

const BAD_SHAPE = Symbol('bad shape');

function readMarkdown(files: { path: string; content: string | Uint8Array }[]): Collected {
  if (files.length === 0) return fail({ path: '', message: 'no .md files in the folder' });
  if (files.length > MAX_IMPORT_RECORDS) return fail({ path: '', message: `more than ${MAX_IMPORT_RECORDS} files` });
  const records: RawRecord[] = [];
  const issues: ImportIssue[] = [];
  for (const file of files) {
    const decoded = decode(file.content);
    if (!decoded.ok) {
      issues.push({ file: file.path, path: '', message: decoded.message });
      continue;
    }
    const parsed = parseMarkdownArticle({ path: file.path, content: decoded.text.replace(/\r\n?/g, '\n') } satisfies MarkdownFile);
    if (parsed.ok) records.push({ where: { file: file.path }, value: parsed.record });
    else issues.push({ file: file.path, path: parsed.path, message: parsed.message });
  }
  return issues.length ? { ok: true, records: [...records, ...issues.map((issue) => ({ where: issue, value: BAD_SHAPE }))] } : { ok: true, records };
}

async function validate(records: RawRecord[], options: ImportOptions): Promise<ImportResult> {
  const issues: ImportIssue[] = [];
  const articles: Article[] = [];
  const firstById = new Map<string, RawRecord['where']>();
  const total = records.length;
  for (let done = 0; done < total; done++) {
    const record = records[done]!;
    if (record.value === BAD_SHAPE) issues.push(record.where as ImportIssue);
    else {
      const check = checkArticle(record.value);
      if (!check.ok) for (const issue of check.issues) issues.push({ ...record.where, ...issue });
      else {
        const first = firstById.get(check.article.id);
        if (first) issues.push({ ...record.where, path: 'id', message: `duplicate id "${check.article.id}": also in ${describe(first)}` });
        else firstById.set(check.article.id, record.where);
        articles.push(check.article);
      }
    }
    if ((done + 1) % PROGRESS_STEP === 0) {
      options.onProgress?.(done + 1, total);
      // Let a server stream the progress out while a big import validates.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  if (total % PROGRESS_STEP !== 0) options.onProgress?.(total, total);
  if (issues.length) return { ok: false, issues: issues.sort(byPlace) };
  return { ok: true, articles };
}

export function describe(where: Omit<ImportIssue, 'path' | 'message'>): string {
  if (where.file !== undefined) return `file ${where.file}`;
  if (where.row !== undefined) return `row ${where.row} (line ${where.line})`;
  if (where.index !== undefined) return `item ${where.index}`;
  if (where.line !== undefined) return `line ${where.line}`;
  return 'the file';
}

/** "row 3 (line 4), similarQuestions.2: must not be empty" */
export function formatIssue(issue: ImportIssue): string {
  return `${describe(issue)}${issue.path ? `, ${issue.path}` : ''}: ${issue.message}`;
}

function byPlace(a: ImportIssue, b: ImportIssue): number {
  return (a.line ?? a.index ?? 0) - (b.line ?? b.index ?? 0) || (a.file ?? '').localeCompare(b.file ?? '');
}
