/**
 * The heavy part of a publish: training one matcher per language. Pure and synchronous, so it
 * runs the same in the snapshot worker (the service's path, snapshot-worker.ts) and in process
 * (tests and benchmarks); what it returns is plain data that moves between threads by transfer.
 */
import { performance } from 'node:perf_hooks';
import { LANGUAGES, type ArticleLanguage } from '../base/index.ts';
import { cleanText, trainMatcher, type Article, type Lexicon, type MatcherState } from '../matcher/index.ts';
import { OUT_OF_SCOPE_BACKGROUND } from './out-of-scope-background.ts';

export interface SnapshotBuildInput {
  /** In id order: training is order-dependent, and a restart must rebuild the very matcher that was published. */
  articles: Article[];
  lexicon: Lexicon;
}

export interface BuiltLanguage {
  language: ArticleLanguage;
  state: MatcherState;
  buildMs: number;
}

/** Trains every language that has articles; throws (a MatcherError, say) if one cannot be built. */
export function buildLanguages(input: SnapshotBuildInput): BuiltLanguage[] {
  const built: BuiltLanguage[] = [];
  for (const language of LANGUAGES) {
    const inLanguage = input.articles.filter((a) => a.language === language);
    if (inLanguage.length === 0) continue;
    const started = performance.now();
    const state = trainMatcher(inLanguage, { lexicon: input.lexicon, outOfScopeValidation: backgroundFor(language, inLanguage.flatMap((a) => a.questions)) });
    built.push({ language, state, buildMs: performance.now() - started });
  }
  return built;
}

/** The background out-of-scope queries, minus any this knowledge base does answer (a weather KB has weather questions). */
function backgroundFor(language: ArticleLanguage, questions: readonly string[]): string[] {
  const known = new Set(questions.map(comparable));
  return OUT_OF_SCOPE_BACKGROUND[language].filter((q) => !known.has(comparable(q)));
}

const comparable = (text: string) => cleanText(text).text.toLowerCase().replace(/[\p{P}\s]+/gu, '');
