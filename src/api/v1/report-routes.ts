// Reports over the API: contact-center figures from the rollups written as calls end (never a
// scan of the call records), as JSON for charts or CSV for spreadsheets. See src/reports/ for the
// definitions of every figure.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { ReportService } from '../../reports/report-service.ts';
import type { ApiEnv } from './api-env.ts';
import { json } from './schemas.ts';
import { secured } from './secured.ts';

const Instant = z.string().max(40).openapi({ description: 'Epoch ms, or ISO 8601 (2026-03-01 or 2026-03-01T08:00+08:00)' });
const Query = z.object({
  from: Instant, to: Instant,
  interval: z.enum(['15m', 'hour', 'day', 'week', 'month', 'total']).default('day'),
  timezone: z.string().max(64).optional().openapi({ description: 'IANA zone for hours, days, weeks and months (default: the site\'s)' }),
  groupBy: z.enum(['all', 'queue', 'agent', 'skill', 'flow']).optional(),
  queue: z.string().max(64).optional(), agent: z.string().max(64).optional(), skill: z.string().max(64).optional(), flow: z.string().max(64).optional(),
  serviceLevelSeconds: z.coerce.number().int().min(1).max(3600).optional(),
  shortAbandonSeconds: z.coerce.number().int().min(0).max(600).optional(),
  unmatched: z.coerce.number().int().min(0).max(1000).optional().openapi({ description: 'How many groups of unmatched bot questions to list (site-wide)' }),
  format: z.enum(['json', 'csv']).default('json'),
  table: z.enum(['series', 'funnel', 'unmatched']).default('series').openapi({ description: 'CSV: which table' }),
});

/** ISO or epoch ms → ms; anything else NaN (the report refuses it with REPORT_BAD_RANGE). */
const instant = (text: string) => (/^\d{1,15}$/.test(text) ? Number(text) : /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN);

export function reportRoutes(deps: { reports: ReportService }) {
  const app = new OpenAPIHono<ApiEnv>();
  app.openapi(secured('reports.read', createRoute({
    method: 'get', path: '/reports/calls', tags: ['reports'],
    summary: 'Calls per interval, answered / abandoned, service level, ASA, AHT, longest wait, IVR funnel, bot containment and match rate, repeat callers, CSAT; per queue, agent, skill or flow',
    request: { query: Query },
    responses: { 200: { description: 'The report (JSON), or a CSV table', content: { 'application/json': { schema: z.record(z.string(), z.unknown()).openapi('CallReport') }, 'text/csv': { schema: z.string() } } } },
  })), async (c) => {
    const { from, to, format, table, ...rest } = c.req.valid('query');
    const request = { ...rest, from: instant(from), to: instant(to) };
    if (format === 'csv') {
      return c.body(await deps.reports.csv(request, table), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="calls-${table}.csv"` }) as never;
    }
    return c.json((await deps.reports.query(request)) as unknown as Record<string, unknown>, 200);
  });
  return app;
}
