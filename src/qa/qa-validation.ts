// Checking what reviewers and admins send, pure: criteria lists and evaluations against them.
// Every problem names its field (`criteria.2.weight`, `scores.greeting`), all at once.
import { invalid, type QaIssue } from './qa-errors.ts';
import { QA_LANGUAGES, type Criterion } from './qa-types.ts';

export const CRITERION_ID = /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/;
export const MAX_CRITERIA = 50;
export const MAX_LABEL = 200;
export const MAX_WEIGHT = 100;
export const MAX_SCORE = 100;
export const MAX_COMMENT = 4000;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A criteria list as sent (PUT /qa/criteria) → the list, or QA_INVALID naming every bad field. */
export function parseCriteria(input: unknown): Criterion[] {
  const issues: QaIssue[] = [];
  if (!Array.isArray(input)) throw invalid([{ field: 'criteria', message: 'must be a list' }]);
  if (input.length === 0) issues.push({ field: 'criteria', message: 'needs at least one criterion' });
  if (input.length > MAX_CRITERIA) issues.push({ field: 'criteria', message: `at most ${MAX_CRITERIA} criteria` });
  const seen = new Set<string>();
  const criteria: Criterion[] = [];
  input.slice(0, MAX_CRITERIA).forEach((raw, i) => {
    const at = `criteria.${i}`;
    if (!isObject(raw)) return void issues.push({ field: at, message: 'must be an object' });
    const { id, label, weight, maxScore } = raw;
    if (typeof id !== 'string' || !CRITERION_ID.test(id) || id.length > 64) issues.push({ field: `${at}.id`, message: 'must be a slug of a-z, 0-9, - and _ (at most 64)' });
    else if (seen.has(id)) issues.push({ field: `${at}.id`, message: `${id} is used twice` });
    else seen.add(id);
    if (!isObject(label)) issues.push({ field: `${at}.label`, message: `must have a text for each of ${QA_LANGUAGES.join(', ')}` });
    else {
      for (const lang of QA_LANGUAGES) {
        const text = label[lang];
        if (typeof text !== 'string' || !text.trim() || text.length > MAX_LABEL) issues.push({ field: `${at}.label.${lang}`, message: `must be a text of 1 to ${MAX_LABEL} characters` });
      }
    }
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight <= 0 || weight > MAX_WEIGHT) issues.push({ field: `${at}.weight`, message: `must be a number above 0 and at most ${MAX_WEIGHT}` });
    if (typeof maxScore !== 'number' || !Number.isInteger(maxScore) || maxScore < 1 || maxScore > MAX_SCORE) issues.push({ field: `${at}.maxScore`, message: `must be a whole number from 1 to ${MAX_SCORE}` });
    if (isObject(label)) {
      criteria.push({ id: String(id), label: { en: String(label.en ?? '').trim(), 'zh-CN': String(label['zh-CN'] ?? '').trim() }, weight: Number(weight), maxScore: Number(maxScore) });
    }
  });
  if (issues.length) throw invalid(issues);
  return criteria;
}

export interface Scored {
  scores: Record<string, number>;
  comment: string;
  total: number;
  maxTotal: number;
  percent: number;
}

/**
 * Scores against the criteria: every criterion scored, a whole number from 0 to its maxScore, no
 * score for a criterion that does not exist. The total is computed here, never taken from the client.
 */
export function scoreEvaluation(criteria: readonly Criterion[], input: { scores?: unknown; comment?: unknown }): Scored {
  const issues: QaIssue[] = [];
  const scores: Record<string, number> = {};
  if (!isObject(input.scores)) throw invalid([{ field: 'scores', message: 'must be an object of criterion id → score' }]);
  const given = input.scores;
  const known = new Map(criteria.map((c) => [c.id, c]));
  for (const id of Object.keys(given)) if (!known.has(id)) issues.push({ field: `scores.${id}`, message: 'no such criterion' });
  let total = 0, maxTotal = 0;
  for (const c of criteria) {
    const score = given[c.id];
    maxTotal += c.weight * c.maxScore;
    if (score === undefined) issues.push({ field: `scores.${c.id}`, message: 'is missing: every criterion needs a score' });
    else if (typeof score !== 'number' || !Number.isInteger(score) || score < 0 || score > c.maxScore) issues.push({ field: `scores.${c.id}`, message: `must be a whole number from 0 to ${c.maxScore}` });
    else {
      scores[c.id] = score;
      total += c.weight * score;
    }
  }
  const comment = input.comment ?? '';
  if (typeof comment !== 'string' || comment.length > MAX_COMMENT) issues.push({ field: 'comment', message: `must be a text of at most ${MAX_COMMENT} characters` });
  if (issues.length) throw invalid(issues);
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return { scores, comment: (comment as string).trim(), total: round(total), maxTotal: round(maxTotal), percent: maxTotal > 0 ? Math.round((total / maxTotal) * 1000) / 10 : 0 };
}

/** A comment's text: not empty, not huge. */
export function parseCommentText(text: unknown): string {
  if (typeof text !== 'string' || !text.trim() || text.length > MAX_COMMENT) throw invalid([{ field: 'text', message: `must be a text of 1 to ${MAX_COMMENT} characters` }]);
  return text.trim();
}
