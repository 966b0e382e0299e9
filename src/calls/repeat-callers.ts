// Repeat callers: has this number called recently? Used to flag the call on the agent whisper,
// the screen pop and the call record, with the earlier calls listed. Read through the call
// records' caller index (`caller!<number>!<startedAt>!<callId>`), newest first, so the cost is
// the handful of rows returned, however many calls the store holds.
import type { CallRecords } from './call-records.ts';
import type { CallOutcome } from './call-types.ts';

export interface RecentCall {
  callId: string;
  startedAt: number;
  /** Absent while that call is still up. */
  outcome?: CallOutcome;
  flowId?: string;
}

export interface RecentCalls {
  repeat: boolean;
  /** Newest first. */
  calls: RecentCall[];
}

export interface RecentCallsOptions {
  /** The instant judged from, ms since the epoch (usually the current call's start). */
  at: number;
  /** How far back a call still counts, e.g. 24 h or 7 days in ms. */
  windowMs: number;
  /** The current call, left out even when it started inside the window. */
  excludeCallId?: string;
  /** Most calls listed; default 10. */
  limit?: number;
}

/**
 * Numbers that say "no number": the caller withheld it, or the network did not pass one on. Every
 * such caller would share one history, so none of them is ever a repeat caller.
 */
const withheld = new Set(['', 'anonymous', 'unknown', 'unavailable', 'restricted', 'private', 'withheld']);

export const isAnonymous = (number: string) => withheld.has(number.trim().toLowerCase());

/**
 * The calls from `number` that started in [at − windowMs, at): a call exactly `windowMs` before
 * `at` counts, one at `at` itself does not (it is the current call, or one at the same instant).
 */
export async function recentCalls(records: CallRecords, number: string, options: RecentCallsOptions): Promise<RecentCalls> {
  const { at, windowMs, excludeCallId } = options;
  const limit = options.limit ?? 10;
  if (isAnonymous(number) || windowMs <= 0 || limit <= 0) return { repeat: false, calls: [] };
  // list() takes `to` inclusive at ms precision: at − 1 makes the window end before `at`.
  // One extra row, so leaving out the current call still fills the limit.
  const found = await records.list({ caller: number, from: at - windowMs, to: at - 1, limit: limit + 1 });
  const calls = found
    .filter((call) => call.callId !== excludeCallId)
    .slice(0, limit)
    .map((call): RecentCall => ({
      callId: call.callId,
      startedAt: call.startedAt,
      ...(call.outcome ? { outcome: call.outcome } : {}),
      ...(call.flow ? { flowId: call.flow.flowId } : {}),
    }));
  return { repeat: calls.length > 0, calls };
}
