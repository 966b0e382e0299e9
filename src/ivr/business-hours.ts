/**
 * Business hours: a weekly schedule plus a holiday calendar in one IANA time zone. Pure: the
 * instant to judge is always passed in (callers inject their clock). Ranges are local wall-clock
 * minutes, start inclusive and end exclusive; a day's state is judged by the local date and the
 * local minute, so DST gaps and repeats follow the wall clock.
 */
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface BusinessHoursSpec {
  timezone: string;
  weekly: Partial<Record<Weekday, string[]>>;
  holidays?: { date: string; name?: string; hours?: string[] }[];
}

export interface Problem {
  path: (string | number)[];
  message: string;
}

export interface LocalTime {
  year: number;
  month: number;
  day: number;
  weekday: Weekday;
  hour: number;
  minute: number;
  /** YYYY-MM-DD */
  date: string;
}

export interface OpenState {
  open: boolean;
  /** Open by the weekly schedule, closed by a holiday, open by a holiday's special hours, or closed. */
  reason: 'weekly-hours' | 'holiday' | 'holiday-hours' | 'closed';
  /** The holiday's name (its date when unnamed) when today is a holiday. */
  holiday?: string;
  /** The next instant `open` flips, searched up to 400 days ahead; absent if it never does. */
  nextChangeMs?: number;
}

export class BusinessHoursError extends Error {
  override readonly name = 'BusinessHoursError';
  readonly code = 'BUSINESS_HOURS_INVALID';
}

const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const DAY_MS = 86_400_000;
const RANGE = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

interface Range {
  start: number;
  end: number;
}

/** 'HH:MM-HH:MM' to minutes of the day, or why it is not one. '24:00' is allowed as an end. */
function parseRange(text: unknown): Range | string {
  if (typeof text !== 'string') return 'a range must be a string like "09:00-18:00"';
  const match = RANGE.exec(text);
  if (match === null) return `"${text}" is not a range like "09:00-18:00"`;
  const [h1, m1, h2, m2] = match.slice(1).map(Number) as [number, number, number, number];
  if (h1 > 23 || m1 > 59 || h2 > 24 || m2 > 59 || (h2 === 24 && m2 !== 0)) return `"${text}" has an impossible time`;
  const range = { start: h1 * 60 + m1, end: h2 * 60 + m2 };
  if (range.end <= range.start) return `"${text}" ends before it starts`;
  return range;
}

function checkRanges(value: unknown, path: (string | number)[], problems: Problem[]): void {
  if (!Array.isArray(value)) {
    problems.push({ path, message: 'must be a list of ranges like ["09:00-12:00", "13:00-18:00"]' });
    return;
  }
  const seen: { range: Range; text: string }[] = [];
  value.forEach((text, i) => {
    const range = parseRange(text);
    if (typeof range === 'string') return problems.push({ path: [...path, i], message: range });
    const clash = seen.find((other) => range.start < other.range.end && other.range.start < range.end);
    if (clash !== undefined) problems.push({ path: [...path, i], message: `"${String(text)}" overlaps "${clash.text}"` });
    seen.push({ range, text: String(text) });
  });
}

function isRealDate(text: string): boolean {
  const match = DATE.exec(text);
  if (match === null) return false;
  const [y, m, d] = match.slice(1).map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every problem with a path into the spec; an empty list means openState() can use it. */
export function validateBusinessHours(spec: unknown): Problem[] {
  if (!isObject(spec)) return [{ path: [], message: 'business hours must be an object with timezone and weekly' }];
  const problems: Problem[] = [];
  for (const key of Object.keys(spec)) {
    if (!['timezone', 'weekly', 'holidays'].includes(key)) problems.push({ path: [key], message: `unknown field "${key}"` });
  }
  if (typeof spec.timezone !== 'string' || formatter(spec.timezone) === undefined) {
    problems.push({ path: ['timezone'], message: `${JSON.stringify(spec.timezone ?? null)} is not an IANA time zone like "Asia/Shanghai"` });
  }
  if (!isObject(spec.weekly)) {
    problems.push({ path: ['weekly'], message: 'weekly must be an object like { "mon": ["09:00-18:00"] }' });
  } else {
    for (const [day, ranges] of Object.entries(spec.weekly)) {
      if (!(WEEKDAYS as readonly string[]).includes(day)) problems.push({ path: ['weekly', day], message: `unknown day "${day}"; use mon, tue, wed, thu, fri, sat, sun` });
      else checkRanges(ranges, ['weekly', day], problems);
    }
  }
  if (spec.holidays === undefined) return problems;
  if (!Array.isArray(spec.holidays)) return [...problems, { path: ['holidays'], message: 'holidays must be a list' }];
  const dates = new Map<string, number>();
  spec.holidays.forEach((holiday: unknown, i) => {
    if (!isObject(holiday)) return problems.push({ path: ['holidays', i], message: 'a holiday must be an object with a date' });
    for (const key of Object.keys(holiday)) {
      if (!['date', 'name', 'hours'].includes(key)) problems.push({ path: ['holidays', i, key], message: `unknown field "${key}"` });
    }
    if (typeof holiday.date !== 'string' || !isRealDate(holiday.date)) {
      problems.push({ path: ['holidays', i, 'date'], message: `${JSON.stringify(holiday.date ?? null)} is not a date like "2026-10-01"` });
    } else if (dates.has(holiday.date)) {
      problems.push({ path: ['holidays', i, 'date'], message: `${holiday.date} is already listed at holidays[${dates.get(holiday.date)}]` });
    } else {
      dates.set(holiday.date, i);
    }
    if (holiday.name !== undefined && typeof holiday.name !== 'string') problems.push({ path: ['holidays', i, 'name'], message: 'name must be text' });
    if (holiday.hours !== undefined) checkRanges(holiday.hours, ['holidays', i, 'hours'], problems);
  });
  return problems;
}

const formatters = new Map<string, Intl.DateTimeFormat | undefined>();

/** A cached formatter for the zone, or undefined when the zone is unknown. */
function formatter(timezone: string): Intl.DateTimeFormat | undefined {
  if (!formatters.has(timezone)) {
    let made: Intl.DateTimeFormat | undefined;
    try {
      made = new Intl.DateTimeFormat('en-US', {
        timeZone: timezone, hourCycle: 'h23', weekday: 'short',
        year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
      });
    } catch {
      made = undefined;
    }
    if (formatters.size > 200) formatters.clear();
    formatters.set(timezone, made);
  }
  return formatters.get(timezone);
}

interface Wall extends LocalTime {
  second: number;
}

function wall(instantMs: number, timezone: string): Wall {
  const format = formatter(timezone);
  if (format === undefined) throw new BusinessHoursError(`unknown time zone "${timezone}"`);
  const parts: Record<string, string> = {};
  for (const part of format.formatToParts(instantMs)) parts[part.type] = part.value;
  const [year, month, day] = [Number(parts.year), Number(parts.month), Number(parts.day)];
  return {
    year, month, day,
    weekday: (parts.weekday ?? '').slice(0, 3).toLowerCase() as Weekday,
    hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second),
    date: `${String(year).padStart(4, '0')}-${parts.month}-${parts.day}`,
  };
}

/** The wall clock in `timezone` at an instant (via Intl, so DST follows the tz database). Throws BusinessHoursError for an unknown zone. */
export function localTime(instantMs: number, timezone: string): LocalTime {
  const { second: _second, ...local } = wall(instantMs, timezone);
  return local;
}

/** Local wall time minus UTC at an instant, in ms. */
function offsetAt(instantMs: number, timezone: string): number {
  const w = wall(instantMs, timezone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(instantMs / 1000) * 1000;
}

interface Schedule {
  timezone: string;
  weekly: Map<Weekday, Range[]>;
  holidays: Map<string, { name: string; ranges?: Range[] }>;
}

function compile(spec: BusinessHoursSpec): Schedule {
  const problems = validateBusinessHours(spec);
  if (problems.length > 0) {
    const first = problems[0]!;
    throw new BusinessHoursError(`invalid business hours at ${JSON.stringify(first.path)}: ${first.message}`);
  }
  const ranges = (texts: string[]) => texts.map((text) => parseRange(text) as Range);
  return {
    timezone: spec.timezone,
    weekly: new Map(Object.entries(spec.weekly).map(([day, texts]) => [day as Weekday, ranges(texts ?? [])])),
    holidays: new Map((spec.holidays ?? []).map((h) => [h.date, { name: h.name ?? h.date, ...(h.hours ? { ranges: ranges(h.hours) } : {}) }])),
  };
}

function rangesFor(schedule: Schedule, date: string, weekday: Weekday): Range[] {
  const holiday = schedule.holidays.get(date);
  if (holiday !== undefined) return holiday.ranges ?? [];
  return schedule.weekly.get(weekday) ?? [];
}

function stateAt(schedule: Schedule, instantMs: number): OpenState {
  const local = localTime(instantMs, schedule.timezone);
  const minute = local.hour * 60 + local.minute;
  const inside = rangesFor(schedule, local.date, local.weekday).some((r) => r.start <= minute && minute < r.end);
  const holiday = schedule.holidays.get(local.date);
  if (holiday !== undefined) return { open: inside, reason: inside ? 'holiday-hours' : 'holiday', holiday: holiday.name };
  return { open: inside, reason: inside ? 'weekly-hours' : 'closed' };
}

/**
 * Every instant after `afterMs` at which the state might change, within `days` local days:
 * each range boundary and each local midnight (converted to the instants when the wall clock
 * shows it: none in a DST gap, two in a repeat) plus each DST transition itself.
 */
function candidates(schedule: Schedule, afterMs: number, days: number): number[] {
  const tz = schedule.timezone;
  const today = localTime(afterMs, tz);
  const base = Date.UTC(today.year, today.month - 1, today.day);
  const found = new Set<number>();
  for (let k = -1; k <= days; k++) {
    const midnight = base + k * DAY_MS;
    const d = new Date(midnight);
    const date = d.toISOString().slice(0, 10);
    const minutes = new Set([0]);
    for (const r of rangesFor(schedule, date, WEEKDAYS[d.getUTCDay()]!)) minutes.add(r.start).add(r.end % 1440);
    const before = offsetAt(midnight - DAY_MS, tz);
    const after = offsetAt(midnight + 2 * DAY_MS, tz);
    if (before !== after) found.add(transition(midnight - DAY_MS, midnight + 2 * DAY_MS, tz));
    for (const minute of minutes) {
      const wallMs = midnight + minute * 60_000;
      for (const offset of new Set([before, after])) {
        const instant = wallMs - offset;
        if (before === after || instant + offsetAt(instant, tz) === wallMs) found.add(instant);
      }
    }
  }
  return [...found].filter((t) => t > afterMs).sort((a, b) => a - b);
}

/** The first second in (from, to] whose offset differs from the offset at `from`. */
function transition(from: number, to: number, timezone: string): number {
  const initial = offsetAt(from, timezone);
  let [lo, hi] = [Math.floor(from / 1000), Math.floor(to / 1000)];
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetAt(mid * 1000, timezone) === initial) lo = mid;
    else hi = mid;
  }
  return hi * 1000;
}

/** Whether the line is open at an instant, why, and when that next changes. */
export function openState(spec: BusinessHoursSpec, instantMs: number): OpenState {
  const schedule = compile(spec);
  const now = stateAt(schedule, instantMs);
  for (const days of [8, 400]) {
    for (const instant of candidates(schedule, instantMs, days)) {
      if (stateAt(schedule, instant).open !== now.open) return { ...now, nextChangeMs: instant };
    }
  }
  return now;
}
