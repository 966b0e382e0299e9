import test from 'ava';
import { bucketsOf, capSpans, coverOf, DAY_MS, GRANULARITY_MS, HOUR_MS, mergeSpans, QUARTER_MS } from './time-buckets.ts';

const T0 = Date.parse('2026-03-02T00:00:00Z');

function check(t: import('ava').ExecutionContext, from: number, to: number) {
  const spans = coverOf(from, to);
  const buckets = spans.flatMap((s) => Array.from({ length: (s.to - s.from) / GRANULARITY_MS[s.granularity] }, (_, i) => ({ from: s.from + i * GRANULARITY_MS[s.granularity], size: GRANULARITY_MS[s.granularity] })));
  buckets.sort((a, b) => a.from - b.from);
  let at = from;
  for (const bucket of buckets) {
    t.is(bucket.from, at, 'buckets follow each other without gap or overlap');
    t.is(bucket.from % bucket.size, 0, 'each bucket is aligned to its size');
    at += bucket.size;
  }
  t.is(at, to);
  return spans;
}

test('given ranges on quarters, when covered, then stored buckets tile the range exactly once', (t) => {
  check(t, T0 + 45 * 60_000, T0 + 3 * DAY_MS + 5 * HOUR_MS + 15 * 60_000);
  check(t, T0 + 16 * HOUR_MS, T0 + 40 * HOUR_MS);
  check(t, T0 + 30 * 60_000, T0 + 45 * 60_000);
  check(t, T0 + 18.5 * HOUR_MS, T0 + 42.5 * HOUR_MS);
});

test('given local days in Shanghai, New York and Kolkata, when covered, then 3, 6 and 9 stored rows', (t) => {
  const rows = (spans: ReturnType<typeof coverOf>) => spans.reduce((n, s) => n + (s.to - s.from) / GRANULARITY_MS[s.granularity], 0);
  t.deepEqual(check(t, T0 - 8 * HOUR_MS, T0 + 16 * HOUR_MS), [{ granularity: '8h', from: T0 - 8 * HOUR_MS, to: T0 + 16 * HOUR_MS }]);
  t.is(rows(check(t, T0 + 5 * HOUR_MS, T0 + 29 * HOUR_MS)), 6);
  t.is(rows(check(t, T0 - 5.5 * HOUR_MS, T0 + 18.5 * HOUR_MS)), 9);
});

test('given a month of Shanghai days, when their covers are merged, then it is one scan of 8-hour rows', (t) => {
  const days = Array.from({ length: 31 }, (_, i) => coverOf(T0 - 8 * HOUR_MS + i * DAY_MS, T0 + 16 * HOUR_MS + i * DAY_MS)).flat();
  t.deepEqual(mergeSpans(days), [{ granularity: '8h', from: T0 - 8 * HOUR_MS, to: T0 + 16 * HOUR_MS + 30 * DAY_MS }]);
});

test('given spans of large buckets, when capped at an hour, then the same range is read in hours', (t) => {
  t.deepEqual(capSpans(coverOf(T0 + 15 * 60_000, T0 + 2 * DAY_MS), '1h'), [
    { granularity: '15m', from: T0 + 15 * 60_000, to: T0 + HOUR_MS },
    { granularity: '1h', from: T0 + HOUR_MS, to: T0 + 2 * DAY_MS },
  ]);
});

test('given a call start, when bucketed, then it adds to the bucket of each size it falls in', (t) => {
  const at = T0 + 13 * HOUR_MS + 29 * 60_000;
  t.deepEqual(bucketsOf(at), [
    { granularity: '15m', start: T0 + 13 * HOUR_MS + QUARTER_MS },
    { granularity: '1h', start: T0 + 13 * HOUR_MS },
    { granularity: '2h', start: T0 + 12 * HOUR_MS },
    { granularity: '4h', start: T0 + 12 * HOUR_MS },
    { granularity: '8h', start: T0 + 8 * HOUR_MS },
    { granularity: '1d', start: T0 },
  ]);
});
