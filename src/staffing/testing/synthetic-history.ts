// A synthetic call history with a known weekly pattern, for the forecast's tests, the route test
// and the browser test: arrivals per 30-minute slot are a seeded Poisson process with a rate that
// depends only on the weekday and the local half hour (`expectedCalls`); waits, patience, talk
// and wrap-up are exponential with known means. Facts go straight into the reports' rollups
// (ReportStore.recordFacts), as a call's end would put them there.
import type { CallFacts } from '../../reports/call-facts.ts';
import { localTime } from '../../ivr/business-hours.ts';
import { scriptedCall, type ScriptedCall, type Step } from '../../reports/testing/scripted-call.ts';

export interface SyntheticPattern {
  queue: string;
  /** Mean offered wait before an agent would answer, seconds. */
  meanWaitSeconds: number;
  meanPatienceSeconds: number;
  meanTalkSeconds: number;
  wrapSeconds: number;
}

export const DEFAULT_PATTERN: SyntheticPattern = { queue: 'billing', meanWaitSeconds: 30, meanPatienceSeconds: 90, meanTalkSeconds: 200, wrapSeconds: 30 };

/** Calls expected in a local half hour: weekdays 08:00–20:00 with a late-morning and an afternoon peak, Saturdays a third, Sundays none. */
export function expectedCalls(weekday: number, slot: number): number {
  const hour = slot / 2;
  if (weekday === 6 || hour < 8 || hour >= 20) return 0;
  const shape = 6 + 30 * Math.exp(-(((hour - 10.5) / 1.5) ** 2)) + 22 * Math.exp(-(((hour - 15) / 2) ** 2));
  const day = [1.2, 1, 1, 1, 0.9, 1 / 3][weekday]!;
  return shape * day;
}

/** Deterministic uniform (0, 1): mulberry32 (a plain LCG's low bits showed day-long runs). */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return (((z ^ (z >>> 14)) >>> 0) + 0.5) / 2 ** 32;
  };
}

/**
 * Calls of [from, to) as facts: within each 30-minute slot, arrivals at exponential gaps with the
 * slot's rate (a Poisson process); `scale(date)` multiplies a day's rate (a holiday rush, say).
 */
export function syntheticFacts(from: number, to: number, timezone: string, options: { seed?: number; pattern?: SyntheticPattern; scale?: (date: string) => number } = {}): CallFacts[] {
  const rnd = seeded(options.seed ?? 1);
  const p = options.pattern ?? DEFAULT_PATTERN;
  const exp = (mean: number) => -Math.log(rnd()) * mean;
  const facts: CallFacts[] = [];
  const slotMs = 30 * 60_000;
  for (let slotStart = Math.ceil(from / slotMs) * slotMs; slotStart < to; slotStart += slotMs) {
    const wall = localTime(slotStart, timezone);
    const weekday = (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).indexOf(wall.weekday);
    const rate = expectedCalls(weekday, wall.hour * 2 + (wall.minute >= 30 ? 1 : 0)) * (options.scale?.(wall.date) ?? 1);
    if (rate <= 0) continue;
    for (let at = slotStart + exp(slotMs / rate); at < slotStart + slotMs; at += exp(slotMs / rate)) {
      const startedAt = Math.floor(at);
      const wait = exp(p.meanWaitSeconds * 1000);
      const patience = exp(p.meanPatienceSeconds * 1000);
      const callId = `syn-${startedAt}-${facts.length}`;
      if (patience < wait) {
        facts.push({ callId, startedAt, endedAt: startedAt + Math.round(patience), legs: [{ queue: p.queue, skills: [], waitMs: Math.round(patience), result: 'abandoned' }], conversations: [], repeatCaller: false });
        continue;
      }
      const agentId = `agent-${facts.length % 20}`;
      const talkMs = Math.round(exp(p.meanTalkSeconds * 1000));
      facts.push({
        callId, startedAt, endedAt: startedAt + Math.round(wait) + talkMs, repeatCaller: false,
        legs: [{ queue: p.queue, skills: [], waitMs: Math.round(wait), result: 'answered', agentId }],
        conversations: [{ agentId, queue: p.queue, skills: [], talkMs, wrapMs: p.wrapSeconds * 1000, transferred: false }],
      });
    }
  }
  return facts;
}

/**
 * The same call as a call record and trail (reports/testing/scripted-call.ts), for a running
 * appliance that records calls from its call records as they end. Wrap-up then comes from the
 * site's queue settings, not from the pattern.
 */
export function scriptOf(facts: CallFacts): ScriptedCall {
  const leg = facts.legs[0]!;
  const conversation = facts.conversations[0];
  const steps: Step[] = [{ queue: leg.queue }, { wait: leg.waitMs / 1000 }];
  if (conversation) steps.push({ agent: conversation.agentId, queue: leg.queue }, { wait: conversation.talkMs / 1000 });
  return scriptedCall({ id: facts.callId, startedAt: facts.startedAt, caller: `+86138${String(facts.startedAt % 100_000_000).padStart(8, '0')}`, steps });
}
