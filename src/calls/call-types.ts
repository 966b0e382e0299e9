import type { Party } from '../telephony/telephony.ts';

export type CallPhase = 'ringing' | 'answering' | 'active' | 'ending' | 'ended';
export type CallOutcome = 'completed' | 'abandoned' | 'dropped' | 'failed';
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
  playback?: { id: string; promptId: string };
  digits: string;
  promptCount: number;
  /** Timer name → absolute deadline (ms since epoch); re-armed after a restart. */
  timers: Record<string, number>;
  /** Number of trail entries written so far (next entry's sequence number). */
  trailLength: number;
}

export interface TrailEntry {
  at: number;
  type: string;
  [field: string]: unknown;
}

/** What the call machine hears: telephony events plus results of its own commands and timers. */
export type CallInput =
  | { type: 'entered'; at: number }
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
  | { type: 'channel-missing'; reason: 'asterisk-restarted' | 'ended-while-disconnected'; at: number };

export type CallCommand =
  | { type: 'answer' }
  | { type: 'play'; playbackId: string; promptId: string; media: string[] }
  | { type: 'stop-playback'; playbackId: string }
  | { type: 'hangup'; reason: 'normal' | 'busy' | 'congestion' }
  | { type: 'set-timer'; name: string; deadline: number }
  | { type: 'clear-timer'; name: string };

export interface Transition {
  next: CallState;
  commands: CallCommand[];
  trail: TrailEntry[];
}

export interface CallSettings {
  greetingMedia: string[];
  goodbyeMedia: string[];
  idleTimeoutMs: number;
  maxCallMs: number;
}
