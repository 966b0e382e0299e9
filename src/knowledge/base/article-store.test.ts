import test from 'ava';
import { MemoryStore } from '../../store/memory-store.ts';
import { buildMatcher } from '../matcher/index.ts';
import { ArticleStore } from './article-store.ts';
import { KnowledgeBaseError } from './errors.ts';
import { AT, META, sampleArticle } from './testing-articles.ts';

const later = (minutes: number) => ({ author: 'bob', at: new Date(AT.getTime() + minutes * 60_000) });
const fresh = () => new ArticleStore(new MemoryStore());

test('given an article edited twice, when reading, then get returns the latest and history keeps every version', async (t) => {
  const store = fresh();
  t.is((await store.put(sampleArticle(), META)).version, 1);
  const v2 = await store.put(sampleArticle({ title: 'Refunds v2' }), later(1));
  t.like(v2, { version: 2, change: 'put', author: 'bob', at: '2026-03-01T10:01:00.000Z' });
  t.is((await store.get('refund-policy'))?.title, 'Refunds v2');
  const history = await store.history('refund-policy');
  t.deepEqual(history.map((v) => [v.version, v.article?.title]), [[1, 'Refund policy'], [2, 'Refunds v2']]);
});

test('given an old version, when restored, then a new version equal to the old one becomes current', async (t) => {
  const store = fresh();
  const v1 = await store.put(sampleArticle(), META);
  await store.put(sampleArticle({ answer: 'changed' }), later(1));
  const v3 = await store.restore('refund-policy', 1, later(2));
  t.like(v3, { version: 3, change: 'restore', restoredFrom: 1 });
  t.deepEqual(v3.article, v1.article);
  t.deepEqual(await store.get('refund-policy'), v1.article!);
  t.is((await store.history('refund-policy')).length, 3);
});

test('given a removed article, when read, then it is gone but its history stays and it can be restored', async (t) => {
  const store = fresh();
  await store.put(sampleArticle(), META);
  const tombstone = await store.remove('refund-policy', later(1));
  t.like(tombstone, { version: 2, change: 'remove', article: null });
  t.is(await store.get('refund-policy'), undefined);
  t.deepEqual(await store.list(), []);
  t.is((await store.history('refund-policy')).length, 2);
  await t.throwsAsync(store.remove('refund-policy', later(2)), { instanceOf: KnowledgeBaseError, message: /no article/ });
  await t.throwsAsync(store.restore('refund-policy', 2, later(2)), { instanceOf: KnowledgeBaseError });
  await store.restore('refund-policy', 1, later(3));
  t.truthy(await store.get('refund-policy'));
});

test('given bad input, when writing, then nothing is stored and the error names the field', async (t) => {
  const store = fresh();
  const error = await t.throwsAsync(() => store.put(sampleArticle({ similarQuestions: ['ok', ''] }), META), { instanceOf: KnowledgeBaseError });
  t.is(error?.code, 'KB_INVALID_ARTICLE');
  t.deepEqual(error?.issues.map((i) => i.path), ['similarQuestions.1']);
  await t.throwsAsync(store.put(sampleArticle(), { author: 'x', at: new Date('nope') }), { instanceOf: KnowledgeBaseError, message: /valid Date/ });
  await t.throwsAsync(store.restore('missing', 1, META), { instanceOf: KnowledgeBaseError });
  t.deepEqual(await store.list(), []);
});

test('given concurrent edits of one article, when they finish, then each got its own version', async (t) => {
  const store = fresh();
  const versions = await Promise.all(Array.from({ length: 10 }, (_, i) => store.put(sampleArticle({ title: `t${i}` }), META)));
  t.deepEqual(versions.map((v) => v.version), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  t.is((await store.get('refund-policy'))?.title, 't9');
});

test('given ids that share a prefix, when reading history, then each id sees only its own versions', async (t) => {
  const store = fresh();
  await store.putMany([sampleArticle({ id: 'a' }), sampleArticle({ id: 'a-b' }), sampleArticle({ id: 'a', title: 'again' })], META);
  t.deepEqual((await store.history('a')).map((v) => v.version), [1, 2]);
  t.deepEqual((await store.history('a-b')).map((v) => v.version), [1]);
});

test('given articles in languages, categories, tags and validity windows, when listing, then every filter applies', async (t) => {
  const store = fresh();
  await store.putMany(
    [
      sampleArticle({ id: 'en-billing', categoryPath: ['billing', 'refunds'], tags: ['money'] }),
      sampleArticle({ id: 'zh-billing', language: 'zh-CN', categoryPath: ['billing'], tags: [] }),
      sampleArticle({ id: 'en-expired', categoryPath: ['tech'], validUntil: '2026-02-28' }),
      sampleArticle({ id: 'en-future', categoryPath: ['billing'], validFrom: '2026-03-01T10:00:01Z' }),
    ],
    META,
  );
  const ids = async (filter: Parameters<ArticleStore['list']>[0]) => (await store.list(filter)).map((a) => a.id);
  t.deepEqual(await ids({}), ['en-billing', 'en-expired', 'en-future', 'zh-billing']);
  t.deepEqual(await ids({ language: 'zh-CN' }), ['zh-billing']);
  t.deepEqual(await ids({ category: ['billing'] }), ['en-billing', 'en-future', 'zh-billing']);
  t.deepEqual(await ids({ category: ['billing', 'refunds'] }), ['en-billing']);
  t.deepEqual(await ids({ tag: 'money' }), ['en-billing']);
  t.deepEqual(await ids({ activeAt: AT, language: 'en' }), ['en-billing']);
});

test('given stored articles, when building a matcher from them, then questions of articles in force at that time are matched', async (t) => {
  const store = fresh();
  await store.putMany(
    [
      sampleArticle(),
      sampleArticle({ id: 'reset-password', standardQuestion: 'How do I reset my password?', similarQuestions: ['forgot my password', 'password reset link'], keywords: ['password'] }),
      sampleArticle({ id: 'old', standardQuestion: 'old question', similarQuestions: [], validUntil: '2026-01-01' }),
      sampleArticle({ id: 'zh', language: 'zh-CN' }),
    ],
    META,
  );
  const articles = await store.toMatcherArticles('en', AT);
  t.deepEqual(articles.map((a) => a.id), ['refund-policy', 'reset-password']);
  t.deepEqual(articles[0], { id: 'refund-policy', language: 'en', questions: ['How do I get a refund?', 'can I get my money back', 'refund please'], keywords: ['refund', 'money back'] });
  const matcher = buildMatcher(articles, { lexicon: await store.matcherLexicon() });
  t.is(matcher.match('I forgot my password').results[0]?.id, 'reset-password');
});

test('given lexicon edits, when read, then the latest is current, history is kept and defaults apply before any edit', async (t) => {
  const store = fresh();
  t.true((await store.getLexicon('zh-CN')).stopWords.includes('的'));
  await store.setLexicon('en', { synonyms: { tv: 'television' }, stopWords: ['the'] }, META);
  await store.setLexicon('en', { synonyms: { tv: 'television', pc: 'computer' }, stopWords: [] }, later(1));
  t.deepEqual(await store.getLexicon('en'), { synonyms: { tv: 'television', pc: 'computer' }, stopWords: [] });
  t.deepEqual((await store.lexiconHistory('en')).map((v) => [v.version, v.author]), [[1, 'admin'], [2, 'bob']]);
  t.deepEqual((await store.matcherLexicon()).synonyms.en, { tv: 'television', pc: 'computer' });
  const error = await t.throwsAsync(store.setLexicon('en', { synonyms: { '': 'x' }, stopWords: ['a'.repeat(101)] }, META), { instanceOf: KnowledgeBaseError });
  t.is(error?.code, 'KB_INVALID_LEXICON');
  t.true(error!.issues.some((i) => i.path === 'stopWords.0'));
});
