/**
 * The logits of every class outside a query's candidates. They only ever enter the softmax
 * denominator, Σ exp((r − max) / temperature), but fitting the temperature needs that sum for
 * each held-out question at each of 41 temperatures: with 10k articles that was 41 × 9,000 ×
 * 10,000 exponentials, most of the publish.
 *
 * In a sparse model (large knowledge bases) a query only moves the logits of the classes its
 * features support; every other class keeps logit = its bias. So the sum splits into a part over
 * all biases, the same for every question and computed once per temperature, minus the few
 * classes the question moved, plus those classes' own logits: time proportional to what the
 * question touched. Dense models (a few hundred articles) keep the plain loop, bit for bit.
 */

export interface RestLogits {
  /** `sum` plus exp((r − max) / t) of each rest logit r, added one by one in class order (as a plain loop would). */
  addExp(sum: number, max: number, temperature: number): number;
  /**
   * The same total to about 1e-12 relative, for fitting the temperature. `max` must be at least
   * every rest logit (it is the best candidate's score).
   */
  addExpFast(sum: number, max: number, temperature: number): number;
}

/** Rest logits held as values (in class order). */
export function restValues(values: Float64Array): RestLogits {
  const addExp = (sum: number, max: number, temperature: number) => {
    for (let i = 0; i < values.length; i++) sum += Math.exp((values[i]! - max) / temperature);
    return sum;
  };
  return { addExp, addExpFast: addExp };
}

/**
 * What all of one model's questions share: the biases, Σ over every class of
 * exp((bias − maxBias) / t) per temperature, and the classes in falling order of bias.
 */
export interface BiasBaseline {
  bias: Float64Array;
  maxBias: number;
  sumAt(temperature: number): number;
  /** Class ids, highest bias first. */
  byBias: Int32Array;
  /** Scratch marks for one sum at a time (see restFromBias). */
  marks: Int32Array;
  nextMark(): number;
}

export function biasBaseline(bias: Float64Array): BiasBaseline {
  let maxBias = -Infinity;
  for (let c = 0; c < bias.length; c++) if (bias[c]! > maxBias) maxBias = bias[c]!;
  const sums = new Map<number, number>();
  let mark = 0;
  return {
    bias, maxBias,
    sumAt(temperature) {
      let sum = sums.get(temperature);
      if (sum === undefined) {
        sum = 0;
        for (let c = 0; c < bias.length; c++) sum += Math.exp((bias[c]! - maxBias) / temperature);
        sums.set(temperature, sum);
      }
      return sum;
    },
    byBias: Int32Array.from(bias.keys()).sort((a, b) => bias[b]! - bias[a]! || a - b),
    marks: new Int32Array(bias.length),
    nextMark: () => ++mark,
  };
}

// A term this much smaller than the sum so far (times the class count) cannot change it.
const NEGLIGIBLE = 2 ** -60;

/**
 * Rest logits of one query on a sparse model: only the classes whose logit differs from their
 * bias are kept (`logits` is read now and may be reused afterwards).
 * `candidates` are the classes left out of the rest.
 */
export function restFromBias(baseline: BiasBaseline, logits: Float64Array, candidates: readonly number[]): RestLogits {
  const { bias, maxBias, byBias, marks } = baseline;
  const skip = Int32Array.from(candidates).sort();
  const moved: number[] = [];
  for (let c = 0, k = 0; c < logits.length; c++) {
    if (k < skip.length && skip[k] === c) { k++; continue; }
    if (logits[c] !== bias[c]) moved.push(c);
  }
  const movedClass = Int32Array.from(moved);
  const movedLogit = Float64Array.from(moved, (c) => logits[c]!);

  const addExp = (sum: number, max: number, temperature: number) => {
    for (let c = 0, k = 0, m = 0; c < bias.length; c++) {
      if (k < skip.length && skip[k] === c) { k++; continue; }
      const r = m < movedClass.length && movedClass[m] === c ? movedLogit[m++]! : bias[c]!;
      sum += Math.exp((r - max) / temperature);
    }
    return sum;
  };

  /**
   * Σ exp((bias − max) / t) over the classes the query left at their bias, walking them from the
   * highest bias down and stopping once the rest cannot add anything: at low temperatures a
   * handful of classes carry the whole sum.
   */
  const unmovedByWalk = (max: number, temperature: number) => {
    const mark = baseline.nextMark();
    for (let k = 0; k < skip.length; k++) marks[skip[k]!] = mark;
    for (let m = 0; m < movedClass.length; m++) marks[movedClass[m]!] = mark;
    let top = NaN, sum = 0;
    for (let i = 0; i < byBias.length; i++) {
      const c = byBias[i]!;
      if (marks[c] === mark) continue;
      // Relative to the highest unmoved bias (≤ max): every term ≤ 1, nothing overflows.
      if (Number.isNaN(top)) top = bias[c]!;
      const term = Math.exp((bias[c]! - top) / temperature);
      if (term * byBias.length < sum * NEGLIGIBLE) break;
      sum += term;
    }
    return Number.isNaN(top) ? 0 : Math.exp((top - max) / temperature) * sum;
  };

  return {
    addExp,
    addExpFast(sum, max, temperature) {
      let moved = 0;
      for (let m = 0; m < movedClass.length; m++) moved += Math.exp((movedLogit[m]! - max) / temperature);
      const all = baseline.sumAt(temperature);
      let left = 0;
      for (let k = 0; k < skip.length; k++) left += Math.exp((bias[skip[k]!]! - maxBias) / temperature);
      for (let m = 0; m < movedClass.length; m++) left += Math.exp((bias[movedClass[m]!]! - maxBias) / temperature);
      // Subtracting most of the total would cancel away the precision: walk the classes instead.
      if (!(all - left >= 0.5 * all)) return sum + unmovedByWalk(max, temperature) + moved;
      // Unmoved classes have logit = bias ≤ max and hold at least half of `all` (≥ 1/2), so this
      // factor is at most 2 × classes: no overflow.
      return sum + Math.exp((maxBias - max) / temperature) * (all - left) + moved;
    },
  };
}
