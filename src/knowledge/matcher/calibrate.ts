/**
 * Fitting the matcher's three free numbers on held-out questions, never on the training ones:
 *   knnWeight   how much the closest similar question's cosine adds to the model's logit,
 *               chosen by top-1 accuracy (0 when it does not help);
 *   temperature softmax temperature that makes confidence calibrated (minimum NLL);
 *   threshold   confidence below which the answer is "no article".
 */
import type { RestLogits } from './rest-logits.ts';

export interface Calibration {
  knnWeight: number;
  temperature: number;
  threshold: number;
  /** How the threshold was chosen, for stats() and the bench report. */
  thresholdRule: 'balanced-oos-validation' | 'in-scope-loss-target' | 'given';
  /** Held-out top-1 at each knnWeight tried: the measurement behind the choice. */
  knnSweep?: { weight: number; top1: number }[];
}

/** One held-out in-scope question: its candidates' logits and cosines and where the truth is. */
export interface ValidationCase {
  /** logit per candidate (best few classes by logit) */
  logits: number[];
  cosines: number[];
  /** index of the true class among the candidates, -1 if it is not among them */
  truth: number;
  /** logits of every other class: they share the softmax denominator at whatever temperature is tried */
  rest: RestLogits;
}

export const KNN_WEIGHTS = [0, 0.5, 1, 2, 3, 4, 6, 8, 12, 16, 24, 32];
const TEMPERATURES = Array.from({ length: 41 }, (_, i) => 0.1 * 1.15 ** i);

export function combined(c: Pick<ValidationCase, 'logits' | 'cosines'>, knnWeight: number): number[] {
  return c.logits.map((l, i) => l + knnWeight * c.cosines[i]!);
}

export function chooseKnnWeight(cases: ValidationCase[]): { knnWeight: number; knnSweep: { weight: number; top1: number }[] } {
  let best = 0, bestCorrect = -1;
  const knnSweep: { weight: number; top1: number }[] = [];
  for (const w of KNN_WEIGHTS) {
    let correct = 0;
    for (const c of cases) {
      const z = combined(c, w);
      if (c.truth >= 0 && z.indexOf(Math.max(...z)) === c.truth) correct++;
    }
    knnSweep.push({ weight: w, top1: Math.round((correct / Math.max(1, cases.length)) * 1e4) / 1e4 });
    if (correct > bestCorrect) { best = w; bestCorrect = correct; }
  }
  return { knnWeight: best, knnSweep };
}

/** Probability of each candidate at a temperature; non-candidates count in the denominator. */
export function candidateProbabilities(z: number[], rest: RestLogits, temperature: number): number[] {
  const max = Math.max(...z);
  let sum = 0;
  for (const v of z) sum += Math.exp((v - max) / temperature);
  sum = rest.addExp(sum, max, temperature);
  return z.map((v) => Math.exp((v - max) / temperature) / sum);
}

/** The temperature of minimum negative log-likelihood of the truth over the held-out cases. */
export function chooseTemperature(cases: ValidationCase[], knnWeight: number): number {
  // The combined scores do not depend on the temperature: once per case, not once per try.
  const scored = cases.map((c) => {
    if (c.truth < 0) return undefined;
    const z = combined(c, knnWeight);
    return { z, max: Math.max(...z), truth: z[c.truth]!, rest: c.rest };
  });
  let best = 1, bestNll = Infinity;
  for (const t of TEMPERATURES) {
    let nll = 0;
    for (const c of scored) {
      let p = 1e-6;
      if (c) {
        let sum = 0;
        for (const v of c.z) sum += Math.exp((v - c.max) / t);
        sum = c.rest.addExpFast(sum, c.max, t);
        p = Math.exp((c.truth - c.max) / t) / sum;
      }
      nll -= Math.log(Math.max(p, 1e-12));
    }
    if (nll < bestNll) { best = t; bestNll = nll; }
  }
  return best;
}

/**
 * With out-of-scope validation queries: the threshold that maximises the mean of in-scope
 * accuracy (a rejected in-scope query counts as wrong) and out-of-scope recall. Without them:
 * the highest threshold that rejects at most `targetInScopeLoss` of in-scope questions.
 */
export function chooseThreshold(inScope: { confidence: number; correct: boolean }[], outOfScope: number[], targetInScopeLoss: number): Pick<Calibration, 'threshold' | 'thresholdRule'> {
  if (outOfScope.length > 0 && inScope.length > 0) {
    const candidates = [...new Set([0, ...inScope.map((c) => c.confidence), ...outOfScope])].sort((a, b) => a - b);
    // Thresholds in rising order with two pointers over sorted confidences: one pass, not one
    // pass per threshold (that was quadratic in the held-out questions).
    const correct = inScope.filter((c) => c.correct).map((c) => c.confidence).sort((a, b) => a - b);
    const out = [...outOfScope].sort((a, b) => a - b);
    let best = 0, bestScore = -1, correctBelow = 0, outBelow = 0;
    for (const t of candidates) {
      while (correctBelow < correct.length && correct[correctBelow]! < t) correctBelow++;
      while (outBelow < out.length && out[outBelow]! < t) outBelow++;
      const acc = (correct.length - correctBelow) / inScope.length;
      const recall = outBelow / outOfScope.length;
      if ((acc + recall) / 2 > bestScore) { bestScore = (acc + recall) / 2; best = t; }
    }
    return { threshold: best, thresholdRule: 'balanced-oos-validation' };
  }
  const sorted = inScope.map((c) => c.confidence).sort((a, b) => a - b);
  const k = Math.floor(sorted.length * targetInScopeLoss);
  return { threshold: sorted.length ? sorted[k]! : 0, thresholdRule: 'in-scope-loss-target' };
}
