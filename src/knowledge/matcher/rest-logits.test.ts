import test from 'ava';
import { biasBaseline, restFromBias, restValues } from './rest-logits.ts';
import { seededRandom } from './softmax-model.ts';

const TEMPERATURES = [0.1, 0.3, 1, 3, 27];

/** A sparse model's situation: most logits at their bias, a few moved, candidates taken out. */
function scene(seed: number, classes: number, moved: number, spread: number) {
  const random = seededRandom(seed);
  const bias = Float64Array.from({ length: classes }, () => (random() - 0.5) * spread);
  const logits = Float64Array.from(bias);
  for (let i = 0; i < moved; i++) logits[Math.floor(random() * classes)]! += (random() - 0.5) * 4 * spread;
  const order = [...logits.keys()].sort((a, b) => logits[b]! - logits[a]!);
  const candidates = order.slice(0, 10);
  const max = logits[order[0]!]! + random();
  const rest = Float64Array.from([...logits.keys()].filter((c) => !candidates.includes(c)), (c) => logits[c]!);
  return { bias, logits, candidates, max, rest };
}

test('given a sparse query, when the rest is summed exactly, then it equals the plain loop over the rest logits bit for bit', (t) => {
  for (let seed = 1; seed <= 5; seed++) {
    const { bias, logits, candidates, max, rest } = scene(seed, 2_000, 300, 6);
    const sparse = restFromBias(biasBaseline(bias), logits, candidates);
    for (const temperature of TEMPERATURES) t.is(sparse.addExp(1.5, max, temperature), restValues(rest).addExp(1.5, max, temperature));
  }
});

test('given sparse queries, when the rest is summed fast, then it agrees with the exact sum to 1e-9', (t) => {
  for (let seed = 1; seed <= 20; seed++) {
    // Wide spreads and many moved classes at low temperatures: the cases where subtraction would cancel.
    const { bias, logits, candidates, max, rest } = scene(seed, 3_000, seed * 40, seed % 2 ? 2 : 40);
    const baseline = biasBaseline(bias);
    const sparse = restFromBias(baseline, logits, candidates);
    for (const temperature of TEMPERATURES) {
      const exact = restValues(rest).addExp(1, max, temperature);
      const fast = sparse.addExpFast(1, max, temperature);
      t.true(Number.isFinite(fast));
      t.true(Math.abs(fast - exact) <= 1e-9 * exact, `seed ${seed} t ${temperature}: ${fast} vs ${exact}`);
    }
  }
});

test('given the class with the highest bias pushed far down, when summed fast at a low temperature, then nothing overflows', (t) => {
  const bias = Float64Array.from({ length: 500 }, (_, c) => (c === 0 ? 50 : c / 100));
  const logits = Float64Array.from(bias);
  logits[0] = -100;
  const candidates = [499, 498, 497];
  const max = logits[499]!;
  const rest = Float64Array.from([...logits.keys()].filter((c) => !candidates.includes(c)), (c) => logits[c]!);
  const fast = restFromBias(biasBaseline(bias), logits, candidates).addExpFast(1, max, 0.1);
  const exact = restValues(rest).addExp(1, max, 0.1);
  t.true(Math.abs(fast - exact) <= 1e-9 * exact, `${fast} vs ${exact}`);
});
