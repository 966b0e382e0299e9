// What the rest of Deskline uses of staffing: the next week's forecast for a queue (or the whole
// site) and a target, from the reports' rollups, in the site's time zone; and the same as CSV.
import { forecastFrom, historyRange, type Forecast, type Holiday } from './forecast.ts';
import { readHistory, type ReportSource } from './history.ts';

export interface StaffingServiceDeps {
  reports: ReportSource;
  now: () => number;
  /** The site's IANA zone (config site.timezone): days, weeks and half hours are local. */
  timezone: string;
  /** The site's holidays (holidays.ts holidaysOfRoutes over the number routes). */
  holidays: () => readonly Holiday[];
}

export interface StaffingRequest {
  queue?: string;
  /** Service level target, 0…1. */
  serviceLevel: number;
  thresholdSeconds: number;
  /** Highest abandon share, 0…1 (Erlang A, when the queue's patience is known). */
  maxAbandon?: number;
  maxOccupancy?: number;
  weeks: number;
}

export interface StaffingForecast extends Forecast {
  queue: string | null;
  target: { serviceLevel: number; thresholdSeconds: number; maxAbandon: number | null; maxOccupancy: number | null };
  /** Holidays inside the forecast week. */
  holidaysAhead: Holiday[];
}

export class StaffingService {
  constructor(private readonly deps: StaffingServiceDeps) {}

  async forecast(request: StaffingRequest): Promise<StaffingForecast> {
    const now = this.deps.now();
    const { timezone } = this.deps;
    const range = historyRange(now, request.weeks, timezone);
    const history = await readHistory(this.deps.reports, { ...range, timezone, ...(request.queue !== undefined ? { queue: request.queue } : {}) });
    const holidays = this.deps.holidays();
    const target = {
      serviceLevel: request.serviceLevel, thresholdSeconds: request.thresholdSeconds,
      ...(request.maxAbandon !== undefined ? { maxAbandon: request.maxAbandon } : {}),
      ...(request.maxOccupancy !== undefined ? { maxOccupancy: request.maxOccupancy } : {}),
    };
    const forecast = forecastFrom(history, now, { timezone, weeks: request.weeks, target, holidays });
    const ahead = new Set(forecast.intervals.map((i) => i.date));
    return {
      ...forecast,
      queue: request.queue ?? null,
      target: { serviceLevel: request.serviceLevel, thresholdSeconds: request.thresholdSeconds, maxAbandon: request.maxAbandon ?? null, maxOccupancy: request.maxOccupancy ?? null },
      holidaysAhead: holidays.filter((h) => ahead.has(h.date)),
    };
  }

  async csv(request: StaffingRequest): Promise<string> {
    return staffingCsv(await this.forecast(request));
  }
}

const cell = (value: string | number | null | undefined): string => {
  if (value === null || value === undefined) return '';
  const text = String(value);
  // Quote what a spreadsheet would split or read as a formula.
  return /[",\n\r]/.test(text) || /^[=+\-@\t]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};
const round = (value: number | null, digits: number) => (value === null || !Number.isFinite(value) ? null : Math.round(value * 10 ** digits) / 10 ** digits);

/** One row per 30-minute interval of the forecast week. */
export function staffingCsv(forecast: StaffingForecast): string {
  const header = ['date', 'time', 'weekday', 'holiday', 'forecast_calls', 'aht_seconds', 'required_agents', 'service_level', 'abandon_rate', 'asa_seconds', 'occupancy', 'model'];
  const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  const lines = forecast.intervals.map((i) => [
    i.date, i.time, weekdays[i.weekday], i.holiday ?? '', i.calls, i.ahtSeconds, i.agents,
    round(i.serviceLevel, 4), round(i.probabilityOfAbandon, 4), round(i.asaSeconds, 1), round(i.occupancy, 4), forecast.model,
  ].map(cell).join(','));
  return `${[header.join(','), ...lines].join('\r\n')}\r\n`;
}
