import test from 'ava';
import { buildMatcher, MatcherError } from './matcher.ts';
import { CHINESE_KB, ENGLISH_KB } from './testing-kb.ts';

const en = buildMatcher(ENGLISH_KB, { outOfScopeValidation: ['what is the capital of france', 'tell me a joke', 'play some music', 'how tall is mount everest'] });
const zh = buildMatcher(CHINESE_KB, { outOfScopeValidation: ['今天天气怎么样', '给我讲个笑话', '播放一首歌', '北京到上海多远'] });
const top = (r: ReturnType<typeof en.match>) => r.results[0]?.id;

test('given English questions never seen in training, when matched, then the right article ranks first', (t) => {
  t.is(top(en.match('I need to reset the password on my account', { language: 'en' })), 'reset-password');
  t.is(top(en.match('give me my money back for this order', { language: 'en' })), 'refund');
  t.is(top(en.match('someone charged my credit card twice', { language: 'en' })), 'billing-charge');
  t.is(top(en.match('is the shop open on sundays', { language: 'en' })), 'opening-hours');
  t.is(top(en.match('please cancel my monthly subscription', { language: 'en' })), 'cancel-subscription');
  t.is(top(en.match('my parcel still has not arrived', { language: 'en' })), 'delivery-status');
});

test('given a noisy transcript with misrecognised words, when matched, then char n-grams still find the article', (t) => {
  t.is(top(en.match('i forgot my pasword', { language: 'en' })), 'reset-password');
  t.is(top(en.match('wear is my pakage', { language: 'en' })), 'delivery-status');
});

test('given a synonym variant, when matched, then it ranks like the canonical form', (t) => {
  t.is(top(en.match('unknown charge on my cc', { language: 'en' })), 'billing-charge');
});

test('given Chinese questions never seen in training, when matched, then the right article ranks first', (t) => {
  t.is(top(zh.match('我的密码忘了', { language: 'zh-CN' })), 'zh-reset-password');
  t.is(top(zh.match('退款多久能到账', { language: 'zh-CN' })), 'zh-refund');
  t.is(top(zh.match('话费怎么这么贵', { language: 'zh-CN' })), 'zh-phone-bill');
  t.is(top(zh.match('家里宽带网速很慢', { language: 'zh-CN' })), 'zh-broadband');
  t.is(top(zh.match('营业厅星期天开门吗', { language: 'zh-CN' })), 'zh-opening-hours');
  t.is(top(zh.match('帮我换一个便宜的流量套餐', { language: 'zh-CN' })), 'zh-change-plan');
});

test('given a Chinese STT error (homophone), when matched, then character grams still find the article', (t) => {
  // 话费 misheard as 花费
  t.is(top(zh.match('这个月花费为什么这么高', { language: 'zh-CN' })), 'zh-phone-bill');
});

test('given a question no article answers, when matched, then the answer is out of scope', (t) => {
  t.true(en.match('what is the weather like on mars', { language: 'en' }).outOfScope);
  t.true(en.match('xyzzy qwerty', { language: 'en' }).outOfScope);
  t.true(zh.match('火星上的天气怎么样', { language: 'zh-CN' }).outOfScope);
});

test('given an in-scope question, when matched, then it is not out of scope and the confidence is a probability', (t) => {
  const r = en.match('how do I reset my password', { language: 'en' });
  t.false(r.outOfScope);
  t.true(r.results[0]!.confidence > 0.5 && r.results[0]!.confidence <= 1);
  t.true(r.results.every((x, i) => i === 0 || x.score <= r.results[i - 1]!.score));
});

test('given a match, when explained, then it names the matched terms and the closest similar question', (t) => {
  const r = en.match('how can I get a refund', { language: 'en', limit: 2 });
  t.is(r.results.length, 2);
  const e = r.results[0]!.explanation;
  t.true(e.matchedTerms.includes('refund'));
  t.truthy(e.closestQuestion?.text);
  t.true(e.closestQuestion!.similarity > 0);
});

test('given the same articles and seed, when built twice, then the rankings are identical', (t) => {
  const again = buildMatcher(ENGLISH_KB, { outOfScopeValidation: ['what is the capital of france', 'tell me a joke', 'play some music', 'how tall is mount everest'] });
  const q = 'refund for a double charge';
  t.deepEqual(again.match(q, { language: 'en' }).results, en.match(q, { language: 'en' }).results);
  t.deepEqual(again.stats().calibration, en.stats().calibration);
});

test('given a KB in both languages, when matched with a language, then only that language answers', (t) => {
  const both = buildMatcher([...ENGLISH_KB, ...CHINESE_KB]);
  const r = both.match('refund 退款', { language: 'en', limit: 5 });
  t.true(r.results.every((x) => !x.id.startsWith('zh-')));
  t.deepEqual(both.stats().languages, ['en', 'zh-CN']);
});

test('given keywords, when matched on a keyword, then the article ranks first', (t) => {
  t.is(top(en.match('password reset', { language: 'en' })), 'reset-password');
});

test('given two articles with one id, when built, then it fails with a stable code', (t) => {
  const err = t.throws(() => buildMatcher([ENGLISH_KB[0]!, ENGLISH_KB[0]!]), { instanceOf: MatcherError });
  t.is(err?.code, 'KB_DUPLICATE_ARTICLE');
});

test('given an empty KB, when matched, then the answer is out of scope', (t) => {
  const r = buildMatcher([]).match('anything');
  t.true(r.outOfScope);
  t.deepEqual(r.results, []);
});

test('given the built matcher, when stats are asked, then they describe it', (t) => {
  const s = en.stats();
  t.is(s.articles, 6);
  t.true(s.questions >= 36);
  t.true(s.vocabulary > 100);
  t.true(s.calibration.temperature > 0);
});
