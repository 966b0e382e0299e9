// "Top unmatched questions" from rollups. Each 15-minute and hour bucket keeps the distinct
// unmatched questions asked in it (exact wording and language), with how often, when last, and
// per article how often it ranked first and its best confidence. A report merges the buckets of
// its range and replays them into knowledge analytics' UnmatchedQuestions, which groups them by
// similarity exactly as `deskline kb analytics` does (same analyser, threshold and caps).
//
// The replay is exact: a wording asked c times whose articles ranked first t₁, t₂, … times is
// added t₁ times with only article 1 (at its best confidence), t₂ times with only article 2, …,
// and the rest with no article; an article that never ranked first rides along on a replay of
// the article with the highest best confidence, below which it always stayed. (Only an exact tie
// of confidences, broken by article id, can then rank differently.)
//
// Day buckets keep no questions (a busy day's distinct wordings make a large row to rewrite as
// each call ends): ranges are read from hour and quarter buckets.
import type { Analyzer } from '../knowledge/matcher/analyze.ts';
import { UnmatchedQuestions, type QuestionGroup } from '../knowledge/analytics/group-questions.ts';
import type { BotLanguage } from '../knowledge/analytics/trail-entries.ts';
import type { UnmatchedQuestion } from './bot-facts.ts';

export interface StoredQuestion {
  text: string;
  language: BotLanguage;
  count: number;
  lastAt: number | null;
  /** article id → [times ranked first, best confidence]. */
  articles: Record<string, [number, number]>;
}

export interface UnmatchedRow {
  /** `${language} ${text}` → the wording's tally. */
  questions: Record<string, StoredQuestion>;
  /** Questions not kept because the bucket already held MAX_WORDINGS_PER_BUCKET wordings. */
  notKept: number;
}

/** Distinct wordings one bucket keeps; a 15-minute or hour bucket rarely comes near. */
export const MAX_WORDINGS_PER_BUCKET = 1_000;

export const emptyUnmatchedRow = (): UnmatchedRow => ({ questions: {}, notKept: 0 });

const keyOf = (q: { language: string; text: string }) => `${q.language} ${q.text}`;

/** The article that ranked first in one asking: highest confidence, then smallest id (as UnmatchedQuestions decides). */
function topOf(matches: UnmatchedQuestion['matches']): string | undefined {
  let top: UnmatchedQuestion['matches'][number] | undefined;
  for (const m of matches) if (!top || m.confidence > top.confidence || (m.confidence === top.confidence && m.id < top.id)) top = m;
  return top?.id;
}

/**
 * Adds (sign 1) or takes back (sign −1) one call's unmatched questions. Taking back leaves best
 * confidences and last-asked times as they were: a maximum cannot be undone.
 */
export function addQuestions(row: UnmatchedRow, questions: readonly UnmatchedQuestion[], sign: 1 | -1 = 1): void {
  for (const q of questions) {
    const key = keyOf(q);
    let stored = row.questions[key];
    if (!stored) {
      if (sign < 0) continue;
      if (Object.keys(row.questions).length >= MAX_WORDINGS_PER_BUCKET) {
        row.notKept += 1;
        continue;
      }
      stored = row.questions[key] = { text: q.text, language: q.language, count: 0, lastAt: null, articles: {} };
    }
    stored.count += sign;
    if (sign > 0 && q.at !== undefined) stored.lastAt = Math.max(stored.lastAt ?? q.at, q.at);
    const top = topOf(q.matches);
    for (const m of q.matches) {
      const tally = (stored.articles[m.id] ??= [0, m.confidence]);
      if (sign > 0) tally[1] = Math.max(tally[1], m.confidence);
    }
    if (top !== undefined) stored.articles[top]![0] += sign;
    if (stored.count <= 0) delete row.questions[key];
  }
}

/** Sums buckets' tallies by wording (in place into `into`). */
export function mergeUnmatched(into: Map<string, StoredQuestion>, row: UnmatchedRow): void {
  for (const [key, q] of Object.entries(row.questions)) {
    const sum = into.get(key);
    if (!sum) {
      into.set(key, { ...q, articles: Object.fromEntries(Object.entries(q.articles).map(([id, t]) => [id, [t[0], t[1]]])) });
      continue;
    }
    sum.count += q.count;
    if (q.lastAt !== null) sum.lastAt = Math.max(sum.lastAt ?? q.lastAt, q.lastAt);
    for (const [id, [top, best]] of Object.entries(q.articles)) {
      const tally = (sum.articles[id] ??= [0, best]);
      tally[0] += top;
      tally[1] = Math.max(tally[1], best);
    }
  }
}

export interface UnmatchedReport {
  /** Unmatched questions asked in range (kept ones). */
  questions: number;
  notKept: number;
  groupCount: number;
  ungrouped: number;
  groups: QuestionGroup[];
}

/** Groups the merged wordings as knowledge analytics would group the original questions. */
export function groupUnmatched(merged: Map<string, StoredQuestion>, options: { analyzer: Analyzer; limit: number; notKept: number; threshold?: number; maxGroups?: number }): UnmatchedReport {
  const questions = new UnmatchedQuestions();
  for (const q of merged.values()) {
    const at = q.lastAt ?? undefined;
    const ranked = Object.entries(q.articles).filter(([, [top]]) => top > 0).sort((a, b) => b[1][1] - a[1][1] || (a[0] < b[0] ? -1 : 1));
    const riders = Object.entries(q.articles).filter(([, [top]]) => top <= 0).map(([id, [, best]]) => ({ id, confidence: best }));
    let replayed = 0;
    ranked.forEach(([id, [top, best]], i) => {
      for (let k = 0; k < top; k++) {
        questions.add({ text: q.text, language: q.language, at, matches: i === 0 && k === 0 ? [{ id, confidence: best }, ...riders] : [{ id, confidence: best }] });
      }
      replayed += top;
    });
    const matchless = ranked.length === 0 ? riders : [];
    for (; replayed < q.count; replayed++) questions.add({ text: q.text, language: q.language, at, matches: replayed === 0 ? matchless : [] });
  }
  const grouped = questions.group({ analyzer: options.analyzer, threshold: options.threshold, maxGroups: options.maxGroups });
  return { questions: questions.size, notKept: options.notKept, groupCount: grouped.groups.length, ungrouped: grouped.ungrouped, groups: grouped.groups.slice(0, options.limit) };
}
