// Reports by category: how many calls each category (and each top-level category) got, and which
// categories drive repeat calls — the share of calls classified X after which the same number
// called again within the repeat window (the same window as the repeat-caller flag,
// acd.repeatCallerWindowHours). Calls are counted by when they started; each call counts once,
// under its last classification.
import { isAnonymous } from '../calls/repeat-callers.ts';
import type { CallDisposition, Category } from './disposition-types.ts';

export interface DispositionReportQuery {
  from: number;
  to: number;
  queue?: string;
}

export interface CategoryCount {
  categoryId: string;
  calls: number;
  /** Of the classified calls in the report. */
  share: number;
}

export interface RepeatRow {
  categoryId: string;
  calls: number;
  /** Calls after which the same number called again within the window. */
  repeated: number;
  /** repeated / calls; null when no call of the category had a number to follow. */
  rate: number | null;
  /** Calls with a withheld number: nobody can tell whether they called back. */
  anonymous: number;
}

export interface DispositionReport {
  query: DispositionReportQuery & { windowHours: number };
  classified: number;
  byCategory: CategoryCount[];
  byTopLevel: CategoryCount[];
  repeat: { byCategory: RepeatRow[]; byTopLevel: RepeatRow[] };
}

export interface ReportSources {
  classified(from: number, to: number): AsyncIterable<CallDisposition>;
  categories: readonly Category[];
  windowHours: number;
  /** Whether `number` called again in (startedAt, startedAt + windowMs]. */
  calledAgain(number: string, startedAt: number, windowMs: number, callId: string): Promise<boolean>;
}

/** The top-level category a category is under (itself when it has no parent). */
export function topLevelOf(categories: ReadonlyMap<string, Category>, id: string): string {
  let at = categories.get(id);
  const seen = new Set<string>();
  while (at?.parentId !== undefined && categories.has(at.parentId) && !seen.has(at.id)) {
    seen.add(at.id);
    at = categories.get(at.parentId);
  }
  return at?.id ?? id;
}

const ranked = (counts: Map<string, number>, total: number): CategoryCount[] =>
  [...counts].map(([categoryId, calls]) => ({ categoryId, calls, share: total ? calls / total : 0 })).sort((a, b) => b.calls - a.calls || a.categoryId.localeCompare(b.categoryId));

export async function dispositionReport(query: DispositionReportQuery, sources: ReportSources): Promise<DispositionReport> {
  const byId = new Map(sources.categories.map((c) => [c.id, c]));
  const windowMs = sources.windowHours * 3_600_000;
  const leaf = new Map<string, number>();
  const top = new Map<string, number>();
  const repeatLeaf = new Map<string, RepeatRow>();
  const repeatTop = new Map<string, RepeatRow>();
  const bump = (rows: Map<string, RepeatRow>, id: string, repeated: boolean | undefined) => {
    const row = rows.get(id) ?? { categoryId: id, calls: 0, repeated: 0, rate: null, anonymous: 0 };
    row.calls++;
    if (repeated === undefined) row.anonymous++;
    else if (repeated) row.repeated++;
    rows.set(id, row);
  };
  let classified = 0;
  for await (const call of sources.classified(query.from, query.to)) {
    if (query.queue !== undefined && !call.queues.includes(query.queue)) continue;
    classified++;
    const topId = topLevelOf(byId, call.categoryId);
    leaf.set(call.categoryId, (leaf.get(call.categoryId) ?? 0) + 1);
    top.set(topId, (top.get(topId) ?? 0) + 1);
    const repeated = isAnonymous(call.caller) || windowMs <= 0 ? undefined : await sources.calledAgain(call.caller, call.startedAt, windowMs, call.callId);
    bump(repeatLeaf, call.categoryId, repeated);
    bump(repeatTop, topId, repeated);
  }
  const rated = (rows: Map<string, RepeatRow>) => [...rows.values()]
    .map((r) => ({ ...r, rate: r.calls - r.anonymous > 0 ? r.repeated / (r.calls - r.anonymous) : null }))
    .sort((a, b) => (b.rate ?? -1) - (a.rate ?? -1) || b.calls - a.calls || a.categoryId.localeCompare(b.categoryId));
  return {
    query: { ...query, windowHours: sources.windowHours },
    classified,
    byCategory: ranked(leaf, classified),
    byTopLevel: ranked(top, classified),
    repeat: { byCategory: rated(repeatLeaf), byTopLevel: rated(repeatTop) },
  };
}
