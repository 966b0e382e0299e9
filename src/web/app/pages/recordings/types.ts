// What the recordings page reads from the API (GET /calls, /recordings, /qa/…).
export const OUTCOMES = ['completed', 'abandoned', 'dropped', 'failed', 'transferred'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface CallRow {
  callId: string;
  caller: { number: string; name?: string };
  dialed: string;
  startedAt: number;
  answeredAt?: number;
  endedAt?: number;
  outcome?: Outcome;
}

export interface Recording {
  id: string;
  callId: string;
  queueId?: string;
  agentId?: string;
  caller: string;
  startedAt: number;
  durationSeconds: number;
  paused: { at: number; seconds: number }[];
}

export interface TrailEntry { at: number; type: string; [field: string]: unknown }

export interface CallSummary {
  callId: string;
  caller: string;
  dialed: string;
  answered: boolean;
  outcome?: Outcome;
  durationMs?: number;
  trail: TrailEntry[];
}

export interface Criterion { id: string; label: { en: string; 'zh-CN': string }; weight: number; maxScore: number }
export interface CriteriaDocument { criteria: Criterion[]; revision: number; updatedAt?: number; updatedBy?: string }
export interface Evaluation {
  callId: string; reviewer: string; scores: Record<string, number>; comment: string;
  total: number; maxTotal: number; percent: number; criteriaRevision: number; createdAt: number; updatedAt: number;
}
export interface QaComment { id: string; author: string; text: string; at: number }
export interface CallQa { callId: string; evaluations: Evaluation[]; comments: QaComment[] }

/** The agent and queue of a call, from its trail (the last agent it was connected to). */
export function agentAndQueue(trail: readonly TrailEntry[]): { agent?: string; queue?: string } {
  const connected = [...trail].reverse().find((e) => e.type === 'agent-connected');
  const queued = [...trail].reverse().find((e) => e.type === 'queue' && typeof e.queue === 'string');
  const agent = typeof connected?.agentId === 'string' ? connected.agentId : undefined;
  const queue = typeof connected?.queue === 'string' ? connected.queue : typeof queued?.queue === 'string' ? queued.queue : undefined;
  return { ...(agent ? { agent } : {}), ...(queue ? { queue } : {}) };
}
