// Calendar days in a time zone, for per-day chart series. Pure: no clock, no IO.

/** The longest range whose days are all listed (empty days included); longer ranges list only days with data. */
export const MAX_FILLED_DAYS = 400;
const HALF_DAY = 12 * 3600_000;

export type DayOf = (ms: number) => string;

/** ms → 'YYYY-MM-DD' in `timeZone` (IANA name; throws RangeError on an unknown one). */
export function dayFormatter(timeZone = 'UTC'): DayOf {
  const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  return (ms) => {
    const parts = format.formatToParts(ms);
    const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
    return `${part('year')}-${part('month')}-${part('day')}`;
  };
}

/** Every day that [from, to) touches, in order; empty when the range is empty or too long to fill. */
export function daysBetween(from: number, to: number, dayOf: DayOf): string[] {
  if (!(to > from) || to - from > MAX_FILLED_DAYS * 24 * 3600_000) return [];
  const days: string[] = [];
  // Half-day steps: a 23-hour day (daylight saving) cannot be stepped over.
  for (let t = from; t < to; t += HALF_DAY) {
    const day = dayOf(t);
    if (days.at(-1) !== day) days.push(day);
  }
  const last = dayOf(to - 1);
  if (days.at(-1) !== last) days.push(last);
  return days;
}
