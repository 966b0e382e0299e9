// Fuzz and hostile input: nothing may throw or hang, and nothing user-provided becomes a regex.
import test from 'ava';
import { buildMatcher } from './matcher.ts';
import { seededRandom } from './softmax-model.ts';
import { CHINESE_KB, ENGLISH_KB } from './testing-kb.ts';

const matcher = buildMatcher([...ENGLISH_KB, ...CHINESE_KB]);

const HOSTILE = [
  '', ' ', '\u0000\u0000', '(a+)+$'.repeat(1000), '(?:(?:a*)*)*b', '.*.*.*.*=.*', '[[[[[[', '\\'.repeat(5000), '$1$2$&',
  '😀😃😄 refund 🙏🏽👨‍👩‍👧‍👦', '退款 refund पैसा возврат استرداد', '\ud800\udfff\ud800', '\ufeff\u200b\u200d', 'a'.repeat(100_000),
  'x'.repeat(2_000_000), '我'.repeat(500_000), '<script>alert(1)</script>', "'; DROP TABLE articles; --", '%s%s%n', '__proto__', 'constructor',
];

test('given hostile queries, when matched, then each returns a well-formed answer', (t) => {
  for (const q of HOSTILE) {
    for (const language of ['en', 'zh-CN'] as const) {
      const r = matcher.match(q, { language });
      t.true(Array.isArray(r.results));
      t.is(typeof r.outOfScope, 'boolean');
      t.true(Number.isFinite(r.ms));
      for (const x of r.results) t.true(x.confidence >= 0 && x.confidence <= 1);
    }
  }
});

test('given a 1 MB query, when matched, then it is truncated and the answer says so', (t) => {
  const r = matcher.match('refund '.repeat(150_000), { language: 'en' });
  t.true(r.truncated);
  t.true(r.warnings.some((w) => w.includes('truncated')));
  t.is(r.results[0]?.id, 'refund');
});

test('given random binary and random code points, when matched, then nothing throws', (t) => {
  const random = seededRandom(42);
  for (let i = 0; i < 300; i++) {
    const length = Math.floor(random() * 400);
    let s = '';
    for (let k = 0; k < length; k++) {
      const pick = random();
      s += pick < 0.3 ? String.fromCharCode(Math.floor(random() * 0x10000)) : pick < 0.6 ? String.fromCodePoint(Math.floor(random() * 0x10ffff)) : ' refund 退款 (*+?[]{}'[Math.floor(random() * 20)]!;
    }
    const r = matcher.match(s, { language: random() < 0.5 ? 'en' : 'zh-CN', limit: Math.floor(random() * 100) - 10 });
    t.true(r.results.length <= 50);
  }
  t.pass();
});

test('given hostile training questions, when built, then the matcher still works', (t) => {
  const m = buildMatcher([
    { id: 'a', language: 'en', questions: HOSTILE.slice(0, 10) },
    { id: 'b', language: 'zh-CN', questions: ['退款', '(a+)+$', '😀'] },
    { id: 'c', language: 'en', questions: [] },
  ]);
  t.is(typeof m.match('(a+)+$').outOfScope, 'boolean');
});

test('given a non-string query at runtime, when matched, then it is treated as empty', (t) => {
  const r = matcher.match(undefined as unknown as string);
  t.true(r.outOfScope);
});
