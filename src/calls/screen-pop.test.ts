import test from 'ava';
import type { CallState, TrailEntry } from './call-types.ts';
import { screenPop } from './screen-pop.ts';

const state = (vars: Record<string, string>): CallState => ({
  callId: 'c1', channelId: 'ch', channelName: 'PJSIP/x', phase: 'in-flow' as CallState['phase'], caller: { number: '5550101', name: 'Ann' }, dialed: '4000',
  startedAt: 1000, answeredAt: 1100, flow: { flowId: 'cs', version: 3 }, digits: '1', promptCount: 2, timers: {}, trailLength: 9,
  ivr: { frames: [], nodeId: 'q', local: {}, vars, language: 'en', hops: 0, timers: [] },
});

test('given a caller who went through a menu, a sensitive PIN and the FAQ bot, then the screen pop shows the path, inputs, variables without the PIN, the bot turns and the repeat flag', (t) => {
  const trail: TrailEntry[] = [
    { at: 1100, type: 'node-enter', flow: 'cs', node: 'main', kind: 'menu' },
    { at: 1500, type: 'input', flow: 'cs', node: 'main', digit: '1' },
    { at: 1600, type: 'node-enter', flow: 'cs', node: 'pin', kind: 'gather' },
    { at: 2600, type: 'input', flow: 'cs', node: 'pin', variable: 'pin', digits: '****' },
    { at: 2700, type: 'node-enter', flow: 'cs', node: 'bot', kind: 'faq-bot' },
    { at: 3000, type: 'faq-turn', node: 'bot', text: 'how do i pay', outcome: 'answered', articleId: 'pay-bill', confidence: 0.8, matches: [{ id: 'pay-bill' }] },
    { at: 3500, type: 'faq-handoff', node: 'bot', reason: 'asked-agent', transcript: ['how do i pay'], matches: [] },
    { at: 3600, type: 'queue', node: 'q', queue: 'support', priority: 0 },
    { at: 3601, type: 'repeat-caller', recentCalls: 2, windowHours: 24, calls: [{ callId: 'old', startedAt: 10 }] },
  ];
  const pop = screenPop(state({ account: 'A-17', pin: '1234' }), trail);
  t.deepEqual(pop.path.map((p) => `${p.node}:${p.kind}`), ['main:menu', 'pin:gather', 'bot:faq-bot']);
  t.deepEqual(pop.variables, { account: 'A-17' }, 'the PIN a sensitive gather collected is not shown');
  t.deepEqual(pop.inputs.map((i) => i.digit ?? i.digits), ['1', '****']);
  t.is(pop.queue, 'support');
  t.like(pop.repeat, { recentCalls: 2, windowHours: 24 });
  t.is(pop.bot?.turns[0]?.articleId, 'pay-bill');
  t.is(pop.bot?.handoff?.reason, 'asked-agent');
  t.like(pop, { callId: 'c1', caller: { number: '5550101', name: 'Ann' }, dialed: '4000', flow: { flowId: 'cs', version: 3 }, language: 'en' });
});

test('given a call straight to a queue (no flow, no bot), then the screen pop has no bot part and no repeat flag', (t) => {
  const pop = screenPop({ ...state({}), ivr: undefined, flow: undefined }, []);
  t.is(pop.bot, undefined);
  t.is(pop.repeat, undefined);
  t.deepEqual(pop.variables, {});
  t.deepEqual(pop.path, []);
});
