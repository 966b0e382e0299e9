import type { Party } from '../telephony/telephony.ts';
import type { PromptRef } from '../ivr/flow-types.ts';
import type { HttpRequestEffect, IvrEffect, IvrEvent, IvrState } from '../ivr/ivr-types.ts';
import type { FlowLookup } from '../ivr/runtime.ts';

export type CallPhase = 'ringing' | 'answering' | 'active' | 'ending' | 'ended';
export type CallOutcome = 'completed' | 'abandoned' | 'dropped' | 'failed' | 'transferred';
export type EndedBy = 'caller' | 'deskline' | 'system';

/** The persisted call: its record summary and the machine's state are one object. */
export interface CallState {
  callId: string;
  channelId: string;
  channelName: string;
  phase: CallPhase;
  caller: Party;
  dialed: string;
  startedAt: number;
  answeredAt?: number;
  endedAt?: number;
  hangupCause?: number;
  endReason?: string;
  endedBy?: EndedBy;
  outcome?: CallOutcome;
  /** promptId: what the machine matches on (an IVR tag or 'greeting'); label: the prompts, for people. */
  playback?: { id: string; promptId: string; label?: string };
  /** A feature code the caller dialled (an agent's phone: *50 log in, …) instead of a flow. */
  feature?: string;
  /** The flow this call runs, pinned at entry: publishing a new version does not change it. */
  flow?: { flowId: string; version: number };
  ivr?: IvrState;
  /** A transfer was asked of Asterisk; its StasisEnd may arrive before the request's reply. */
  transferring?: string;
  /** Voicemail recording under way: Asterisk's recording name and the IVR request it answers. */
  recording?: { name: string; requestId: string };
  digits: string;
  promptCount: number;
  /** Timer name → absolute deadline (ms since epoch); re-armed after a restart. */
  timers: Record<string, number>;
  /** Number of trail entries written so far (next entry's sequence number). */
  trailLength: number;
  /** An outbound campaign's call: which contact and attempt, and the values its flow starts with. */
  campaign?: { campaignId: string; contactId: string; attempt: number; vars: Record<string, string> };
  /**
   * A call Deskline placed for one agent (a preview campaign's, agent-first): no flow, no
   * greeting; the queue rings the agent, dials the customer on this call's channel and bridges.
   */
  placed?: { agentId: string; queueId: string };
}

export interface TrailEntry {
  at: number;
  type: string;
  [field: string]: unknown;
}

/** What the call machine hears: telephony events plus results of its own commands and timers. */
export type CallInput =
  | { type: 'entered'; at: number; flow?: { flowId: string; version: number }; feature?: string }
  /** The feature code was carried out; `media` says how it went. */
  | { type: 'feature-done'; media: string[]; ok: boolean; detail: string; at: number }
  | { type: 'ivr'; event: IvrEvent; at: number }
  /** Side services (transcription, …) append to the call's trail through the one writer. */
  | { type: 'note'; entry: Omit<TrailEntry, 'at'>; at: number }
  | { type: 'recording-finished'; name: string; durationSeconds: number; failed: boolean; at: number }
  | { type: 'answered'; at: number }
  | { type: 'playback-started'; playbackId: string; at: number }
  | { type: 'playback-finished'; playbackId: string; failed: boolean; at: number }
  | { type: 'dtmf'; digit: string; durationMs: number; at: number }
  | { type: 'hangup-requested'; cause: number | undefined; at: number }
  | { type: 'left'; at: number }
  | { type: 'destroyed'; cause: number; causeText: string; at: number }
  | { type: 'timer'; name: string; at: number }
  | { type: 'command-failed'; command: CallCommand['type']; code: string; message: string; at: number }
  | { type: 'resumed'; at: number }
  /** Deskline ends the call from outside the machine (the agent it was bridged to hung up). */
  | { type: 'end'; reason: string; at: number }
  /** Deskline hands the caller to the dialplan (blind transfer to a number): ends as transferred. */
  | { type: 'transferring'; target: string; at: number }
  | { type: 'channel-missing'; reason: 'asterisk-restarted' | 'ended-while-disconnected'; at: number }
  /** The queue is done with a placed call (agent missed it, dial refused, conversation over). */
  | { type: 'placed-over'; reason: string; at: number };

export type CallCommand =
  | { type: 'answer' }
  | { type: 'feature'; code: string }
  | { type: 'transcribe'; policy: 'caller' | 'both' }
  | { type: 'play'; playbackId: string; promptId: string; media?: string[]; prompts?: PromptRef[]; language?: string }
  | { type: 'http'; request: HttpRequestEffect }
  | { type: 'record'; requestId: string; name: string; maxSeconds: number; beep: boolean; terminateOn: string }
  | { type: 'outside'; effect: Extract<IvrEffect, { type: 'speech' | 'knowledge' | 'queue' | 'queue-action' | 'transfer' | 'callback' }> }
  | { type: 'stop-playback'; playbackId: string }
  | { type: 'hangup'; reason: 'normal' | 'busy' | 'congestion' }
  | { type: 'set-timer'; name: string; deadline: number }
  | { type: 'clear-timer'; name: string };

export interface Transition {
  next: CallState;
  commands: CallCommand[];
  trail: TrailEntry[];
}

/** What transitions may consult besides the state: settings, the published flows, the site. */
export interface CallEnv {
  settings: CallSettings;
  flows: FlowLookup;
  timezone: string;
}

export interface CallSettings {
  greetingMedia: string[];
  goodbyeMedia: string[];
  idleTimeoutMs: number;
  maxCallMs: number;
}
