// Number routing: the dialed number (DID) and the time pick the flow a new call runs.
import { z } from 'zod';
import { openState, validateBusinessHours, type BusinessHoursSpec } from './business-hours.ts';
import type { Problem } from './flow-types.ts';

export const routeSchema = z.object({
  /** Exact number, a prefix ending in `*` (e.g. `400*`), or `*` for every number. */
  number: z.string().regex(/^(\*|[0-9a-zA-Z+#]{1,40}\*?)$/, 'a number, a prefix ending in *, or *'),
  flow: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/),
  /** With hours: the route applies only while open; otherwise `closedFlow` (or the next route). */
  hours: z.record(z.string(), z.unknown()).optional(),
  closedFlow: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/).optional(),
}).strict();

export type Route = z.infer<typeof routeSchema>;

export function validateRoutes(raw: unknown): { routes?: Route[]; problems: Problem[] } {
  if (!Array.isArray(raw)) return { problems: [{ path: [], message: 'routes are a list', severity: 'error' }] };
  if (raw.length > 1000) return { problems: [{ path: [], message: 'at most 1000 routes', severity: 'error' }] };
  const problems: Problem[] = [];
  const routes: Route[] = [];
  raw.forEach((item, i) => {
    const parsed = routeSchema.safeParse(item);
    if (!parsed.success) {
      problems.push(...parsed.error.issues.map((issue) => ({ path: [i, ...(issue.path as (string | number)[])], message: issue.message, severity: 'error' as const })));
      return;
    }
    if (parsed.data.hours) problems.push(...validateBusinessHours(parsed.data.hours).map((p) => ({ path: [i, 'hours', ...p.path], message: p.message, severity: 'error' as const })));
    routes.push(parsed.data);
  });
  return problems.length ? { problems } : { routes, problems };
}

/** How well a route's number matches a dialed number: -1 none, else higher is more specific. */
export const routeRank = (route: Route, dialed: string): number =>
  route.number === dialed ? 1e6 : route.number === '*' ? 0 : route.number.endsWith('*') && dialed.startsWith(route.number.slice(0, -1)) ? route.number.length : -1;

/** The most specific matching route wins: exact, then the longest prefix, then `*`. */
export function resolveRoute(routes: Route[], dialed: string, now: number): string | undefined {
  const rank = (r: Route) => routeRank(r, dialed);
  const candidates = routes.filter((r) => rank(r) >= 0).sort((a, b) => rank(b) - rank(a));
  for (const route of candidates) {
    if (!route.hours) return route.flow;
    if (openState(route.hours as unknown as BusinessHoursSpec, now).open) return route.flow;
    if (route.closedFlow) return route.closedFlow;
  }
  return undefined;
}
