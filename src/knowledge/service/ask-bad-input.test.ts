// Hostile questions through `ask`: each gives a well-formed answer, never a throw or a hang.
import test from 'ava';
import type { ArticleLanguage } from '../base/index.ts';
import type { KnowledgeAnswer } from './knowledge-service.ts';
import { publishedHarness } from './testing-knowledge.ts';

const { service } = await publishedHarness();

function wellFormed(t: { true(v: boolean, m?: string): void; is(a: unknown, b: unknown, m?: string): void }, answer: KnowledgeAnswer, label: string) {
  t.is(typeof answer.outOfScope, 'boolean', label);
  t.true(Array.isArray(answer.matches) && answer.matches.length <= 50, label);
  t.true(Number.isFinite(answer.ms) && answer.ms >= 0, label);
  t.true(Array.isArray(answer.warnings), label);
  for (const m of answer.matches) t.true(m.confidence >= 0 && m.confidence <= 1 && typeof m.article.id === 'string', label);
}

test('given an empty or blank question, when asked, then it is out of scope with "the question is empty"', (t) => {
  for (const text of ['', '   ', '\n\t', '\u0000\u0000', '\ufeff \u3000']) {
    for (const language of ['en', 'zh-CN'] as const) {
      t.deepEqual(service.ask(text, language), { outOfScope: true, matches: [], ms: 0, warnings: ['the question is empty'] });
    }
  }
});

test('given a 1 MB question, when asked, then only its start is matched and a warning says so', (t) => {
  const en = service.ask('refund '.repeat(150_000), 'en');
  t.is(en.matches[0]?.article.id, 'refund');
  t.true(en.warnings.some((w) => w.includes('truncated')));
  const zh = service.ask('我要退款'.repeat(262_144), 'zh-CN');
  t.is(zh.matches[0]?.article.id, 'zh-refund');
  t.true(zh.warnings.some((w) => w.includes('truncated')));
});

test('given binary data as the question, when asked, then the answer is well formed', (t) => {
  const bytes = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256);
  for (const text of [new TextDecoder('latin1').decode(bytes), new TextDecoder('utf-8').decode(bytes), Buffer.from(bytes).toString('binary')]) {
    for (const language of ['en', 'zh-CN'] as const) wellFormed(t, service.ask(text, language), 'binary');
  }
});

test('given emoji, regex-heavy, mixed-script and injection-like questions, when asked, then each answer is well formed', (t) => {
  const hostile = [
    '😀😃😄🙏🏽👨‍👩‍👧‍👦', '😀 refund 🙏🏽', '(a+)+$'.repeat(2000), '(?:(?:a*)*)*b', '.*.*.*.*=.*', '[[[[[[', '\\'.repeat(5000), '$1$2$&',
    '退款 refund पैसा возврат استرداد', '\ud800\udfff\ud800', '\u200b\u200d', '<script>alert(1)</script>', "'; DROP TABLE articles; --", '%s%s%n', '__proto__', 'constructor',
  ];
  for (const text of hostile) for (const language of ['en', 'zh-CN'] as const) wellFormed(t, service.ask(text, language), text.slice(0, 20));
  t.is(service.ask('😀 I want a refund 🙏🏽', 'en').matches[0]?.article.id, 'refund');
});

test('given bad arguments at runtime, when asked, then the answer is well formed and says what was wrong', (t) => {
  t.deepEqual(service.ask('refund', 'fr' as ArticleLanguage).warnings, ['unknown language "fr" (known: zh-CN, en)']);
  t.true(service.ask(undefined as unknown as string, 'en').outOfScope);
  t.true(service.ask(42 as unknown as string, 'en').outOfScope);
  for (const limit of [Number.NaN, Infinity, -5, 0, 1.5, 10_000]) wellFormed(t, service.ask('refund', 'en', limit), `limit ${limit}`);
  t.is(service.ask('refund', 'en', 1).matches.length, 1);
  t.is(service.ask('refund', 'en', Number.NaN).matches.length, 3);
});
