// The site's holidays, from the business hours of its number routes (src/ivr/routes.ts: a route
// with `hours` applies only while open; its holiday calendar is the site's). A date named in any
// route's calendar is a holiday for staffing: calls that day do not follow the usual weekday.
import type { BusinessHoursSpec } from '../ivr/business-hours.ts';
import type { Route } from '../ivr/routes.ts';
import type { Holiday } from './forecast.ts';

export function holidaysOfRoutes(routes: readonly Route[]): Holiday[] {
  const byDate = new Map<string, string>();
  for (const route of routes) {
    const spec = route.hours as Partial<BusinessHoursSpec> | undefined;
    for (const holiday of Array.isArray(spec?.holidays) ? spec.holidays : []) {
      if (typeof holiday?.date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(holiday.date)) continue;
      if (!byDate.has(holiday.date)) byDate.set(holiday.date, typeof holiday.name === 'string' && holiday.name ? holiday.name : holiday.date);
    }
  }
  return [...byDate].map(([date, name]) => ({ date, name })).sort((a, b) => (a.date < b.date ? -1 : 1));
}
