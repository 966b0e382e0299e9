// A published knowledge base: the exact article versions that were published, one matcher per
// language built from them, and their questions for the speech recognizer's LM. Immutable once
// built; the service swaps whole snapshots, so a query never sees half of a publish.
import { performance } from 'node:perf_hooks';
import { LANGUAGES, type Article, type ArticleLanguage, type LanguageLexicon } from '../base/index.ts';
import { buildMatcher, cleanText, defaultLexicon, type Lexicon, type Matcher } from '../matcher/index.ts';
import type { PublishInfo } from './knowledge-service.ts';
import { OUT_OF_SCOPE_BACKGROUND } from './out-of-scope-background.ts';

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

/**
 * Builds every language's matcher; throws (and nothing is swapped) if a build fails. A build is
 * synchronous CPU work (seconds to minutes at 10k articles); the event loop gets a turn between
 * languages so that timers and sockets are not starved for the whole publish.
 */
export async function buildSnapshot(
  published: readonly PublishedArticle[],
  lexicons: Record<ArticleLanguage, PublishedLexicon>,
  info: Omit<PublishInfo, 'articles' | 'buildMs'>,
): Promise<Snapshot> {
  let buildMs = 0;
  const lexicon: Lexicon = {
    synonyms: { zh: { ...lexicons['zh-CN'].lexicon.synonyms }, en: { ...lexicons.en.lexicon.synonyms } },
    stopWords: { zh: [...lexicons['zh-CN'].lexicon.stopWords], en: [...lexicons.en.lexicon.stopWords] },
  };
  // Id order, whatever order the caller read them in: training is order-dependent, and a restart
  // must rebuild the very matcher that was published.
  const sorted = [...published].sort((a, b) => (a.article.id < b.article.id ? -1 : a.article.id > b.article.id ? 1 : 0));
  const articles = new Map(sorted.map((p) => [p.article.id, p]));
  const languages = new Map<ArticleLanguage, PublishedLanguage>();
  const counts = Object.fromEntries(LANGUAGES.map((l) => [l, 0])) as Record<ArticleLanguage, number>;
  for (const language of LANGUAGES) {
    const inLanguage = sorted.filter((p) => p.article.language === language).map((p) => p.article);
    counts[language] = inLanguage.length;
    if (inLanguage.length === 0) continue;
    await new Promise((resolve) => setImmediate(resolve));
    const questions = inLanguage.flatMap(questionsOf);
    const started = performance.now();
    const matcher = buildMatcher(
      inLanguage.map((a) => ({ id: a.id, language, questions: questionsOf(a), keywords: [...a.keywords] })),
      { lexicon, outOfScopeValidation: backgroundFor(language, questions) },
    );
    buildMs += performance.now() - started;
    languages.set(language, { matcher, questions });
  }
  return { info: { ...info, articles: counts, buildMs: Math.round(buildMs * 10) / 10 }, articles, languages };
}

/** The background out-of-scope queries, minus any this knowledge base does answer (a weather KB has weather questions). */
function backgroundFor(language: ArticleLanguage, questions: readonly string[]): string[] {
  const known = new Set(questions.map(comparable));
  return OUT_OF_SCOPE_BACKGROUND[language].filter((q) => !known.has(comparable(q)));
}

const comparable = (text: string) => cleanText(text).text.toLowerCase().replace(/[\p{P}\s]+/gu, '');

export function toRecord(snapshot: Snapshot, lexicons: Record<ArticleLanguage, PublishedLexicon>): PublishedRecord {
  return {
    info: snapshot.info,
    articles: [...snapshot.articles.values()].map((p): [string, number] => [p.article.id, p.version]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
    lexicons: { 'zh-CN': lexicons['zh-CN'].version, en: lexicons.en.version },
  };
}
