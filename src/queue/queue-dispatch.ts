// Matching waiting entries to free agents, and position announcements. Entries are served strictly
// in waiting order across all queues (an agent qualified for several queues goes to the caller
// who ranks first); an entry whose callback is being dialled holds an agent so that nobody
// behind it takes that agent meanwhile.
import { estimateWait } from './wait-estimate.ts';
import { nthDraw, selectAgents } from './strategies.ts';
import { compareEntries, isStaffed, meets, requirementsAfter, type QueueStep } from './queue-step.ts';
import type { Agent, WaitingEntry } from './queue-types.ts';

export function dispatch(step: QueueStep, at: number, random: number): void {
  const pool = new Map<string, Agent>();
  for (const agent of Object.values(step.state.agents)) if (agent.status.kind === 'available') pool.set(agent.id, agent);
  if (pool.size === 0) return;
  const entries = step.state.waiting.filter((e) => e.status.kind === 'waiting').sort(compareEntries);
  let draws = 0;
  for (const entry of entries) {
    if (pool.size === 0) return;
    const queue = step.queue(entry.queueId);
    if (entry.forAgent) {
      // A preview call: its agent or nobody, and always agent-first (ring them, then dial).
      const agent = pool.get(entry.forAgent);
      if (agent) offer(step, entry, [agent], pool, at);
      continue;
    }
    const required = requirementsAfter(queue, at - entry.enteredAt);
    const qualified = [...pool.values()].filter((a) => meets(a, required));
    if (qualified.length === 0) continue;
    let missedBy = entry.missedBy;
    let candidates = qualified.filter((a) => !missedBy.includes(a.id));
    if (candidates.length === 0) {
      // Everyone qualified and staffed has missed this call: start over rather than strand it.
      const staffed = Object.values(step.state.agents).filter((a) => isStaffed(a) && meets(a, required));
      if (!staffed.every((a) => missedBy.includes(a.id))) continue;
      missedBy = [];
      candidates = qualified;
    }
    const memory = step.state.memory[queue.id]!;
    const picked = selectAgents(queue.strategy, candidates, { requiredSkills: required, lastAgentId: memory.lastAgentId, random: nthDraw(random, draws++) });
    if (entry.callback?.state === 'dialling') {
      pool.delete(picked[0]!.id);
      continue;
    }
    if (entry.callback?.state === 'pending' && queue.callbackMode !== 'agent-first') {
      // Callback-first: call the customer back, holding an agent; ring the agent once they answer.
      pool.delete(picked[0]!.id);
      step.patchEntry(entry.callId, { callback: { ...entry.callback, state: 'dialling' }, firstOfferedAt: entry.firstOfferedAt ?? at, missedBy });
      step.commands.push({ type: 'dial-callback', callId: entry.callId, number: entry.callback.number, queueId: queue.id });
      step.note(at, 'callback-dialling', { callId: entry.callId, queueId: queue.id, waitSeconds: (at - entry.enteredAt) / 1000 });
      continue;
    }
    offer(step, { ...entry, missedBy }, picked, pool, at);
    step.state = { ...step.state, memory: { ...step.state.memory, [queue.id]: { ...memory, lastAgentId: picked.at(-1)!.id } } };
  }
}

/** Rings `agents` for `entry` (they leave the pool of free agents). */
function offer(step: QueueStep, entry: WaitingEntry, agents: Agent[], pool: Map<string, Agent>, at: number): void {
  const queue = step.queue(entry.queueId);
  for (const agent of agents) {
    pool.delete(agent.id);
    step.setAgentStatus(agent.id, { kind: 'ringing', callId: entry.callId }, at);
    step.commands.push({ type: 'ring-agent', agentId: agent.id, callId: entry.callId, queueId: queue.id, timeoutSeconds: queue.ringTimeoutSeconds });
  }
  const agentIds = agents.map((a) => a.id);
  step.patchEntry(entry.callId, { status: { kind: 'ringing', agentIds, deadline: at + queue.ringTimeoutSeconds * 1000 }, firstOfferedAt: entry.firstOfferedAt ?? at, missedBy: entry.missedBy });
  step.note(at, 'offered', { callId: entry.callId, queueId: queue.id, agentIds });
}

/** 1-based places of every entry in its queue (callback places count: they are real places). */
export function positions(waiting: readonly WaitingEntry[]): Map<string, number> {
  const byQueue = new Map<string, number>();
  const result = new Map<string, number>();
  for (const entry of [...waiting].sort(compareEntries)) {
    const position = (byQueue.get(entry.queueId) ?? 0) + 1;
    byQueue.set(entry.queueId, position);
    result.set(entry.callId, position);
  }
  return result;
}

/** Position and estimated wait to callers on the line whose announcement interval has passed. */
export function announce(step: QueueStep, at: number): void {
  const due = step.state.waiting.filter((e) => {
    const every = step.queue(e.queueId).announceEverySeconds;
    const onLine = e.kind === 'caller' || e.callback?.state === 'connected';
    return every !== undefined && onLine && e.status.kind === 'waiting' && at - (e.lastAnnouncedAt ?? e.enteredAt) >= every * 1000;
  });
  if (due.length === 0) return;
  const places = positions(step.state.waiting);
  const staffedByQueue = new Map<string, number>();
  for (const entry of due) {
    const queue = step.queue(entry.queueId);
    if (!staffedByQueue.has(queue.id)) {
      staffedByQueue.set(queue.id, Object.values(step.state.agents).filter((a) => isStaffed(a) && meets(a, queue.requiredSkills)).length);
    }
    const position = places.get(entry.callId)!;
    const ewt = estimateWait({ position, staffedAgents: staffedByQueue.get(queue.id)!, recentHandleSeconds: step.state.memory[queue.id]!.recentHandleSeconds });
    step.commands.push({ type: 'announce-position', callId: entry.callId, position, ewt });
    step.patchEntry(entry.callId, { lastAnnouncedAt: at });
  }
}
