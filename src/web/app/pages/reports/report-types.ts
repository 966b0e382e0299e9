// The shape of GET /reports/calls as the page reads it (src/reports/report-query.ts defines it).
export interface Figures {
  calls: number; offered: number; answered: number; abandoned: number; abandonedShort: number;
  serviceLevel: number | null; asaSeconds: number | null; ahtSeconds: number | null; longestWaitSeconds: number;
  averageTalkSeconds: number | null; averageWrapSeconds: number | null; handled: number;
  repeatCalls: number; repeatCallerRate: number | null;
  bot: { calls: number; contained: number; handedOff: number; unresolved: number; containmentRate: number | null; questions: number; answered: number; matchRate: number | null };
  csat: { responses: number; average: number | null; satisfiedRate: number | null; scores: number[] };
}
export interface SeriesPoint { group: string; start: number; end: number; label: string; figures: Figures }
export interface FunnelNode { node: string; reached: number; dropped: number; dropRate: number | null }
export interface Report {
  query: { from: number; to: number; interval: Interval; timezone: string; groupBy: string; filter?: { dimension: string; id: string }; serviceLevelSeconds: number; shortAbandonSeconds: number };
  groups: string[];
  series: SeriesPoint[];
  total: Figures;
  funnel?: { flow: string; nodes: FunnelNode[] }[];
}
export const INTERVALS = ['15m', 'hour', 'day', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number] | 'total';

/** Abandoned of offered queue legs (the wallboard's figure), null without offered legs. */
export const abandonRate = (f: Figures): number | null => (f.offered > 0 ? f.abandoned / f.offered : null);
