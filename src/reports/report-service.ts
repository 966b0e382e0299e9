// What the rest of Deskline uses of reports: record a call when it ends (reading its record and
// trail, and the repeat-caller lookup the trail may lack), answer a report, export it as CSV, and
// record calls that ended before reports were kept (backfill). The admin API's routes call
// `query` and `csv`; the call-endings feed calls `callEnded` for every ended call.
import type { Logger } from 'pino';
import type { CallRecords } from '../calls/call-records.ts';
import type { CallState, TrailEntry } from '../calls/call-types.ts';
import { recentCalls } from '../calls/repeat-callers.ts';
import type { Lexicon } from '../knowledge/matcher/lexicon.ts';
import type { Store } from '../store/store.ts';
import type { FactsContext } from './call-facts.ts';
import { toCsv, type CsvTable } from './report-csv.ts';
import type { ReportQuery, ReportResult } from './report-query.ts';
import { ReportStore, type RecordOutcome } from './report-store.ts';

/** The queue settings reports need (QueueSettings from the site file has them). */
export interface ReportQueueSettings {
  id: string;
  requiredSkills: { skill: string }[];
  wrapUpSeconds: number;
}

export interface ReportServiceDeps {
  store: Store;
  records: CallRecords;
  logger: Logger;
  queues: ReportQueueSettings[];
  /** config.acd.repeatCallerWindowHours (0: no call is a repeat call). */
  repeatCallerWindowHours: number;
  /** What a query leaves out: the site's zone, config.acd.serviceLevelSeconds, the wallboard's short abandon. */
  defaults: { timezone: string; serviceLevelSeconds: number; shortAbandonSeconds: number };
  /** The knowledge base's synonyms and stop words, so unmatched questions group as the matcher reads them. */
  lexicon?: () => Lexicon | undefined | Promise<Lexicon | undefined>;
}

/**
 * Reports count customers' calls once they ended. An agent's phone dialling a feature code (*50
 * to log in, …) reaches Deskline as a call too, but is not one.
 */
export const isReported = (call: CallState) => call.phase === 'ended' && call.feature === undefined;

/** A query as the API takes it: the zone and thresholds default to the site's. */
export type ReportRequest = Omit<ReportQuery, 'timezone'> & { timezone?: string };

export class ReportService {
  readonly rollups: ReportStore;
  private readonly queues: Map<string, ReportQueueSettings>;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly deps: ReportServiceDeps) {
    this.rollups = new ReportStore(deps.store);
    this.queues = new Map(deps.queues.map((q) => [q.id, q]));
  }

  /**
   * A call ended: record it. Safe to call again for the same call (a late trail entry, such as a
   * survey result, corrects its figures). A failure is logged and rejects, so the call-endings
   * feed keeps the call and hands it over again at the next start (or `backfill` records it).
   */
  callEnded(callId: string): Promise<void> {
    const done = this.recordFromStore(callId).finally(() => this.inFlight.delete(done));
    this.inFlight.add(done);
    return done;
  }

  private async recordFromStore(callId: string): Promise<void> {
    try {
      const call = await this.deps.records.get(callId);
      if (!call || !isReported(call)) return;
      await this.record(call, await this.deps.records.trail(callId));
    } catch (error) {
      this.deps.logger.warn({ err: error, callId }, 'reports: call not recorded');
      throw error;
    }
  }

  async record(call: CallState, trail: TrailEntry[]): Promise<RecordOutcome> {
    return this.rollups.recordCall(call, trail, await this.context(call, trail));
  }

  async query(request: ReportRequest): Promise<ReportResult> {
    const lexicon = request.unmatched ? await this.deps.lexicon?.() : undefined;
    return this.rollups.query(this.complete(request), { lexicon });
  }

  /** Resolves when every call recorded so far is in the store (before the store closes). */
  async idle(): Promise<void> {
    await Promise.allSettled(this.inFlight);
    await this.rollups.idle();
  }

  async csv(request: ReportRequest, table: CsvTable = 'series'): Promise<string> {
    return toCsv(await this.query(table === 'unmatched' && !request.unmatched ? { ...request, unmatched: 100 } : request), table);
  }

  /** Records the ended calls that started in [from, to) (already recorded ones are left as they are). */
  async backfill(range: { from: number; to: number }): Promise<Record<RecordOutcome, number>> {
    const counts: Record<RecordOutcome, number> = { recorded: 0, unchanged: 0, corrected: 0 };
    let upper = range.to - 1;
    const seen = new Set<string>();
    while (upper >= range.from) {
      const page = await this.deps.records.list({ from: range.from, to: upper, limit: 1_000 });
      const fresh = page.filter((c) => !seen.has(c.callId));
      for (const call of fresh) {
        seen.add(call.callId);
        if (isReported(call)) counts[await this.record(call, await this.deps.records.trail(call.callId))]++;
      }
      if (page.length < 1_000) break;
      // Calls of the oldest millisecond may straddle pages: ask again from it, skipping those seen.
      const oldest = Math.min(...page.map((c) => c.startedAt));
      upper = fresh.length > 0 ? oldest : oldest - 1;
    }
    return counts;
  }

  private complete(request: ReportRequest): ReportQuery {
    const { defaults } = this.deps;
    return {
      ...request,
      timezone: request.timezone ?? defaults.timezone,
      serviceLevelSeconds: request.serviceLevelSeconds ?? defaults.serviceLevelSeconds,
      shortAbandonSeconds: request.shortAbandonSeconds ?? defaults.shortAbandonSeconds,
    };
  }

  private async context(call: CallState, trail: TrailEntry[]): Promise<FactsContext> {
    const windowMs = this.deps.repeatCallerWindowHours * 3_600_000;
    // The queue notes repeat callers only for the calls it takes; reports count every call.
    const needsLookup = windowMs > 0 && !trail.some((e) => e.type === 'repeat-caller');
    const repeatCaller = needsLookup ? (await recentCalls(this.deps.records, call.caller.number, { at: call.startedAt, windowMs, excludeCallId: call.callId, limit: 1 })).repeat : false;
    return {
      skillsOf: (queueId) => this.queues.get(queueId)?.requiredSkills.map((s) => s.skill) ?? [],
      wrapUpMs: (queueId) => (this.queues.get(queueId)?.wrapUpSeconds ?? 0) * 1000,
      repeatCaller,
    };
  }
}
