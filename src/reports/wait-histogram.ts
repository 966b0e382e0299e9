// Waits kept as a small histogram, so a report answers "answered within T" for any T from the
// rollups alone. Bins (upper edges, inclusive — a wait of exactly T counts as within T, as on the
// wallboard):
//   bin 0            a wait of 0 ms (answered at once)
//   bins 1…120       5-second bins up to 10 min:   (5(k−1), 5k] s
//   bins 121…160     30-second bins up to 30 min:  (600 + 30(k−121), 600 + 30(k−120)] s
//   bins 161…166     5-minute bins up to 60 min
//   bin 167          longer than an hour
// Precision: a count "within T" is exact when T is a bin edge (any multiple of 5 s up to 10 min,
// of 30 s up to 30 min, of 5 min up to 60 min). Other T are rounded down to the nearest edge, and
// reports say which T they used. Stored as a plain array with trailing zero bins trimmed.

const FIVE_S = 5_000;
const THIRTY_S = 30_000;
const FIVE_MIN = 300_000;
const TEN_MIN = 600_000;
const THIRTY_MIN = 1_800_000;
const HOUR = 3_600_000;
export const OVERFLOW_BIN = 167;

/** The bin a wait of `waitMs` falls in. */
export function binOf(waitMs: number): number {
  if (!(waitMs > 0)) return 0;
  if (waitMs <= TEN_MIN) return Math.ceil(waitMs / FIVE_S);
  if (waitMs <= THIRTY_MIN) return 120 + Math.ceil((waitMs - TEN_MIN) / THIRTY_S);
  if (waitMs <= HOUR) return 160 + Math.ceil((waitMs - THIRTY_MIN) / FIVE_MIN);
  return OVERFLOW_BIN;
}

/** The inclusive upper edge of a bin in ms (Infinity for the overflow bin). */
export function upperEdgeMs(bin: number): number {
  if (bin <= 0) return 0;
  if (bin <= 120) return bin * FIVE_S;
  if (bin <= 160) return TEN_MIN + (bin - 120) * THIRTY_S;
  if (bin <= 166) return THIRTY_MIN + (bin - 160) * FIVE_MIN;
  return Infinity;
}

/** The largest bin whose upper edge is ≤ `thresholdMs`: counting up to it counts waits ≤ its edge. */
export function lastBinWithin(thresholdMs: number): number {
  if (!(thresholdMs >= 0)) return -1;
  let bin = Math.min(binOf(thresholdMs), 166);
  while (bin > 0 && upperEdgeMs(bin) > thresholdMs) bin--;
  return bin;
}

/** The threshold actually used for `thresholdMs`: the nearest bin edge at or below it. */
export const effectiveThresholdMs = (thresholdMs: number): number => upperEdgeMs(Math.max(0, lastBinWithin(thresholdMs)));

/** Adds `count` waits of `waitMs` to the histogram (in place; grows it as needed). */
export function addWait(histogram: number[], waitMs: number, count = 1): void {
  const bin = binOf(waitMs);
  while (histogram.length <= bin) histogram.push(0);
  histogram[bin]! += count;
  trim(histogram);
}

/** target += sign × source, bin by bin (in place). */
export function addHistogram(target: number[], source: readonly number[], sign = 1): void {
  while (target.length < source.length) target.push(0);
  for (let i = 0; i < source.length; i++) target[i]! += sign * source[i]!;
  trim(target);
}

/** Waits counted at or below `thresholdMs` (rounded down to a bin edge, see effectiveThresholdMs). */
export function countWithin(histogram: readonly number[], thresholdMs: number): number {
  const last = Math.min(lastBinWithin(thresholdMs), histogram.length - 1);
  let sum = 0;
  for (let i = 0; i <= last; i++) sum += histogram[i]!;
  return sum;
}

function trim(histogram: number[]): void {
  while (histogram.length > 0 && histogram[histogram.length - 1] === 0) histogram.pop();
}

/**
 * Stored form: runs of two or more empty bins become one negative number (−run length), so a
 * histogram with a few waits past 10 minutes does not store a hundred zeros. Counts in stored
 * rows are never negative, so the two cannot be confused.
 */
export function packHistogram(histogram: readonly number[]): number[] {
  const packed: number[] = [];
  for (let i = 0; i < histogram.length;) {
    let run = 0;
    while (i + run < histogram.length && histogram[i + run] === 0) run++;
    if (run >= 2) {
      packed.push(-run);
      i += run;
    } else {
      packed.push(histogram[i]!);
      i++;
    }
  }
  return packed;
}

export function unpackHistogram(packed: readonly number[]): number[] {
  const histogram: number[] = [];
  for (const value of packed) {
    if (value < 0) for (let k = 0; k < -value; k++) histogram.push(0);
    else histogram.push(value);
  }
  return histogram;
}
