// Hand-built follow-ups and finished calls for the follow-up tests.
import type { CallState, TrailEntry } from '../calls/call-types.ts';
import { transition } from './followup-machine.ts';
import type { Followup, FollowupDraft } from './followup-types.ts';

/** Tuesday 24 November 2026, 09:00 UTC. */
export const T0 = Date.UTC(2026, 10, 24, 9);
export const MIN = 60_000;
export const HOUR = 60 * MIN;

export const quietLogger = { info() {}, warn() {}, error() {}, debug() {}, child() { return quietLogger; } } as never;

export function draft(fields: Partial<FollowupDraft> = {}): FollowupDraft {
  return {
    id: 'manual-1', kind: 'manual', title: 'Call Mrs Li back', note: '', assignee: null, priority: 'normal', dueAt: T0 + 4 * HOUR,
    links: { recordingIds: [], transcript: false }, callerNumber: '+8613800000000', ...fields,
  };
}

/** A follow-up as created by `by` at T0. */
export function created(fields: Partial<FollowupDraft> = {}, by = 'agent'): Followup {
  return transition(undefined, { type: 'create', draft: draft(fields), at: T0, by }).next;
}

/** A finished call from `number`, its trail entries one second apart from the start. */
export function endedCall(callId: string, entries: Omit<TrailEntry, 'at'>[], number = '+4930123456'): { call: CallState; trail: TrailEntry[] } {
  const trail = entries.map((e, i) => ({ ...e, at: T0 + (i + 1) * 1000 }) as TrailEntry);
  const endedAt = T0 + (entries.length + 1) * 1000;
  const call: CallState = {
    callId, channelId: `ch-${callId}`, channelName: 'PJSIP/trunk-1', phase: 'ended', caller: { number, name: '' }, dialed: '100', startedAt: T0, answeredAt: T0,
    endedAt, endedBy: 'caller', outcome: 'completed', digits: '', promptCount: 0, timers: {}, trailLength: trail.length, flow: { flowId: 'main', version: 1 },
  };
  return { call, trail };
}
