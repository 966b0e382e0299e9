import test from 'ava';
import { addHistogram, addWait, binOf, countWithin, effectiveThresholdMs, OVERFLOW_BIN, packHistogram, unpackHistogram, upperEdgeMs } from './wait-histogram.ts';

test('given waits on and next to bin edges, when binned, then a wait of exactly an edge is in the bin it closes', (t) => {
  t.is(binOf(0), 0);
  t.is(binOf(1), 1);
  t.is(binOf(5_000), 1);
  t.is(binOf(5_001), 2);
  t.is(binOf(600_000), 120);
  t.is(binOf(600_001), 121);
  t.is(binOf(1_800_000), 160);
  t.is(binOf(3_600_000), 166);
  t.is(binOf(3_600_001), OVERFLOW_BIN);
  for (let bin = 0; bin < OVERFLOW_BIN; bin++) t.is(binOf(upperEdgeMs(bin)), bin);
});

test('given random waits, when counted within any bin edge T, then the count equals counting the waits themselves', (t) => {
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const waits = Array.from({ length: 2_000 }, () => Math.floor(random() ** 3 * 4_000_000));
  const histogram: number[] = [];
  for (const wait of waits) addWait(histogram, wait);
  for (const seconds of [0, 5, 20, 30, 45, 600, 630, 1_800, 2_100, 3_600]) {
    t.is(countWithin(histogram, seconds * 1000), waits.filter((w) => w <= seconds * 1000).length, `T = ${seconds} s`);
  }
});

test('given a T between bin edges, when used, then it is rounded down to the edge below', (t) => {
  t.is(effectiveThresholdMs(20_000), 20_000);
  t.is(effectiveThresholdMs(22_000), 20_000);
  t.is(effectiveThresholdMs(700_000), 690_000);
  t.is(effectiveThresholdMs(2_000_000), 1_800_000);
  const histogram: number[] = [];
  addWait(histogram, 21_000);
  t.is(countWithin(histogram, 22_000), 0, 'a 21 s wait is not counted within "22 s", which reads as 20 s');
});

test('given histograms added and taken back, when summed, then bins return to zero and trailing zeros are trimmed', (t) => {
  const a: number[] = [];
  addWait(a, 12_000);
  addWait(a, 700_000);
  const b: number[] = [];
  addWait(b, 700_000);
  addHistogram(a, b, -1);
  t.deepEqual(a, [0, 0, 0, 1]);
});

test('given a histogram with runs of empty bins, when packed and unpacked, then runs shrink to one number and nothing is lost', (t) => {
  const histogram = [0, 3, 0, 1, 0, 0, 0, 0, 2, ...new Array(150).fill(0), 1];
  const packed = packHistogram(histogram);
  t.deepEqual(packed, [0, 3, 0, 1, -4, 2, -150, 1]);
  t.deepEqual(unpackHistogram(packed), histogram);
  t.deepEqual(packHistogram([]), []);
});
