import test from 'ava';
import { analyzeKnowledge, type CallTrail } from '../knowledge/analytics/knowledge-analytics.ts';
import { agentConnected, answered, call, done, feedback, handoff, lowConfidence, queued, T0, turn } from '../knowledge/analytics/testing-trails.ts';
import { createAnalyzer } from '../knowledge/matcher/analyze.ts';
import { botFactsOf } from './bot-facts.ts';
import { demoSite, lcg, randomCall } from './testing/random-calls.ts';
import { addQuestions, emptyUnmatchedRow, groupUnmatched, mergeUnmatched, type StoredQuestion } from './unmatched-rollup.ts';

const hour = 3_600_000;

/** Hand-built edge cases of the analytics tests plus 400 random calls of the demo site. */
function trails(): CallTrail[] {
  const site = demoSite();
  const rnd = lcg(11);
  const random = Array.from({ length: 400 }, (_, i) => {
    const { call: c, trail } = randomCall(rnd, `r${i}`, T0 + i * 60_000, site);
    return { callId: c.callId, startedAt: c.startedAt, trail };
  });
  return [
    call('helped-then-asked', T0, answered('reset password', 'pw'), feedback('pw', true), lowConfidence('and my pin?')),
    call('punctuation-only', T0, lowConfidence('?!', [{ id: 'x', confidence: 0.2 }])),
    call('queued-before-bot', T0, queued(), turn('no-speech')),
    call('agent-after-bot', T0, turn('asked-agent', 'agent please'), agentConnected()),
    call('handoff', T0, lowConfidence('my bill', [{ id: 'billing', confidence: 0.3 }, { id: 'plans', confidence: 0.3 }]), handoff('low-confidence')),
    call('done', T0, answered('opening hours', 'hours'), done()),
    call('malformed', T0, { type: 'faq-turn', outcome: 'maybe' }, { type: 'faq-feedback', helped: 'yes' }),
    ...random,
  ];
}

test('given the same trails, when bot facts are summed, then they equal knowledge analytics\' figures', (t) => {
  const calls = trails();
  const analytics = analyzeKnowledge(calls, { from: T0, to: T0 + 1000 * hour });
  const facts = calls.map((c) => botFactsOf(c.trail)).filter((f) => f !== undefined);
  t.true(facts.length > 50, 'the random calls include bot calls');
  t.is(facts.length, analytics.bot.calls);
  t.is(facts.filter((f) => f.outcome === 'contained').length, analytics.bot.contained);
  t.is(facts.filter((f) => f.outcome === 'handed-off').length, analytics.bot.handedOff);
  t.is(facts.filter((f) => f.outcome === 'unresolved').length, analytics.bot.unresolved);
  t.is(facts.reduce((n, f) => n + f.questions, 0), analytics.bot.questions);
  t.is(facts.reduce((n, f) => n + f.answered, 0), analytics.bot.answered);
  t.is(facts.reduce((n, f) => n + f.unmatched.length, 0), analytics.unmatched.questions);
});

test('given unmatched questions spread over buckets, when merged and replayed, then the groups equal knowledge analytics\' groups', (t) => {
  const calls = trails();
  const analytics = analyzeKnowledge(calls, { from: T0, to: T0 + 1000 * hour, unmatchedLimit: 1000 });
  // One bucket per call's hour, as the rollups keep them.
  const buckets = new Map<number, ReturnType<typeof emptyUnmatchedRow>>();
  for (const c of calls) {
    const questions = botFactsOf(c.trail)?.unmatched ?? [];
    const start = Math.floor(c.startedAt / hour) * hour;
    const row = buckets.get(start) ?? emptyUnmatchedRow();
    addQuestions(row, questions);
    buckets.set(start, row);
  }
  const merged = new Map<string, StoredQuestion>();
  for (const row of buckets.values()) mergeUnmatched(merged, row);
  const report = groupUnmatched(merged, { analyzer: createAnalyzer(), limit: 1000, notKept: 0 });
  t.is(report.questions, analytics.unmatched.questions);
  t.deepEqual(report.groups, analytics.unmatched.groups);
});

test('given a call recorded and then taken back, when its questions are removed, then the bucket is empty again', (t) => {
  const row = emptyUnmatchedRow();
  const questions = botFactsOf(call('x', T0, lowConfidence('my bill', [{ id: 'billing', confidence: 0.3 }])).trail)!.unmatched;
  addQuestions(row, questions);
  addQuestions(row, questions, -1);
  t.deepEqual(row.questions, {});
});
