// Figures from summed rollup rows: every rate and average is computed here, once, at the end
// (never stored: a sum of averages is not an average). Definitions, T = serviceLevelSeconds,
// S = shortAbandonSeconds (the wallboard's, see src/queue/wallboard.ts):
//   calls              calls that started in the interval (a call counts where it started)
//   offered            queue legs: a caller handed to a queue (a transfer or overflow to another
//                      queue offers the call again, there)
//   answered           legs bridged to an agent; abandoned: the caller hung up or pressed the exit
//                      key while waiting; abandonedShort: of those, waited S or less
//   serviceLevel       answered within T / (answered + abandoned after more than S); overflowed,
//                      callback and dropped legs are in neither part; null without such legs
//   asaSeconds         average wait of answered legs; longestWaitSeconds: the longest wait of any leg
//   ahtSeconds         (talk + wrap-up) / conversations handled; talk and wrap-up also apart
//   repeatCallerRate   calls from a number that called within the repeat window / calls
//   bot                knowledge analytics' definitions: containment = contained / bot calls,
//                      match rate = answered turns / question turns
//   csat               responses, average score (1–5), satisfied rate = scores 4 and 5 / responses
import type { RollupRow } from './rollup-row.ts';
import { countWithin } from './wait-histogram.ts';

export type Rate = number | null;

export interface Figures {
  calls: number;
  offered: number;
  answered: number;
  abandoned: number;
  abandonedShort: number;
  overflowed: number;
  callbacks: number;
  dropped: number;
  answeredWithinThreshold: number;
  serviceLevel: Rate;
  asaSeconds: number | null;
  averageAbandonWaitSeconds: number | null;
  longestWaitSeconds: number;
  handled: number;
  ahtSeconds: number | null;
  averageTalkSeconds: number | null;
  averageWrapSeconds: number | null;
  transfersOut: number;
  repeatCalls: number;
  repeatCallerRate: Rate;
  bot: { calls: number; contained: number; handedOff: number; unresolved: number; containmentRate: Rate; questions: number; answered: number; unmatched: number; matchRate: Rate };
  csat: { responses: number; average: number | null; satisfiedRate: Rate; scores: number[] };
}

export interface Thresholds {
  serviceLevelMs: number;
  shortAbandonMs: number;
}

const rate = (part: number, whole: number): Rate => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);
const seconds = (ms: number, count: number): number | null => (count > 0 ? Math.round(ms / count) / 1000 : null);

export function figuresOf(row: RollupRow, thresholds: Thresholds): Figures {
  const abandonedShort = countWithin(row.abandonedWaits, thresholds.shortAbandonMs);
  const answeredWithinThreshold = countWithin(row.answeredWaits, thresholds.serviceLevelMs);
  const scoreSum = row.surveyScores.reduce((sum, n, i) => sum + n * (i + 1), 0);
  return {
    calls: row.calls,
    offered: row.offered,
    answered: row.answered,
    abandoned: row.abandoned,
    abandonedShort,
    overflowed: row.overflowed,
    callbacks: row.callbacks,
    dropped: row.dropped,
    answeredWithinThreshold,
    serviceLevel: rate(answeredWithinThreshold, row.answered + row.abandoned - abandonedShort),
    asaSeconds: seconds(row.answeredWaitMs, row.answered),
    averageAbandonWaitSeconds: seconds(row.abandonedWaitMs, row.abandoned),
    longestWaitSeconds: row.longestWaitMs / 1000,
    handled: row.handled,
    ahtSeconds: seconds(row.talkMs + row.wrapMs, row.handled),
    averageTalkSeconds: seconds(row.talkMs, row.handled),
    averageWrapSeconds: seconds(row.wrapMs, row.handled),
    transfersOut: row.transfersOut,
    repeatCalls: row.repeatCalls,
    repeatCallerRate: rate(row.repeatCalls, row.calls),
    bot: {
      calls: row.botCalls,
      contained: row.botContained,
      handedOff: row.botHandedOff,
      unresolved: row.botCalls - row.botContained - row.botHandedOff,
      containmentRate: rate(row.botContained, row.botCalls),
      questions: row.botQuestions,
      answered: row.botAnswered,
      unmatched: row.botUnmatched,
      matchRate: rate(row.botAnswered, row.botQuestions),
    },
    csat: {
      responses: row.surveys,
      average: row.surveys > 0 ? Math.round((scoreSum / row.surveys) * 100) / 100 : null,
      satisfiedRate: rate((row.surveyScores[3] ?? 0) + (row.surveyScores[4] ?? 0), row.surveys),
      scores: [...row.surveyScores],
    },
  };
}
