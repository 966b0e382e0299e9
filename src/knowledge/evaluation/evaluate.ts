/**
 * The knowledge-base benchmark, shared by `npm run bench -- kb` and `deskline kb bench`: each
 * label is an article, its training utterances its similar questions; test utterances are
 * scored. Pure apart from the clock used for timings.
 */
import { buildMatcher, type Language, type MatcherOptions, type MatcherStats } from '../matcher/index.ts';
import { buildCentroidBaseline, type Labelled } from './centroid-baseline.ts';

export interface EvaluationInput {
  train: Labelled[];
  test: Labelled[];
  /** Held-out in-scope questions for calibration (knn weight, temperature, threshold). */
  validation?: Labelled[];
  /** Held-out out-of-scope queries for the threshold. */
  outOfScopeValidation?: string[];
  /** Out-of-scope test queries: their recall is reported. */
  outOfScopeTest?: string[];
  language: Language;
  matcherOptions?: MatcherOptions;
  withBaseline?: boolean;
}

export interface EvaluationReport {
  top1: number; top3: number;
  /** top-1 counting a query flagged out-of-scope as wrong */
  top1WithThreshold: number;
  oosRecall: number | null; inScopeLoss: number;
  p50Ms: number; p99Ms: number; buildMs: number;
  train: number; test: number; labels: number;
  stats: MatcherStats;
  baseline?: { top1: number; top3: number; buildMs: number };
}

export function articlesFrom(train: Labelled[], language: Language) {
  const byLabel = new Map<string, string[]>();
  for (const t of train) { const list = byLabel.get(t.label) ?? []; list.push(t.text); byLabel.set(t.label, list); }
  return [...byLabel].map(([id, questions]) => ({ id, language, questions }));
}

export function evaluate(input: EvaluationInput, progress: (line: string) => void = () => {}): EvaluationReport {
  const t0 = performance.now();
  const matcher = buildMatcher(articlesFrom(input.train, input.language), {
    ...input.matcherOptions,
    ...(input.validation ? { validation: input.validation.map((v) => ({ text: v.text, id: v.label })) } : {}),
    ...(input.outOfScopeValidation ? { outOfScopeValidation: input.outOfScopeValidation } : {}),
  });
  const buildMs = performance.now() - t0;
  progress(`built matcher on ${input.train.length} questions in ${Math.round(buildMs)} ms`);
  let top1 = 0, top3 = 0, top1Threshold = 0, rejected = 0;
  const latencies: number[] = [];
  for (const q of input.test) {
    const s = performance.now();
    const r = matcher.match(q.text, { language: input.language, limit: 3 });
    latencies.push(performance.now() - s);
    const at = r.results.findIndex((x) => x.id === q.label);
    if (at === 0) top1++;
    if (at >= 0 && at < 3) top3++;
    if (r.outOfScope) rejected++; else if (at === 0) top1Threshold++;
  }
  let oosRecall: number | null = null;
  if (input.outOfScopeTest?.length) {
    let flagged = 0;
    for (const text of input.outOfScopeTest) {
      const s = performance.now();
      if (matcher.match(text, { language: input.language }).outOfScope) flagged++;
      latencies.push(performance.now() - s);
    }
    oosRecall = flagged / input.outOfScopeTest.length;
  }
  const n = input.test.length || 1;
  const report: EvaluationReport = {
    top1: ratio(top1 / n), top3: ratio(top3 / n), top1WithThreshold: ratio(top1Threshold / n),
    oosRecall: oosRecall === null ? null : ratio(oosRecall), inScopeLoss: ratio(rejected / n),
    p50Ms: ms(percentile(latencies, 50)), p99Ms: ms(percentile(latencies, 99)), buildMs: Math.round(buildMs),
    train: input.train.length, test: input.test.length, labels: new Set(input.train.map((t) => t.label)).size, stats: matcher.stats(),
  };
  if (input.withBaseline) {
    const b0 = performance.now();
    const baseline = buildCentroidBaseline(input.train, input.language);
    const bBuild = performance.now() - b0;
    let b1 = 0, b3 = 0;
    for (const q of input.test) {
      const r = baseline.rank(q.text, 3).findIndex((x) => x.label === q.label);
      if (r === 0) b1++;
      if (r >= 0) b3++;
    }
    report.baseline = { top1: ratio(b1 / n), top3: ratio(b3 / n), buildMs: Math.round(bBuild) };
  }
  return report;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
const ratio = (x: number) => Math.round(x * 10000) / 10000;
const ms = (x: number) => Math.round(x * 1000) / 1000;
