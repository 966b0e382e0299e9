import { z } from 'zod';
import { openState, validateBusinessHours, type BusinessHoursSpec } from '../business-hours.ts';
import type { NodeKind } from '../runtime.ts';
import { base, edges, nodeId } from './common.ts';

interface HoursNode { kind: 'business-hours'; hours: BusinessHoursSpec; open: string; closed: string; holiday?: string }

/** Branches on the site's opening hours (weekly schedule, holidays, time zone) at this instant. */
export const businessHours: NodeKind<HoursNode & Record<string, unknown>> = {
  kind: 'business-hours',
  schema: z.object({ kind: z.literal('business-hours'), ...base, hours: z.record(z.string(), z.unknown()), open: nodeId, closed: nodeId, holiday: nodeId.optional() }).strict(),
  edges: (n) => edges([[['open'], n.open], [['closed'], n.closed], [['holiday'], n.holiday]]),
  waits: () => false,
  check: (n, _ctx, path) => validateBusinessHours(n.hours).map((p) => ({ path: [...path, 'hours', ...p.path], message: p.message, severity: 'error' as const })),
  enter(n, rt) {
    const state = openState(n.hours, rt.now);
    rt.note('hours', { open: state.open, reason: state.reason, holiday: state.holiday });
    if (state.open) rt.goto(n.open);
    else if (n.holiday && (state.reason === 'holiday' || state.reason === 'holiday-hours')) rt.goto(n.holiday);
    else rt.goto(n.closed);
  },
};
