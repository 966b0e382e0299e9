// Helpers for the queue tests and the benchmark: a queue with defaults, and a driver that feeds
// inputs and collects everything the machine said.
import { newAcd, transition } from './queue-machine.ts';
import type { AcdCommand, AcdInput, AcdState, QueueConfig, Skills, TrailEntry } from './queue-types.ts';

export function queueConfig(patch: Partial<QueueConfig> = {}): QueueConfig {
  return {
    id: 'support',
    strategy: 'longest-idle',
    requiredSkills: [],
    relaxation: [],
    ringTimeoutSeconds: 15,
    maxWaitSeconds: 600,
    maxLength: 50,
    wrapUpSeconds: 0,
    autoPauseAfterMisses: 0,
    overflow: { kind: 'voicemail', mailbox: '100' },
    ...patch,
  };
}

export class Driver {
  state: AcdState;
  commands: AcdCommand[] = [];
  trail: TrailEntry[] = [];
  constructor(queues: QueueConfig[] | AcdState) {
    this.state = Array.isArray(queues) ? newAcd(queues) : queues;
  }

  /** Feeds one input; returns only the commands it produced. */
  send(input: AcdInput): AcdCommand[] {
    const result = transition(this.state, input);
    this.state = result.next;
    this.commands.push(...result.commands);
    this.trail.push(...result.trail);
    return result.commands;
  }

  login(at: number, ...agents: [string, Skills?][]): void {
    for (const [agentId, skills] of agents) this.send({ type: 'agent-login', agentId, skills: skills ?? {}, at });
  }

  join(at: number, callId: string, queueId = 'support', priority?: number): AcdCommand[] {
    return this.send({ type: 'caller-joined', callId, queueId, at, ...(priority === undefined ? {} : { priority }) });
  }

  /** The agent answers, talks until `endAt`, and (with no wrap-up) is free again. */
  handle(agentId: string, callId: string, at: number, endAt: number): void {
    this.send({ type: 'agent-answered', agentId, callId, at });
    this.send({ type: 'call-ended', agentId, callId, at: endAt });
  }
}

export const rings = (commands: AcdCommand[]) => commands.flatMap((c) => (c.type === 'ring-agent' ? [`${c.callId}>${c.agentId}`] : []));
