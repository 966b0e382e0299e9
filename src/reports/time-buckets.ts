// Rollup buckets: a call adds to the UTC-aligned buckets of every size below that its start falls
// in — 15 minutes, 1, 2, 4 and 8 hours, and a day, each size dividing the next. A report interval
// [a, b) (whatever its time zone) is then covered exactly by the fewest stored buckets: at each
// point the largest bucket that starts there and still fits. Every time zone in use today is
// offset from UTC by a multiple of 15 minutes (India +5:30, Nepal +5:45, Chatham +12:45 included),
// so every local boundary falls on a quarter and the cover is exact. A local day in Asia/Shanghai
// (16:00–16:00 UTC) is three 8-hour rows; in New York six rows; in India seven — instead of 96
// quarters.

export const QUARTER_MS = 15 * 60_000;
export const HOUR_MS = 60 * 60_000;
export const DAY_MS = 24 * HOUR_MS;

export const GRANULARITY_MS = {
  '15m': QUARTER_MS,
  '1h': HOUR_MS,
  '2h': 2 * HOUR_MS,
  '4h': 4 * HOUR_MS,
  '8h': 8 * HOUR_MS,
  '1d': DAY_MS,
} as const;
export type Granularity = keyof typeof GRANULARITY_MS;
export const GRANULARITIES = Object.keys(GRANULARITY_MS) as Granularity[];
const LARGEST_FIRST = [...GRANULARITIES].reverse();

export const floorTo = (t: number, size: number) => Math.floor(t / size) * size;
export const ceilTo = (t: number, size: number) => Math.ceil(t / size) * size;

/** The buckets a call that started at `startedAt` adds to: one of each size. */
export function bucketsOf(startedAt: number): { granularity: Granularity; start: number }[] {
  return GRANULARITIES.map((granularity) => ({ granularity, start: floorTo(startedAt, GRANULARITY_MS[granularity]) }));
}

/** Buckets of one size starting in [from, to). */
export interface Span {
  granularity: Granularity;
  from: number;
  to: number;
}

/** The stored buckets that together cover [from, to) exactly once; both ends on quarters. */
export function coverOf(from: number, to: number): Span[] {
  const spans: Span[] = [];
  for (let at = from; at < to;) {
    const granularity = LARGEST_FIRST.find((g) => at % GRANULARITY_MS[g] === 0 && at + GRANULARITY_MS[g] <= to) ?? '15m';
    const next = at + GRANULARITY_MS[granularity];
    const last = spans.at(-1);
    if (last?.granularity === granularity && last.to === at) last.to = next;
    else spans.push({ granularity, from: at, to: next });
    at = next;
  }
  return spans;
}

/** Joins spans of one size that touch, so each run is read with one range scan. */
export function mergeSpans(spans: Span[]): Span[] {
  const merged: Span[] = [];
  for (const granularity of GRANULARITIES) {
    const own = spans.filter((s) => s.granularity === granularity).sort((a, b) => a.from - b.from);
    for (const span of own) {
      const last = merged.at(-1);
      if (last && last.granularity === granularity && last.to === span.from) last.to = span.to;
      else merged.push({ ...span });
    }
  }
  return merged;
}

/** The same range in buckets no larger than `largest` (for rollups kept only up to that size). */
export function capSpans(spans: Span[], largest: Granularity): Span[] {
  const limit = GRANULARITY_MS[largest];
  return mergeSpans(spans.map((s) => (GRANULARITY_MS[s.granularity] > limit ? { ...s, granularity: largest } : s)));
}
