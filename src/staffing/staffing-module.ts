// Wiring only: the staffing forecast on the appliance's reports, clock, site time zone and number
// routes (whose business hours hold the site's holidays). Nothing runs in the background: a
// forecast is computed when asked for.
import type { RouteTable } from '../ivr/route-store.ts';
import { holidaysOfRoutes } from './holidays.ts';
import type { ReportSource } from './history.ts';
import { StaffingService } from './staffing-service.ts';

export function startStaffing(deps: { reports: ReportSource; now: () => number; timezone: string | undefined; routes: { current(): RouteTable } }): StaffingService {
  return new StaffingService({
    reports: deps.reports,
    now: deps.now,
    timezone: deps.timezone ?? 'UTC',
    // Read at each forecast: admins edit the routes (and their holidays) through the API.
    holidays: () => holidaysOfRoutes(deps.routes.current().routes),
  });
}
