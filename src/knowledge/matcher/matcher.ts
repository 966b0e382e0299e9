/**
 * buildMatcher: articles (their similar questions are labelled training data) → a Matcher that
 * ranks articles for a query with a calibrated confidence, an explanation and an out-of-scope
 * verdict. Pure: no IO, no clock unless injected (the default is performance.now for `ms`).
 *
 * Ranking = softmax-regression logit + knnWeight × cosine to the article's closest similar
 * question, over the model's best few candidates; knnWeight, the temperature and the
 * out-of-scope threshold are fitted on held-out questions (see calibrate.ts).
 */
import { createAnalyzer, type Language } from './analyze.ts';
import { candidateProbabilities, chooseKnnWeight, chooseTemperature, chooseThreshold, combined, type Calibration, type ValidationCase } from './calibrate.ts';
import { buildVocabulary, dot, type SparseVector, type Vocabulary } from './features.ts';
import { defaultLexicon, type Lexicon } from './lexicon.ts';
import { DEFAULT_TRAINING, seededRandom, trainSoftmax, type SoftmaxModel, type TrainingOptions } from './softmax-model.ts';
import { cleanText, MAX_QUERY_CHARS } from './text.ts';
import { explain, type Explanation } from './explain.ts';

export type { Language } from './analyze.ts';

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
  buildMs: number; calibration: Calibration; training: TrainingOptions; calibrationSource: 'validation' | 'holdout' | 'given' | 'none';
}

export interface Matcher {
  match(text: string, options?: { language?: Language; limit?: number }): MatchResponse;
  stats(): MatcherStats;
}

interface Trained { vocabulary: Vocabulary; model: SoftmaxModel; questionVectors: SparseVector[][]; questionTexts: string[][] }

export function buildMatcher(articles: Article[], options: MatcherOptions = {}): Matcher {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const analyzer = createAnalyzer(options.lexicon ?? defaultLexicon());
  const training: TrainingOptions = { ...DEFAULT_TRAINING, ...options.training };
  const maxChars = options.maxQueryChars ?? MAX_QUERY_CHARS;
  const candidates = options.candidates ?? 10;
  const ids = articles.map((a) => a.id);
  if (new Set(ids).size !== ids.length) throw new MatcherError('KB_DUPLICATE_ARTICLE', 'two articles share an id');
  const classOf = new Map(ids.map((id, i) => [id, i]));
  const languageOf = articles.map((a) => a.language);
  const featuresOf = (text: string, language: Language) => analyzer.features(cleanText(text, maxChars).text, language);
  // Keywords are short questions too: each becomes one more labelled example.
  const questionsOf = articles.map((a) => [...a.questions, ...(a.keywords ?? [])].filter((q) => cleanText(q, maxChars).text.length > 0));

  const train = (questions: string[][]): Trained => {
    const docs: string[][] = [], labels: number[] = [];
    questions.forEach((qs, c) => qs.forEach((q) => { docs.push(featuresOf(q, languageOf[c]!)); labels.push(c); }));
    const vocabulary = buildVocabulary(docs);
    const vectors = docs.map((d) => vocabulary.vectorize(d));
    const model = trainSoftmax(vectors, Int32Array.from(labels), articles.length, vocabulary.size, training);
    const questionVectors: SparseVector[][] = questions.map(() => []);
    vectors.forEach((v, i) => questionVectors[labels[i]!]!.push(v));
    return { vocabulary, model, questionVectors, questionTexts: questions };
  };

  /**
   * The best `candidates` classes by logit, with cosine to each one's closest similar question
   * (only for the first `withCosine` of them: the cosine costs a pass over their questions).
   */
  const rank = (t: Trained, x: SparseVector, allowed: (c: number) => boolean, withCosine = candidates) => {
    const logits = t.model.logits(x);
    for (let c = 0; c < logits.length; c++) if (!allowed(c)) logits[c] = -Infinity;
    const top = topK(logits, Math.min(candidates, logits.length));
    // Scatter the query once so each question's dot product is one pass over its own features.
    const dense = scratch(t.vocabulary.size);
    x.index.forEach((f, k) => { dense[f] = x.value[k]!; });
    const cand = top.map((c, rankAt) => {
      let best = 0, bestQ = -1;
      if (rankAt < withCosine) {
        t.questionVectors[c]!.forEach((q, k) => {
          let s = 0;
          for (let i = 0; i < q.index.length; i++) s += dense[q.index[i]!]! * q.value[i]!;
          if (s > best) { best = s; bestQ = k; }
        });
      }
      return { cls: c, logit: logits[c]!, cosine: best, closest: bestQ };
    });
    x.index.forEach((f) => { dense[f] = 0; });
    return { logits, cand };
  };
  let scratchArray = new Float32Array(0);
  const scratch = (size: number) => (scratchArray.length >= size ? scratchArray : (scratchArray = new Float32Array(size)));

  // --- calibration on held-out questions
  let calibration: Calibration;
  let calibrationSource: MatcherStats['calibrationSource'];
  let final: Trained;
  const fit = (t: Trained, held: { text: string; cls: number }[], oos: string[]): Calibration => {
    const cases: ValidationCase[] = held.map(({ text, cls }) => {
      const { logits, cand } = rank(t, t.vocabulary.vectorize(featuresOf(text, languageOf[cls]!)), () => true);
      const inCand = new Set(cand.map((c) => c.cls));
      return { logits: cand.map((c) => c.logit), cosines: cand.map((c) => c.cosine), truth: cand.findIndex((c) => c.cls === cls), rest: logits.filter((_, c) => !inCand.has(c)) };
    });
    const { knnWeight, knnSweep } = chooseKnnWeight(cases);
    const temperature = chooseTemperature(cases, knnWeight);
    const confidenceOf = (c: Pick<ValidationCase, 'logits' | 'cosines' | 'rest'>) => {
      const z = combined(c, knnWeight);
      const p = candidateProbabilities(z, c.rest, temperature);
      const best = z.indexOf(Math.max(...z));
      return { best, confidence: p[best]! };
    };
    const inScope = cases.map((c) => { const r = confidenceOf(c); return { confidence: r.confidence, correct: r.best === c.truth }; });
    const outScores = oos.map((text) => {
      const { logits, cand } = rank(t, t.vocabulary.vectorize(featuresOf(text, languageOf[0]!)), () => true);
      const inCand = new Set(cand.map((c) => c.cls));
      return confidenceOf({ logits: cand.map((c) => c.logit), cosines: cand.map((c) => c.cosine), rest: logits.filter((_, c) => !inCand.has(c)) }).confidence;
    });
    return { knnWeight, temperature, knnSweep, ...chooseThreshold(inScope, outScores, options.targetInScopeLoss ?? 0.05) };
  };

  if (options.calibration) {
    final = train(questionsOf);
    calibration = { ...options.calibration, thresholdRule: 'given' };
    calibrationSource = 'given';
  } else if (options.validation?.length) {
    final = train(questionsOf);
    const held = options.validation.filter((v) => classOf.has(v.id)).map((v) => ({ text: v.text, cls: classOf.get(v.id)! }));
    calibration = fit(final, held, options.outOfScopeValidation ?? []);
    calibrationSource = 'validation';
  } else {
    // Hold out a share of each well-populated article's questions, fit on them, then retrain on all.
    const random = seededRandom(training.seed + 7);
    const fraction = options.holdoutFraction ?? 0.15;
    const held: { text: string; cls: number }[] = [];
    const kept = questionsOf.map((qs, c) => qs.filter((q) => {
      if (qs.length < 4 || random() >= fraction) return true;
      held.push({ text: q, cls: c });
      return false;
    }));
    if (held.length >= 5) {
      calibration = fit(train(kept), held, options.outOfScopeValidation ?? []);
      calibrationSource = 'holdout';
    } else {
      calibration = { knnWeight: 1, temperature: 1, threshold: 0, thresholdRule: 'given' };
      calibrationSource = 'none';
    }
    final = train(questionsOf);
  }
  const buildMs = now() - started;
  const languages = [...new Set(languageOf)];

  return {
    match(text, query = {}) {
      const t0 = now();
      const clean = cleanText(text, maxChars);
      const warnings = clean.truncated ? [`query truncated from ${clean.originalLength} to ${maxChars} characters`] : [];
      const limit = Math.max(1, Math.min(query.limit ?? 3, 50));
      const language: Language = query.language ?? (/\p{Script=Han}/u.test(clean.text) ? 'zh-CN' : 'en');
      const x = final.vocabulary.vectorize(analyzer.features(clean.text, language));
      if (x.index.length === 0 || articles.length === 0) {
        return { results: [], outOfScope: true, ms: now() - t0, truncated: clean.truncated, warnings: [...warnings, 'no known words in the query'] };
      }
      const allowed = languages.length > 1 && query.language ? (c: number) => languageOf[c] === query.language : () => true;
      const { logits, cand } = rank(final, x, allowed, calibration.knnWeight > 0 ? candidates : limit);
      const live = cand.filter((c) => Number.isFinite(c.logit));
      const inCand = new Set(live.map((c) => c.cls));
      const rest = logits.filter((l, c) => !inCand.has(c) && Number.isFinite(l));
      const z = combined({ logits: live.map((c) => c.logit), cosines: live.map((c) => c.cosine) }, calibration.knnWeight);
      const p = candidateProbabilities(z, rest, calibration.temperature);
      const order = live.map((_, i) => i).sort((a, b) => z[b]! - z[a]! || live[a]!.cls - live[b]!.cls).slice(0, limit);
      const results = order.map((i) => {
        const c = live[i]!;
        return {
          id: ids[c.cls]!, score: round(z[i]!), confidence: round(p[i]!),
          explanation: explain(x, c.cls, final.model, final.vocabulary, c.closest >= 0 ? { text: final.questionTexts[c.cls]![c.closest]!, similarity: round(c.cosine) } : undefined),
        };
      });
      const outOfScope = results.length === 0 || results[0]!.confidence < calibration.threshold;
      return { results, outOfScope, ms: now() - t0, truncated: clean.truncated, warnings };
    },
    stats: () => ({
      articles: articles.length, questions: questionsOf.reduce((n, q) => n + q.length, 0), languages,
      vocabulary: final.vocabulary.size, parameters: final.model.parameters, buildMs, calibration, training, calibrationSource,
    }),
  };
}

export class MatcherError extends Error {
  constructor(readonly code: 'KB_DUPLICATE_ARTICLE', message: string) { super(message); }
}

const round = (n: number) => Math.round(n * 1e4) / 1e4;

/** Indices of the k largest finite values, largest first (ties: lower index first). */
function topK(values: Float64Array, k: number): number[] {
  const best: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (best.length < k || v > values[best[best.length - 1]!]!) {
      let pos = best.length;
      while (pos > 0 && values[best[pos - 1]!]! < v) pos--;
      best.splice(pos, 0, i);
      if (best.length > k) best.pop();
    }
  }
  return best;
}
