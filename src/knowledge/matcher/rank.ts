/**
 * Candidate ranking shared by calibration and matching: the model's best few classes by logit,
 * each with the cosine to its closest training question (the k-NN part of the score).
 */
import type { SparseVector } from './features.ts';
import type { QuestionsState } from './matcher-state.ts';
import type { SoftmaxModel } from './softmax-model.ts';

export interface Candidate { cls: number; logit: number; cosine: number; closest: number }

export interface Ranker {
  /**
   * The best `candidates` classes by logit (of the `allowed` ones; undefined: all), with cosine
   * to each one's closest question (only for the first `withCosine` of them: the cosine costs a
   * pass over their questions). `out`,
   * if given, receives the logits (saves an allocation per call when ranking many questions).
   */
  rank(x: SparseVector, allowed: ((c: number) => boolean) | undefined, withCosine?: number, out?: Float64Array): { logits: Float64Array; cand: Candidate[] };
}

export function createRanker(model: SoftmaxModel, questions: QuestionsState, features: number, candidates: number): Ranker {
  const { classStart, vectorStart, index, value } = questions;
  // The query scattered once, so each question's dot product is one pass over its own features.
  const dense = new Float32Array(features);
  return {
    rank(x, allowed, withCosine = candidates, out) {
      const logits = model.logits(x, out);
      if (allowed) for (let c = 0; c < logits.length; c++) if (!allowed(c)) logits[c] = -Infinity;
      const top = topK(logits, Math.min(candidates, logits.length));
      x.index.forEach((f, k) => { dense[f] = x.value[k]!; });
      const cand = top.map((c, rankAt) => {
        let best = 0, bestQ = -1;
        if (rankAt < withCosine) {
          for (let q = classStart[c]!, end = classStart[c + 1]!; q < end; q++) {
            let s = 0;
            for (let i = vectorStart[q]!, stop = vectorStart[q + 1]!; i < stop; i++) s += dense[index[i]!]! * value[i]!;
            if (s > best) { best = s; bestQ = q - classStart[c]!; }
          }
        }
        return { cls: c, logit: logits[c]!, cosine: best, closest: bestQ };
      });
      x.index.forEach((f) => { dense[f] = 0; });
      return { logits, cand };
    },
  };
}

/** Indices of the k largest finite values, largest first (ties: lower index first). */
export function topK(values: Float64Array, k: number): number[] {
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
