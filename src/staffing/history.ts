// Call history for staffing, read from the reports' rollups (never a scan of call records): the
// reports module keeps every queue's offered, answered and abandoned legs, waits, talk and wrap-up
// per quarter hour, so a 15-minute report over the history weeks gives everything staffing needs.
// Two quarters make one 30-minute staffing interval of the site's local day.
//
// What is read, per local 30-minute slot:
//   offered        queue legs offered (per queue: calls the queue had to answer; site-wide: the sum
//                  over queues, so an overflowed call counts in each queue it reached)
//   handled, handleSeconds   conversations and their talk + wrap-up (the queue's configured wrap-up)
//   abandoned, waitSeconds   abandoned legs, and the waits of answered + abandoned legs: the
//                  patience estimate (history.ts `patienceOf`) needs both
import { intervalsOf } from '../reports/report-intervals.ts';
import type { ReportRequest } from '../reports/report-service.ts';
import type { ReportResult } from '../reports/report-query.ts';

/** What staffing reads from reports (ReportService has it). */
export interface ReportSource {
  query(request: ReportRequest): Promise<ReportResult>;
}

export const SLOT_MS = 30 * 60_000;
export const SLOTS_PER_DAY = 48;
/** Monday = 0 … Sunday = 6, as ISO weeks and the reports' weeks start on Monday. */
export type WeekdayIndex = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export interface SlotHistory {
  /** Local date, YYYY-MM-DD. */
  date: string;
  weekday: WeekdayIndex;
  /** Local half hour of the day, 0 (00:00) … 47 (23:30). */
  slot: number;
  offered: number;
  handled: number;
  handleSeconds: number;
  abandoned: number;
  waitSeconds: number;
}

export interface LocalDay {
  date: string;
  weekday: WeekdayIndex;
  start: number;
  end: number;
}

/** Days per report query: 15-minute reports are capped at 10,000 intervals (over 100 days). */
const DAYS_PER_QUERY = 28;

export const weekdayOfDate = (date: string): WeekdayIndex => ((Math.floor(Date.parse(`${date}T00:00:00Z`) / 86_400_000) + 3) % 7) as WeekdayIndex;

/** The local days of [from, to) in the zone (their real starts and ends: DST days are 23 or 25 h). */
export function localDays(from: number, to: number, timezone: string): LocalDay[] {
  return intervalsOf(from, to, 'day', timezone).map((day) => {
    const date = day.label.slice(0, 10);
    return { date, weekday: weekdayOfDate(date), start: day.start, end: day.end };
  });
}

/** "HH:MM" of a local ISO label '2026-03-02T08:30+08:00'. */
const slotOfLabel = (label: string) => Number(label.slice(11, 13)) * 2 + (Number(label.slice(14, 16)) >= 30 ? 1 : 0);

/**
 * The history of [from, to) (whole local days), per local day and half hour. Slots with no call
 * are left out (their offered count is zero). `queue` absent: the whole site.
 */
export async function readHistory(source: ReportSource, range: { from: number; to: number; timezone: string; queue?: string }): Promise<SlotHistory[]> {
  const days = localDays(range.from, range.to, range.timezone);
  const slots = new Map<string, SlotHistory>();
  for (let i = 0; i < days.length; i += DAYS_PER_QUERY) {
    const chunk = days.slice(i, i + DAYS_PER_QUERY);
    const report = await source.query({
      from: chunk[0]!.start, to: chunk.at(-1)!.end, interval: '15m', timezone: range.timezone,
      ...(range.queue !== undefined ? { queue: range.queue } : {}),
    });
    for (const point of report.series) {
      const f = point.figures;
      if (f.offered === 0 && f.handled === 0) continue;
      const date = point.label.slice(0, 10);
      const slot = slotOfLabel(point.label);
      const key = `${date}/${slot}`;
      let row = slots.get(key);
      if (!row) slots.set(key, (row = { date, weekday: weekdayOfDate(date), slot, offered: 0, handled: 0, handleSeconds: 0, abandoned: 0, waitSeconds: 0 }));
      row.offered += f.offered;
      row.handled += f.handled;
      row.handleSeconds += (f.ahtSeconds ?? 0) * f.handled;
      row.abandoned += f.abandoned;
      row.waitSeconds += (f.asaSeconds ?? 0) * f.answered + (f.averageAbandonWaitSeconds ?? 0) * f.abandoned;
    }
  }
  return [...slots.values()].sort((a, b) => (a.date === b.date ? a.slot - b.slot : a.date < b.date ? -1 : 1));
}

/**
 * Mean patience, seconds, by the standard estimator for exponential patience with censoring
 * (Brown et al. 2005, "Statistical analysis of a telephone call center", §6): abandons observed /
 * total time callers spent waiting (answered callers' waits are censored patience). Unknown
 * (undefined) with fewer than `minAbandons` abandons: too few to estimate, Erlang C is used instead.
 */
export function patienceOf(history: readonly SlotHistory[], minAbandons = 10): number | undefined {
  let abandoned = 0;
  let waited = 0;
  for (const row of history) {
    abandoned += row.abandoned;
    waited += row.waitSeconds;
  }
  if (abandoned < minAbandons || waited <= 0) return undefined;
  return waited / abandoned;
}
