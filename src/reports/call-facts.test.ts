import test from 'ava';
import { rollupOf } from './call-facts.ts';
import { scriptedCall, type Script } from './testing/scripted-call.ts';

const T0 = Date.parse('2026-03-02T09:00:00Z');
const context = {
  skillsOf: (queue: string) => ({ billing: ['billing'], tech: ['tech', 'english'] })[queue] ?? [],
  wrapUpMs: (queue: string) => (queue === 'billing' ? 10_000 : 0),
};
const facts = (script: Omit<Script, 'id' | 'startedAt'>, extra = {}) => {
  const { call, trail } = scriptedCall({ id: 'c1', startedAt: T0, ...script });
  return rollupOf(call, trail, { ...context, ...extra });
};
const near = (ms: number, expected: number) => Math.abs(ms - expected) < 20;

test('given a caller answered after 12 s in billing, when reduced, then one answered leg with its wait, skills and agent, and one conversation with wrap-up', (t) => {
  const f = facts({ flow: 'main', steps: [{ node: 'menu' }, { node: 'q', kind: 'queue' }, { queue: 'billing' }, { wait: 12 }, { agent: 'a1', queue: 'billing' }, { wait: 100 }] });
  t.is(f.legs.length, 1);
  t.like(f.legs[0], { queue: 'billing', skills: ['billing'], result: 'answered', agentId: 'a1' });
  t.true(near(f.legs[0]!.waitMs, 12_000));
  t.is(f.conversations.length, 1);
  t.like(f.conversations[0], { agentId: 'a1', queue: 'billing', wrapMs: 10_000, transferred: false });
  t.true(near(f.conversations[0]!.talkMs, 100_000));
  t.is(f.flow?.droppedAt, undefined, 'answered by an agent: the flow finished, nobody dropped out of it');
});

test('given a caller who hung up after 40 s in the queue, when reduced, then the leg is abandoned with its wait and the funnel drop is at the queue node', (t) => {
  const f = facts({ flow: 'main', steps: [{ node: 'menu' }, { node: 'q', kind: 'queue' }, { queue: 'tech' }, { wait: 40 }] });
  t.like(f.legs[0], { queue: 'tech', skills: ['tech', 'english'], result: 'abandoned' });
  t.true(near(f.legs[0]!.waitMs, 40_000));
  t.deepEqual(f.conversations, []);
  t.deepEqual(f.flow, { flowId: 'main', reached: ['menu', 'q'], droppedAt: 'q' });
});

test('given a caller who hung up in the IVR menu, when reduced, then no queue leg and the drop is at the menu', (t) => {
  const f = facts({ flow: 'main', steps: [{ node: 'welcome' }, { wait: 3 }, { node: 'menu' }, { wait: 5 }] });
  t.deepEqual(f.legs, []);
  t.deepEqual(f.flow, { flowId: 'main', reached: ['welcome', 'menu'], droppedAt: 'menu' });
});

test('given a flow that ended the call itself, when reduced, then nobody dropped out', (t) => {
  const f = facts({ flow: 'main', endedBy: 'deskline', finished: 'hangup', steps: [{ node: 'welcome' }, { node: 'goodbye' }] });
  t.is(f.flow?.droppedAt, undefined);
});

test('given an overflow from billing into tech, when reduced, then billing has an overflowed leg and tech the answered one with its own wait', (t) => {
  const f = facts({ flow: 'main', steps: [{ queue: 'billing' }, { wait: 90 }, { overflow: 'billing', to: 'tech' }, { wait: 8 }, { agent: 'a2', queue: 'tech' }, { wait: 60 }] });
  t.deepEqual(f.legs.map((l) => [l.queue, l.result]), [['billing', 'overflowed'], ['tech', 'answered']]);
  t.true(near(f.legs[1]!.waitMs, 8_000));
});

test('given a blind transfer to another queue, when reduced, then the first conversation ends transferred and a second leg and conversation follow', (t) => {
  const f = facts({ flow: 'main', steps: [{ queue: 'billing' }, { wait: 5 }, { agent: 'a1', queue: 'billing' }, { wait: 30 }, { transfer: { kind: 'queue', queueId: 'tech' } }, { wait: 20 }, { agent: 'a2', queue: 'tech' }, { wait: 50 }] });
  t.deepEqual(f.legs.map((l) => [l.queue, l.result, l.agentId]), [['billing', 'answered', 'a1'], ['tech', 'answered', 'a2']]);
  t.deepEqual(f.conversations.map((c) => [c.agentId, c.queue, c.transferred, c.wrapMs]), [['a1', 'billing', true, 10_000], ['a2', 'tech', false, 0]]);
  t.true(near(f.conversations[0]!.talkMs, 30_000));
  t.true(near(f.legs[1]!.waitMs, 20_000));
});

test('given a blind transfer to an agent, when reduced, then the caller waits in that agent\'s personal queue', (t) => {
  const f = facts({ steps: [{ queue: 'billing' }, { agent: 'a1', queue: 'billing' }, { transfer: { kind: 'agent', agentId: 'a9' } }, { wait: 4 }] });
  t.like(f.legs[1], { queue: '@agent:a9', result: 'abandoned', skills: [] });
});

test('given an attended transfer completed to another agent, when reduced, then the consulted agent\'s part is a conversation without wrap-up', (t) => {
  const f = facts({ steps: [{ queue: 'billing' }, { agent: 'a1', queue: 'billing' }, { wait: 10 }, { consult: 'a5', complete: true }, { wait: 70 }] });
  t.deepEqual(f.conversations.map((c) => [c.agentId, c.transferred, c.wrapMs]), [['a1', true, 10_000], ['a5', false, 0]]);
  t.true(near(f.conversations[1]!.talkMs, 70_000));
  t.is(f.legs.length, 1, 'no second queue leg: the consulted agent took the call directly');
});

test('given a cancelled consultation, when reduced, then the first agent keeps the call', (t) => {
  const f = facts({ steps: [{ queue: 'billing' }, { agent: 'a1', queue: 'billing' }, { consult: 'a5', complete: false }, { wait: 20 }] });
  t.deepEqual(f.conversations.map((c) => [c.agentId, c.transferred]), [['a1', false]]);
});

test('given the exit key, a kept callback and a lost channel, when reduced, then abandoned, callback and dropped', (t) => {
  t.is(facts({ flow: 'main', endedBy: 'deskline', finished: 'hangup', steps: [{ queue: 'tech' }, { wait: 30 }, { exit: 'tech' }, { node: 'voicemail' }] }).legs[0]!.result, 'abandoned');
  t.is(facts({ flow: 'main', endedBy: 'deskline', steps: [{ queue: 'tech' }, { wait: 30 }, { callbackKept: 'tech' }] }).legs[0]!.result, 'callback');
  t.is(facts({ flow: 'main', endedBy: 'system', steps: [{ queue: 'tech' }, { wait: 30 }] }).legs[0]!.result, 'dropped');
});

test('given a survey result and a repeat-caller note, when reduced, then the score and the flag are kept; a bad score is ignored', (t) => {
  const f = facts({ steps: [{ repeat: true }, { queue: 'billing' }, { agent: 'a1' }, { survey: 4 }] });
  t.is(f.csat, 4);
  t.true(f.repeatCaller);
  t.is(facts({ steps: [{ survey: 9 }] }).csat, undefined);
  t.is(facts({ steps: [{ survey: 2 }, { survey: 5 }] }).csat, 5, 'the last answer counts');
});

test('given the repeat lookup says so, when reduced, then the call is a repeat call — unless the number is withheld', (t) => {
  t.true(facts({ steps: [] }, { repeatCaller: true }).repeatCaller);
  t.false(facts({ caller: 'anonymous', steps: [{ repeat: true }] }).repeatCaller);
});

test('given a bot call contained and one handed off to a queue, when reduced, then the bot outcomes follow knowledge analytics', (t) => {
  const contained = facts({ flow: 'faq', endedBy: 'deskline', finished: 'hangup', steps: [
    { entry: { type: 'faq-turn', text: 'reset my password', language: 'en', outcome: 'answered', articleId: 'pw', matches: [{ id: 'pw', confidence: 0.9 }] } },
    { entry: { type: 'faq-feedback', articleId: 'pw', helped: true } },
    { entry: { type: 'faq-done' } },
  ] });
  t.like(contained.bot, { outcome: 'contained', questions: 1, answered: 1, unmatched: [] });
  const handedOff = facts({ flow: 'faq', steps: [
    { entry: { type: 'faq-turn', text: 'change billing address', language: 'en', outcome: 'low-confidence', matches: [{ id: 'addr', confidence: 0.3 }] } },
    { entry: { type: 'faq-handoff', reason: 'low-confidence' } },
    { queue: 'billing' }, { wait: 7 }, { agent: 'a3' },
  ] });
  t.like(handedOff.bot, { outcome: 'handed-off', questions: 1, answered: 0 });
  t.deepEqual(handedOff.bot?.unmatched.map((q) => q.text), ['change billing address']);
  t.is(facts({ steps: [{ queue: 'billing' }] }).bot, undefined, 'no faq entry: not a bot call');
});

test('given a sub-flow, when reduced, then its nodes are named with the sub-flow', (t) => {
  const f = facts({ flow: 'main', steps: [{ node: 'menu' }, { node: 'ask', flow: 'identify' }, { node: 'menu' }] });
  t.deepEqual(f.flow?.reached, ['menu', 'identify/ask']);
});
