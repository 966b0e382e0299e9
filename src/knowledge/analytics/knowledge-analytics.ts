/**
 * Knowledge analytics over call trails: how well the knowledge base serves callers and agents.
 * Pure (no IO, no clock): the routes read the calls, this function counts.
 *
 * Definitions (a "bot call" is a call in range with at least one well-formed faq-* entry):
 * - Question turn: a faq-turn whose outcome is 'answered' or 'low-confidence' — the caller asked
 *   something the matcher had to answer. 'no-speech', 'escalation' and 'asked-agent' turns are
 *   turns but not questions.
 * - Match rate: answered turns / question turns (null when there were no questions).
 * - Handed off: the bot call has a faq-handoff entry (to a queue or to leave-a-message), or — at
 *   or after its first faq-* entry — joined a queue ('queue') or reached an agent
 *   ('agent-connected', written by the queue when caller and agent are bridged).
 * - Contained: not handed off, and either the bot finished with the caller satisfied (faq-done)
 *   or the caller's last interaction with the bot was a faq-feedback with helped = true (they
 *   hung up after a helped answer, asking nothing more).
 * - Unresolved: every other bot call (the caller hung up in the bot without a helped answer, or
 *   the call is still in progress).
 * - Containment rate: contained / bot calls (null without bot calls).
 * - Reached an agent: bot calls with an 'agent-connected' entry after the bot started.
 * - Article usage: bot answers and near misses count turns (a near miss: the article ranked first
 *   on a low-confidence turn); helped / not helped count feedback entries; assist shown / opened /
 *   helpful count calls (an article re-shown during one call counts once).
 * - Unmatched questions: low-confidence turns with text, grouped by similarity (group-questions.ts).
 * Calls are in range when from ≤ startedAt < to; a call's figures go to the day it started, in
 * `timeZone`. Malformed calls and entries (trails come from disk) are skipped, never thrown.
 */
import type { TrailEntry } from '../../calls/call-types.ts';
import { createAnalyzer } from '../matcher/analyze.ts';
import type { Lexicon } from '../matcher/lexicon.ts';
import { BotCall } from './bot-call.ts';
import { dayFormatter, daysBetween } from './days.ts';
import { UnmatchedQuestions, type QuestionGroup } from './group-questions.ts';
import {
  AGENT_CONNECTED, entryType, HANDOFF_REASONS, QUEUE_JOINED, readAssist, readEscalation, readFeedback, readHandoff, readTurn, TURN_OUTCOMES,
  type HandoffReason, type TurnOutcome,
} from './trail-entries.ts';

export type { QuestionGroup } from './group-questions.ts';
export type { HandoffReason, TurnOutcome } from './trail-entries.ts';

export interface CallTrail {
  callId: string;
  startedAt: number;
  trail: TrailEntry[];
}

export interface KnowledgeAnalyticsOptions {
  /** Calls that started at or after this instant (ms since epoch)… */
  from: number;
  /** …and before this one. */
  to: number;
  /** Unmatched-question groups returned, largest first (default 50, at most 1,000). */
  unmatchedLimit?: number;
  /** IANA time zone of the per-day series (default UTC). */
  timeZone?: string;
  /** The site's synonyms and stop words, so questions group as the matcher would read them. */
  lexicon?: Lexicon;
  /** Cosine similarity needed to join a group of unmatched questions (default 0.35). */
  similarity?: number;
  /** Most unmatched-question groups per language (default 2,000). */
  maxGroups?: number;
}

/** A ratio in 0..1 (4 decimals), or null when its denominator is 0. */
export type Rate = number | null;

export interface ArticleUsage {
  articleId: string;
  botAnswers: number;
  helped: number;
  notHelped: number;
  /** Low-confidence turns where this article ranked first: it nearly answered. */
  nearMisses: number;
  assistShown: number;
  assistOpened: number;
  assistHelpful: number;
}

export interface DayFigures {
  /** YYYY-MM-DD in the options' time zone. */
  day: string;
  calls: number;
  botCalls: number;
  contained: number;
  handedOff: number;
  questions: number;
  answered: number;
  unmatched: number;
  matchRate: Rate;
  containmentRate: Rate;
}

export interface KnowledgeAnalytics {
  range: { from: number; to: number; timeZone: string };
  /** All calls in range, with or without the bot. */
  calls: number;
  bot: {
    calls: number;
    turns: number;
    outcomes: Record<TurnOutcome, number>;
    questions: number;
    answered: number;
    matchRate: Rate;
    contained: number;
    handedOff: number;
    unresolved: number;
    reachedAgent: number;
    containmentRate: Rate;
    feedback: { helped: number; notHelped: number; helpedRate: Rate };
  };
  handoffs: { total: number; reasons: Record<HandoffReason | 'other', number> };
  /** Most used first (bot answers + assist shown), then near misses, then id. */
  articles: ArticleUsage[];
  /** Calls in which agent assist showed at least one article. */
  assistedCalls: number;
  /** Most frequent first; at most 100 phrases (`total` counts all). */
  escalations: { total: number; phrases: { phrase: string; count: number; caller: number; agent: number }[] };
  /** One row per day of the range (empty days included; ranges over 400 days list only days with calls). */
  days: DayFigures[];
  unmatched: { questions: number; groupCount: number; ungrouped: number; groups: QuestionGroup[] };
}

const MAX_PHRASES = 100;
const DEFAULT_UNMATCHED_LIMIT = 50;
const MAX_UNMATCHED_LIMIT = 1_000;

const rate = (part: number, whole: number): Rate => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const zeros = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;


interface DayCounts { calls: number; botCalls: number; contained: number; handedOff: number; questions: number; answered: number; unmatched: number }
const emptyDay = (): DayCounts => ({ calls: 0, botCalls: 0, contained: 0, handedOff: 0, questions: 0, answered: 0, unmatched: 0 });

export function analyzeKnowledge(calls: CallTrail[], options: KnowledgeAnalyticsOptions): KnowledgeAnalytics {
  const { from, to } = options;
  const timeZone = options.timeZone ?? 'UTC';
  const dayOf = dayFormatter(timeZone);
  const analyzer = createAnalyzer(options.lexicon);

  const result: KnowledgeAnalytics = {
    range: { from, to, timeZone },
    calls: 0,
    bot: {
      calls: 0, turns: 0, outcomes: zeros(TURN_OUTCOMES), questions: 0, answered: 0, matchRate: null,
      contained: 0, handedOff: 0, unresolved: 0, reachedAgent: 0, containmentRate: null,
      feedback: { helped: 0, notHelped: 0, helpedRate: null },
    },
    handoffs: { total: 0, reasons: zeros([...HANDOFF_REASONS, 'other'] as const) },
    articles: [],
    assistedCalls: 0,
    escalations: { total: 0, phrases: [] },
    days: [],
    unmatched: { questions: 0, groupCount: 0, ungrouped: 0, groups: [] },
  };
  const articles = new Map<string, ArticleUsage>();
  const article = (articleId: string) => {
    let usage = articles.get(articleId);
    if (!usage) articles.set(articleId, (usage = { articleId, botAnswers: 0, helped: 0, notHelped: 0, nearMisses: 0, assistShown: 0, assistOpened: 0, assistHelpful: 0 }));
    return usage;
  };
  const phrases = new Map<string, { phrase: string; count: number; caller: number; agent: number }>();
  const days = new Map<string, DayCounts>(daysBetween(from, to, dayOf).map((d) => [d, emptyDay()]));
  const unmatched = new UnmatchedQuestions();

  for (const call of Array.isArray(calls) ? calls : []) {
    if (typeof call !== 'object' || call === null) continue;
    const startedAt = call.startedAt;
    if (typeof startedAt !== 'number' || !Number.isFinite(startedAt) || startedAt < from || startedAt >= to) continue;
    const dayKey = dayOf(startedAt);
    let day = days.get(dayKey);
    if (!day) days.set(dayKey, (day = emptyDay()));
    result.calls++;
    day.calls++;

    const botCall = new BotCall();
    let agent = false;
    const assist = { shown: new Set<string>(), opened: new Set<string>(), helpful: new Set<string>() };
    for (const entry of Array.isArray(call.trail) ? call.trail : []) {
      const type = entryType(entry);
      if (type === undefined) continue;
      if (type === 'faq-turn') {
        const turn = readTurn(entry);
        if (!turn) continue;
        botCall.turn();
        result.bot.turns++;
        result.bot.outcomes[turn.outcome]++;
        if (turn.outcome === 'answered' || turn.outcome === 'low-confidence') {
          result.bot.questions++;
          day.questions++;
        }
        if (turn.outcome === 'answered') {
          result.bot.answered++;
          day.answered++;
          if (turn.articleId !== undefined) article(turn.articleId).botAnswers++;
        } else if (turn.outcome === 'low-confidence') {
          const top = turn.matches.reduce<(typeof turn.matches)[number] | undefined>((best, m) => (!best || m.confidence > best.confidence ? m : best), undefined);
          if (top) article(top.id).nearMisses++;
          if (unmatched.add(turn)) day.unmatched++;
        }
      } else if (type === 'faq-feedback') {
        const feedback = readFeedback(entry);
        if (!feedback) continue;
        botCall.feedback(feedback.helped);
        if (feedback.helped) { result.bot.feedback.helped++; article(feedback.articleId).helped++; }
        else { result.bot.feedback.notHelped++; article(feedback.articleId).notHelped++; }
      } else if (type === 'faq-handoff') {
        botCall.handoff();
        result.handoffs.total++;
        result.handoffs.reasons[readHandoff(entry).reason]++;
      } else if (type === 'faq-done') {
        botCall.done();
      } else if (type === QUEUE_JOINED) {
        botCall.reachedPeople();
      } else if (type === AGENT_CONNECTED) {
        if (botCall.isBotCall) agent = true;
        botCall.reachedPeople();
      } else if (type.startsWith('assist-')) {
        const event = readAssist(entry);
        if (event) assist[event.kind].add(event.articleId);
      } else if (type === 'escalation') {
        const escalation = readEscalation(entry);
        if (!escalation) continue;
        result.escalations.total++;
        let row = phrases.get(escalation.phrase);
        if (!row) phrases.set(escalation.phrase, (row = { phrase: escalation.phrase, count: 0, caller: 0, agent: 0 }));
        row.count++;
        if (escalation.leg) row[escalation.leg]++;
      }
    }

    for (const id of assist.shown) article(id).assistShown++;
    for (const id of assist.opened) article(id).assistOpened++;
    for (const id of assist.helpful) article(id).assistHelpful++;
    if (assist.shown.size > 0) result.assistedCalls++;

    const kind = botCall.outcome();
    if (kind === undefined) continue;
    result.bot.calls++;
    day.botCalls++;
    if (kind === 'contained') { result.bot.contained++; day.contained++; }
    else if (kind === 'handed-off') { result.bot.handedOff++; day.handedOff++; }
    else result.bot.unresolved++;
    if (agent) result.bot.reachedAgent++;
  }

  result.bot.matchRate = rate(result.bot.answered, result.bot.questions);
  result.bot.containmentRate = rate(result.bot.contained, result.bot.calls);
  result.bot.feedback.helpedRate = rate(result.bot.feedback.helped, result.bot.feedback.helped + result.bot.feedback.notHelped);
  const uses = (a: ArticleUsage) => a.botAnswers + a.assistShown;
  result.articles = [...articles.values()].sort((a, b) => uses(b) - uses(a) || b.nearMisses - a.nearMisses || compareText(a.articleId, b.articleId));
  result.escalations.phrases = [...phrases.values()].sort((a, b) => b.count - a.count || compareText(a.phrase, b.phrase)).slice(0, MAX_PHRASES);
  result.days = [...days]
    .sort(([a], [b]) => compareText(a, b))
    .map(([d, c]) => ({ day: d, ...c, matchRate: rate(c.answered, c.questions), containmentRate: rate(c.contained, c.botCalls) }));

  const grouped = unmatched.group({ analyzer, threshold: options.similarity, maxGroups: options.maxGroups });
  const asked = options.unmatchedLimit;
  const limit = typeof asked === 'number' && Number.isFinite(asked) ? Math.min(Math.max(Math.floor(asked), 0), MAX_UNMATCHED_LIMIT) : DEFAULT_UNMATCHED_LIMIT;
  result.unmatched = { questions: unmatched.size, groupCount: grouped.groups.length, ungrouped: grouped.ungrouped, groups: grouped.groups.slice(0, limit) };
  return result;
}
