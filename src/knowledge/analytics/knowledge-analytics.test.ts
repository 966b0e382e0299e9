import test from 'ava';
import type { TrailEntry } from '../../calls/call-types.ts';
import { analyzeKnowledge, type CallTrail } from './knowledge-analytics.ts';
import {
  agentConnected, answered, assist, call, DAY, done, escalation, feedback, handoff, lowConfidence, queued, T0, transcript, turn,
} from './testing-trails.ts';

const week = { from: T0, to: T0 + 7 * DAY };
const hour = 3600_000;

/** Five English calls on the first day: two contained, one handed off, one unresolved, one agent-only. */
function englishDay(): CallTrail[] {
  return [
    call('c-done', T0 + 9 * hour, answered('How do I reset my password?', 'pw-reset'), feedback('pw-reset', true), done()),
    call('c-helped', T0 + 10 * hour, lowConfidence('uh what about my bill thing', [{ id: 'billing', confidence: 0.3 }]), answered('when is my bill due', 'billing', 0.8), feedback('billing', true)),
    call('c-handoff', T0 + 11 * hour,
      lowConfidence('can I change my billing address', [{ id: 'billing', confidence: 0.4 }, { id: 'address', confidence: 0.35 }]),
      lowConfidence('change billing address', [{ id: 'address', confidence: 0.42 }]),
      handoff('low-confidence'), queued(), agentConnected(), transcript('hello, how can I help')),
    call('c-unresolved', T0 + 12 * hour, turn('no-speech'), answered('what are your opening hours', 'hours', 0.7)),
    call('c-agent', T0 + 13 * hour, queued(), agentConnected(), assist('shown', 'billing'), assist('shown', 'billing'), assist('opened', 'billing'), assist('helpful', 'billing'), escalation('Complaint', 'caller')),
  ];
}

test('given English bot calls, when analysed, then containment counts faq-done and a helped answer before hang-up, never a handed-off call', (t) => {
  const result = analyzeKnowledge(englishDay(), week);
  t.is(result.calls, 5);
  t.like(result.bot, { calls: 4, contained: 2, handedOff: 1, unresolved: 1, reachedAgent: 1, containmentRate: 0.5 });
});

test('given English bot turns, when analysed, then the match rate is answered over answered + low-confidence turns', (t) => {
  const { bot } = analyzeKnowledge(englishDay(), week);
  t.is(bot.turns, 7);
  t.deepEqual(bot.outcomes, { 'answered': 3, 'low-confidence': 3, 'no-speech': 1, 'escalation': 0, 'asked-agent': 0 });
  t.is(bot.questions, 6);
  t.is(bot.matchRate, 0.5);
  t.deepEqual(bot.feedback, { helped: 2, notHelped: 0, helpedRate: 1 });
});

test('given bot answers, feedback and agent assist, when analysed, then each article has its usage and assist counts once per call', (t) => {
  const { articles, assistedCalls } = analyzeKnowledge(englishDay(), week);
  t.is(assistedCalls, 1);
  t.deepEqual(articles.find((a) => a.articleId === 'billing'), { articleId: 'billing', botAnswers: 1, helped: 1, notHelped: 0, nearMisses: 2, assistShown: 1, assistOpened: 1, assistHelpful: 1 });
  t.deepEqual(articles.find((a) => a.articleId === 'address'), { articleId: 'address', botAnswers: 0, helped: 0, notHelped: 0, nearMisses: 1, assistShown: 0, assistOpened: 0, assistHelpful: 0 });
  t.deepEqual(articles.map((a) => a.articleId), ['billing', 'hours', 'pw-reset', 'address']);
});

test('given handoffs with every reason and an unknown one, when analysed, then each reason is counted and the unknown goes to other', (t) => {
  const calls = ['low-confidence', 'asked-agent', 'asked-agent', 'escalation', 'max-turns', 'not-helped', 'no-speech', 'unavailable', 'bored'].map((reason, i) => call(`h${i}`, T0 + i * hour, turn('no-speech'), handoff(reason)));
  const { handoffs, bot } = analyzeKnowledge(calls, week);
  t.is(handoffs.total, 9);
  t.deepEqual(handoffs.reasons, { 'low-confidence': 1, 'asked-agent': 2, 'escalation': 1, 'max-turns': 1, 'not-helped': 1, 'no-speech': 1, 'unavailable': 1, 'other': 1 });
  t.is(bot.handedOff, 9);
  t.is(bot.containmentRate, 0);
});

test('given a helped answer followed by another unanswered question, when the caller hangs up, then the call is unresolved, not contained', (t) => {
  const calls = [call('c', T0, answered('reset password', 'pw'), feedback('pw', true), lowConfidence('and my pin?'))];
  t.like(analyzeKnowledge(calls, week).bot, { contained: 0, unresolved: 1 });
});

test('given a helped answer and then a queue, when analysed, then the call was handed off', (t) => {
  const calls = [call('c', T0, answered('reset password', 'pw'), feedback('pw', true), queued())];
  t.like(analyzeKnowledge(calls, week).bot, { contained: 0, handedOff: 1, reachedAgent: 0 });
});

test('given a call that queued and reached an agent before the bot ran, when the bot then finishes, then it is contained', (t) => {
  const calls = [call('c', T0, queued(), agentConnected(), answered('reset password', 'pw'), done())];
  t.like(analyzeKnowledge(calls, week).bot, { contained: 1, handedOff: 0, reachedAgent: 0 });
});

test('given not-helped feedback and a handoff, when analysed, then the article counts not helped and the handoff reason is not-helped', (t) => {
  const calls = [call('c', T0, answered('我的快递到哪了', 'parcel'), feedback('parcel', false), handoff('not-helped'), queued())];
  const result = analyzeKnowledge(calls, week);
  t.like(result.articles[0], { articleId: 'parcel', botAnswers: 1, helped: 0, notHelped: 1 });
  t.is(result.handoffs.reasons['not-helped'], 1);
  t.is(result.bot.feedback.helpedRate, 0);
});

test('given escalation phrases in any case and on both legs, when analysed, then each phrase is counted once per entry, most frequent first', (t) => {
  const calls = [
    call('a', T0, escalation('Complaint'), escalation('投诉'), escalation('lawyer', 'agent')),
    call('b', T0 + hour, escalation(' complaint '), escalation('投诉', 'agent'), escalation('COMPLAINT')),
  ];
  t.deepEqual(analyzeKnowledge(calls, week).escalations, {
    total: 6,
    phrases: [
      { phrase: 'complaint', count: 3, caller: 3, agent: 0 },
      { phrase: '投诉', count: 2, caller: 1, agent: 1 },
      { phrase: 'lawyer', count: 1, caller: 0, agent: 1 },
    ],
  });
});

test('given Chinese unmatched questions, when analysed, then similar ones form one group with its most frequent wording, examples and nearest articles', (t) => {
  const bill = [{ id: 'bill-balance', confidence: 0.41 }, { id: 'top-up', confidence: 0.2 }];
  const calls = [
    call('z1', T0, lowConfidence('话费余额怎么查', bill), handoff('low-confidence')),
    call('z2', T0 + hour, lowConfidence('话费余额怎么查？', bill), handoff('low-confidence')),
    call('z3', T0 + 2 * hour, lowConfidence('我想查询话费余额', [{ id: 'top-up', confidence: 0.38 }, { id: 'bill-balance', confidence: 0.3 }]), handoff('low-confidence')),
    call('z4', T0 + 3 * hour, lowConfidence('怎么开发票', [{ id: 'invoice', confidence: 0.45 }]), lowConfidence('发票怎么开'), handoff('max-turns')),
    call('z5', T0 + 4 * hour, lowConfidence('我要投诉你们'), handoff('escalation')),
  ];
  const { unmatched, bot } = analyzeKnowledge(calls, week);
  t.is(bot.matchRate, 0);
  t.is(unmatched.questions, 6);
  t.is(unmatched.groupCount, 3);
  t.deepEqual(unmatched.groups[0], {
    language: 'zh-CN',
    representative: '话费余额怎么查',
    count: 3,
    examples: [{ text: '话费余额怎么查', count: 2 }, { text: '我想查询话费余额', count: 1 }],
    articles: [{ id: 'bill-balance', top: 2, bestConfidence: 0.41 }, { id: 'top-up', top: 1, bestConfidence: 0.38 }],
    lastAt: T0 + 2 * hour + 1000,
  });
  t.deepEqual(unmatched.groups[1]!.examples.map((e) => e.text).sort(), ['发票怎么开', '怎么开发票']);
  t.deepEqual(unmatched.groups[1]!.articles, [{ id: 'invoice', top: 1, bestConfidence: 0.45 }]);
  t.is(unmatched.groups[2]!.representative, '我要投诉你们');
});

test('given English unmatched questions worded differently, when analysed, then they group by meaning words, not by "how do I"', (t) => {
  const asks = [
    'How do I change my billing address?', 'change billing address', 'Can I change the billing address online?', 'change billing address',
    'where is my parcel', 'my parcel has not arrived', 'parcel not arrived yet',
    'how do I cancel my order',
  ];
  const calls = asks.map((text, i) => call(`e${i}`, T0 + i * hour, lowConfidence(text)));
  const { unmatched } = analyzeKnowledge(calls, week);
  t.deepEqual(unmatched.groups.map((g) => [g.representative, g.count]), [
    ['change billing address', 4],
    ['my parcel has not arrived', 2],
    ['how do I cancel my order', 1],
    ['where is my parcel', 1],
  ]);
  t.is(unmatched.groups[0]!.examples.length, 3);
});

test('given a mix of zh and en unmatched questions, when analysed, then groups never mix languages', (t) => {
  const calls = [call('m', T0, lowConfidence('WiFi密码忘了'), lowConfidence('WiFi password forgot'), lowConfidence('forgot WiFi password'))];
  const { unmatched } = analyzeKnowledge(calls, week);
  t.deepEqual(unmatched.groups.map((g) => [g.language, g.count]), [['en', 2], ['zh-CN', 1]]);
});

test('given calls before, at and after the range bounds, when analysed, then only from ≤ startedAt < to count', (t) => {
  const calls = [
    call('before', T0 - 1, answered('q', 'a'), done()),
    call('first', T0, answered('q', 'a'), done()),
    call('last', T0 + 7 * DAY - 1, lowConfidence('nothing matched'), handoff('low-confidence')),
    call('after', T0 + 7 * DAY, answered('q', 'a'), done()),
  ];
  const result = analyzeKnowledge(calls, week);
  t.is(result.calls, 2);
  t.like(result.bot, { calls: 2, contained: 1, handedOff: 1 });
  t.is(result.articles[0]!.botAnswers, 1);
});

test('given no calls in the range, when analysed, then every count is zero, rates are null and each day is listed empty', (t) => {
  const result = analyzeKnowledge([call('old', T0 - DAY, answered('q', 'a'))], week);
  t.is(result.calls, 0);
  t.like(result.bot, { calls: 0, turns: 0, matchRate: null, containmentRate: null });
  t.is(result.bot.feedback.helpedRate, null);
  t.deepEqual(result.articles, []);
  t.deepEqual(result.unmatched, { questions: 0, groupCount: 0, ungrouped: 0, groups: [] });
  t.deepEqual(result.days.map((d) => d.day), ['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08']);
  t.deepEqual(result.days[0], { day: '2026-03-02', calls: 0, botCalls: 0, contained: 0, handedOff: 0, questions: 0, answered: 0, unmatched: 0, matchRate: null, containmentRate: null });
});

test('given an empty or inverted range, when analysed, then nothing counts and no days are listed', (t) => {
  const calls = englishDay();
  for (const range of [{ from: T0, to: T0 }, { from: T0 + DAY, to: T0 }]) {
    const result = analyzeKnowledge(calls, range);
    t.is(result.calls, 0);
    t.deepEqual(result.days, []);
  }
});

test('given calls on two days, when analysed in Asia/Shanghai, then the per-day series follows local days with its own rates', (t) => {
  const calls = [
    call('late-utc', T0 + 17 * hour, answered('q', 'a'), done()), // 01:00 on 3 March in Shanghai
    call('early', T0 + 1 * hour, lowConfidence('no idea'), handoff('low-confidence')),
    call('early2', T0 + 2 * hour, answered('q', 'a'), lowConfidence('and this?')),
  ];
  const result = analyzeKnowledge(calls, { from: T0 - 8 * hour, to: T0 + 2 * DAY - 8 * hour, timeZone: 'Asia/Shanghai' });
  t.deepEqual(result.days, [
    { day: '2026-03-02', calls: 2, botCalls: 2, contained: 0, handedOff: 1, questions: 3, answered: 1, unmatched: 2, matchRate: 0.3333, containmentRate: 0 },
    { day: '2026-03-03', calls: 1, botCalls: 1, contained: 1, handedOff: 0, questions: 1, answered: 1, unmatched: 0, matchRate: 1, containmentRate: 1 },
  ]);
  t.is(result.range.timeZone, 'Asia/Shanghai');
});

test('given a range longer than 400 days, when analysed, then only days with calls are listed', (t) => {
  const result = analyzeKnowledge([call('a', T0, done()), call('b', T0 + 500 * DAY, done())], { from: 0, to: T0 + 1000 * DAY });
  t.deepEqual(result.days.map((d) => d.day), ['2026-03-02', '2027-07-15']);
});

test('given malformed calls and entries from disk, when analysed, then they are skipped without throwing and the good ones still count', (t) => {
  const bad = [
    null, 'text', 42, [], { type: 7 }, { at: T0 },
    { type: 'faq-turn' }, { type: 'faq-turn', outcome: 'maybe', text: 'x' },
    { type: 'faq-turn', outcome: 'answered', text: 12, articleId: { id: 'x' }, matches: 'none' },
    { type: 'faq-turn', outcome: 'low-confidence', text: null, matches: [null, { id: 3, confidence: 1 }, { id: 'ok', confidence: 'high' }] },
    { type: 'faq-turn', outcome: 'low-confidence', text: '???', matches: [{ id: 'near', confidence: 0.3 }] },
    { type: 'faq-feedback', articleId: 'a', helped: 'yes' }, { type: 'faq-feedback', helped: true },
    { type: 'faq-handoff' },
    { type: 'assist-shown' }, { type: 'assist-opened', articleId: '' }, { type: 'assist-weird', articleId: 'a' },
    { type: 'escalation' }, { type: 'escalation', phrase: '   ' }, { type: 'escalation', phrase: 'refund', leg: 'robot' },
    { type: 'faq-turn', outcome: 'low-confidence', text: 'x'.repeat(100_000), language: 'klingon', matches: [] },
  ] as unknown as TrailEntry[];
  const calls = [
    null, undefined, 'call', { callId: 'no-start', trail: [] }, { callId: 'nan', startedAt: Number.NaN, trail: [] }, { callId: 'str', startedAt: String(T0), trail: [] },
    { callId: 'no-trail', startedAt: T0 },
    { callId: 'trail-object', startedAt: T0, trail: { type: 'faq-done' } },
    { callId: 'bad', startedAt: T0, trail: bad },
  ] as unknown as CallTrail[];
  const result = analyzeKnowledge(calls, week);
  t.is(result.calls, 3);
  t.like(result.bot, { calls: 1, turns: 4, answered: 1, questions: 4, handedOff: 1 });
  t.is(result.handoffs.reasons.other, 1);
  t.deepEqual(result.articles.map((a) => [a.articleId, a.nearMisses]), [['near', 1]]);
  t.deepEqual(result.escalations, { total: 1, phrases: [{ phrase: 'refund', count: 1, caller: 0, agent: 0 }] });
  t.is(result.unmatched.questions, 1, 'only the long question has words; "???" and empty text are not questions');
  t.is(result.unmatched.groups[0]!.representative.length, 1000);
  t.is(analyzeKnowledge(null as unknown as CallTrail[], week).calls, 0);
});

test('given the same calls in another order, when analysed, then the output is identical', (t) => {
  const calls = [...englishDay(), call('z', T0 + DAY, lowConfidence('发票怎么开'), lowConfidence('怎么开发票'), lowConfidence('怎么开发票'))];
  const shuffled = [calls[3]!, calls[5]!, calls[0]!, calls[4]!, calls[2]!, calls[1]!];
  t.deepEqual(analyzeKnowledge(shuffled, week), analyzeKnowledge(calls, week));
  t.is(JSON.stringify(analyzeKnowledge(shuffled, week)), JSON.stringify(analyzeKnowledge(calls, week)));
});

test('given more groups than unmatchedLimit, when analysed, then the largest are returned and groupCount tells the total', (t) => {
  const topics = ['parcel tracking', 'gift cards', 'store hours', 'loyalty points', 'warranty repair'];
  const calls = topics.map((topic, i) => call(`t${i}`, T0 + i * hour, ...Array.from({ length: i + 1 }, () => lowConfidence(topic))));
  const { unmatched } = analyzeKnowledge(calls, { ...week, unmatchedLimit: 2 });
  t.is(unmatched.groupCount, 5);
  t.deepEqual(unmatched.groups.map((g) => [g.representative, g.count]), [['warranty repair', 5], ['loyalty points', 4]]);
});

test('given tens of thousands of turns, when analysed, then every turn is counted and grouping work stays near-linear', (t) => {
  // 400 topics, each asked in many wordings, over 8,000 calls of 5 turns: 40,000 turns.
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
  const nouns = Array.from({ length: 400 }, (_, i) => `item${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}x`);
  const askings = ['how do I get my', 'where is my', 'can you help with the', 'I have a question about', 'what about'];
  const tails = ['', 'today', 'please', 'again', 'right now'];
  const calls: CallTrail[] = [];
  for (let c = 0; c < 8000; c++) {
    const entries = Array.from({ length: 5 }, (_, k) => (k % 2 ? answered('q', pick(nouns)) : lowConfidence(`${pick(askings)} ${pick(nouns)} ${pick(tails)}`, [{ id: pick(nouns), confidence: 0.2 }])));
    calls.push(call(`s${c}`, T0 + c * 60_000, ...entries, done()));
  }
  const result = analyzeKnowledge(calls, week);
  t.is(result.bot.turns, 40_000);
  t.is(result.bot.calls, 8000);
  t.is(result.unmatched.questions, 24_000);
  t.is(result.unmatched.groups.reduce((n, g) => n + g.count, 0) <= 24_000, true);
  t.true(result.unmatched.groupCount >= 300 && result.unmatched.groupCount <= 800, `groups: ${result.unmatched.groupCount}`);
});
