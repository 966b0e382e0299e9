// Blind and attended transfers of connected calls.
import test from 'ava';
import { noWhisper, start } from './testing/queue-harness.ts';

// ---- transfers --------------------------------------------------------------------------------

test('given a connected call, when the agent blind-transfers it to a number, then the caller goes to the dialplan and the agent is released', async (t) => {
  const h = await start({ queues: [noWhisper({ wrapUpSeconds: 0 })] });
  await h.login('a');
  await h.connect('c1', 'a');
  h.telephony.clearCalls();
  await h.service.blindTransfer('c1', { kind: 'number', number: '2001' }, 'a');
  await h.settle();
  t.deepEqual(h.calls.transfers, [{ callId: 'c1', target: '2001' }]);
  t.deepEqual(h.telephony.callsOf('continueInDialplan'), [['c1', 'deskline-transfer', '2001']]);
  t.true(h.telephony.trace('hangup').includes('hangup c1-ag1-a'), 'the agent leg is hung up');
  t.deepEqual(h.calls.ends, [], 'the caller is not hung up');
  t.is(h.agent('a').status.kind, 'available');
  await t.throwsAsync(h.service.blindTransfer('c1', { kind: 'number', number: '2001' }, 'a'), { message: /not connected/ });
});

test('given a connected call, when blind-transferred to another queue, then the caller waits there with music and the next agent is rung; unanswered, it returns to the first queue', async (t) => {
  const h = await start({ queues: [noWhisper({ wrapUpSeconds: 0 }), { id: 'billing', whisper: false, maxWaitSeconds: 30, autoPauseAfterMisses: 1, requiredSkills: [{ skill: 'billing', minLevel: 1 }], overflow: { kind: 'flow' } }], agents: [{ id: 'a', endpoint: 'PJSIP/a' }, { id: 'b', endpoint: 'PJSIP/b', skills: { billing: 2 } }] });
  await h.login('a', 'b');
  await h.connect('c1', 'a');
  h.telephony.clearCalls();
  await h.service.blindTransfer('c1', { kind: 'queue', queueId: 'billing' }, 'a');
  await h.settle();
  t.deepEqual(h.telephony.trace('removeFromBridge', 'hangup', 'originate', 'startMoh'), ['removeFromBridge c1-queue', 'hangup c1-ag1-a', 'originate c1-ag2-b', 'startMoh c1'], 'the billing agent is rung');
  t.like(h.entry('c1'), { queueId: 'billing', kind: 'caller' });
  await h.emit({ type: 'destroyed', channelId: 'c1-ag2-b', cause: 19, causeText: 'No answer' });
  t.like(h.agent('b').status, { kind: 'paused', reason: 'missed-calls' });
  await h.advance(30_000);
  t.like(h.entry('c1'), { queueId: 'support' }, 'nobody in billing took it: back to support');
  t.like(h.calls.notesOf('c1', 'transfer-returned')[0], { from: 'billing', to: 'support', reason: 'max-wait' });
  t.deepEqual(h.calls.statusesOf('c1').map((s) => s.status), ['connected'], 'the flow is not told (it has moved on)');
});

test('given a connected call, when blind-transferred to an agent, then only that agent is rung (their personal queue)', async (t) => {
  const h = await start({ queues: [noWhisper({ wrapUpSeconds: 0 })] });
  await h.login('a', 'b');
  await h.connect('c1', 'a');
  h.telephony.clearCalls();
  await h.service.blindTransfer('c1', { kind: 'agent', agentId: 'b' }, 'a');
  await h.settle();
  t.deepEqual(h.originates().map((o) => o.endpoint), ['PJSIP/b']);
  t.like(h.entry('c1'), { queueId: '@agent:b' });
  await t.throwsAsync(h.service.blindTransfer('c1', { kind: 'agent', agentId: 'zz' }, 'a'), { message: /not connected|zz/ });
});

test('given a connected call, when the agent consults a number and completes, then the caller is joined to the target and the agent leaves; cancelling instead brings the caller back', async (t) => {
  const h = await start({ queues: [noWhisper({ wrapUpSeconds: 0 })], acd: { transferDial: 'PJSIP/{number}@trunk' } });
  await h.login('a');
  await h.connect('c1', 'a');
  h.telephony.clearCalls();
  const consultId = await h.service.consult('c1', { kind: 'number', number: '2001' }, 'a');
  t.deepEqual(h.telephony.trace('removeFromBridge', 'startMoh', 'originate'), ['removeFromBridge c1-queue', 'startMoh c1', `originate ${consultId}`]);
  t.like(h.originates()[0], { endpoint: 'PJSIP/2001@trunk', role: 'consult', args: ['c1'] });
  await t.throwsAsync(h.service.completeTransfer('c1', 'a'), { message: /no answered consultation/ });
  await h.emit({ type: 'leg-entered', channelId: consultId, role: 'consult', args: ['c1'] });
  t.deepEqual(h.telephony.callsOf('addToBridge').at(-1), ['c1-queue', [consultId]], 'agent and target talk');
  h.telephony.clearCalls();
  await h.service.completeTransfer('c1', 'a');
  t.deepEqual(h.telephony.trace('stopMoh', 'addToBridge', 'removeFromBridge', 'hangup'), ['stopMoh c1', 'addToBridge c1-queue', 'removeFromBridge c1-queue', 'hangup c1-ag1-a']);
  t.is(h.agent('a').status.kind, 'available');
  t.deepEqual(h.service.conversation('c1'), { callId: 'c1', customerChannelId: 'c1', agentChannelId: consultId });
  // The target hangs up later: the caller's call ends.
  await h.emit({ type: 'destroyed', channelId: consultId, cause: 16, causeText: 'Normal Clearing' });
  t.deepEqual(h.calls.ends, [{ callId: 'c1', reason: 'agent-hung-up' }]);

  const again = await start({ queues: [noWhisper()] });
  await again.login('a');
  await again.connect('c1', 'a');
  const id = await again.service.consult('c1', { kind: 'number', number: '2001' }, 'a');
  again.telephony.clearCalls();
  await again.service.cancelTransfer('c1', 'a');
  t.deepEqual(again.telephony.trace('hangup', 'stopMoh', 'addToBridge'), [`hangup ${id}`, 'stopMoh c1', 'addToBridge c1-queue']);
  t.like(again.agent('a').status, { kind: 'on-call', callId: 'c1' });
  t.truthy(again.calls.notesOf('c1', 'transfer-cancelled')[0]);
});
