// Call classification as one service: the categories and policies (DispositionStore), a call's
// suggestions and current classification (from its record and trail), classifying it, and the
// reports. The call records are read, never written: classifications live in this capability's
// own section, keyed by call id, so classifying an ended call needs no live call machine.
import type { CallRecords } from '../calls/call-records.ts';
import type { CallState, TrailEntry } from '../calls/call-types.ts';
import { DispositionError } from './disposition-errors.ts';
import { dispositionReport, type DispositionReport, type DispositionReportQuery } from './disposition-report.ts';
import { DispositionStore } from './disposition-store.ts';
import { DEFAULT_POLICY, type CallDisposition, type QueuePolicy } from './disposition-types.ts';
import { suggestCategories, type SuggestedCategory } from './suggest.ts';
import type { Store } from '../store/store.ts';

export interface DispositionServiceDeps {
  store: Store;
  now: () => number;
  records: Pick<CallRecords, 'get' | 'trail' | 'list'>;
  /** A knowledge article's categoryPath (the published snapshot), undefined when unknown. */
  articleCategory?: (articleId: string) => readonly string[] | undefined;
  /** config.acd.repeatCallerWindowHours: what counts as calling again. */
  repeatWindowHours: number;
}

export interface WrapUp {
  callId: string;
  /** The queue the call was answered from (else the last one it joined). */
  queue?: string;
  policy: QueuePolicy;
  /** The agents the call was connected to: each may classify it. */
  agents: string[];
  suggestions: SuggestedCategory[];
  current?: CallDisposition;
}

/** The queue whose policy applies: the one the call was answered from, else the last joined. */
export function queueOf(trail: readonly TrailEntry[]): string | undefined {
  const connected = trail.filter((e) => e.type === 'agent-connected' && typeof e.queue === 'string').at(-1);
  const joined = trail.filter((e) => (e.type === 'queue' || e.type === 'agent-connected') && typeof e.queue === 'string').at(-1);
  return (connected?.queue ?? joined?.queue) as string | undefined;
}

export const queuesOf = (trail: readonly TrailEntry[]) =>
  [...new Set(trail.filter((e) => (e.type === 'queue' || e.type === 'agent-connected') && typeof e.queue === 'string').map((e) => e.queue as string))];

export const agentsOf = (trail: readonly TrailEntry[]) =>
  [...new Set(trail.filter((e) => e.type === 'agent-connected' && typeof e.agentId === 'string').map((e) => e.agentId as string))];

export class DispositionService {
  readonly store: DispositionStore;

  constructor(private readonly deps: DispositionServiceDeps) {
    this.store = new DispositionStore(deps.store, deps.now);
  }

  private async callOf(callId: string): Promise<{ state: CallState; trail: TrailEntry[] }> {
    const state = await this.deps.records.get(callId);
    if (!state) throw new DispositionError('DISPOSITION_CALL_NOT_FOUND', `no call ${callId}`);
    return { state, trail: await this.deps.records.trail(callId) };
  }

  /** The agents a call was connected to (own-call checks), [] for an unknown call. */
  async agentsOn(callId: string): Promise<string[]> {
    return agentsOf(await this.deps.records.trail(callId));
  }

  async policyFor(queue: string | undefined): Promise<QueuePolicy> {
    if (queue === undefined) return DEFAULT_POLICY;
    return (await this.store.policy(queue))?.value ?? DEFAULT_POLICY;
  }

  /** What the wrap-up panel shows: ranked suggestions, the queue's policy, the current choice. */
  async wrapUp(callId: string): Promise<WrapUp> {
    const { state, trail } = await this.callOf(callId);
    const categories = (await this.store.categories()).map((s) => s.value);
    const queue = queueOf(trail);
    const current = await this.store.call(callId);
    const suggestions = suggestCategories({
      categories, trail, campaign: (state as unknown as { campaign?: unknown }).campaign,
      ...(this.deps.articleCategory ? { articleCategory: this.deps.articleCategory } : {}),
    });
    return { callId, ...(queue !== undefined ? { queue } : {}), policy: await this.policyFor(queue), agents: agentsOf(trail), suggestions, ...(current ? { current } : {}) };
  }

  current(callId: string): Promise<CallDisposition | undefined> {
    return this.store.call(callId);
  }

  /** The current classification of each of these calls that has one (a call list, the recordings search). */
  async forCalls(callIds: readonly string[]): Promise<Map<string, CallDisposition>> {
    const found = new Map<string, CallDisposition>();
    for (const id of callIds) {
      const d = await this.store.call(id);
      if (d) found.set(id, d);
    }
    return found;
  }

  async classify(callId: string, categoryId: string, by: string, note?: string) {
    const { state, trail } = await this.callOf(callId);
    return this.store.classify({ callId, startedAt: state.startedAt, caller: state.caller.number, queues: queuesOf(trail) }, categoryId, by, note);
  }

  async report(query: DispositionReportQuery): Promise<DispositionReport> {
    if (!Number.isFinite(query.from) || !Number.isFinite(query.to) || query.to <= query.from) {
      throw new DispositionError('DISPOSITION_INVALID', 'from must be before to', [{ path: ['from'], message: 'from must be before to' }]);
    }
    const categories = (await this.store.categories()).map((s) => s.value);
    const records = this.deps.records;
    return dispositionReport(query, {
      categories,
      windowHours: this.deps.repeatWindowHours,
      classified: (from, to) => this.store.classified(from, to),
      // The caller index, newest first, inside the window after the call: one row is enough.
      calledAgain: async (number, startedAt, windowMs, callId) =>
        (await records.list({ caller: number, from: startedAt + 1, to: startedAt + windowMs, limit: 2 })).some((c) => c.callId !== callId),
    });
  }
}
