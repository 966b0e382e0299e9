// Business hours (src/ivr/business-hours.ts) as a form edits them: ranges typed as text
// ("09:00-12:00, 13:00-18:00"), a day without ranges closed, holidays with optional special hours.
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface HoursSpec { timezone: string; weekly: Partial<Record<Weekday, string[]>>; holidays?: { date: string; name?: string; hours?: string[] }[] }
export interface HoursDraft { timezone: string; weekly: Record<Weekday, string>; holidays: { date: string; name: string; hours: string }[] }

const rangesText = (ranges: unknown) => (Array.isArray(ranges) ? ranges.map(String).join(', ') : '');
const rangesOf = (text: string) => text.split(/[,，;；\s]+/).map((r) => r.trim()).filter(Boolean);

export function draftOfHours(spec: Record<string, unknown> | undefined, defaultZone: string): HoursDraft {
  const weekly = (spec?.weekly ?? {}) as Record<string, unknown>;
  const holidays = Array.isArray(spec?.holidays) ? (spec.holidays as { date?: unknown; name?: unknown; hours?: unknown }[]) : [];
  return {
    timezone: typeof spec?.timezone === 'string' ? spec.timezone : defaultZone,
    weekly: Object.fromEntries(WEEKDAYS.map((d) => [d, spec ? rangesText(weekly[d]) : ['sat', 'sun'].includes(d) ? '' : '09:00-18:00'])) as Record<Weekday, string>,
    holidays: holidays.map((h) => ({ date: String(h.date ?? ''), name: typeof h.name === 'string' ? h.name : '', hours: rangesText(h.hours) })),
  };
}

export function specOfDraft(draft: HoursDraft): HoursSpec {
  const weekly: Partial<Record<Weekday, string[]>> = {};
  for (const d of WEEKDAYS) { const ranges = rangesOf(draft.weekly[d]); if (ranges.length) weekly[d] = ranges; }
  const holidays = draft.holidays.map((h) => ({ date: h.date.trim(), ...(h.name.trim() ? { name: h.name.trim() } : {}), ...(rangesOf(h.hours).length ? { hours: rangesOf(h.hours) } : {}) }));
  return { timezone: draft.timezone.trim(), weekly, ...(holidays.length ? { holidays } : {}) };
}
