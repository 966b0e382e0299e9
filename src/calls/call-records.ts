// Durable call records in the store's `calls` section. Layout (keys sort as strings):
//   rec!<callId>                        the call (state + summary)
//   trail!<callId>!<seq:6>              ordered event trail
//   start!<startedAt:13>!<callId>       index by start time
//   caller!<number>!<startedAt:13>!<id> index by caller number
//   outcome!<outcome>!<startedAt:13>!<id> index by outcome (written when the call ends)
//   agent!<agentId>!<startedAt:13>!<id>   index by agent (each agent the call was connected to)
//   queue!<queueId>!<startedAt:13>!<id>   index by queue (each queue the call joined)
//   active!<callId>                     calls not yet ended (reconciled after restarts)
//   due!<consumer>!<callId>             ended calls a consumer has not handled yet (call-endings.ts)
import { prefixRange, type BatchOperation, type Section, type Store } from '../store/store.ts';
import type { CallOutcome, CallState, TrailEntry } from './call-types.ts';
import type { CallEndings } from './call-endings.ts';

const pad = (n: number, width: number) => String(Math.max(0, Math.floor(n))).padStart(width, '0');
const time = (ms: number) => pad(ms, 13);
/** Agent and queue ids come from settings: keep the key separator out of them. */
const keyPart = (text: string) => encodeURIComponent(text).replace(/!/g, '%21');

/** The agent and queue index keys a trail entry adds (a queue joined, an agent connected). */
function peopleKeys(callId: string, startedAt: number, entry: TrailEntry): string[] {
  const keys: string[] = [];
  if ((entry.type === 'queue' || entry.type === 'agent-connected') && typeof entry.queue === 'string' && entry.queue) keys.push(`queue!${keyPart(entry.queue)}!${time(startedAt)}!${callId}`);
  if (entry.type === 'agent-connected' && typeof entry.agentId === 'string' && entry.agentId) keys.push(`agent!${keyPart(entry.agentId)}!${time(startedAt)}!${callId}`);
  return keys;
}

export interface CallQuery {
  from?: number;
  to?: number;
  caller?: string;
  outcome?: CallOutcome;
  /** Calls connected to this agent. */
  agent?: string;
  /** Calls that joined this queue. */
  queue?: string;
  /** Words that must all appear in the call's transcripts (case-insensitive). */
  text?: string;
  limit?: number;
}

/** How many calls a transcript search reads at most: it scans, newest first, without an index. */
const textScanLimit = 20_000;

export class CallRecords {
  private readonly section: Section;

  constructor(store: Store, private readonly endings?: Pick<CallEndings, 'endedOps'>) {
    this.section = store.section('calls');
  }

  /** Writes the new state and its trail entries as one batch. */
  async save(previous: CallState | undefined, next: CallState, trail: TrailEntry[]): Promise<void> {
    const id = next.callId;
    const ops: BatchOperation[] = [{ type: 'put', key: `rec!${id}`, value: next }];
    const firstSeq = next.trailLength - trail.length;
    trail.forEach((entry, i) => ops.push({ type: 'put', key: `trail!${id}!${pad(firstSeq + i, 6)}`, value: entry }));
    for (const entry of trail) for (const key of peopleKeys(id, next.startedAt, entry)) ops.push({ type: 'put', key, value: id });
    if (!previous) {
      ops.push({ type: 'put', key: `start!${time(next.startedAt)}!${id}`, value: id });
      ops.push({ type: 'put', key: `caller!${next.caller.number}!${time(next.startedAt)}!${id}`, value: id });
      ops.push({ type: 'put', key: `active!${id}`, value: id });
    }
    if (next.phase === 'ended' && previous?.phase !== 'ended') {
      ops.push({ type: 'put', key: `outcome!${next.outcome}!${time(next.startedAt)}!${id}`, value: id });
      ops.push({ type: 'del', key: `active!${id}` });
      if (this.endings) ops.push(...this.endings.endedOps(id));
    }
    await this.section.batch(ops);
  }

  get(callId: string): Promise<CallState | undefined> {
    return this.section.get<CallState>(`rec!${callId}`);
  }

  async trail(callId: string): Promise<TrailEntry[]> {
    const entries: TrailEntry[] = [];
    for await (const [, entry] of this.section.entries<TrailEntry>(prefixRange(`trail!${callId}!`))) entries.push(entry);
    return entries;
  }

  async active(): Promise<CallState[]> {
    const calls: CallState[] = [];
    for await (const [, id] of this.section.entries<string>(prefixRange('active!'))) {
      const call = await this.get(id);
      if (call) calls.push(call);
    }
    return calls;
  }

  /** Newest first. Uses the most selective index; remaining filters apply to the few rows read. */
  async list(query: CallQuery = {}): Promise<CallState[]> {
    const limit = Math.min(Math.max(query.limit ?? 100, 1), 10_000);
    const from = time(query.from ?? 0);
    const to = time(query.to ?? 9_999_999_999_999);
    const agentPrefix = query.agent !== undefined ? `agent!${keyPart(query.agent)}!` : undefined;
    const queuePrefix = query.queue !== undefined ? `queue!${keyPart(query.queue)}!` : undefined;
    const prefix = query.caller !== undefined ? `caller!${query.caller}!` : agentPrefix ?? queuePrefix ?? (query.outcome ? `outcome!${query.outcome}!` : 'start!');
    const words = (query.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const calls: CallState[] = [];
    let scanned = 0;
    for await (const [, id] of this.section.entries<string>({ gte: `${prefix}${from}`, lt: `${prefix}${to}\uffff`, reverse: true })) {
      if (words.length && ++scanned > textScanLimit) break;
      const call = await this.get(id);
      if (!call) continue;
      if (query.outcome && call.outcome !== query.outcome) continue;
      // The index not read from: one key lookup says whether the call is in it.
      if (agentPrefix && prefix !== agentPrefix && !(await this.section.get(`${agentPrefix}${time(call.startedAt)}!${id}`))) continue;
      if (queuePrefix && prefix !== queuePrefix && !(await this.section.get(`${queuePrefix}${time(call.startedAt)}!${id}`))) continue;
      if (words.length && !(await this.transcriptHas(id, words))) continue;
      calls.push(call);
      if (calls.length >= limit) break;
    }
    return calls;
  }

  private async transcriptHas(callId: string, words: string[]): Promise<boolean> {
    const text = (await this.trail(callId)).filter((e) => e.type === 'transcript').map((e) => String(e.text).toLowerCase()).join(' ');
    return words.every((word) => text.includes(word));
  }
}
