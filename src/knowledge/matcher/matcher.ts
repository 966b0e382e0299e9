/**
 * buildMatcher: articles (their similar questions are labelled training data) → a Matcher that
 * ranks articles for a query with a calibrated confidence, an explanation and an out-of-scope
 * verdict. Pure: no IO, no clock unless injected (the default is performance.now for `ms`).
 *
 * Ranking = softmax-regression logit + knnWeight × cosine to the article's closest similar
 * question, over the model's best few candidates; knnWeight, the temperature and the
 * out-of-scope threshold are fitted on held-out questions (see calibrate.ts).
 *
 * Building is two steps, so that the heavy one can run on another thread: trainMatcher
 * (train-matcher.ts) makes a MatcherState of plain typed arrays, and matcherFromState serves
 * from it without rebuilding anything. buildMatcher does both in one go.
 */
import { createAnalyzer, type Language } from './analyze.ts';
import { candidateProbabilities, combined, type Calibration } from './calibrate.ts';
import { vocabularyFrom } from './features.ts';
import type { Lexicon } from './lexicon.ts';
import type { CalibrationSource, MatcherState } from './matcher-state.ts';
import { packedCount, stringAt } from './packed-strings.ts';
import { createRanker } from './rank.ts';
import { restValues } from './rest-logits.ts';
import { softmaxModelFrom, type TrainingOptions } from './softmax-model.ts';
import { cleanText } from './text.ts';
import { explain, type Explanation } from './explain.ts';
import { trainMatcher } from './train-matcher.ts';

export type { Language } from './analyze.ts';
export { MatcherError, trainMatcher } from './train-matcher.ts';

export interface Article { id: string; language: Language; questions: string[]; keywords?: string[] }

export interface MatcherOptions {
  lexicon?: Lexicon;
  training?: Partial<TrainingOptions>;
  /** Held-out labelled questions (article id) for calibration. Without them a share of each article's questions is held out. */
  validation?: { text: string; id: string }[];
  /** Held-out queries that match no article: lets the threshold trade in-scope loss for out-of-scope recall. */
  outOfScopeValidation?: string[];
  /** Skip fitting and use these (all three must be given). */
  calibration?: Pick<Calibration, 'knnWeight' | 'temperature' | 'threshold'>;
  /** Share of questions held out when no validation set is given (articles with ≥ 4 questions only). */
  holdoutFraction?: number;
  /** Without out-of-scope validation: the share of in-scope questions the threshold may reject. */
  targetInScopeLoss?: number;
  /** How many of the model's best articles are re-ranked with the similar-question cosine. */
  candidates?: number;
  maxQueryChars?: number;
  now?: () => number;
}

export interface MatchResult { id: string; score: number; confidence: number; explanation: Explanation }
export interface MatchResponse {
  results: MatchResult[];
  outOfScope: boolean;
  ms: number;
  /** The query was longer than the maximum and only its start was used. */
  truncated: boolean;
  warnings: string[];
}

export interface MatcherStats {
  articles: number; questions: number; languages: Language[]; vocabulary: number; parameters: number;
  buildMs: number; calibration: Calibration; training: TrainingOptions; calibrationSource: CalibrationSource;
}

export interface Matcher {
  match(text: string, options?: { language?: Language; limit?: number }): MatchResponse;
  stats(): MatcherStats;
}

export function buildMatcher(articles: Article[], options: MatcherOptions = {}): Matcher {
  return matcherFromState(trainMatcher(articles, options), options);
}

/** Serves a trained state as it is (its arrays are used, not copied): cheap on any thread. */
export function matcherFromState(state: MatcherState, options: { now?: () => number } = {}): Matcher {
  const now = options.now ?? (() => performance.now());
  const analyzer = createAnalyzer(state.lexicon);
  const { calibration, candidates, maxQueryChars: maxChars, languageOf, languageNames } = state;
  const vocabulary = vocabularyFrom(state.vocabulary);
  const model = softmaxModelFrom(state.model);
  const ranker = createRanker(model, state.questions, vocabulary.size, candidates);
  const classes = packedCount(state.ids);
  const { classStart, texts } = state.questions;

  return {
    match(text, query = {}) {
      const t0 = now();
      const clean = cleanText(text, maxChars);
      const warnings = clean.truncated ? [`query truncated from ${clean.originalLength} to ${maxChars} characters`] : [];
      const limit = Math.max(1, Math.min(query.limit ?? 3, 50));
      const language: Language = query.language ?? (/\p{Script=Han}/u.test(clean.text) ? 'zh-CN' : 'en');
      const x = vocabulary.vectorize(analyzer.features(clean.text, language));
      if (x.index.length === 0 || classes === 0) {
        return { results: [], outOfScope: true, ms: now() - t0, truncated: clean.truncated, warnings: [...warnings, 'no known words in the query'] };
      }
      const allowed = languageNames.length > 1 && query.language ? (c: number) => languageNames[languageOf[c]!] === query.language : undefined;
      const { logits, cand } = ranker.rank(x, allowed, calibration.knnWeight > 0 ? candidates : limit);
      const live = cand.filter((c) => Number.isFinite(c.logit));
      const inCand = new Set(live.map((c) => c.cls));
      const rest = logits.filter((l, c) => !inCand.has(c) && Number.isFinite(l));
      const z = combined({ logits: live.map((c) => c.logit), cosines: live.map((c) => c.cosine) }, calibration.knnWeight);
      const p = candidateProbabilities(z, restValues(rest), calibration.temperature);
      const order = live.map((_, i) => i).sort((a, b) => z[b]! - z[a]! || live[a]!.cls - live[b]!.cls).slice(0, limit);
      const results = order.map((i) => {
        const c = live[i]!;
        return {
          id: stringAt(state.ids, c.cls), score: round(z[i]!), confidence: round(p[i]!),
          explanation: explain(x, c.cls, model, vocabulary, c.closest >= 0 ? { text: stringAt(texts, classStart[c.cls]! + c.closest), similarity: round(c.cosine) } : undefined),
        };
      });
      const outOfScope = results.length === 0 || results[0]!.confidence < calibration.threshold;
      return { results, outOfScope, ms: now() - t0, truncated: clean.truncated, warnings };
    },
    stats: () => ({
      articles: classes, questions: state.questionCount, languages: [...languageNames],
      vocabulary: vocabulary.size, parameters: model.parameters, buildMs: state.buildMs, calibration, training: state.training, calibrationSource: state.calibrationSource,
    }),
  };
}

const round = (n: number) => Math.round(n * 1e4) / 1e4;
