// Report intervals in a time zone: 15 minutes, local hours, local days, ISO weeks (Monday first)
// and calendar months, with their boundaries found through Intl, so daylight saving (23- and
// 25-hour days, the repeated autumn hour) follows the zone's rules. Pure: no clock.
import { QUARTER_MS, ceilTo, floorTo } from './time-buckets.ts';
import { ReportError } from './report-errors.ts';

export const REPORT_INTERVALS = ['15m', 'hour', 'day', 'week', 'month', 'total'] as const;
export type ReportInterval = (typeof REPORT_INTERVALS)[number];

export interface IntervalSpan {
  start: number;
  end: number;
  /** The local start, ISO 8601 with the offset in force then: '2026-03-08T00:00-05:00'. */
  label: string;
}

/** More intervals than this in one report is a mistake (15 minutes over a year). */
export const MAX_INTERVALS = 10_000;
const DAY_MS = 86_400_000;

interface Wall { year: number; month: number; day: number; hour: number; minute: number; second: number }

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    } catch {
      throw new ReportError('REPORT_BAD_TIMEZONE', `${JSON.stringify(timeZone)} is not an IANA time zone like "Asia/Shanghai"`);
    }
    formatters.set(timeZone, format);
  }
  return format;
}

export function checkTimeZone(timeZone: string): void {
  formatter(timeZone);
}

function wallOf(t: number, timeZone: string): Wall {
  const wall: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(t)) if (part.type !== 'literal') wall[part.type] = Number(part.value);
  return wall as unknown as Wall;
}

/** Local wall clock minus UTC at instant t, in ms (whole seconds). */
function offsetOf(wall: Wall, t: number): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) - floorTo(t, 1000);
}

const two = (n: number) => String(n).padStart(2, '0');
const dateOf = (y: number, m: number, d: number) => `${y}-${two(m)}-${two(d)}`;
/** Monday = 0 … Sunday = 6 of a civil date (1970-01-01 was a Thursday). */
const weekdayOf = (wall: Wall) => (Math.floor(Date.UTC(wall.year, wall.month - 1, wall.day) / DAY_MS) + 3) % 7;

function keyOf(t: number, interval: ReportInterval, timeZone: string, wall = interval === '15m' || interval === 'total' ? undefined : wallOf(t, timeZone)): string {
  if (interval === '15m') return String(floorTo(t, QUARTER_MS));
  if (!wall || interval === 'total') return '';
  switch (interval) {
    // The offset tells the repeated autumn hour from the first one.
    case 'hour': return `${dateOf(wall.year, wall.month, wall.day)}T${wall.hour}${offsetOf(wall, t)}`;
    case 'day': return dateOf(wall.year, wall.month, wall.day);
    case 'week': {
      const monday = new Date(Date.UTC(wall.year, wall.month - 1, wall.day - weekdayOf(wall)));
      return monday.toISOString().slice(0, 10);
    }
    case 'month': return `${wall.year}-${two(wall.month)}`;
  }
}

/**
 * The first quarter after `t` (itself on a quarter, local time `wall`) that lies in another
 * interval than `t`, with the local time there.
 */
function nextBoundary(t: number, wall: Wall, interval: ReportInterval, timeZone: string): { at: number; wall?: Wall } {
  if (interval === '15m') return { at: t + QUARTER_MS };
  if (interval === 'total') return { at: Infinity };
  const { year: y, month: m, day: d } = wall;
  // The next interval's local start on the wall clock, read as if it were UTC…
  const nextWall = interval === 'hour' ? Date.UTC(y, m - 1, d, wall.hour + 1)
    : interval === 'day' ? Date.UTC(y, m - 1, d + 1)
    : interval === 'week' ? Date.UTC(y, m - 1, d + 7 - weekdayOf(wall))
    : Date.UTC(y, m, 1);
  // …shifted by the offset at `t`. Where the wall clock there shows exactly that start, that is
  // the boundary (the usual case: one Intl call per interval).
  let guess = Math.max(t + QUARTER_MS, ceilTo(nextWall - offsetOf(wall, t), QUARTER_MS));
  const there = wallOf(guess, timeZone);
  if (Date.UTC(there.year, there.month - 1, there.day, there.hour, there.minute, there.second) === nextWall) return { at: guess, wall: there };
  // The offset changed on the way (daylight saving): step quarter by quarter to where the
  // interval changes (a DST change moves it an hour, so a few steps at most).
  const own = keyOf(t, interval, timeZone, wall);
  while (keyOf(guess, interval, timeZone) === own) guess += QUARTER_MS;
  while (guess - QUARTER_MS > t && keyOf(guess - QUARTER_MS, interval, timeZone) !== own) guess -= QUARTER_MS;
  return { at: guess };
}

function labelOf(t: number, wall: Wall): string {
  const offsetMinutes = Math.round(offsetOf(wall, t) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${dateOf(wall.year, wall.month, wall.day)}T${two(wall.hour)}:${two(wall.minute)}${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

/**
 * The intervals of [from, to) (both taken to quarters: from rounded down, to up). The first and
 * last are clipped to the range when it does not start or end on a boundary.
 */
export function intervalsOf(from: number, to: number, interval: ReportInterval, timeZone: string): IntervalSpan[] {
  checkTimeZone(timeZone);
  const start = floorTo(from, QUARTER_MS);
  const end = ceilTo(to, QUARTER_MS);
  if (interval === '15m' && (end - start) / QUARTER_MS > MAX_INTERVALS) {
    throw new ReportError('REPORT_RANGE_TOO_LARGE', `${(end - start) / QUARTER_MS} intervals of 15 minutes; at most ${MAX_INTERVALS} in one report`);
  }
  const spans: IntervalSpan[] = [];
  let known: Wall | undefined;
  for (let t = start; t < end;) {
    const wall = known ?? wallOf(t, timeZone);
    const boundary = nextBoundary(t, wall, interval, timeZone);
    const next = Math.min(boundary.at, end);
    spans.push({ start: t, end: next, label: labelOf(t, wall) });
    if (spans.length > MAX_INTERVALS) throw new ReportError('REPORT_RANGE_TOO_LARGE', `more than ${MAX_INTERVALS} intervals of ${interval} in one report`);
    known = next === boundary.at ? boundary.wall : undefined;
    t = next;
  }
  return spans;
}
