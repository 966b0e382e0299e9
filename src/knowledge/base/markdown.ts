// One article per Markdown file: a YAML front matter block with every field but the answer,
// and the body as the answer.
import { parseDocument, stringify } from 'yaml';
import type { Article } from './article.ts';

export interface MarkdownFile {
  /** path relative to the folder, e.g. `refund-policy.md` */
  path: string;
  content: string;
}

export type FrontMatterResult = { ok: true; record: Record<string, unknown> } | { ok: false; path: string; message: string };

const OPENING = /^---[ \t]*\n/;

/** Parses one file (CRLF already turned into LF) into a raw article record. */
export function parseMarkdownArticle(file: MarkdownFile): FrontMatterResult {
  const text = file.content;
  if (!OPENING.test(text)) return { ok: false, path: '', message: 'file must start with a `---` front matter block' };
  const start = text.indexOf('\n') + 1;
  const closing = /^---[ \t]*(?:\n|$)/m.exec(text.slice(start));
  if (!closing) return { ok: false, path: '', message: 'front matter block is never closed with `---`' };
  const yamlText = text.slice(start, start + closing.index);
  const doc = parseDocument(yamlText, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length) return { ok: false, path: '', message: `front matter is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}` };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 50 });
  } catch (error) {
    return { ok: false, path: '', message: `front matter cannot be read: ${(error as Error).message}` };
  }
  data ??= {};
  if (typeof data !== 'object' || Array.isArray(data)) return { ok: false, path: '', message: 'front matter must be a mapping of fields' };
  const record = { ...(data as Record<string, unknown>) };
  if ('answer' in record) return { ok: false, path: 'answer', message: 'the answer is the body of the file, not a front matter field' };
  // Export writes a blank line after the block and a final newline; take exactly those off.
  let body = text.slice(start + closing.index + closing[0].length);
  if (body.startsWith('\n')) body = body.slice(1);
  if (body.endsWith('\n')) body = body.slice(0, -1);
  record.answer = body;
  if (record.id === undefined) record.id = file.path.replace(/^.*\//, '').replace(/\.md$/i, '');
  // YAML 1.2 core schema keeps `2026-01-01` a string; a bare number stays a number and the
  // schema reports it by field.
  return { ok: true, record };
}

export function articleToMarkdown(article: Article): MarkdownFile {
  const { answer, ...fields } = article;
  const front: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (value === '') continue;
    front[key] = value;
  }
  return { path: `${article.id}.md`, content: `---\n${stringify(front, { lineWidth: 0 })}---\n\n${answer}\n` };
}
