// The shape of GET /reports/staffing as the staffing part of the reports page reads it
// (src/staffing/staffing-service.ts and src/api/v1/staffing-routes.ts define it).
export interface StaffingInterval {
  start: number; end: number; date: string; time: string; weekday: number; holiday?: string;
  calls: number; ahtSeconds: number; agents: number;
  serviceLevel: number; probabilityOfAbandon: number | null; asaSeconds: number | null; occupancy: number;
}
export interface StaffingForecast {
  queue: string | null; weekStart: number; weekEnd: number; timezone: string;
  model: 'erlang-c' | 'erlang-a'; patienceSeconds: number | null; ahtSeconds: number;
  weights: number[]; daysUsed: number[]; holidaysLeftOut: string[]; holidaysAhead: { date: string; name: string }[];
  target: { serviceLevel: number; thresholdSeconds: number; maxAbandon: number | null; maxOccupancy: number | null };
  intervals: StaffingInterval[];
}

/** The target inputs as typed (strings, so a half-typed number is not rejected while typing). */
export interface StaffingChoices { queue: string; target: string; thresholdSeconds: string; maxAbandon: string; weeks: string }
export const DEFAULT_CHOICES: StaffingChoices = { queue: '', target: '80', thresholdSeconds: '20', maxAbandon: '', weeks: '4' };

/** The query string of GET /reports/staffing for the choices (also the CSV link's). */
export function staffingQuery(choices: StaffingChoices, format: 'json' | 'csv' = 'json'): URLSearchParams {
  const q = new URLSearchParams({ target: choices.target, thresholdSeconds: choices.thresholdSeconds, weeks: choices.weeks });
  if (choices.queue) q.set('queue', choices.queue);
  if (choices.maxAbandon.trim()) q.set('maxAbandon', choices.maxAbandon.trim());
  if (format === 'csv') q.set('format', 'csv');
  return q;
}

/** "3/23" or "3月23日" of a YYYY-MM-DD date, in the UI's locale. */
export const shortDate = (date: string, locale: string) =>
  new Intl.DateTimeFormat(locale, { month: 'numeric', day: 'numeric', timeZone: 'UTC' }).format(Date.parse(`${date}T00:00:00Z`));
