// The rollup row: sums, counts, one max and two wait histograms for one dimension key over one
// time bucket. Rows add up (a day is the sum of its hours, a week the sum of its days), so any
// report interval is a sum of stored rows; figures (rates, averages) are computed only at the end.
// A call adds to the row of every dimension key it touched — see `contributionsOf`.
import { addHistogram, addWait, packHistogram, unpackHistogram } from './wait-histogram.ts';
import type { CallFacts } from './call-facts.ts';

export const DIMENSIONS = ['queue', 'agent', 'skill', 'flow'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
/** 'all', or a dimension and an id: 'queue:billing', 'agent:a7', 'skill:french', 'flow:main'. */
export type DimensionKey = 'all' | `${Dimension}:${string}`;

export interface RollupRow {
  /** Calls that started in the bucket (and touched this key). */
  calls: number;
  repeatCalls: number;
  // Queue legs: a call transferred or overflowed to a second queue is offered to each.
  offered: number;
  answered: number;
  abandoned: number;
  overflowed: number;
  callbacks: number;
  /** Legs the system lost (Asterisk restarted, channel gone): neither answered nor abandoned. */
  dropped: number;
  answeredWaitMs: number;
  abandonedWaitMs: number;
  /** Longest wait of any leg. Not lowered when a call is recorded again with a shorter wait. */
  longestWaitMs: number;
  /** Histograms (wait-histogram.ts) of answered and of abandoned legs' waits. */
  answeredWaits: number[];
  abandonedWaits: number[];
  // Agent conversations.
  handled: number;
  talkMs: number;
  wrapMs: number;
  transfersOut: number;
  // The voice FAQ bot (knowledge analytics' definitions).
  botCalls: number;
  botContained: number;
  botHandedOff: number;
  botQuestions: number;
  botAnswered: number;
  botUnmatched: number;
  // Surveys: how many answered 1, 2, 3, 4, 5.
  surveys: number;
  surveyScores: number[];
  /** Flow rows only: node → [calls that reached it, calls whose caller hung up there]. */
  nodes?: Record<string, [number, number]>;
}

const COUNTERS = [
  'calls', 'repeatCalls', 'offered', 'answered', 'abandoned', 'overflowed', 'callbacks', 'dropped', 'answeredWaitMs', 'abandonedWaitMs',
  'handled', 'talkMs', 'wrapMs', 'transfersOut', 'botCalls', 'botContained', 'botHandedOff', 'botQuestions', 'botAnswered', 'botUnmatched', 'surveys',
] as const satisfies readonly (keyof RollupRow)[];

export function emptyRow(): RollupRow {
  return {
    calls: 0, repeatCalls: 0, offered: 0, answered: 0, abandoned: 0, overflowed: 0, callbacks: 0, dropped: 0,
    answeredWaitMs: 0, abandonedWaitMs: 0, longestWaitMs: 0, answeredWaits: [], abandonedWaits: [],
    handled: 0, talkMs: 0, wrapMs: 0, transfersOut: 0,
    botCalls: 0, botContained: 0, botHandedOff: 0, botQuestions: 0, botAnswered: 0, botUnmatched: 0,
    surveys: 0, surveyScores: [0, 0, 0, 0, 0],
  };
}

/** target += sign × delta (in place). The longest wait only ever grows: a max cannot be taken back. */
export function addRow(target: RollupRow, delta: RollupRow, sign: 1 | -1 = 1): RollupRow {
  for (const key of COUNTERS) target[key] += sign * delta[key];
  target.longestWaitMs = Math.max(target.longestWaitMs, delta.longestWaitMs);
  addHistogram(target.answeredWaits, delta.answeredWaits, sign);
  addHistogram(target.abandonedWaits, delta.abandonedWaits, sign);
  for (let i = 0; i < 5; i++) target.surveyScores[i]! += sign * (delta.surveyScores[i] ?? 0);
  if (delta.nodes) {
    const nodes = (target.nodes ??= {});
    for (const [node, [reached, dropped]] of Object.entries(delta.nodes)) {
      const sum = (nodes[node] ??= [0, 0]);
      sum[0] += sign * reached;
      sum[1] += sign * dropped;
      if (sum[0] === 0 && sum[1] === 0) delete nodes[node];
    }
  }
  return target;
}

/** The row as stored: histograms packed (wait-histogram.ts). */
export const toStored = (row: RollupRow): RollupRow => ({ ...row, answeredWaits: packHistogram(row.answeredWaits), abandonedWaits: packHistogram(row.abandonedWaits) });

export function fromStored(row: RollupRow): RollupRow {
  row.answeredWaits = unpackHistogram(row.answeredWaits);
  row.abandonedWaits = unpackHistogram(row.abandonedWaits);
  return row;
}

export const dimensionKey = (dimension: Dimension, id: string): DimensionKey => `${dimension}:${id}`;

/**
 * Adds (sign 1) or takes back (sign −1) one call in the rows of the dimension keys it touched;
 * `rowOf` hands out the row for a key. Call-level figures (calls, repeat callers, the bot, the
 * survey) go to every key the call touched, once; legs to their queue and its skills (and,
 * answered, to the agent who answered); conversations to their agent, queue and skills; the funnel
 * to the call's flow. 'all' gets everything. Returns the keys touched.
 */
export function foldCall(facts: CallFacts, rowOf: (key: DimensionKey) => RollupRow, sign: 1 | -1 = 1): Set<DimensionKey> {
  const touched = new Set<DimensionKey>(['all']);
  const flowKey = facts.flow ? dimensionKey('flow', facts.flow.flowId) : undefined;
  if (flowKey) touched.add(flowKey);
  const each = (keys: Iterable<DimensionKey>, add: (row: RollupRow) => void) => {
    for (const key of keys) {
      touched.add(key);
      add(rowOf(key));
    }
  };
  for (const leg of facts.legs) {
    const keys: DimensionKey[] = ['all', dimensionKey('queue', leg.queue), ...leg.skills.map((s) => dimensionKey('skill', s))];
    if (leg.agentId !== undefined && leg.result === 'answered') keys.push(dimensionKey('agent', leg.agentId));
    if (flowKey) keys.push(flowKey);
    each(new Set(keys), (row) => addLeg(row, leg, sign));
  }
  for (const conversation of facts.conversations) {
    const keys: DimensionKey[] = ['all', dimensionKey('agent', conversation.agentId), ...conversation.skills.map((s) => dimensionKey('skill', s))];
    if (conversation.queue !== undefined) keys.push(dimensionKey('queue', conversation.queue));
    if (flowKey) keys.push(flowKey);
    each(new Set(keys), (row) => {
      row.handled += sign;
      row.talkMs += sign * conversation.talkMs;
      row.wrapMs += sign * conversation.wrapMs;
      if (conversation.transferred) row.transfersOut += sign;
    });
  }
  for (const key of touched) addCallLevel(rowOf(key), facts, sign);
  if (facts.flow && flowKey) {
    const row = rowOf(flowKey);
    const nodes = (row.nodes ??= {});
    const count = (node: string, reached: number, dropped: number) => {
      const sum = (nodes[node] ??= [0, 0]);
      sum[0] += sign * reached;
      sum[1] += sign * dropped;
      if (sum[0] === 0 && sum[1] === 0) delete nodes[node];
    };
    for (const node of facts.flow.reached) count(node, 1, 0);
    if (facts.flow.droppedAt !== undefined) count(facts.flow.droppedAt, facts.flow.reached.includes(facts.flow.droppedAt) ? 0 : 1, 1);
  }
  return touched;
}

/** What one call adds to each dimension key it touched (see foldCall). */
export function contributionsOf(facts: CallFacts): Map<DimensionKey, RollupRow> {
  const rows = new Map<DimensionKey, RollupRow>();
  foldCall(facts, (key) => {
    let row = rows.get(key);
    if (!row) rows.set(key, (row = emptyRow()));
    return row;
  });
  return rows;
}

function addLeg(target: RollupRow, leg: CallFacts['legs'][number], sign: 1 | -1): void {
  target.offered += sign;
  // A maximum cannot be taken back.
  if (sign > 0) target.longestWaitMs = Math.max(target.longestWaitMs, leg.waitMs);
  switch (leg.result) {
    case 'answered':
      target.answered += sign;
      target.answeredWaitMs += sign * leg.waitMs;
      addWait(target.answeredWaits, leg.waitMs, sign);
      break;
    case 'abandoned':
      target.abandoned += sign;
      target.abandonedWaitMs += sign * leg.waitMs;
      addWait(target.abandonedWaits, leg.waitMs, sign);
      break;
    case 'overflowed':
      target.overflowed += sign;
      break;
    case 'callback':
      target.callbacks += sign;
      break;
    case 'dropped':
      target.dropped += sign;
      break;
  }
}

function addCallLevel(target: RollupRow, facts: CallFacts, sign: 1 | -1): void {
  target.calls += sign;
  if (facts.repeatCaller) target.repeatCalls += sign;
  if (facts.bot) {
    target.botCalls += sign;
    if (facts.bot.outcome === 'contained') target.botContained += sign;
    else if (facts.bot.outcome === 'handed-off') target.botHandedOff += sign;
    target.botQuestions += sign * facts.bot.questions;
    target.botAnswered += sign * facts.bot.answered;
    target.botUnmatched += sign * facts.bot.unmatched.length;
  }
  if (facts.csat !== undefined) {
    target.surveys += sign;
    target.surveyScores[facts.csat - 1]! += sign;
  }
}
