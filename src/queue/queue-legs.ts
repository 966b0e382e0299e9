// The executor's own persisted data beside the ACD: which Asterisk channels belong to which
// queued call. Channel ids are decided here, before the state is saved, so that after a crash
// the restarted executor knows every channel it may have created.
import type { Party } from '../telephony/telephony.ts';
import type { AcdState } from './queue-types.ts';

export type CallLanguage = 'en' | 'zh-CN';

export interface QueueLeg {
  callId: string;
  /** The customer's channel: the inbound call's, or the callback's once it was dialled. */
  channelId: string;
  kind: 'caller' | 'callback';
  caller: Party;
  queueId: string;
  language: CallLanguage;
  /** The IVR request the caller's queue node waits on (status events carry it). */
  requestId: string;
  /** Agent phones being rung: agent id → channel id. */
  ringing: Record<string, string>;
  connected?: {
    agentId: string;
    channelId: string;
    bridgeId: string;
    at: number;
    bridgedAt?: number;
    /** The waiting entry as it was when the agent answered: restored if the agent drops before the bridge. */
    entry?: import('./queue-types.ts').WaitingEntry;
  };
  recording?: LiveRecording;
  repeatCalls: number;
  joinedAt: number;
  /** The number a kept callback place will call. */
  callbackNumber?: string;
  /** Agent-first callback: the agent answered and the customer is being dialled (bridge when they answer). */
  awaitingCustomer?: boolean;
  /** Set by a blind transfer: the queue the caller was answered from (an unanswered transfer goes back there). */
  transferredFrom?: string;
  /** An attended transfer under way: the target's leg (the caller holds meanwhile). */
  consult?: { channelId: string; target: string; agentId?: string; answered?: boolean };
  /**
   * A call Deskline places for one agent (a preview campaign's): the customer is dialled on
   * `channelId` with the campaign's dial string and caller id, once the agent has answered.
   */
  placed?: { agentId: string; endpoint: string; callerId: Party; ringSeconds: number };
  /** Legs created for this call so far (makes channel ids unique). */
  legCount: number;
}

export interface LiveRecording {
  name: string;
  startedAt: number;
  pausedAt?: number;
  pauses: { at: number; seconds: number }[];
}

/** A bridge recording that ended: kept until its file is in the recording store. */
export interface FinishedRecording extends LiveRecording {
  callId: string;
  queueId: string;
  agentId: string;
  caller: Party;
}

export interface QueuesState {
  acd: AcdState;
  legs: Record<string, QueueLeg>;
  /** Recordings stopped but not yet ingested (RecordingFinished pending), by name. */
  recordings: Record<string, FinishedRecording>;
  /** Seeded generator state for the random strategy (mulberry32). */
  seed: number;
}

/** mulberry32: a draw in [0, 1) and the next seed; persisted so replays pick the same agent. */
export function draw(seed: number): { value: number; seed: number } {
  const next = (seed + 0x6d2b79f5) | 0;
  let t = next;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return { value: ((t ^ (t >>> 14)) >>> 0) / 4294967296, seed: next };
}

/**
 * A placed call's customer channel id IS its call id, and Asterisk 22 refuses (409 "Channel with
 * given unique ID already exists") to create a channel whose id is a prefix of a live channel's id
 * (seen here: the agent's `<callId>-ag1-…` was up). So a placed call's agent legs put the call id last.
 */
export const agentChannelId = (leg: QueueLeg, agentId: string) =>
  leg.placed ? `ag${leg.legCount + 1}-${agentId}-${leg.callId}` : `${leg.callId}-ag${leg.legCount + 1}-${agentId}`;
export const callbackChannelId = (callId: string) => `${callId}-cb`;
export const bridgeIdOf = (callId: string) => `${callId}-queue`;

/** Which queued call (and in which role) a channel belongs to. */
export function findChannel(legs: Record<string, QueueLeg>, channelId: string): { leg: QueueLeg; role: 'customer' | 'ringing' | 'agent'; agentId?: string } | undefined {
  for (const leg of Object.values(legs)) {
    if (leg.channelId === channelId) return { leg, role: 'customer' };
    if (leg.connected?.channelId === channelId) return { leg, role: 'agent', agentId: leg.connected.agentId };
    for (const [agentId, ringing] of Object.entries(leg.ringing)) if (ringing === channelId) return { leg, role: 'ringing', agentId };
  }
  return undefined;
}
