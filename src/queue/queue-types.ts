// The ACD's data: agents, queue settings, waiting entries, and what the machine hears and says.
// Times are ms since the epoch and arrive on the inputs; queue settings are in seconds.
import type { WaitEstimate } from './wait-estimate.ts';

/** Skill name → level 1 (basic) … 5 (expert). */
export type Skills = Record<string, number>;

export type AgentStatus =
  | { kind: 'logged-out' }
  | { kind: 'available' }
  | { kind: 'ringing'; callId: string }
  | { kind: 'on-call'; callId: string; queueId: string }
  | { kind: 'wrap-up'; until: number }
  | { kind: 'paused'; reason: string };

export type AgentStateKind = AgentStatus['kind'];

export interface Agent {
  id: string;
  skills: Skills;
  status: AgentStatus;
  /** When the current status began (for an on-call agent: when the call was answered). */
  stateSince: number;
  lastCallEndedAt?: number;
  callsTaken: number;
  consecutiveMisses: number;
  /** A pause or logout asked for during a call: applied when the call (and wrap-up) is over. */
  afterCall?: { kind: 'pause'; reason: string } | { kind: 'logout' };
}

export type Strategy = 'ring-all' | 'round-robin' | 'longest-idle' | 'fewest-calls' | 'skills-based' | 'random';

export interface SkillRequirement {
  skill: string;
  minLevel: number;
}

/** After `afterSeconds` of waiting, accept `minLevel` for `skill` (or for every required skill). */
export interface RelaxationStep {
  afterSeconds: number;
  minLevel: number;
  skill?: string;
}

export type OverflowTarget =
  | { kind: 'queue'; queueId: string }
  /** Back to the caller's flow, at the queue node's onOverflow. */
  | { kind: 'flow' }
  | { kind: 'voicemail'; mailbox: string }
  | { kind: 'hangup' };

export type OverflowReason = 'max-wait' | 'full' | 'no-agents';

export interface QueueConfig {
  id: string;
  strategy: Strategy;
  requiredSkills: SkillRequirement[];
  relaxation: RelaxationStep[];
  ringTimeoutSeconds: number;
  maxWaitSeconds: number;
  /** Entries (callers and kept callback places) the queue holds; the next caller overflows. */
  maxLength: number;
  wrapUpSeconds: number;
  /** Consecutive missed offers after which an agent is paused with reason 'missed-calls'; 0: never. */
  autoPauseAfterMisses: number;
  overflow: OverflowTarget;
  /** Position/estimated-wait announcements to callers on the line; absent: none. */
  announceEverySeconds?: number;
  /**
   * customer-first (default): a kept callback place dials the customer, then rings an agent.
   * agent-first: the place is offered to agents like a caller; the customer is dialled once an
   * agent has answered (no customer waits on hold for an agent).
   */
  callbackMode?: 'customer-first' | 'agent-first';
}

/**
 * A kept callback place. pending → dialling → connected, or → failed (then removed).
 * Only the pending → dialling step emits dial-callback, so a callback is never dialled twice.
 */
export type CallbackState = 'pending' | 'dialling' | 'connected';

export interface WaitingEntry {
  callId: string;
  queueId: string;
  priority: number;
  enteredAt: number;
  /** Arrival order: breaks ties between equal priority and enteredAt. */
  seq: number;
  kind: 'caller' | 'callback';
  callback?: { number: string; state: CallbackState; requestedAt: number };
  status: { kind: 'waiting' } | { kind: 'ringing'; agentIds: string[]; deadline: number };
  /** Agents who let this entry ring out; skipped until every eligible agent has missed it. */
  missedBy: string[];
  /**
   * A preview campaign's call, placed for this one agent (agent-first): offered to nobody else,
   * and dropped (not re-offered) if that agent lets it ring out or leaves.
   */
  forAgent?: string;
  /** First ring or dial-callback: the moment the entry was first served. */
  firstOfferedAt?: number;
  lastAnnouncedAt?: number;
}

export interface QueueMemory {
  /** Round-robin: the agent rung last, so the next offer starts after it. */
  lastAgentId?: string;
  /** Handle times of the most recent calls, newest last (at most `recentHandleLimit`). */
  recentHandleSeconds: number[];
}

export interface AcdState {
  agents: Record<string, Agent>;
  queues: Record<string, QueueConfig>;
  memory: Record<string, QueueMemory>;
  waiting: WaitingEntry[];
  nextSeq: number;
  trailLength: number;
}

/**
 * `random` (in [0, 1)) is the injected, seeded draw for the random strategy: the executor takes
 * it from a seeded generator and persists it with the input, so replays pick the same agent.
 */
interface Base {
  at: number;
  random?: number;
}

export type AcdInput = Base &
  (
    | { type: 'caller-joined'; callId: string; queueId: string; priority?: number }
    | { type: 'caller-left'; callId: string }
    | { type: 'callback-requested'; callId: string; number: string }
    | { type: 'callback-answered'; callId: string }
    /** A preview campaign places a call for one agent: ring them, then dial the customer. */
    | { type: 'preview-placed'; callId: string; queueId: string; agentId: string; number: string }
    | { type: 'callback-failed'; callId: string; reason: string }
    | { type: 'agent-login'; agentId: string; skills: Skills }
    | { type: 'agent-logout'; agentId: string }
    | { type: 'agent-pause'; agentId: string; reason: string }
    | { type: 'agent-unpause'; agentId: string }
    | { type: 'agent-answered'; agentId: string; callId: string }
    | { type: 'agent-no-answer'; agentId: string; callId: string }
    | { type: 'call-ended'; agentId: string; callId: string }
    /** The agent answered but hung up before the caller was joined (during the whisper): the entry, as it was, waits again. */
    | { type: 'agent-dropped'; agentId: string; callId: string; entry: WaitingEntry }
    | { type: 'tick' }
    /**
     * Queue settings or agents' skills changed (an admin's edit, a re-provisioned site file): the
     * next offers use them. The executor removes only queues nobody waits in.
     */
    | { type: 'reconfigured'; queues: QueueConfig[]; skills: Record<string, Skills> }
  );

export type AcdCommand =
  | { type: 'ring-agent'; agentId: string; callId: string; queueId: string; timeoutSeconds: number }
  | { type: 'stop-ringing'; agentId: string; callId: string }
  | { type: 'connect'; callId: string; agentId: string }
  | { type: 'overflow'; callId: string; queueId: string; target: OverflowTarget; reason: OverflowReason }
  | { type: 'dial-callback'; callId: string; number: string; queueId: string }
  | { type: 'announce-position'; callId: string; position: number; ewt: WaitEstimate };

export interface TrailEntry {
  at: number;
  type: string;
  [field: string]: unknown;
}

export interface AcdTransition {
  next: AcdState;
  commands: AcdCommand[];
  trail: TrailEntry[];
}

export const recentHandleLimit = 20;
