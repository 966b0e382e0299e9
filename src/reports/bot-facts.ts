// What one call's trail says about the voice FAQ bot, by knowledge analytics' definitions (see
// src/knowledge/analytics/knowledge-analytics.ts): the same entry readers, the same rules for
// "bot call", contained / handed off / unresolved, question and answered turns, and unmatched
// questions (low-confidence turns with text). Both fold the call's outcome with BotCall; this is
// the fold for one call, so a report can keep it in a rollup. bot-facts.test.ts checks both
// agree on the same trails.
import type { TrailEntry } from '../calls/call-types.ts';
import { BotCall, type BotOutcome } from '../knowledge/analytics/bot-call.ts';
import { AGENT_CONNECTED, entryType, QUEUE_JOINED, readFeedback, readTurn, type ArticleMatch, type BotLanguage } from '../knowledge/analytics/trail-entries.ts';

export type { BotOutcome };

export interface UnmatchedQuestion {
  text: string;
  language: BotLanguage;
  at: number | undefined;
  matches: ArticleMatch[];
}

export interface BotFacts {
  outcome: BotOutcome;
  /** Turns the matcher had to answer ('answered' and 'low-confidence'). */
  questions: number;
  /** Of those, turns it answered. */
  answered: number;
  /** Low-confidence turns with text, for the "top unmatched questions" list. */
  unmatched: UnmatchedQuestion[];
}

/**
 * Whether UnmatchedQuestions would take the text: it keys questions with case, punctuation and
 * spacing removed, and refuses an empty key (analytics counts only the questions it took).
 */
const groupable = (text: string) => /[^\p{P}\p{S}\s]/u.test(text);

/** Undefined when the call never met the bot (no well-formed faq-* entry). */
export function botFactsOf(trail: readonly TrailEntry[]): BotFacts | undefined {
  const botCall = new BotCall();
  let questions = 0, answered = 0;
  const unmatched: UnmatchedQuestion[] = [];
  for (const entry of trail) {
    const type = entryType(entry);
    if (type === undefined) continue;
    if (type === 'faq-turn') {
      const turn = readTurn(entry);
      if (!turn) continue;
      botCall.turn();
      if (turn.outcome === 'answered' || turn.outcome === 'low-confidence') questions++;
      if (turn.outcome === 'answered') answered++;
      else if (turn.outcome === 'low-confidence' && groupable(turn.text)) unmatched.push({ text: turn.text, language: turn.language, at: turn.at, matches: turn.matches });
    } else if (type === 'faq-feedback') {
      const feedback = readFeedback(entry);
      if (feedback) botCall.feedback(feedback.helped);
    } else if (type === 'faq-handoff') {
      botCall.handoff();
    } else if (type === 'faq-done') {
      botCall.done();
    } else if (type === QUEUE_JOINED || type === AGENT_CONNECTED) {
      botCall.reachedPeople();
    }
  }
  const outcome = botCall.outcome();
  return outcome === undefined ? undefined : { outcome, questions, answered, unmatched };
}
