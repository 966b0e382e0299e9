import test from 'ava';
import { checkArticle, isActiveAt, LIMITS } from './article.ts';
import { sampleArticle } from './testing-articles.ts';

const pathsOf = (value: unknown) => {
  const check = checkArticle(value);
  return check.ok ? [] : check.issues.map((i) => i.path);
};

test('given a minimal article, when checked, then list fields and the agent script default to empty', (t) => {
  const { similarQuestions, keywords, agentScript, categoryPath, tags, ...minimal } = sampleArticle();
  const check = checkArticle(minimal);
  t.true(check.ok);
  if (check.ok) t.like(check.article, { similarQuestions: [], keywords: [], agentScript: '', categoryPath: [], tags: [] });
});

test('given surrounding spaces and CRLF, when checked, then single-line fields are trimmed and texts use LF', (t) => {
  const check = checkArticle(sampleArticle({ title: '  Refunds  ', answer: 'a\r\nb\rc' }));
  t.true(check.ok);
  if (check.ok) t.like(check.article, { title: 'Refunds', answer: 'a\nb\nc' });
});

test('given several bad fields, when checked, then every problem names its field path', (t) => {
  const paths = pathsOf(
    sampleArticle({ id: 'Not A Slug', similarQuestions: ['ok', '', 'x'.repeat(LIMITS.question + 1)], language: 'fr' as 'en', validFrom: '2026-02-01', validUntil: '2026-01-01' }),
  );
  t.deepEqual(paths.sort(), ['id', 'language', 'similarQuestions.1', 'similarQuestions.2', 'validUntil'].sort());
});

test('given an unknown field, when checked, then the error names that field', (t) => {
  const check = checkArticle({ ...sampleArticle(), colour: 'red' });
  t.false(check.ok);
  if (!check.ok) t.deepEqual(check.issues, [{ path: 'colour', message: 'unknown field' }]);
});

test('given too many similar questions or a 1 MB answer, when checked, then the limits are reported', (t) => {
  t.deepEqual(pathsOf(sampleArticle({ similarQuestions: Array.from({ length: 501 }, (_, i) => `q${i}`) })), ['similarQuestions']);
  t.deepEqual(pathsOf(sampleArticle({ answer: 'x'.repeat(1_000_000) })), ['answer']);
});

test('given control characters or a line break in a title, when checked, then it is rejected', (t) => {
  t.deepEqual(pathsOf(sampleArticle({ title: 'bin\u0001ary' })), ['title']);
  t.deepEqual(pathsOf(sampleArticle({ title: 'two\nlines' })), ['title']);
  t.deepEqual(pathsOf(sampleArticle({ answer: 'nul\u0000' })), ['answer']);
});

test('given audio references, when checked, then only relative paths per known language pass', (t) => {
  t.deepEqual(pathsOf(sampleArticle({ answerAudio: { en: 'audio/a.wav' } })), []);
  t.deepEqual(pathsOf(sampleArticle({ answerAudio: { en: '../etc/passwd' } })), ['answerAudio.en']);
  t.deepEqual(pathsOf(sampleArticle({ answerAudio: { en: '/abs.wav' } })), ['answerAudio.en']);
  t.is(pathsOf(sampleArticle({ answerAudio: { fr: 'a.wav' } as never })).length, 1);
});

test('given dates, when checking validity, then date-only bounds cover whole UTC days', (t) => {
  const a = { validFrom: '2026-01-01', validUntil: '2026-01-31' };
  t.false(isActiveAt(a, new Date('2025-12-31T23:59:59Z')));
  t.true(isActiveAt(a, new Date('2026-01-01T00:00:00Z')));
  t.true(isActiveAt(a, new Date('2026-01-31T23:59:59Z')));
  t.false(isActiveAt(a, new Date('2026-02-01T00:00:00Z')));
  t.true(isActiveAt({}, new Date(0)));
  t.deepEqual(pathsOf(sampleArticle({ validFrom: '2026-13-45' })), ['validFrom']);
  t.deepEqual(pathsOf(sampleArticle({ validFrom: '2026-01-01T10:00:00+08:00', validUntil: '2026-01-01T10:00:00+08:00' })), []);
});
