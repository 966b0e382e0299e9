// The builder a queue transition works with: immutable updates of agents and entries, commands
// and trail entries for one input, plus the ordering and skill rules every part shares.
import type { AcdCommand, AcdState, AcdTransition, Agent, AgentStatus, QueueConfig, SkillRequirement, TrailEntry, WaitingEntry } from './queue-types.ts';

/** Waiting order: higher priority first, then earlier enteredAt, then arrival order. */
export function compareEntries(a: WaitingEntry, b: WaitingEntry): number {
  return b.priority - a.priority || a.enteredAt - b.enteredAt || a.seq - b.seq;
}

/** The queue's skill requirements after `waitedMs` of waiting (relaxation steps applied, inclusive). */
export function requirementsAfter(queue: QueueConfig, waitedMs: number): SkillRequirement[] {
  return queue.requiredSkills.map((r) => {
    let minLevel = r.minLevel;
    for (const step of queue.relaxation) {
      if (waitedMs >= step.afterSeconds * 1000 && (step.skill === undefined || step.skill === r.skill)) minLevel = Math.min(minLevel, step.minLevel);
    }
    return { skill: r.skill, minLevel };
  });
}

/** The loosest requirements the queue will ever accept. */
export const mostRelaxed = (queue: QueueConfig) => requirementsAfter(queue, Number.POSITIVE_INFINITY);

export const meets = (agent: Agent, required: readonly SkillRequirement[]) => required.every((r) => (agent.skills[r.skill] ?? 0) >= r.minLevel);

/** Logged in and not paused: counts as staffing a queue. */
export const isStaffed = (agent: Agent) => agent.status.kind !== 'logged-out' && agent.status.kind !== 'paused';

export class QueueStep {
  readonly commands: AcdCommand[] = [];
  readonly trail: TrailEntry[] = [];
  constructor(public state: AcdState) {}

  note(at: number, type: string, fields: Record<string, unknown> = {}): void {
    this.trail.push({ at, type, ...fields });
  }

  agent(agentId: string): Agent | undefined {
    return this.state.agents[agentId];
  }

  entry(callId: string): WaitingEntry | undefined {
    return this.state.waiting.find((e) => e.callId === callId);
  }

  queue(queueId: string): QueueConfig {
    const queue = this.state.queues[queueId];
    if (!queue) throw new Error(`unknown queue ${queueId}`);
    return queue;
  }

  patchAgent(agentId: string, patch: Partial<Agent>): Agent {
    const agent = { ...this.state.agents[agentId]!, ...patch };
    this.state = { ...this.state, agents: { ...this.state.agents, [agentId]: agent } };
    return agent;
  }

  /** Every agent state change is recorded with its time, for reports. */
  setAgentStatus(agentId: string, status: AgentStatus, at: number, patch: Partial<Agent> = {}): void {
    const before = this.state.agents[agentId]!;
    this.patchAgent(agentId, { ...patch, status, stateSince: at });
    this.note(at, 'agent-state', { agentId, from: before.status.kind, to: status.kind, ...('reason' in status ? { reason: status.reason } : {}) });
  }

  /** After a call (and its wrap-up): the pause or logout asked for meanwhile, else available. */
  releaseAgent(agentId: string, at: number): void {
    const after = this.state.agents[agentId]!.afterCall;
    const status: AgentStatus = after?.kind === 'pause' ? { kind: 'paused', reason: after.reason } : after?.kind === 'logout' ? { kind: 'logged-out' } : { kind: 'available' };
    this.setAgentStatus(agentId, status, at, { afterCall: undefined });
  }

  addEntry(entry: WaitingEntry): void {
    this.state = { ...this.state, waiting: [...this.state.waiting, entry], nextSeq: this.state.nextSeq + 1 };
  }

  patchEntry(callId: string, patch: Partial<WaitingEntry>): WaitingEntry {
    let updated: WaitingEntry | undefined;
    const waiting = this.state.waiting.map((e) => (e.callId === callId ? (updated = { ...e, ...patch }) : e));
    this.state = { ...this.state, waiting };
    return updated!;
  }

  removeEntry(callId: string): void {
    this.state = { ...this.state, waiting: this.state.waiting.filter((e) => e.callId !== callId) };
  }

  /** Stop ringing an entry's agents without counting a miss (the call went elsewhere). */
  stopRinging(entry: WaitingEntry, at: number, except?: string): void {
    if (entry.status.kind !== 'ringing') return;
    for (const agentId of entry.status.agentIds) {
      if (agentId === except) continue;
      this.commands.push({ type: 'stop-ringing', agentId, callId: entry.callId });
      if (this.agent(agentId)?.status.kind === 'ringing') this.releaseAgent(agentId, at);
    }
  }

  /** An agent let the call ring out: count the miss and auto-pause at the queue's threshold. */
  miss(agentId: string, queue: QueueConfig, at: number): void {
    const agent = this.state.agents[agentId]!;
    const misses = agent.consecutiveMisses + 1;
    this.note(at, 'agent-missed', { agentId, consecutiveMisses: misses });
    if (queue.autoPauseAfterMisses > 0 && misses >= queue.autoPauseAfterMisses) {
      this.setAgentStatus(agentId, { kind: 'paused', reason: 'missed-calls' }, at, { consecutiveMisses: misses, afterCall: undefined });
    } else {
      this.patchAgent(agentId, { consecutiveMisses: misses });
      this.releaseAgent(agentId, at);
    }
  }

  done(): AcdTransition {
    return { next: { ...this.state, trailLength: this.state.trailLength + this.trail.length }, commands: this.commands, trail: this.trail };
  }
}
