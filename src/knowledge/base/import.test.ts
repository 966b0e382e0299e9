import test from 'ava';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStore } from '../../store/memory-store.ts';
import { ArticleStore } from './article-store.ts';
import { exportCsv, exportJson } from './export.ts';
import { formatIssue, importArticles, parseArticles, readMarkdownFolder, type ImportResult } from './import.ts';
import { checkArticle, type Article } from './article.ts';
import { META, sampleArticle } from './testing-articles.ts';

const valid = (input: ReturnType<typeof sampleArticle>): Article => {
  const check = checkArticle(input);
  if (!check.ok) throw new Error('fixture invalid');
  return check.article;
};
const issuesOf = (result: ImportResult) => (result.ok ? [] : result.issues);

const HEADER = 'id,title,standardQuestion,similarQuestions,keywords,answer,language,author';

test('given a valid CSV with list cells, when imported, then every article is stored', async (t) => {
  const csv = `${HEADER}\nrefund,Refunds,How do I get a refund?,money back|refund please,refund,"Paid in 14 days.\nCall us.",en,alice\n退款,退款,怎么退款,,,"14 天内",zh-CN,li\n`;
  const store = new ArticleStore(new MemoryStore());
  const result = await importArticles(store, { format: 'csv', data: csv.replace('退款,退款', 'tui-kuan,退款') }, META);
  t.true(result.ok, JSON.stringify(issuesOf(result)));
  t.deepEqual((await store.get('refund'))?.similarQuestions, ['money back', 'refund please']);
  t.is((await store.get('refund'))?.answer, 'Paid in 14 days.\nCall us.');
  t.is((await store.get('tui-kuan'))?.language, 'zh-CN');
});

test('given a CSV with bad rows, when imported, then nothing is stored and every error has its row, line and field', async (t) => {
  const csv = [
    HEADER,
    'good,Good,Fine?,,,answer,en,alice',
    'bad-lang,Bad,Question?,,,answer,fr,alice',
    '"multi-line","Title","Q?",,,"line one',
    'line two",en,',
    'Bad Id,T,Q?,,,,en,alice',
  ].join('\n');
  const store = new ArticleStore(new MemoryStore());
  const result = await importArticles(store, { format: 'csv', data: csv }, META);
  t.false(result.ok);
  t.deepEqual(
    issuesOf(result).map((i) => [i.row, i.line, i.path]),
    [[2, 3, 'language'], [3, 4, 'author'], [4, 6, 'id'], [4, 6, 'answer']],
  );
  t.deepEqual(await store.list(), []);
  t.is(formatIssue(issuesOf(result)[0]!), 'row 2 (line 3), language: must be one of zh-CN, en');
});

test('given duplicate ids in one import, when validated, then the error names both rows', async (t) => {
  const csv = `${HEADER}\na,T,Q?,,,x,en,al\nb,T,Q?,,,x,en,al\na,T2,Q?,,,x,en,al\n`;
  const issues = issuesOf(await parseArticles({ format: 'csv', data: csv }));
  t.deepEqual(issues, [{ row: 3, line: 4, path: 'id', message: 'duplicate id "a": also in row 1 (line 2)' }]);
  const json = JSON.stringify([sampleArticle(), sampleArticle()]);
  t.regex(issuesOf(await parseArticles({ format: 'json', data: json }))[0]!.message, /also in item 0/);
});

test('given unknown, missing or repeated columns, when imported, then the header error names each column', async (t) => {
  const issues = issuesOf(await parseArticles({ format: 'csv', data: 'id,title,colour,title\nx,y,z,w\n' }));
  const paths = issues.map((i) => i.path);
  t.true(paths.includes('colour'));
  t.regex(issues.find((i) => i.path === 'colour')!.message, /unknown column "colour"/);
  t.regex(issues.find((i) => i.path === 'title')!.message, /appears twice/);
  for (const missing of ['standardQuestion', 'answer', 'language', 'author']) t.true(paths.includes(missing), missing);
});

test('given a row with the wrong number of cells, when imported, then it is reported with the other rows', async (t) => {
  const csv = `${HEADER}\na,T,Q?,,,x,en\nb,T,Q?,,,x,fr,al\n`;
  t.deepEqual(issuesOf(await parseArticles({ format: 'csv', data: csv })).map((i) => [i.row, i.path]), [[1, ''], [2, 'language']]);
});

test('given JSON, when imported, then items are validated with their index and field path', async (t) => {
  const ok = await parseArticles({ format: 'json', data: JSON.stringify([sampleArticle()]) });
  t.true(ok.ok);
  const bad = await parseArticles({ format: 'json', data: JSON.stringify([sampleArticle(), { ...sampleArticle({ id: 'b', similarQuestions: ['', 'ok'] }), extra: 1 }]) });
  t.deepEqual(issuesOf(bad).map((i) => [i.index, i.path]).sort(), [[1, 'extra'], [1, 'similarQuestions.0']]);
  t.regex(issuesOf(await parseArticles({ format: 'json', data: '{"id":1}' }))[0]!.message, /array/);
  t.regex(issuesOf(await parseArticles({ format: 'json', data: '[{"id":' }))[0]!.message, /not valid JSON/);
});

test('given a Markdown folder, when imported, then front matter gives the fields and the body the answer', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'kb-md-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await mkdir(join(dir, 'billing'));
  await writeFile(join(dir, 'billing', 'refund.md'), '---\ntitle: Refunds\nstandardQuestion: How do I get a refund?\nsimilarQuestions:\n  - money back\nlanguage: en\nauthor: alice\nvalidFrom: 2026-01-01\n---\n\nPaid in **14 days**.\n');
  await writeFile(join(dir, 'notes.txt'), 'ignored');
  const files = await readMarkdownFolder(dir);
  t.deepEqual(files.map((f) => f.path), [join('billing', 'refund.md')]);
  const result = await parseArticles({ format: 'markdown', files });
  t.true(result.ok, JSON.stringify(issuesOf(result)));
  if (result.ok) t.like(result.articles[0], { id: 'refund', answer: 'Paid in **14 days**.', validFrom: '2026-01-01', similarQuestions: ['money back'] });
});

test('given bad Markdown files, when imported, then each is reported by file and field', async (t) => {
  const front = 'title: T\nstandardQuestion: Q?\nlanguage: en\nauthor: a\n';
  const files = [
    { path: 'no-front.md', content: 'just text' },
    { path: 'open.md', content: `---\n${front}no end` },
    { path: 'yaml.md', content: '---\ntitle: [unclosed\n---\nx' },
    { path: 'answer.md', content: `---\n${front}answer: in front\n---\nx` },
    { path: 'unknown.md', content: `---\n${front}colour: red\n---\nbody` },
    { path: 'list.md', content: '---\n- a\n---\nx' },
    { path: 'ok.md', content: `---\r\n${front.replace(/\n/g, '\r\n')}---\r\n\r\nbody\r\n` },
  ];
  const issues = issuesOf(await parseArticles({ format: 'markdown', files }));
  t.deepEqual(issues.map((i) => [i.file, i.path]), [
    ['answer.md', 'answer'],
    ['list.md', ''],
    ['no-front.md', ''],
    ['open.md', ''],
    ['unknown.md', 'colour'],
    ['yaml.md', ''],
  ]);
});

test('given 1200 rows, when imported, then progress is reported every 500 rows and at the end', async (t) => {
  const articles = Array.from({ length: 1200 }, (_, i) => valid(sampleArticle({ id: `a${i}` })));
  const calls: [number, number][] = [];
  const result = await parseArticles({ format: 'csv', data: exportCsv(articles) }, { onProgress: (done, total) => calls.push([done, total]) });
  t.true(result.ok);
  t.deepEqual(calls, [[500, 1200], [1000, 1200], [1200, 1200]]);
  t.true((await parseArticles({ format: 'json', data: exportJson(articles) })).ok);
});
