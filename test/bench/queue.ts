// Queue benchmark: the pure ACD core alone (no Asterisk). 100 agents with mixed skills across four
// queues with different strategies, 500 callers kept waiting; agents finish calls one after another,
// and each finished call is an assignment decision (the machine picks the next caller and agent).
import { parseArgs } from 'node:util';
import { newAcd, transition } from '../../src/queue/queue-machine.ts';
import { queueConfig } from '../../src/queue/test-acd.ts';
import type { AcdInput, AcdState, QueueConfig } from '../../src/queue/queue-types.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { LevelStore } from '../../src/store/level-store.ts';
import { percentile, round } from './stats.ts';

const skills = ['billing', 'tech', 'sales', 'french'];
const queues: QueueConfig[] = [
  queueConfig({ id: 'billing', strategy: 'skills-based', requiredSkills: [{ skill: 'billing', minLevel: 3 }], relaxation: [{ afterSeconds: 60, minLevel: 1 }] }),
  queueConfig({ id: 'tech', strategy: 'longest-idle', requiredSkills: [{ skill: 'tech', minLevel: 2 }] }),
  queueConfig({ id: 'sales', strategy: 'round-robin', requiredSkills: [{ skill: 'sales', minLevel: 1 }] }),
  queueConfig({ id: 'french', strategy: 'fewest-calls', requiredSkills: [{ skill: 'french', minLevel: 2 }, { skill: 'tech', minLevel: 1 }], relaxation: [{ afterSeconds: 120, minLevel: 1, skill: 'french' }] }),
].map((q) => ({ ...q, maxLength: 1000, maxWaitSeconds: 86_400, announceEverySeconds: 45 }));

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

export async function run(argv: string[], progress: (line: string) => void) {
  const { values } = parseArgs({ args: argv, options: { decisions: { type: 'string', default: '20000' }, waiting: { type: 'string', default: '500' }, agents: { type: 'string', default: '100' } } });
  const decisions = Number(values.decisions);
  const waitingTarget = Number(values.waiting);
  const agentCount = Number(values.agents);
  const rnd = lcg(42);
  let state: AcdState = newAcd(queues);
  let at = 1_700_000_000_000;
  let calls = 0;
  const onCall = new Map<string, string>(); // agentId → callId

  const send = (input: AcdInput) => {
    const result = transition(state, input);
    state = result.next;
    for (const c of result.commands) {
      // Agents answer at once: keeps every agent busy and the 500 callers waiting.
      if (c.type === 'ring-agent') {
        state = transition(state, { type: 'agent-answered', agentId: c.agentId, callId: c.callId, at: input.at }).next;
        onCall.set(c.agentId, c.callId);
      }
    }
    return result;
  };
  const join = () => send({ type: 'caller-joined', callId: `c${++calls}`, queueId: queues[Math.floor(rnd() * queues.length)]!.id, priority: rnd() < 0.1 ? 5 : 0, at, random: rnd() });

  for (let i = 0; i < agentCount; i++) {
    // Mixed skills: every agent has two or three skills at levels 1–5; every queue is staffed.
    const own = Object.fromEntries(skills.filter((_, k) => k === i % 4 || rnd() < 0.4).map((s) => [s, 1 + Math.floor(rnd() * 5)]));
    if (i % 4 === 3) own.tech = Math.max(own.tech ?? 0, 1);
    send({ type: 'agent-login', agentId: `agent-${String(i).padStart(3, '0')}`, skills: own, at });
  }
  while (state.waiting.length < waitingTarget) join();
  progress(`${agentCount} agents (${onCall.size} on calls), ${state.waiting.length} callers waiting`);

  // The executor persists the whole ACD state (with its trail) before acting on a decision: the
  // same write is measured here on a real LevelStore, every 10th decision.
  const dir = await mkdtemp(joinPath(tmpdir(), 'deskline-bench-queue-'));
  const store = await LevelStore.open(`${dir}/db`);
  const section = store.section('queues');
  const persistLatencies: number[] = [];
  const stateBytes: number[] = [];
  let persistCpuMicros = 0;
  const latencies: number[] = [];
  const tickLatencies: number[] = [];
  let assignments = 0;
  let cpuMicros = 0;
  const warmup = Math.min(2000, Math.floor(decisions / 5));
  for (let i = 0; i < warmup + decisions; i++) {
    at += 250;
    const agents = [...onCall.keys()];
    const agentId = agents[Math.floor(rnd() * agents.length)]!;
    const callId = onCall.get(agentId)!;
    onCall.delete(agentId);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const result = transition(state, { type: 'call-ended', agentId, callId, at, random: rnd() });
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    state = result.next;
    for (const c of result.commands) {
      if (c.type !== 'ring-agent') continue;
      state = transition(state, { type: 'agent-answered', agentId: c.agentId, callId: c.callId, at }).next;
      onCall.set(c.agentId, c.callId);
    }
    if (i >= warmup && i % 10 === 0) {
      const pcpu0 = process.cpuUsage();
      const p0 = performance.now();
      await section.batch([{ type: 'put', key: 'state', value: { acd: state } }, ...result.trail.map((entry, k) => ({ type: 'put' as const, key: `trail!${i}-${k}`, value: entry }))]);
      persistLatencies.push(performance.now() - p0);
      const pcpu = process.cpuUsage(pcpu0);
      persistCpuMicros += pcpu.user + pcpu.system;
      if (stateBytes.length < 50) stateBytes.push(JSON.stringify(state).length);
    }
    if (i >= warmup) {
      latencies.push(ms);
      cpuMicros += cpu.user + cpu.system;
      assignments += result.commands.filter((c) => c.type === 'ring-agent').length;
    }
    while (state.waiting.length < waitingTarget) join();
    if (i % 40 === 0) {
      const t1 = performance.now();
      send({ type: 'tick', at, random: rnd() });
      if (i >= warmup) tickLatencies.push(performance.now() - t1);
    }
    if ((i + 1) % 5000 === 0) progress(`${i + 1}/${warmup + decisions} decisions`);
  }

  await store.close();
  await rm(dir, { recursive: true, force: true });
  const decisionP99 = percentile(latencies, 99);
  return {
    persisted: {
      what: 'the executor\'s write before it acts: the whole ACD state plus the decision\'s trail, one LevelStore batch (sampled every 10th decision)',
      samples: persistLatencies.length,
      stateKiB: round(stateBytes.reduce((a, b) => a + b, 0) / stateBytes.length / 1024, 1),
      latencyMs: { p50: round(percentile(persistLatencies, 50), 4), p99: round(percentile(persistLatencies, 99), 4) },
      nodeCpuMsPerWrite: round(persistCpuMicros / 1000 / Math.max(1, persistLatencies.length), 4),
      p99VsDecisionP99: round(percentile(persistLatencies, 99) / decisionP99, 1),
    },
    setup: { agents: agentCount, waitingCallers: waitingTarget, queues: queues.map((q) => `${q.id}:${q.strategy}`), decisions, warmupDecisions: warmup },
    decision: {
      what: 'one call-ended transition: the freed agent is matched to the first eligible caller in waiting order',
      latencyMs: { p50: round(percentile(latencies, 50), 4), p99: round(percentile(latencies, 99), 4), max: round(Math.max(...latencies), 4) },
      nodeCpuMsPerDecision: round(cpuMicros / 1000 / decisions, 4),
      assignmentsMade: assignments,
    },
    tick: { what: 'time passes: wrap-ups, ring timeouts, max wait, relaxation, announcements over 500 callers', count: tickLatencies.length, latencyMs: { p50: round(percentile(tickLatencies, 50), 4), p99: round(percentile(tickLatencies, 99), 4) } },
    callsJoined: calls,
    note: 'decision: pure transitions; persisted: the store write the executor adds before acting (ARI round trips, 2–50 ms on loopback, are not included). process.cpuUsage has ~1 µs resolution; CPU per decision is the sum over measured decisions divided by their count.',
  };
}
