/**
 * Training: articles (their similar questions are labelled training data) → a MatcherState.
 * The softmax model is trained on the questions; knnWeight, the temperature and the
 * out-of-scope threshold are fitted on held-out questions (see calibrate.ts). Pure: no IO, and
 * the only clock read is for `buildMs`.
 */
import { createAnalyzer, type Language } from './analyze.ts';
import { candidateProbabilities, chooseKnnWeight, chooseTemperature, chooseThreshold, combined, type Calibration, type ValidationCase } from './calibrate.ts';
import { buildVocabulary } from './features.ts';
import { defaultLexicon } from './lexicon.ts';
import type { Article, MatcherOptions } from './matcher.ts';
import type { CalibrationSource, MatcherState, QuestionsState } from './matcher-state.ts';
import { packStrings } from './packed-strings.ts';
import { createRanker } from './rank.ts';
import { biasBaseline, restFromBias, restValues, type RestLogits } from './rest-logits.ts';
import { DEFAULT_TRAINING, seededRandom, trainSoftmax, type SoftmaxModel, type TrainingOptions } from './softmax-model.ts';
import { cleanText, MAX_QUERY_CHARS } from './text.ts';

export class MatcherError extends Error {
  constructor(readonly code: 'KB_DUPLICATE_ARTICLE', message: string) { super(message); }
}

/** One training question: its text and its analysed features (analysed once, used by every training). */
interface Question { text: string; features: string[] }

export function trainMatcher(articles: Article[], options: MatcherOptions = {}): MatcherState {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const lexicon = options.lexicon ?? defaultLexicon();
  const analyzer = createAnalyzer(lexicon);
  const training: TrainingOptions = { ...DEFAULT_TRAINING, ...options.training };
  const maxChars = options.maxQueryChars ?? MAX_QUERY_CHARS;
  const candidates = options.candidates ?? 10;
  const ids = articles.map((a) => a.id);
  if (new Set(ids).size !== ids.length) throw new MatcherError('KB_DUPLICATE_ARTICLE', 'two articles share an id');
  const classOf = new Map(ids.map((id, i) => [id, i]));
  const languageOf = articles.map((a) => a.language);
  const featuresOf = (text: string, language: Language) => analyzer.features(cleanText(text, maxChars).text, language);
  // Keywords are short questions too: each becomes one more labelled example.
  const questionsOf: Question[][] = articles.map((a, c) => [...a.questions, ...(a.keywords ?? [])]
    .filter((q) => cleanText(q, maxChars).text.length > 0)
    .map((text) => ({ text, features: featuresOf(text, languageOf[c]!) })));

  const train = (questions: Question[][]) => {
    const docs: string[][] = [], labels: number[] = [];
    questions.forEach((qs, c) => qs.forEach((q) => { docs.push(q.features); labels.push(c); }));
    const vocabulary = buildVocabulary(docs);
    const vectors = docs.map((d) => vocabulary.vectorize(d));
    const model = trainSoftmax(vectors, Int32Array.from(labels), articles.length, vocabulary.size, training);
    // Documents are in class order, so each class's questions are one run.
    const classStart = new Int32Array(articles.length + 1);
    questions.forEach((qs, c) => { classStart[c + 1] = classStart[c]! + qs.length; });
    const vectorStart = new Int32Array(vectors.length + 1);
    vectors.forEach((v, q) => { vectorStart[q + 1] = vectorStart[q]! + v.index.length; });
    const index = new Int32Array(vectorStart[vectors.length]!), value = new Float32Array(index.length);
    vectors.forEach((v, q) => { index.set(v.index, vectorStart[q]!); value.set(v.value, vectorStart[q]!); });
    const texts = packStrings(questions.flatMap((qs) => qs.map((q) => q.text)));
    const questionsState: QuestionsState = { classStart, vectorStart, index, value, texts };
    return { vocabulary, model, questions: questionsState, ranker: createRanker(model, questionsState, vocabulary.size, candidates) };
  };
  type Trained = ReturnType<typeof train>;

  const fit = (t: Trained, held: { features: string[]; cls: number }[], oos: string[]): Calibration => {
    const restOf = restBuilder(t.model);
    const buffer = new Float64Array(articles.length);
    const scoreOf = (features: string[]) => {
      const { logits, cand } = t.ranker.rank(t.vocabulary.vectorize(features), undefined, candidates, buffer);
      return { cand, rest: restOf(logits, cand.map((c) => c.cls)) };
    };
    const cases: ValidationCase[] = held.map(({ features, cls }) => {
      const { cand, rest } = scoreOf(features);
      return { logits: cand.map((c) => c.logit), cosines: cand.map((c) => c.cosine), truth: cand.findIndex((c) => c.cls === cls), rest };
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
      const { cand, rest } = scoreOf(featuresOf(text, languageOf[0]!));
      return confidenceOf({ logits: cand.map((c) => c.logit), cosines: cand.map((c) => c.cosine), rest }).confidence;
    });
    return { knnWeight, temperature, knnSweep, ...chooseThreshold(inScope, outScores, options.targetInScopeLoss ?? 0.05) };
  };

  let calibration: Calibration;
  let calibrationSource: CalibrationSource;
  let final: Trained;
  if (options.calibration) {
    final = train(questionsOf);
    calibration = { ...options.calibration, thresholdRule: 'given' };
    calibrationSource = 'given';
  } else if (options.validation?.length) {
    final = train(questionsOf);
    const held = options.validation.filter((v) => classOf.has(v.id)).map((v) => {
      const cls = classOf.get(v.id)!;
      return { features: featuresOf(v.text, languageOf[cls]!), cls };
    });
    calibration = fit(final, held, options.outOfScopeValidation ?? []);
    calibrationSource = 'validation';
  } else {
    // Hold out a share of each well-populated article's questions, fit on them, then retrain on all.
    const random = seededRandom(training.seed + 7);
    const fraction = options.holdoutFraction ?? 0.15;
    const held: { features: string[]; cls: number }[] = [];
    const kept = questionsOf.map((qs, c) => qs.filter((q) => {
      if (qs.length < 4 || random() >= fraction) return true;
      held.push({ features: q.features, cls: c });
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

  const languageNames = [...new Set(languageOf)];
  return {
    ids: packStrings(ids),
    languageOf: Int32Array.from(languageOf, (l) => languageNames.indexOf(l)),
    languageNames,
    lexicon,
    vocabulary: final.vocabulary.state(),
    model: final.model.state(),
    questions: final.questions,
    questionCount: questionsOf.reduce((n, q) => n + q.length, 0),
    calibration, calibrationSource, training,
    buildMs: now() - started,
    maxQueryChars: maxChars,
    candidates,
  };
}

/**
 * How a held-out question's non-candidate logits are kept for calibration: for a sparse model,
 * as the few that differ from the bias (see rest-logits.ts); for a dense one, as values.
 */
function restBuilder(model: SoftmaxModel): (logits: Float64Array, candidates: number[]) => RestLogits {
  const state = model.state();
  if (!state.dense) {
    const baseline = biasBaseline(state.bias);
    return (logits, cand) => restFromBias(baseline, logits, cand);
  }
  return (logits, cand) => {
    const inCand = new Set(cand);
    return restValues(logits.filter((_, c) => !inCand.has(c)));
  };
}
