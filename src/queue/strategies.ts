// Agent selection, one pure function per strategy. Candidates are already filtered: available,
// meeting the queue's (possibly relaxed) skill requirements, not excluded for this call.
//
// The documented orders (ties always fall back to agent id, ascending):
//   ring-all      every candidate at once; the first to answer takes the call
//   round-robin   the first agent id after the last one rung in this queue, wrapping around
//   longest-idle  oldest lastCallEndedAt first (never had a call: counts from stateSince)
//   fewest-calls  fewest callsTaken, then longest idle
//   skills-based  highest sum of levels on the queue's required skills, then longest idle
//   random        candidates sorted by id, index floor(random × n) with the injected draw
import type { Agent, SkillRequirement, Strategy } from './queue-types.ts';

export interface SelectionContext {
  requiredSkills: readonly SkillRequirement[];
  lastAgentId?: string;
  /** Injected draw in [0, 1). */
  random: number;
}

const byId = (a: Agent, b: Agent) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** When the agent became idle: the end of their last call, else when their status began. */
export const idleSince = (agent: Agent) => agent.lastCallEndedAt ?? agent.stateSince;

const byIdle = (a: Agent, b: Agent) => idleSince(a) - idleSince(b) || byId(a, b);

export function skillScore(agent: Agent, required: readonly SkillRequirement[]): number {
  return required.reduce((sum, r) => sum + (agent.skills[r.skill] ?? 0), 0);
}

/** The candidates to ring, best first: all of them for ring-all, otherwise one (or none). */
export function selectAgents(strategy: Strategy, candidates: readonly Agent[], context: SelectionContext): Agent[] {
  if (candidates.length === 0) return [];
  const sorted = [...candidates];
  switch (strategy) {
    case 'ring-all':
      return sorted.sort(byId);
    case 'round-robin': {
      sorted.sort(byId);
      const last = context.lastAgentId;
      const after = last === undefined ? undefined : sorted.find((a) => a.id > last);
      return [after ?? sorted[0]!];
    }
    case 'longest-idle':
      return [sorted.sort(byIdle)[0]!];
    case 'fewest-calls':
      return [sorted.sort((a, b) => a.callsTaken - b.callsTaken || byIdle(a, b))[0]!];
    case 'skills-based': {
      const score = (a: Agent) => skillScore(a, context.requiredSkills);
      return [sorted.sort((a, b) => score(b) - score(a) || byIdle(a, b))[0]!];
    }
    case 'random': {
      sorted.sort(byId);
      const r = Math.min(Math.max(context.random, 0), 0.999_999_999);
      return [sorted[Math.floor(r * sorted.length)]!];
    }
  }
}

/** The k-th draw derived from one injected draw (golden-ratio steps), for several picks per input. */
export function nthDraw(random: number, k: number): number {
  return (random + k * 0.618_033_988_749_895) % 1;
}
