// Queue and agent settings as GET /queue-settings answers them (src/queue/queue-config.ts).
export interface Stored<T> { value: T; revision: number; updatedAt: number; updatedBy: string }

export const STRATEGIES = ['ring-all', 'round-robin', 'longest-idle', 'fewest-calls', 'skills-based', 'random'] as const;
export const RECORDING = ['none', 'all', 'on-demand'] as const;
export const CALLBACK_MODES = ['customer-first', 'agent-first'] as const;
export const TRANSCRIPTION = ['off', 'caller', 'both'] as const;
export const OVERFLOW_KINDS = ['hangup', 'flow', 'queue'] as const;

export interface QueueSettings {
  id: string; name?: string; strategy: (typeof STRATEGIES)[number];
  requiredSkills: { skill: string; minLevel: number }[];
  relaxation: { afterSeconds: number; minLevel: number; skill?: string }[];
  ringTimeoutSeconds: number; maxWaitSeconds: number; maxLength: number; wrapUpSeconds: number; autoPauseAfterMisses: number;
  overflow: { kind: 'hangup' | 'flow' } | { kind: 'queue'; queueId: string };
  announceEverySeconds?: number; musicOnHold: string; recording: (typeof RECORDING)[number];
  callbackMode: (typeof CALLBACK_MODES)[number]; transcription: (typeof TRANSCRIPTION)[number]; whisper: boolean;
  [more: string]: unknown;
}

export interface AgentSettings { id: string; name?: string; endpoint: string; extension?: string; skills: Record<string, number>; [more: string]: unknown }

export interface AllSettings { queues: Stored<QueueSettings>[]; agents: Stored<AgentSettings>[] }

/** Agents whose skills meet every requirement of the queue (before any relaxation). */
export const agentsServing = (queue: QueueSettings, agents: readonly AgentSettings[]) =>
  agents.filter((a) => queue.requiredSkills.every((r) => (a.skills[r.skill] ?? 0) >= r.minLevel));
