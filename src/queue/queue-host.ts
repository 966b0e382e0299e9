// What the queue service's helpers (transfers, recordings) may use of it: its state, its one
// writer and its dependencies. Implemented by QueueService; not for use outside src/queue.
import type { AcdInput, WaitingEntry, TrailEntry } from './queue-types.ts';
import type { AgentSettings, QueueSettings } from './queue-config.ts';
import type { QueueLeg, QueuesState } from './queue-legs.ts';
import type { QueueCalls, QueueServiceDeps } from './queue-service.ts';

export type AcdRequest = AcdInput extends infer T ? (T extends AcdInput ? Omit<T, 'at' | 'random'> : never) : never;
export type EndReason = 'caller-hung-up' | 'agent-hung-up' | 'bridge-failed' | 'transferred';

export interface QueueHost {
  state: QueuesState;
  readonly deps: QueueServiceDeps;
  readonly calls: QueueCalls;
  readonly settings: Map<string, QueueSettings>;
  readonly agentSettings: Map<string, AgentSettings>;
  entry(callId: string): WaitingEntry | undefined;
  putLeg(leg: QueueLeg): void;
  persist(trail: TrailEntry[]): Promise<void>;
  /** One ACD transition: plan channel ids, persist, then act. */
  apply(input: AcdRequest): Promise<void>;
  serial<T>(job: () => Promise<T>): Promise<T>;
  endConnected(leg: QueueLeg, reason: EndReason): Promise<void>;
  warn(error: unknown, what: string): void;
}
