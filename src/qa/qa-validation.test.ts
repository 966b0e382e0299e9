import test from 'ava';
import { QaError } from './qa-errors.ts';
import { parseCommentText, parseCriteria, scoreEvaluation } from './qa-validation.ts';
import type { Criterion } from './qa-types.ts';

const criteria: Criterion[] = [
  { id: 'greeting', label: { en: 'Greeting', 'zh-CN': '问候' }, weight: 1, maxScore: 5 },
  { id: 'resolution', label: { en: 'Resolution', 'zh-CN': '解决' }, weight: 3, maxScore: 10 },
];
const fields = (fn: () => unknown) => {
  const error = (() => { try { fn(); } catch (e) { return e; } return undefined; })();
  if (!(error instanceof QaError)) throw new Error('expected a QaError');
  return error.issues.map((i) => i.field);
};

test('given scores for every criterion, when scored, then the weighted total and percentage are computed here', (t) => {
  const scored = scoreEvaluation(criteria, { scores: { greeting: 4, resolution: 5 }, comment: '  fine  ' });
  t.deepEqual(scored, { scores: { greeting: 4, resolution: 5 }, comment: 'fine', total: 1 * 4 + 3 * 5, maxTotal: 1 * 5 + 3 * 10, percent: 54.3 });
  t.like(scoreEvaluation(criteria, { scores: { greeting: 0, resolution: 0 } }), { total: 0, percent: 0, comment: '' });
  t.like(scoreEvaluation(criteria, { scores: { greeting: 5, resolution: 10 } }), { total: 35, percent: 100 });
});

test('given unknown criteria, scores out of range, missing ones and a bad comment, when scored, then every field is named', (t) => {
  t.deepEqual(fields(() => scoreEvaluation(criteria, { scores: { greeting: 6, bogus: 1 }, comment: 7 })), ['scores.bogus', 'scores.greeting', 'scores.resolution', 'comment']);
  t.deepEqual(fields(() => scoreEvaluation(criteria, { scores: { greeting: -1, resolution: 2.5 } })), ['scores.greeting', 'scores.resolution']);
  t.deepEqual(fields(() => scoreEvaluation(criteria, { scores: { greeting: '3', resolution: null } })), ['scores.greeting', 'scores.resolution']);
  t.deepEqual(fields(() => scoreEvaluation(criteria, { scores: [1, 2] })), ['scores']);
  t.deepEqual(fields(() => scoreEvaluation(criteria, { scores: { greeting: 1, resolution: 1 }, comment: 'x'.repeat(4001) })), ['comment']);
});

test('given a criteria list, when parsed, then good ones pass trimmed and every bad field is named', (t) => {
  t.deepEqual(parseCriteria([{ id: 'a-1', label: { en: ' Hi ', 'zh-CN': '你好' }, weight: 0.5, maxScore: 3 }]), [{ id: 'a-1', label: { en: 'Hi', 'zh-CN': '你好' }, weight: 0.5, maxScore: 3 }]);
  t.deepEqual(fields(() => parseCriteria([
    { id: 'Bad Id', label: { en: 'x', 'zh-CN': '' }, weight: 0, maxScore: 1.5 },
    { id: 'dup', label: { en: 'x', 'zh-CN': 'x' }, weight: 1, maxScore: 5 },
    { id: 'dup', label: 'x', weight: 101, maxScore: 0 },
    'not an object',
  ])), ['criteria.0.id', 'criteria.0.label.zh-CN', 'criteria.0.weight', 'criteria.0.maxScore', 'criteria.2.id', 'criteria.2.label', 'criteria.2.weight', 'criteria.2.maxScore', 'criteria.3']);
  t.deepEqual(fields(() => parseCriteria([])), ['criteria']);
  t.deepEqual(fields(() => parseCriteria({})), ['criteria']);
  t.deepEqual(fields(() => parseCriteria(Array.from({ length: 51 }, (_, i) => ({ id: `c${i}`, label: { en: 'x', 'zh-CN': 'x' }, weight: 1, maxScore: 1 })))), ['criteria']);
});

test('given comment texts, when parsed, then empty and huge ones are refused naming text', (t) => {
  t.is(parseCommentText('  ok '), 'ok');
  for (const bad of ['', '   ', 'x'.repeat(4001), 3, undefined]) t.deepEqual(fields(() => parseCommentText(bad)), ['text']);
});
