// Dates in the site's time zone (the report's, not the browser's): a date picked on the page is
// the site's midnight, and interval starts are labelled as the site's clock read them.
const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function wall(t: number, timeZone: string): { y: number; m: number; d: number; h: number; min: number; s: number } {
  let f = partsFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    partsFormatters.set(timeZone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(t)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { y: p.year!, m: p.month!, d: p.day!, h: p.hour!, min: p.minute!, s: p.second! };
}

const offsetAt = (t: number, timeZone: string) => {
  const w = wall(t, timeZone);
  return Date.UTC(w.y, w.m - 1, w.d, w.h, w.min, w.s) - Math.floor(t / 1000) * 1000;
};

/** The instant the site's clock shows 00:00 on `date` (YYYY-MM-DD). */
export function midnightIn(date: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d);
  const first = guess - offsetAt(guess, timeZone);
  // Once more at the found instant: the offset there may differ (a DST change that night).
  return guess - offsetAt(first, timeZone);
}

/** The site's calendar date (YYYY-MM-DD) at instant t. */
export function dateIn(t: number, timeZone: string): string {
  const w = wall(t, timeZone);
  return `${w.y}-${String(w.m).padStart(2, '0')}-${String(w.d).padStart(2, '0')}`;
}

/** YYYY-MM-DD plus n days (calendar arithmetic, no zone involved). */
export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** An interval's start as people read it on the axis, in the site's zone and the UI's language. */
export function intervalLabel(start: number, interval: string, locale: string, timeZone: string, multiDay: boolean): string {
  const options: Intl.DateTimeFormatOptions =
    interval === '15m' || interval === 'hour' ? { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23', ...(multiDay ? { month: 'numeric', day: 'numeric' } : {}) }
    : interval === 'month' ? { timeZone, year: 'numeric', month: 'short' }
    : { timeZone, month: 'numeric', day: 'numeric' };
  return new Intl.DateTimeFormat(locale, options).format(start);
}
