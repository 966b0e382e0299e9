// Pure arithmetic of the system bench: per-call verdicts and the window's resource readings in,
// one step's figures per side, the Deskline/dialplan ratios and the README table out.
import { percentile, round } from '../stats.ts';

/** One call judged complete or not by its side's own evidence (Deskline's record, or Asterisk's events and files). */
export interface CallVerdict {
  id: string;
  via: 'local' | 'sip';
  startedAt: number;
  endedAt?: number;
  ok: boolean;
  /** Why not ok: the first missing piece. */
  reason?: string;
  /** Answer → first prompt started. */
  promptMs?: number;
  /** Queue join → agent connected. */
  queueAssignMs?: number;
  transcribed?: boolean;
}

export interface WindowReadings {
  windowStart: number;
  windowEnd: number;
  samples: { at: number; live: number }[];
  nodeCpuSeconds: number;
  asteriskCpuSeconds: number;
  driverCpuSeconds: number;
  eventLoopLagP99Ms: number;
  rssPeakBytes: number;
  asteriskRssPeakBytes: number;
  sippRuns: number;
  sippFailures: string[];
}

export interface SideFigures {
  concurrentHeld: { mean: number; min: number; max: number };
  callsStarted: number;
  /** Completed calls that ended inside the window. */
  completedInWindow: number;
  /**
   * Completed calls per second: each completed call counts with the share of its duration that
   * fell inside the window (a short window would otherwise quantize the rate by whole calls).
   */
  callsPerSecond: number;
  promptStartMs: { count: number; p50: number; p99: number };
  queueAssignMs: { count: number; p50: number; p99: number };
  eventLoopLagP99Ms: number;
  nodeCpuSeconds: number;
  asteriskCpuSeconds: number;
  nodeToAsteriskCpu: number;
  driverCpuSeconds: number;
  rssMB: number;
  asteriskRssMB: number;
  failed: number;
  failures: Record<string, number>;
  sip: { calls: number; runs: number; failed: number; examples: string[] };
  transcribedCalls: number;
}

const stats = (values: number[]) => ({ count: values.length, p50: round(percentile(values, 50), 1), p99: round(percentile(values, 99), 1) });
const MB = 2 ** 20;

export function sideFigures(verdicts: CallVerdict[], r: WindowReadings): SideFigures {
  const windowSeconds = (r.windowEnd - r.windowStart) / 1000;
  const inWindow = r.samples.filter((s) => s.at >= r.windowStart && s.at <= r.windowEnd).map((s) => s.live);
  const completed = verdicts.filter((v) => v.ok && v.endedAt !== undefined && v.endedAt >= r.windowStart && v.endedAt <= r.windowEnd).length;
  const completedShare = verdicts.reduce((sum, v) => {
    if (!v.ok || v.endedAt === undefined || v.endedAt <= v.startedAt) return sum;
    const overlap = Math.min(v.endedAt, r.windowEnd) - Math.max(v.startedAt, r.windowStart);
    return sum + Math.max(0, overlap) / (v.endedAt - v.startedAt);
  }, 0);
  const failures: Record<string, number> = {};
  for (const v of verdicts) if (!v.ok) failures[v.reason ?? 'unknown'] = (failures[v.reason ?? 'unknown'] ?? 0) + 1;
  // sipp runs are not tied to a channel: a failed run counts only beyond the SIP channels already
  // judged failed (so one call is not counted twice), and a run that never reached Asterisk is a call too.
  const sipCalls = verdicts.filter((v) => v.via === 'sip');
  const sipChannelsFailed = sipCalls.filter((v) => !v.ok).length;
  const unjudgedSippFailures = Math.max(0, r.sippFailures.length - sipChannelsFailed);
  if (unjudgedSippFailures) failures['sipp run failed'] = unjudgedSippFailures;
  const failed = Object.values(failures).reduce((a, b) => a + b, 0);
  return {
    concurrentHeld: { mean: round(inWindow.reduce((a, b) => a + b, 0) / Math.max(1, inWindow.length), 1), min: inWindow.length ? Math.min(...inWindow) : 0, max: inWindow.length ? Math.max(...inWindow) : 0 },
    callsStarted: verdicts.length + Math.max(0, r.sippRuns - sipCalls.length),
    completedInWindow: completed,
    callsPerSecond: round(completedShare / windowSeconds, 3),
    promptStartMs: stats(verdicts.flatMap((v) => (v.promptMs === undefined ? [] : [v.promptMs]))),
    queueAssignMs: stats(verdicts.flatMap((v) => (v.queueAssignMs === undefined ? [] : [v.queueAssignMs]))),
    eventLoopLagP99Ms: round(r.eventLoopLagP99Ms, 1),
    nodeCpuSeconds: round(r.nodeCpuSeconds),
    asteriskCpuSeconds: round(r.asteriskCpuSeconds),
    nodeToAsteriskCpu: round(r.nodeCpuSeconds / Math.max(0.01, r.asteriskCpuSeconds), 3),
    driverCpuSeconds: round(r.driverCpuSeconds),
    rssMB: round(r.rssPeakBytes / MB, 1),
    asteriskRssMB: round(r.asteriskRssPeakBytes / MB, 1),
    failed,
    failures,
    sip: { calls: sipCalls.length, runs: r.sippRuns, failed: sipChannelsFailed + unjudgedSippFailures, examples: r.sippFailures.slice(0, 2) },
    transcribedCalls: verdicts.filter((v) => v.transcribed).length,
  };
}

export const GOALS = { callsPerSecondRatio: 0.9, nodeToAsteriskCpu: 0.25 } as const;

export interface StepComparison {
  /**
   * False when Deskline failed more than a tenth of its calls: the step measured a collapse, and
   * its CPU ratio (Node idle while calls fail) is no evidence for the goal.
   */
  desklineHeldTheLoad: boolean;
  callsPerSecondRatio: number;
  nodeToAsteriskCpu: number;
  /** Deskline's Node CPU against what Asterisk needed for the same load as plain dialplan. */
  nodeToDialplanAsteriskCpu: number;
  goals: { callsPerSecondRatio: { goal: string; met: boolean }; nodeToAsteriskCpu: { goal: string; met: boolean } };
}

export function compare(deskline: SideFigures, dialplan: SideFigures): StepComparison {
  const rateRatio = deskline.callsPerSecond / Math.max(1e-9, dialplan.callsPerSecond);
  return {
    desklineHeldTheLoad: deskline.failed <= deskline.callsStarted / 10,
    callsPerSecondRatio: round(rateRatio, 3),
    nodeToAsteriskCpu: deskline.nodeToAsteriskCpu,
    nodeToDialplanAsteriskCpu: round(deskline.nodeCpuSeconds / Math.max(0.01, dialplan.asteriskCpuSeconds), 3),
    goals: {
      callsPerSecondRatio: { goal: `>= ${GOALS.callsPerSecondRatio}`, met: rateRatio >= GOALS.callsPerSecondRatio },
      nodeToAsteriskCpu: { goal: `<= ${GOALS.nodeToAsteriskCpu}`, met: deskline.nodeToAsteriskCpu <= GOALS.nodeToAsteriskCpu },
    },
  };
}

export interface StepReport {
  concurrency: number;
  deskline: SideFigures;
  dialplan: SideFigures;
  comparison: StepComparison;
}

/** The README table: one row per step, Deskline's figures with the dialplan's rate beside them. */
export function markdownTable(steps: StepReport[]): string {
  const rows = [
    '| step | concurrent | calls/s Deskline | calls/s dialplan | ratio | prompt p50/p99 ms | queue assign p50/p99 ms | loop lag p99 ms | Node CPU/Asterisk CPU | RSS MB | failed |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const n = (value: number) => (Number.isFinite(value) ? value : '–');
  for (const s of steps) {
    const d = s.deskline;
    rows.push(`| ${s.concurrency} | ${d.concurrentHeld.mean} | ${d.callsPerSecond} | ${s.dialplan.callsPerSecond} | ${s.comparison.callsPerSecondRatio} | ${n(d.promptStartMs.p50)}/${n(d.promptStartMs.p99)} | ${n(d.queueAssignMs.p50)}/${n(d.queueAssignMs.p99)} | ${d.eventLoopLagP99Ms} | ${d.nodeToAsteriskCpu} | ${d.rssMB} | ${d.failed} of ${d.callsStarted} (dialplan ${s.dialplan.failed}) |`);
  }
  return rows.join('\n');
}
