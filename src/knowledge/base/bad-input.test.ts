// Hostile and broken imports: each is rejected with a clear error, never a crash or a hang.
import test from 'ava';
import { exportCsv } from './export.ts';
import { parseArticles, type ImportResult, type ImportSource } from './import.ts';
import { checkArticle, type Article } from './article.ts';
import { sampleArticle } from './testing-articles.ts';

const HEADER = 'id,title,standardQuestion,answer,language,author';
const issuesOf = (r: ImportResult) => (r.ok ? [] : r.issues);
const csv = (data: string | Uint8Array): ImportSource => ({ format: 'csv', data });
const one = (): Article => (checkArticle(sampleArticle()) as { ok: true; article: Article }).article;

test('given empty or blank files in every format, when imported, then the error says the file is empty', async (t) => {
  for (const data of ['', '   \n\r\n', '\ufeff']) {
    t.regex(issuesOf(await parseArticles(csv(data)))[0]!.message, /empty/);
    t.regex(issuesOf(await parseArticles({ format: 'json', data }))[0]!.message, /empty/);
  }
  t.regex(issuesOf(await parseArticles({ format: 'json', data: '[]' }))[0]!.message, /no articles/);
  t.regex(issuesOf(await parseArticles(csv(`${HEADER}\n`)))[0]!.message, /no article rows/);
  t.regex(issuesOf(await parseArticles({ format: 'markdown', files: [] }))[0]!.message, /no \.md files/);
  t.regex(issuesOf(await parseArticles({ format: 'markdown', files: [{ path: 'e.md', content: '' }] }))[0]!.message, /empty/);
});

test('given a 1 MB field, when imported, then the row and field are named and nothing hangs', async (t) => {
  const big = 'x'.repeat(1024 * 1024);
  const issues = issuesOf(await parseArticles(csv(`${HEADER}\na,"${big}",Q?,answer,en,al\nb,T,Q?,"${big}",en,al\n`)));
  t.deepEqual(issues.map((i) => [i.row, i.path, i.message]), [
    [1, 'title', 'must be at most 300 characters'],
    [2, 'answer', 'must be at most 20000 characters'],
  ]);
});

test('given binary bytes, when imported, then the file is refused as not text', async (t) => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0x00]);
  t.regex(issuesOf(await parseArticles(csv(png)))[0]!.message, /not valid UTF-8/);
  t.regex(issuesOf(await parseArticles(csv(`${HEADER}\na,T\u0000,Q,A,en,al`)))[0]!.message, /NUL/);
  t.regex(issuesOf(await parseArticles({ format: 'markdown', files: [{ path: 'b.md', content: png }] }))[0]!.message, /UTF-8/);
  const control = issuesOf(await parseArticles(csv(`${HEADER}\na,T\u0007,Q,A,en,al`)));
  t.deepEqual(control.map((i) => i.path), ['title']);
});

test('given a BOM and CRLF line ends, when imported, then the file reads as if it had neither', async (t) => {
  const text = `\ufeff${HEADER}\r\na,T,Q?,"two\r\nlines",en,al\r\n`;
  const result = await parseArticles(csv(new TextEncoder().encode(text)));
  t.true(result.ok, JSON.stringify(issuesOf(result)));
  if (result.ok) t.is(result.articles[0]?.answer, 'two\nlines');
});

test('given an unterminated quote, when imported, then the error gives the line where it opened', async (t) => {
  const issues = issuesOf(await parseArticles(csv(`${HEADER}\na,T,Q?,A,en,al\nb,"T,Q?,A,en,al\nc,T,Q?,A,en,al\n`)));
  t.deepEqual(issues.map((i) => [i.line, i.message]), [[3, 'quoted field is never closed']]);
});

test('given an unknown column, when imported, then the error names the column', async (t) => {
  const issues = issuesOf(await parseArticles(csv(`${HEADER},priority\na,T,Q?,A,en,al,high\n`)));
  t.deepEqual(issues.map((i) => i.path), ['priority']);
  t.regex(issues[0]!.message, /unknown column "priority"/);
});

test('given malicious YAML front matter, when imported, then alias bombs and odd types are refused', async (t) => {
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`)].join('\n');
  const issues = issuesOf(await parseArticles({ format: 'markdown', files: [{ path: 'bomb.md', content: `---\n${bomb}\n---\nx` }, { path: 'types.md', content: '---\nid: 12\ntitle: !!binary aGVsbG8=\n__proto__: {polluted: 1}\n---\nx' }] }));
  t.true(issues.some((i) => i.file === 'bomb.md' && /alias/i.test(i.message)));
  t.true(issues.some((i) => i.file === 'types.md' && i.path === 'author' && i.message === 'is required'));
  t.true(issues.some((i) => i.file === 'types.md' && i.path === 'id'));
  t.is(({} as Record<string, unknown>).polluted, undefined);
});

test('given emoji, mixed scripts and regex-like text, when round-tripped through CSV, then they are plain text', async (t) => {
  const article = { ...one(), title: '(a+)+$ 😀 退款 ℝ \u202e', standardQuestion: '.*.*.*.*=?' };
  const result = await parseArticles(csv(exportCsv([article])));
  t.true(result.ok);
  if (result.ok) t.deepEqual(result.articles[0], article);
});
