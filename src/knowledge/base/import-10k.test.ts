// Scale check: a generated 10k-article CSV validates and stores in a few seconds. The time is
// logged, not asserted (timings belong in bench/results/, not in tests).
import test from 'ava';
import { performance } from 'node:perf_hooks';
import { MemoryStore } from '../../store/memory-store.ts';
import { ArticleStore } from './article-store.ts';
import { checkArticle, type Article } from './article.ts';
import { exportCsv } from './export.ts';
import { importArticles } from './import.ts';
import { generateArticles, META } from './testing-articles.ts';

test('given a 10k-article CSV, when imported, then all are stored with progress every 500 rows', async (t) => {
  const articles = generateArticles(10_000).map((a) => (checkArticle(a) as { ok: true; article: Article }).article);
  const csv = exportCsv(articles);
  const store = new ArticleStore(new MemoryStore());
  const progress: number[] = [];
  const started = performance.now();
  const result = await importArticles(store, { format: 'csv', data: new TextEncoder().encode(csv) }, META, { onProgress: (done) => progress.push(done) });
  const ms = performance.now() - started;
  t.true(result.ok);
  t.is(progress.length, 20);
  t.is(progress.at(-1), 10_000);
  t.is((await store.list()).length, 10_000);
  t.deepEqual(await store.get('article-09999'), articles[9_998]);
  t.log(`10k articles, ${(csv.length / 1e6).toFixed(1)} MB CSV: parsed, validated and stored in ${ms.toFixed(0)} ms`);
});

test('given a 10k-article CSV with one bad row at the end, when imported, then nothing is stored', async (t) => {
  const articles = generateArticles(10_000).map((a) => (checkArticle(a) as { ok: true; article: Article }).article);
  const good = exportCsv(articles);
  const last = good.lastIndexOf(',zh-CN,');
  const csv = `${good.slice(0, last)},xx,${good.slice(last + ',zh-CN,'.length)}`;
  const store = new ArticleStore(new MemoryStore());
  const result = await importArticles(store, { format: 'csv', data: csv }, META);
  t.false(result.ok);
  if (!result.ok) t.deepEqual(result.issues.map((i) => [i.row, i.path]), [[10_000, 'language']]);
  t.deepEqual(await store.list(), []);
});
