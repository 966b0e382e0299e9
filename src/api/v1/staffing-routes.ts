// The staffing forecast over the API: next week's calls and required agents per 30-minute
// interval, for a queue or the whole site, from the reports' rollups (see src/staffing/). JSON for
// the chart and table, CSV for workforce planners' spreadsheets. Read-only: nothing to audit.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { StaffingService } from '../../staffing/staffing-service.ts';
import type { ApiEnv } from './api-env.ts';
import { secured } from './secured.ts';

const Query = z.object({
  queue: z.string().min(1).max(64).optional().openapi({ description: 'Queue id; absent: every queue together' }),
  target: z.coerce.number().min(1).max(99.9).default(80).openapi({ description: 'Service level target, percent answered within thresholdSeconds (default 80)' }),
  thresholdSeconds: z.coerce.number().int().min(1).max(600).default(20).openapi({ description: 'T of the service level, seconds (default 20)' }),
  maxAbandon: z.coerce.number().min(0.1).max(50).optional().openapi({ description: 'Highest abandon rate, percent; applies when the queue\'s patience is known (Erlang A)' }),
  maxOccupancy: z.coerce.number().min(50).max(100).optional().openapi({ description: 'Highest agent occupancy, percent' }),
  weeks: z.coerce.number().int().min(1).max(26).default(4).openapi({ description: 'History weeks, newest weighted most (default 4)' }),
  format: z.enum(['json', 'csv']).default('json'),
});

const Interval = z.object({
  start: z.number(), end: z.number(), date: z.string(), time: z.string(), weekday: z.number().int().min(0).max(6).openapi({ description: 'Monday 0 … Sunday 6' }),
  holiday: z.string().optional(),
  calls: z.number(), ahtSeconds: z.number(), agents: z.number().int(),
  serviceLevel: z.number(), probabilityOfAbandon: z.number().nullable(), asaSeconds: z.number().nullable(), occupancy: z.number(),
}).openapi('StaffingInterval');

const Forecast = z.object({
  queue: z.string().nullable(),
  weekStart: z.number(), weekEnd: z.number(), timezone: z.string(),
  model: z.enum(['erlang-c', 'erlang-a']),
  patienceSeconds: z.number().nullable(), ahtSeconds: z.number(),
  weights: z.array(z.number()), daysUsed: z.array(z.number()), holidaysLeftOut: z.array(z.string()),
  holidaysAhead: z.array(z.object({ date: z.string(), name: z.string() })),
  target: z.object({ serviceLevel: z.number(), thresholdSeconds: z.number(), maxAbandon: z.number().nullable(), maxOccupancy: z.number().nullable() }),
  intervals: z.array(Interval),
}).openapi('StaffingForecast');

export function staffingRoutes(deps: { staffing: StaffingService }) {
  const app = new OpenAPIHono<ApiEnv>();
  app.openapi(secured('reports.read', createRoute({
    method: 'get', path: '/reports/staffing', tags: ['reports'],
    summary: 'Staffing forecast for next week: calls, AHT and required agents per 30-minute interval (same-weekday weighted history; Erlang A where patience is known, else Erlang C)',
    request: { query: Query },
    responses: { 200: { description: 'The forecast (JSON), or one CSV row per interval', content: { 'application/json': { schema: Forecast }, 'text/csv': { schema: z.string() } } } },
  })), async (c) => {
    const { queue, target, thresholdSeconds, maxAbandon, maxOccupancy, weeks, format } = c.req.valid('query');
    const request = {
      ...(queue !== undefined ? { queue } : {}), serviceLevel: target / 100, thresholdSeconds, weeks,
      ...(maxAbandon !== undefined ? { maxAbandon: maxAbandon / 100 } : {}),
      ...(maxOccupancy !== undefined ? { maxOccupancy: maxOccupancy / 100 } : {}),
    };
    if (format === 'csv') {
      const name = `staffing-${queue ?? 'all'}`.replace(/[^a-zA-Z0-9_-]/g, '_');
      return c.body(await deps.staffing.csv(request), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}.csv"` }) as never;
    }
    const forecast = await deps.staffing.forecast(request);
    // JSON has no Infinity: an ASA that cannot be reached is null.
    const intervals = forecast.intervals.map((i) => ({ ...i, asaSeconds: Number.isFinite(i.asaSeconds) ? Math.round(i.asaSeconds * 10) / 10 : null }));
    return c.json({ ...forecast, intervals }, 200);
  });
  return app;
}
