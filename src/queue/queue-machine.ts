// The ACD as a pure function: (state, input) → { next, commands, trail }. No IO, no clock reads:
// times come in on the inputs, the random strategy's draw too. One executor persists `next` and
// then carries out the commands (ring agents through ARI, bridge, overflow, dial callbacks).
// After every input, free agents are matched to waiting entries (queue-dispatch.ts).
import { announce, dispatch } from './queue-dispatch.ts';
import { QueueStep, compareEntries, isStaffed, meets, mostRelaxed } from './queue-step.ts';
import type { AcdInput, AcdState, AcdTransition, Agent, QueueConfig, Skills, WaitingEntry } from './queue-types.ts';
import { recentHandleLimit } from './queue-types.ts';

export function newAcd(queues: readonly QueueConfig[]): AcdState {
  return {
    agents: {},
    queues: Object.fromEntries(queues.map((q) => [q.id, q])),
    memory: Object.fromEntries(queues.map((q) => [q.id, { recentHandleSeconds: [] }])),
    waiting: [],
    nextSeq: 0,
    trailLength: 0,
  };
}

export { compareEntries };

const waitSeconds = (entry: WaitingEntry, at: number) => (at - entry.enteredAt) / 1000;

function overflow(step: QueueStep, queue: QueueConfig, callId: string, reason: 'max-wait' | 'full' | 'no-agents', at: number, entry?: WaitingEntry): void {
  step.commands.push({ type: 'overflow', callId, queueId: queue.id, target: queue.overflow, reason });
  step.note(at, 'overflowed', { callId, queueId: queue.id, reason, target: queue.overflow, waitSeconds: entry ? waitSeconds(entry, at) : 0 });
}

function joined(step: QueueStep, input: Extract<AcdInput, { type: 'caller-joined' }>): void {
  const { at, callId } = input;
  const queue = step.state.queues[input.queueId];
  if (!queue) return step.note(at, 'rejected', { callId, reason: 'unknown-queue', queueId: input.queueId });
  if (step.entry(callId)) return step.note(at, 'rejected', { callId, reason: 'already-waiting' });
  if (step.state.waiting.filter((e) => e.queueId === queue.id).length >= queue.maxLength) return overflow(step, queue, callId, 'full', at);
  const loosest = mostRelaxed(queue);
  if (!Object.values(step.state.agents).some((a) => isStaffed(a) && meets(a, loosest))) return overflow(step, queue, callId, 'no-agents', at);
  const priority = input.priority ?? 0;
  step.addEntry({ callId, queueId: queue.id, priority, enteredAt: at, seq: step.state.nextSeq, kind: 'caller', status: { kind: 'waiting' }, missedBy: [] });
  step.note(at, 'joined', { callId, queueId: queue.id, priority });
}

function left(step: QueueStep, entry: WaitingEntry, at: number): void {
  // A pending callback's caller hanging up is expected (they accepted the callback): keep the place.
  if (entry.callback && entry.callback.state !== 'connected') return;
  step.stopRinging(entry, at);
  step.removeEntry(entry.callId);
  step.note(at, 'abandoned', { callId: entry.callId, queueId: entry.queueId, waitSeconds: waitSeconds(entry, at), kind: entry.kind });
}

function callbackRequested(step: QueueStep, entry: WaitingEntry, number: string, at: number): void {
  if (entry.kind !== 'caller') return step.note(at, 'rejected', { callId: entry.callId, reason: 'already-callback' });
  step.stopRinging(entry, at);
  // Same priority, enteredAt and seq: the place is kept exactly, so it can neither gain nor lose.
  step.patchEntry(entry.callId, { kind: 'callback', callback: { number, state: 'pending', requestedAt: at }, status: { kind: 'waiting' } });
  step.note(at, 'callback-requested', { callId: entry.callId, queueId: entry.queueId, waitSeconds: waitSeconds(entry, at) });
}

/** Placed ahead of everyone (the agent chose this contact); only that agent is offered it. */
export const PREVIEW_PRIORITY = 1000;

function previewPlaced(step: QueueStep, input: Extract<AcdInput, { type: 'preview-placed' }>): void {
  const { at, callId, agentId } = input;
  if (!step.state.queues[input.queueId]) return step.note(at, 'rejected', { callId, reason: 'unknown-queue', queueId: input.queueId });
  if (step.entry(callId)) return step.note(at, 'rejected', { callId, reason: 'already-waiting' });
  if (!step.agent(agentId) || step.agent(agentId)!.status.kind === 'logged-out') return step.note(at, 'rejected', { callId, reason: 'agent-logged-out', agentId });
  step.addEntry({
    callId, queueId: input.queueId, priority: PREVIEW_PRIORITY, enteredAt: at, seq: step.state.nextSeq, kind: 'callback', forAgent: agentId,
    callback: { number: input.number, state: 'pending', requestedAt: at }, status: { kind: 'waiting' }, missedBy: [],
  });
  step.note(at, 'preview-placed', { callId, queueId: input.queueId, agentId });
}

function login(step: QueueStep, input: Extract<AcdInput, { type: 'agent-login' }>): void {
  const { agentId, skills, at } = input;
  const existing = step.agent(agentId);
  if (!existing) {
    const agent: Agent = { id: agentId, skills, status: { kind: 'logged-out' }, stateSince: at, callsTaken: 0, consecutiveMisses: 0 };
    step.state = { ...step.state, agents: { ...step.state.agents, [agentId]: agent } };
  } else {
    step.patchAgent(agentId, { skills, afterCall: existing.afterCall?.kind === 'logout' ? undefined : existing.afterCall });
  }
  if (step.agent(agentId)!.status.kind === 'logged-out') step.setAgentStatus(agentId, { kind: 'available' }, at, { consecutiveMisses: 0 });
}

/** Ringing agent taken off a call without a miss (pause, logout): the entry waits again if nobody else rings. */
function unring(step: QueueStep, agent: Agent, at: number): void {
  if (agent.status.kind !== 'ringing') return;
  const entry = step.entry(agent.status.callId);
  step.commands.push({ type: 'stop-ringing', agentId: agent.id, callId: agent.status.callId });
  if (entry?.status.kind !== 'ringing') return;
  const agentIds = entry.status.agentIds.filter((id) => id !== agent.id);
  step.patchEntry(entry.callId, { status: agentIds.length > 0 ? { ...entry.status, agentIds } : { kind: 'waiting' } });
}

function leave(step: QueueStep, agent: Agent, to: { kind: 'pause'; reason: string } | { kind: 'logout' }, at: number): void {
  if (agent.status.kind === 'logged-out') return;
  if (agent.status.kind === 'on-call' || agent.status.kind === 'wrap-up') {
    step.patchAgent(agent.id, { afterCall: to });
    return step.note(at, 'agent-after-call', { agentId: agent.id, then: to });
  }
  unring(step, agent, at);
  step.setAgentStatus(agent.id, to.kind === 'pause' ? { kind: 'paused', reason: to.reason } : { kind: 'logged-out' }, at);
}

function answered(step: QueueStep, agent: Agent, callId: string, at: number): void {
  const entry = step.entry(callId);
  const ringing = agent.status.kind === 'ringing' && agent.status.callId === callId;
  if (!ringing || entry?.status.kind !== 'ringing' || !entry.status.agentIds.includes(agent.id)) {
    return step.note(at, 'stale', { input: 'agent-answered', agentId: agent.id, callId });
  }
  step.stopRinging(entry, at, agent.id);
  step.setAgentStatus(agent.id, { kind: 'on-call', callId, queueId: entry.queueId }, at, { consecutiveMisses: 0 });
  step.removeEntry(callId);
  step.commands.push({ type: 'connect', callId, agentId: agent.id });
  step.note(at, 'answered', { callId, queueId: entry.queueId, agentId: agent.id, waitSeconds: waitSeconds(entry, at), kind: entry.kind });
}

function missed(step: QueueStep, entry: WaitingEntry, agentIds: readonly string[], at: number, timedOut: boolean): void {
  if (entry.status.kind !== 'ringing') return;
  const queue = step.queue(entry.queueId);
  for (const agentId of agentIds) {
    if (timedOut) step.commands.push({ type: 'stop-ringing', agentId, callId: entry.callId });
    step.miss(agentId, queue, at);
  }
  if (entry.forAgent) {
    // The one agent this preview call was placed for did not pick up: the attempt is over.
    step.removeEntry(entry.callId);
    return step.note(at, 'preview-missed', { callId: entry.callId, queueId: entry.queueId, agentId: entry.forAgent });
  }
  const still = entry.status.agentIds.filter((id) => !agentIds.includes(id));
  step.patchEntry(entry.callId, {
    status: still.length > 0 ? { ...entry.status, agentIds: still } : { kind: 'waiting' },
    missedBy: [...entry.missedBy, ...agentIds.filter((id) => !entry.missedBy.includes(id))],
  });
}

function callEnded(step: QueueStep, agent: Agent, callId: string, at: number): void {
  if (agent.status.kind !== 'on-call' || agent.status.callId !== callId) return step.note(at, 'stale', { input: 'call-ended', agentId: agent.id, callId });
  const queue = step.queue(agent.status.queueId);
  const handleSeconds = (at - agent.stateSince) / 1000;
  const memory = step.state.memory[queue.id]!;
  step.state = { ...step.state, memory: { ...step.state.memory, [queue.id]: { ...memory, recentHandleSeconds: [...memory.recentHandleSeconds, handleSeconds].slice(-recentHandleLimit) } } };
  step.note(at, 'call-ended', { callId, queueId: queue.id, agentId: agent.id, handleSeconds });
  const patch = { callsTaken: agent.callsTaken + 1, lastCallEndedAt: at };
  if (queue.wrapUpSeconds > 0) step.setAgentStatus(agent.id, { kind: 'wrap-up', until: at + queue.wrapUpSeconds * 1000 }, at, patch);
  else {
    step.patchAgent(agent.id, patch);
    step.releaseAgent(agent.id, at);
  }
}

function dropped(step: QueueStep, agent: Agent, entry: WaitingEntry, at: number): void {
  if (agent.status.kind !== 'on-call' || agent.status.callId !== entry.callId || step.entry(entry.callId)) {
    return step.note(at, 'stale', { input: 'agent-dropped', agentId: agent.id, callId: entry.callId });
  }
  // Back at the same place (priority, enteredAt and seq unchanged), as if the agent had not answered.
  step.state = { ...step.state, waiting: [...step.state.waiting, { ...entry, status: { kind: 'waiting' }, missedBy: [...entry.missedBy.filter((id) => id !== agent.id), agent.id] }] };
  step.note(at, 'agent-dropped', { callId: entry.callId, queueId: entry.queueId, agentId: agent.id });
  step.miss(agent.id, step.queue(entry.queueId), at);
}

function tick(step: QueueStep, at: number): void {
  for (const agent of Object.values(step.state.agents)) {
    if (agent.status.kind === 'wrap-up' && agent.status.until <= at) step.releaseAgent(agent.id, at);
  }
  for (const entry of step.state.waiting) {
    if (entry.status.kind === 'ringing' && entry.status.deadline <= at) {
      step.note(at, 'ring-timeout', { callId: entry.callId, agentIds: entry.status.agentIds });
      missed(step, entry, entry.status.agentIds, at, true);
    }
  }
  // Max wait applies to callers on the line; a kept callback place was promised a call back.
  const expired = step.state.waiting.filter((e) => e.kind === 'caller' && at - e.enteredAt >= step.queue(e.queueId).maxWaitSeconds * 1000);
  for (const entry of expired.sort(compareEntries)) {
    step.stopRinging(entry, at);
    step.removeEntry(entry.callId);
    overflow(step, step.queue(entry.queueId), entry.callId, 'max-wait', at, entry);
  }
}

function reconfigured(step: QueueStep, queues: QueueConfig[], skills: Record<string, Skills>, at: number): void {
  const busy = new Set(step.state.waiting.map((e) => e.queueId));
  // A queue somebody waits in stays until they are served (the executor refuses such removals).
  const kept = Object.values(step.state.queues).filter((q) => busy.has(q.id) && !queues.some((n) => n.id === q.id));
  const next = [...queues, ...kept];
  step.state = {
    ...step.state,
    queues: Object.fromEntries(next.map((q) => [q.id, q])),
    memory: Object.fromEntries(next.map((q) => [q.id, step.state.memory[q.id] ?? { recentHandleSeconds: [] }])),
  };
  for (const [agentId, agentSkills] of Object.entries(skills)) if (step.agent(agentId)) step.patchAgent(agentId, { skills: agentSkills });
  step.note(at, 'reconfigured', { queues: next.map((q) => q.id) });
}

export function transition(state: AcdState, input: AcdInput): AcdTransition {
  const step = new QueueStep(state);
  const { at } = input;
  switch (input.type) {
    case 'caller-joined':
      joined(step, input);
      break;
    case 'agent-login':
      login(step, input);
      break;
    case 'preview-placed':
      previewPlaced(step, input);
      break;
    case 'tick':
      tick(step, at);
      break;
    case 'reconfigured':
      reconfigured(step, input.queues, input.skills, at);
      break;
    case 'caller-left':
    case 'callback-requested':
    case 'callback-answered':
    case 'callback-failed': {
      const entry = step.entry(input.callId);
      if (!entry) {
        step.note(at, 'stale', { input: input.type, callId: input.callId });
        break;
      }
      if (input.type === 'caller-left') left(step, entry, at);
      else if (input.type === 'callback-requested') callbackRequested(step, entry, input.number, at);
      else if (entry.callback?.state !== 'dialling') step.note(at, 'stale', { input: input.type, callId: input.callId });
      else if (input.type === 'callback-answered') {
        step.patchEntry(entry.callId, { callback: { ...entry.callback, state: 'connected' } });
        step.note(at, 'callback-answered', { callId: entry.callId, queueId: entry.queueId });
      } else {
        // Not retried: dialling again is a decision for the flow, never a silent second dial.
        step.removeEntry(entry.callId);
        step.note(at, 'callback-failed', { callId: entry.callId, queueId: entry.queueId, reason: input.reason });
      }
      break;
    }
    default: {
      const agent = step.agent(input.agentId);
      if (!agent) {
        step.note(at, 'stale', { input: input.type, agentId: input.agentId });
        break;
      }
      if (input.type === 'agent-logout') {
        leave(step, agent, { kind: 'logout' }, at);
        // Calls placed for this agent have nobody to take them now.
        for (const entry of step.state.waiting.filter((e) => e.forAgent === agent.id)) {
          step.stopRinging(entry, at);
          step.removeEntry(entry.callId);
          step.note(at, 'preview-cancelled', { callId: entry.callId, queueId: entry.queueId, agentId: agent.id, reason: 'agent-logged-out' });
        }
      }
      else if (input.type === 'agent-pause') leave(step, agent, { kind: 'pause', reason: input.reason }, at);
      else if (input.type === 'agent-unpause') {
        if (agent.status.kind === 'paused') step.setAgentStatus(agent.id, { kind: 'available' }, at, { consecutiveMisses: 0 });
        else if (agent.afterCall?.kind === 'pause') step.patchAgent(agent.id, { afterCall: undefined });
      } else if (input.type === 'agent-answered') answered(step, agent, input.callId, at);
      else if (input.type === 'call-ended') callEnded(step, agent, input.callId, at);
      else if (input.type === 'agent-dropped') dropped(step, agent, input.entry, at);
      else {
        const entry = step.entry(input.callId);
        const ringing = agent.status.kind === 'ringing' && agent.status.callId === input.callId;
        if (ringing && entry) missed(step, entry, [agent.id], at, false);
        else step.note(at, 'stale', { input: input.type, agentId: agent.id, callId: input.callId });
      }
    }
  }
  dispatch(step, at, input.random ?? 0);
  if (input.type === 'tick') announce(step, at);
  return step.done();
}
