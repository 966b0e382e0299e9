import type { Value } from './expression/index.ts';
import type { Language, PromptRef } from './flow-types.ts';

/** One flow on the call stack; sub-flows push a frame and `return` pops it. */
export interface IvrFrame {
  flowId: string;
  version: number;
  /** Node in the calling flow to continue at when this frame returns. */
  returnTo?: string;
}

/** The interpreter's persisted state: part of the call record, so a restart resumes mid-flow. */
export interface IvrState {
  frames: IvrFrame[];
  nodeId: string;
  /** Node-local working state (attempt counters, collected digits, phase). */
  local: Record<string, Value>;
  vars: Record<string, Value>;
  language: Language;
  /** Tag of the playback under way, if any (`name#serial`). */
  playing?: string;
  playSerial?: number;
  /** Id of the outstanding outside request (http, record, queue…), if any. */
  pending?: string;
  /** Node entries since the caller last gave input or we last waited: loop guard. */
  hops: number;
  /** Names of the timers armed for the current node (cleared when it is left). */
  timers: string[];
  finished?: 'hangup' | 'transfer' | 'queue' | 'error';
}

export type IvrEvent =
  | { type: 'play-done'; tag: string; failed: boolean }
  | { type: 'digit'; digit: string }
  | { type: 'timeout'; name: string }
  | { type: 'http-result'; id: string; status: number; body?: unknown; error?: string; ms: number }
  | { type: 'record-done'; id: string; name: string; durationSeconds: number; failed: boolean }
  /** alternatives: the recognizer's other readings of the same words (see SpeechHeard). */
  | { type: 'speech-result'; id: string; text: string; confidence: number; alternatives?: string[] }
  | { type: 'effect-done'; id: string; detail?: Record<string, Value> }
  /** News from the queue a queue node handed its caller to; the request stays outstanding. */
  | { type: 'queue-status'; id: string; status: 'waiting' | 'connected' | 'overflow' | 'callback-kept'; detail?: Record<string, Value> }
  | { type: 'effect-failed'; id: string; code: string; message: string }
  /** The knowledge base's answer to a caller's question (voice FAQ bot). */
  | { type: 'knowledge-result'; id: string; result: KnowledgeResult };

/** A matched article as the bot needs it: how sure, and what to play (recording, else TTS of the text). */
export interface KnowledgeHit {
  id: string;
  title: string;
  confidence: number;
  answer: PromptRef[];
}

export interface KnowledgeResult {
  matches: KnowledgeHit[];
  /** The matcher's verdict: no article answers this. */
  outOfScope: boolean;
  /** The escalation phrase heard (complaint, lawyer, 投诉…), if any. */
  escalation?: string;
  /** The caller asked for a person ("agent", "人工"). */
  askedAgent: boolean;
  /** The recognizer's other reading of the question that matched surer than its own. */
  heardAs?: string;
}

export interface HttpRequestEffect {
  type: 'http';
  id: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export type IvrEffect =
  | { type: 'play'; tag: string; prompts: PromptRef[]; language: Language }
  | { type: 'stop-play'; tag: string }
  | { type: 'set-timer'; name: string; ms: number }
  | { type: 'clear-timer'; name: string }
  | HttpRequestEffect
  | { type: 'record'; id: string; maxSeconds: number; beep: boolean; terminateOn: string }
  | { type: 'speech'; id: string; timeoutSeconds: number; phrases: string[]; language: Language }
  | { type: 'knowledge'; id: string; text: string; language: Language; limit: number; alternatives?: string[] }
  | { type: 'queue'; id: string; queue: string; priority: number; skills: string[] }
  | { type: 'transfer'; id: string; target: string; via: 'extension' | 'trunk'; trunk?: string }
  | { type: 'callback'; id: string; number: string }
  /** The caller, waiting in a queue, keeps their place for a callback or leaves the queue. */
  | { type: 'queue-action'; id: string; action: 'callback' | 'leave' }
  | { type: 'hangup'; reason: string }
  /** A node asks for live transcription of the call from here on. */
  | { type: 'transcribe'; policy: 'caller' | 'both' };

export interface IvrTrail {
  type: string;
  [field: string]: unknown;
}

export interface IvrStep {
  state: IvrState;
  effects: IvrEffect[];
  trail: IvrTrail[];
}

/** Facts about the call that expressions may read. */
export interface CallFacts {
  callerNumber: string;
  callerName: string;
  dialed: string;
  callId: string;
  timezone: string;
  /** Values for the flow's declared variables at start (an outbound campaign's contact fields). */
  startVars?: Record<string, string>;
}
