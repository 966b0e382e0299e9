// Calling windows: a contact may be dialed only inside the campaign's windows for the weekday in
// the contact's own time zone, and never on a listed holiday (a date in that zone).
import type { CampaignInput } from './campaign-types.ts';

const weekdays = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const formatters = new Map<string, Intl.DateTimeFormat>();

function local(at: number, timeZone: string): { date: string; weekday: (typeof weekdays)[number]; hhmm: string } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', weekday: 'short' });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, weekday: parts.weekday!.toLowerCase().slice(0, 3) as (typeof weekdays)[number], hhmm: `${parts.hour}:${parts.minute}` };
}

/** Is `at` inside a calling window, for a contact in `timeZone`? */
export function inWindow(schedule: CampaignInput['schedule'], timeZone: string, at: number): boolean {
  const { date, weekday, hhmm } = local(at, timeZone);
  if (schedule.holidays.includes(date)) return false;
  return (schedule.windows[weekday] ?? []).some((w) => w.from <= hhmm && hhmm < w.to);
}
