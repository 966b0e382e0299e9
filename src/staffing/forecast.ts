// The next week's calls and agents per 30-minute interval, from the same weekday's history.
//
//   calls     weighted mean of the same weekday and half hour over the last N weeks before today
//             (local days). Weights fall linearly with age: the newest week N, the one before N−1,
//             …, the oldest 1 (4 weeks: 4/10, 3/10, 2/10, 1/10), so a change in demand shows
//             within two weeks while one odd day cannot swing the forecast by more than 40 %.
//             A history day that was a holiday of the site is left out (its weight dropped and
//             the rest renormalized); so are days before the first recorded call (no history yet,
//             rather than no calls).
//   AHT       per half hour, with the same weights, shrunk towards the whole history's AHT with
//             the weight of 10 conversations, so a half hour with two calls does not decide it.
//   patience  the queue's (history.ts patienceOf); known: Erlang A, unknown: Erlang C.
//   agents    the fewest meeting the target SL (and max abandon, Erlang A) for the interval's
//             arrival rate and AHT (erlang.ts requiredAgents). Raw agents on the phones: no
//             shrinkage (breaks, training, absence) is added.
// A holiday in the forecast week is flagged; its forecast is the usual weekday's (the site knows
// whether it opens then).
import { localTime } from '../ivr/business-hours.ts';
import { requiredAgents, type StaffingTarget } from './erlang.ts';
import { localDays, patienceOf, SLOT_MS, type LocalDay, type SlotHistory, type WeekdayIndex } from './history.ts';

export interface Holiday {
  date: string;
  name: string;
}

export interface ForecastOptions {
  timezone: string;
  /** History weeks (1…26). */
  weeks: number;
  target: Omit<StaffingTarget, 'patienceSeconds'>;
  holidays: readonly Holiday[];
  /** AHT when the history has no conversation at all, seconds. */
  defaultAhtSeconds?: number;
}

export interface ForecastInterval {
  start: number;
  end: number;
  /** Local date and time, YYYY-MM-DD and HH:MM. */
  date: string;
  time: string;
  weekday: WeekdayIndex;
  holiday?: string;
  calls: number;
  ahtSeconds: number;
  agents: number;
  serviceLevel: number;
  probabilityOfAbandon: number | null;
  asaSeconds: number;
  occupancy: number;
}

export interface Forecast {
  weekStart: number;
  weekEnd: number;
  timezone: string;
  model: 'erlang-c' | 'erlang-a';
  patienceSeconds: number | null;
  ahtSeconds: number;
  /** Weights of the history weeks, newest first. */
  weights: number[];
  /** History days used per weekday, Monday first. */
  daysUsed: number[];
  /** History days left out as holidays. */
  holidaysLeftOut: string[];
  intervals: ForecastInterval[];
}

const DAY_MS = 86_400_000;
const AHT_PRIOR_CONVERSATIONS = 10;
const DEFAULT_AHT = 180;

/** The history range to read for a forecast made at `now`: the N weeks of whole local days before today. */
export function historyRange(now: number, weeks: number, timezone: string): { from: number; to: number } {
  const today = dayOf(now, timezone);
  // Midday of the same weekday N weeks back: clear of any DST hour, whatever the offset.
  return { from: dayOf(today.start - weeks * 7 * DAY_MS + DAY_MS / 2, timezone).start, to: today.start };
}

/** The local day `t` lies in (localDays clips its first day to the range's start, so ask from before). */
export function dayOf(t: number, timezone: string): LocalDay {
  return localDays(t - 2 * DAY_MS, t + 1, timezone).at(-1)!;
}

/** The forecast week: next Monday 00:00 to the Monday after, local. */
export function forecastWeek(now: number, timezone: string): LocalDay[] {
  const days = localDays(now, now + 15 * DAY_MS, timezone);
  const monday = days.findIndex((d, i) => i > 0 && d.weekday === 0);
  return days.slice(monday, monday + 7);
}

export const linearWeights = (weeks: number) => Array.from({ length: weeks }, (_, i) => weeks - i);

export function forecastFrom(history: readonly SlotHistory[], now: number, options: ForecastOptions): Forecast {
  const { timezone, weeks } = options;
  const weights = linearWeights(weeks);
  const holidays = new Map(options.holidays.map((h) => [h.date, h.name]));
  const range = historyRange(now, weeks, timezone);
  const historyDays = localDays(range.from, range.to, timezone);
  const firstData = history.find((row) => row.offered > 0)?.date;
  const bySlot = new Map(history.map((row) => [`${row.date}/${row.slot}`, row]));

  // Each usable history day with its weight: age in weeks from today, newest = 1.
  const today = dayOf(now, timezone);
  const usable = new Map<WeekdayIndex, { date: string; weight: number }[]>();
  const holidaysLeftOut: string[] = [];
  for (const day of historyDays) {
    if (holidays.has(day.date)) {
      holidaysLeftOut.push(day.date);
      continue;
    }
    if (firstData === undefined || day.date < firstData) continue;
    const age = Math.ceil(Math.round((Date.parse(`${today.date}T00:00:00Z`) - Date.parse(`${day.date}T00:00:00Z`)) / DAY_MS) / 7);
    const weight = weights[age - 1];
    if (weight === undefined) continue;
    const list = usable.get(day.weekday) ?? [];
    list.push({ date: day.date, weight });
    usable.set(day.weekday, list);
  }

  let handled = 0;
  let handleSeconds = 0;
  for (const row of history) {
    handled += row.handled;
    handleSeconds += row.handleSeconds;
  }
  const overallAht = handled > 0 ? handleSeconds / handled : options.defaultAhtSeconds ?? DEFAULT_AHT;
  const patience = patienceOf(history);
  const target: StaffingTarget = { ...options.target, ...(patience !== undefined ? { patienceSeconds: patience } : {}) };

  const intervals: ForecastInterval[] = [];
  const week = forecastWeek(now, timezone);
  for (const day of week) {
    const days = usable.get(day.weekday) ?? [];
    const weightSum = days.reduce((s, d) => s + d.weight, 0);
    for (let start = day.start; start < day.end; start += SLOT_MS) {
      // The local half hour; on a DST day the wall clock skips or repeats one.
      const wall = localTime(start, timezone);
      const slot = wall.hour * 2 + (wall.minute >= 30 ? 1 : 0);
      let calls = 0;
      let slotHandled = 0;
      let slotHandle = 0;
      for (const { date, weight } of days) {
        const row = bySlot.get(`${date}/${slot}`);
        if (!row) continue;
        calls += (weight * row.offered) / weightSum;
        slotHandled += (weight * row.handled) / weightSum;
        slotHandle += (weight * row.handleSeconds) / weightSum;
      }
      const aht = (slotHandle + AHT_PRIOR_CONVERSATIONS * overallAht) / (slotHandled + AHT_PRIOR_CONVERSATIONS);
      const answer = requiredAgents(calls / (SLOT_MS / 1000), aht, target);
      const holiday = holidays.get(day.date);
      intervals.push({
        start, end: Math.min(start + SLOT_MS, day.end), date: day.date, time: `${String(Math.floor(slot / 2)).padStart(2, '0')}:${slot % 2 ? '30' : '00'}`,
        weekday: day.weekday, ...(holiday !== undefined ? { holiday } : {}),
        calls: Math.round(calls * 100) / 100, ahtSeconds: Math.round(aht * 10) / 10, agents: answer.agents,
        serviceLevel: answer.serviceLevel, probabilityOfAbandon: answer.probabilityOfAbandon, asaSeconds: answer.asaSeconds, occupancy: answer.occupancy,
      });
    }
  }
  const daysUsed = ([0, 1, 2, 3, 4, 5, 6] as const).map((d) => usable.get(d)?.length ?? 0);
  return {
    weekStart: week[0]!.start, weekEnd: week.at(-1)!.end, timezone,
    model: patience !== undefined ? 'erlang-a' : 'erlang-c', patienceSeconds: patience ?? null,
    ahtSeconds: Math.round(overallAht * 10) / 10, weights, daysUsed, holidaysLeftOut, intervals,
  };
}
