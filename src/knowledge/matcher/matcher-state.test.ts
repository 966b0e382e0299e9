import test from 'ava';
import { buildMatcher, matcherFromState, trainMatcher, type Article, type MatcherOptions } from './matcher.ts';
import { transferablesOf } from './matcher-state.ts';
import { CHINESE_KB, ENGLISH_KB } from './testing-kb.ts';

const QUERIES: [string, 'en' | 'zh-CN'][] = [
  ['I need to reset the password on my account', 'en'], ['wear is my pakage', 'en'], ['what is the weather on mars', 'en'], ['refund 退款', 'en'],
  ['我的密码忘了', 'zh-CN'], ['这个月花费为什么这么高', 'zh-CN'], ['火星上的天气怎么样', 'zh-CN'], ['WiFi连不上', 'zh-CN'],
];
const OOS = ['what is the capital of france', 'tell me a joke', '今天天气怎么样', '给我讲个笑话'];
const answers = (m: ReturnType<typeof buildMatcher>) => QUERIES.map(([q, language]) => { const { ms, ...r } = m.match(q, { language, limit: 5 }); return r; });

/** A state moved to another thread and back, as the snapshot worker moves it: transferred, not copied. */
function moved<T>(state: T, transfer: ArrayBuffer[]): T {
  return structuredClone(state, { transfer });
}

for (const [name, options] of [
  ['a dense model', { outOfScopeValidation: OOS }],
  // Forced sparse (as a 10k-article KB is): the support lists, the bias-baseline calibration.
  ['a sparse model', { outOfScopeValidation: OOS, training: { denseBudget: 0 } }],
] as [string, MatcherOptions][]) {
  test(`given ${name} trained to a state, when the state is transferred and served, then it answers exactly as the matcher built in one go`, (t) => {
    const kb: Article[] = [...ENGLISH_KB, ...CHINESE_KB];
    const direct = buildMatcher(kb, options);
    const state = trainMatcher(kb, options);
    const served = matcherFromState(moved(state, transferablesOf(state)));
    t.deepEqual(answers(served), answers(direct));
    const { buildMs: a, ...servedStats } = served.stats();
    const { buildMs: b, ...directStats } = direct.stats();
    t.deepEqual(servedStats, directStats);
    // Transferred means the sender no longer holds the buffers.
    t.is(state.model.weights.length, 0);
  });
}

test('given a state, when its transferables are listed, then every buffer is there once', (t) => {
  const state = trainMatcher(ENGLISH_KB);
  const buffers = transferablesOf(state);
  t.is(new Set(buffers).size, buffers.length);
  t.true(buffers.includes(state.model.weights.buffer as ArrayBuffer));
  t.true(buffers.includes(state.vocabulary.names.chars.buffer as ArrayBuffer));
});
