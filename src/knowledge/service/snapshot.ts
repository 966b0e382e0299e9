// A published knowledge base: the exact article versions that were published, one matcher per
// language built from them, and their questions for the speech recognizer's LM. Immutable once
// built; the service swaps whole snapshots, so a query never sees half of a publish.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { LANGUAGES, type Article, type ArticleLanguage, type LanguageLexicon } from '../base/index.ts';
import { defaultLexicon, matcherFromState, type Lexicon, type Matcher } from '../matcher/index.ts';
import type { PublishInfo } from './knowledge-service.ts';
import { buildLanguages, type BuiltLanguage, type SnapshotBuildInput } from './snapshot-build.ts';

export interface PublishedArticle {
  article: Article;
  version: number;
}

export interface PublishedLanguage {
  matcher: Matcher;
  questions: readonly string[];
}

export interface Snapshot {
  info: PublishInfo;
  articles: ReadonlyMap<string, PublishedArticle>;
  /** Only languages with at least one article: the others have no matcher at all. */
  languages: ReadonlyMap<ArticleLanguage, PublishedLanguage>;
}

/** A lexicon as it was when published; version 0 is the built-in default (no admin edit yet). */
export interface PublishedLexicon {
  version: number;
  lexicon: LanguageLexicon;
}

/**
 * What is persisted (store section 'knowledge', key 'published'): references, not copies, so a
 * restart rebuilds exactly what was published from the article and lexicon histories.
 */
export interface PublishedRecord {
  info: PublishInfo;
  /** [article id, version] of every published article, in id order. */
  articles: [string, number][];
  lexicons: Record<ArticleLanguage, number>;
}

export const PUBLISHED_KEY = 'published';

const matcherKey = (language: ArticleLanguage) => (language === 'zh-CN' ? 'zh' : 'en');

export function defaultLexiconOf(language: ArticleLanguage): LanguageLexicon {
  const all = defaultLexicon();
  return { synonyms: all.synonyms[matcherKey(language)], stopWords: all.stopWords[matcherKey(language)] };
}

export function questionsOf(article: Article): string[] {
  return [article.standardQuestion, ...article.similarQuestions];
}

/** Trains the matchers of a snapshot: on a worker thread (buildInWorker, the service) or in process. */
export type SnapshotBuilder = (input: SnapshotBuildInput) => Promise<BuiltLanguage[]>;

/** In process, holding the event loop for the whole build: for tests and benchmarks. */
export const buildInProcess: SnapshotBuilder = async (input) => buildLanguages(input);

/**
 * Builds every language's matcher; throws (and nothing is swapped) if a build fails. Training is
 * CPU work of seconds to minutes at 10k articles: the service passes buildInWorker so that it
 * happens off the main thread, which only sorts, sends and serves the trained states.
 */
export async function buildSnapshot(
  published: readonly PublishedArticle[],
  lexicons: Record<ArticleLanguage, PublishedLexicon>,
  info: Omit<PublishInfo, 'articles' | 'buildMs'>,
  build: SnapshotBuilder = buildInProcess,
): Promise<Snapshot> {
  const lexicon: Lexicon = {
    synonyms: { zh: { ...lexicons['zh-CN'].lexicon.synonyms }, en: { ...lexicons.en.lexicon.synonyms } },
    stopWords: { zh: [...lexicons['zh-CN'].lexicon.stopWords], en: [...lexicons.en.lexicon.stopWords] },
  };
  // Id order, whatever order the caller read them in: training is order-dependent, and a restart
  // must rebuild the very matcher that was published.
  const sorted = [...published].sort((a, b) => (a.article.id < b.article.id ? -1 : a.article.id > b.article.id ? 1 : 0));
  // What follows runs on the event loop the calls need: each step linear in the articles, with
  // a turn between steps so that none of them holds it long at 10k articles.
  await nextTurn();
  const built = await build({
    articles: sorted.map(({ article: a }) => ({ id: a.id, language: a.language, questions: questionsOf(a), keywords: [...a.keywords] })),
    lexicon,
  });
  await nextTurn();
  const articles = new Map(sorted.map((p) => [p.article.id, p]));
  const counts = Object.fromEntries(LANGUAGES.map((l) => [l, 0])) as Record<ArticleLanguage, number>;
  for (const p of sorted) counts[p.article.language]++;
  const languages = new Map<ArticleLanguage, PublishedLanguage>();
  let buildMs = 0;
  for (const { language, state, buildMs: ms } of built) {
    await nextTurn();
    const questions: string[] = [];
    for (const { article } of sorted) if (article.language === language) questions.push(article.standardQuestion, ...article.similarQuestions);
    languages.set(language, { matcher: matcherFromState(state), questions });
    buildMs += ms;
  }
  return { info: { ...info, articles: counts, buildMs: Math.round(buildMs * 10) / 10 }, articles, languages };
}

export function toRecord(snapshot: Snapshot, lexicons: Record<ArticleLanguage, PublishedLexicon>): PublishedRecord {
  return {
    info: snapshot.info,
    articles: [...snapshot.articles.values()].map((p): [string, number] => [p.article.id, p.version]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
    lexicons: { 'zh-CN': lexicons['zh-CN'].version, en: lexicons.en.version },
  };
}
