import test from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStore } from '../../store/memory-store.ts';
import { ArticleStore } from './article-store.ts';
import { checkArticle, type Article } from './article.ts';
import { exportArticles, exportCsv, exportJson, exportMarkdown, writeMarkdownFolder } from './export.ts';
import { parseArticles, readMarkdownFolder, type ImportResult } from './import.ts';
import { generateArticles, META, sampleArticle, trickyArticle } from './testing-articles.ts';

function articlesOf(result: ImportResult): Article[] {
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.articles;
}

const fixtures = (): Article[] =>
  [sampleArticle(), trickyArticle(), ...generateArticles(20), sampleArticle({ id: 'minimal', similarQuestions: [], keywords: [], categoryPath: [], tags: [], agentScript: '' })].map((a) => {
    const check = checkArticle(a);
    if (!check.ok) throw new Error(JSON.stringify(check.issues));
    return check.article;
  });

test('given articles, when exported to JSON and imported, then they are equal', async (t) => {
  const articles = fixtures();
  t.deepEqual(articlesOf(await parseArticles({ format: 'json', data: exportJson(articles) })), articles);
});

test('given articles with separators, quotes and newlines, when exported to CSV and imported, then they are equal', async (t) => {
  const articles = fixtures();
  const csv = exportCsv(articles);
  t.true(csv.startsWith('id,title,standardQuestion,similarQuestions,'));
  t.deepEqual(articlesOf(await parseArticles({ format: 'csv', data: csv })), articles);
  t.deepEqual(articlesOf(await parseArticles({ format: 'csv', data: new TextEncoder().encode(`\ufeff${csv}`) })), articles);
});

test('given articles, when exported to a Markdown folder and imported, then they are equal', async (t) => {
  const articles = fixtures();
  const dir = await mkdtemp(join(tmpdir(), 'kb-export-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeMarkdownFolder(dir, exportMarkdown(articles));
  const back = articlesOf(await parseArticles({ format: 'markdown', files: await readMarkdownFolder(dir) }));
  const byId = (list: Article[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));
  t.deepEqual(byId(back), byId(articles));
});

test('given a tricky article, when exported to Markdown, then the file reads as front matter plus the answer', (t) => {
  const [file] = exportMarkdown(fixtures().slice(0, 1));
  t.is(file?.path, 'refund-policy.md');
  t.true(file!.content.startsWith('---\nid: refund-policy\n'));
  t.true(file!.content.endsWith('---\n\nRefunds are paid within 14 days.\nCall us if it takes longer.\n'));
});

test('given a store, when exporting with a filter, then only the matching current articles are exported', async (t) => {
  const store = new ArticleStore(new MemoryStore());
  await store.putMany([sampleArticle(), sampleArticle({ id: 'zh', language: 'zh-CN' })], META);
  const json = await exportArticles(store, 'json', { language: 'zh-CN' });
  t.deepEqual(articlesOf(await parseArticles({ format: 'json', data: json })).map((a) => a.id), ['zh']);
  t.deepEqual((await exportArticles(store, 'markdown')).map((f) => f.path), ['refund-policy.md', 'zh.md']);
});
