import test from 'ava';
import { ManualClock } from '../../core/clock.ts';
import { buildMatcher } from '../matcher/index.ts';
import { AssistService, type AssistKnowledge, type EscalationEvent, type SuggestionsEvent } from './assist-service.ts';
import { DEFAULT_ESCALATION_PHRASES, phraseMatcher } from './phrases.ts';

const articles = [
  { id: 'pay-bill', title: 'Paying your bill', questions: ['how do I pay my bill', 'I want to pay my invoice', 'pay the bill online', 'where can I pay'] },
  { id: 'reset-password', title: 'Resetting your password', questions: ['I forgot my password', 'how do I reset my password', 'cannot log in password', 'change my password'] },
  { id: 'slow-internet', title: 'Slow internet', questions: ['my internet is slow', 'the connection is very slow', 'speed is bad', 'internet keeps dropping'] },
  { id: 'roaming', title: 'Roaming abroad', questions: ['does my phone work abroad', 'roaming charges', 'using my phone overseas', 'travel to another country phone'] },
];
const matcher = buildMatcher(articles.map((a) => ({ id: a.id, language: 'en' as const, questions: a.questions })));
const knowledge: AssistKnowledge = {
  ask(text, language, limit = 3) {
    const r = matcher.match(text, { language, limit });
    return { outOfScope: r.outOfScope, matches: r.results.map((m) => ({ article: { id: m.id, title: articles.find((a) => a.id === m.id)!.title }, score: m.score, confidence: m.confidence, matchedTerms: m.explanation.matchedTerms })) };
  },
};

function setup() {
  const clock = new ManualClock(10_000);
  const notes: Record<string, unknown>[] = [];
  const assist = new AssistService({ knowledge, escalation: phraseMatcher(DEFAULT_ESCALATION_PHRASES), clock, note: (_id, e) => notes.push(e) });
  const pushed: SuggestionsEvent[] = [];
  const alerts: EscalationEvent[] = [];
  assist.on('suggestions', (e) => pushed.push(e));
  assist.on('escalation', (e) => alerts.push(e));
  return { clock, notes, assist, pushed, alerts };
}

test('given a caller asking about a password, when partials and the final arrive, then the right article leads, pushes are debounced, and each shown article is recorded once', (t) => {
  const { clock, notes, assist, pushed } = setup();
  const words = 'I forgot my password and cannot log in'.split(' ');
  for (let i = 1; i <= words.length; i++) {
    assist.transcript('c1', 'en', { type: 'partial', leg: 'caller', text: words.slice(0, i).join(' '), endMs: i * 100 }, 0);
    clock.advance(100);
  }
  assist.transcript('c1', 'en', { type: 'final', leg: 'caller', text: words.join(' '), endMs: 900 }, 0);
  clock.advance(0);
  t.true(pushed.length >= 1 && pushed.length <= 3, `${pushed.length} pushes for ${words.length} partials`);
  t.is(assist.current('c1')[0]?.articleId, 'reset-password');
  const shown = notes.filter((n) => n.type === 'assist-shown').map((n) => n.articleId);
  t.deepEqual(shown, [...new Set(shown)], 'each article recorded once');
  t.true(shown.includes('reset-password'));
});

test('given an agent leg, when it speaks, then no suggestions are made from it; an escalation phrase on either leg alerts once and is marked', (t) => {
  const { clock, notes, assist, pushed, alerts } = setup();
  assist.transcript('c1', 'en', { type: 'final', leg: 'agent', text: 'how do I reset my password', endMs: 100 });
  clock.advance(1000);
  t.is(pushed.length, 0);
  assist.transcript('c1', 'en', { type: 'final', leg: 'caller', text: 'this is unacceptable I will call my lawyer', endMs: 3000 });
  assist.transcript('c1', 'en', { type: 'final', leg: 'caller', text: 'yes my lawyer', endMs: 5000 });
  t.deepEqual(alerts.map((a) => a.phrase), ['lawyer'], 'the first phrase found, once per call');
  t.true(notes.some((n) => n.type === 'escalation' && n.phrase === 'lawyer' && n.leg === 'caller'));
});

test('given a final, when it is matched, then the push carries the estimated end of speech from the leg start', (t) => {
  const { assist, pushed, clock } = setup();
  assist.transcript('c2', 'en', { type: 'final', leg: 'caller', text: 'my internet is so slow today', endMs: 2500 }, 7000);
  clock.advance(0);
  t.is(pushed[0]?.speechEndAt, 9500);
  t.is(pushed[0]?.suggestions[0]?.articleId, 'slow-internet');
  t.true(pushed[0]!.final);
});

test('given an ended call, when a late timer fires, then nothing is pushed and opened/helpful are recorded', (t) => {
  const { assist, pushed, clock, notes } = setup();
  assist.transcript('c3', 'en', { type: 'partial', leg: 'caller', text: 'roaming', endMs: 100 });
  assist.transcript('c3', 'en', { type: 'partial', leg: 'caller', text: 'roaming charges', endMs: 200 });
  assist.ended('c3');
  clock.advance(5000);
  t.is(pushed.length, 0);
  assist.opened('c3', 'roaming', 'alice');
  assist.helpful('c3', 'roaming', 'alice');
  t.deepEqual(notes.map((n) => n.type), ['assist-opened', 'assist-helpful']);
});

test('given the early whole-turn reading (a settled partial), when it arrives, then it is matched at once like a final, not after the debounce', (t) => {
  const { clock, assist, pushed } = setup();
  assist.transcript('c1', 'en', { type: 'partial', leg: 'caller', text: 'does my', endMs: 300 }, 0);
  clock.advance(50);
  assist.transcript('c1', 'en', { type: 'partial', leg: 'caller', text: 'does my phone work abroad', endMs: 1400, settled: true }, 0);
  clock.advance(0);
  t.is(pushed.at(-1)?.suggestions[0]?.articleId, 'roaming');
  t.true(pushed.at(-1)!.final);
  t.is(pushed.at(-1)!.at, 10_050, 'no debounce wait');
});

test('given a final the recognizer also heard another way, when matched, then the reading the knowledge base is surer of is shown', (t) => {
  const { clock, assist, pushed } = setup();
  assist.transcript('c1', 'en', { type: 'final', leg: 'caller', text: 'i think i am on the lane', endMs: 900, alternatives: ['I forgot my password'] }, 0);
  clock.advance(0);
  t.is(pushed.at(-1)?.suggestions[0]?.articleId, 'reset-password');
  t.is(pushed.at(-1)?.query, 'I forgot my password');
});
