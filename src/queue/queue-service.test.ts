// The ACD executor on an in-memory store, a manual clock and a fake phone system: what it asks of
// telephony, in which order, what it tells the calls, and what survives a restart.
import test from 'ava';
import { MemoryStore } from '../store/memory-store.ts';
import { TelephonyError } from '../telephony/telephony.ts';
import { agentFeatures } from './agent-features.ts';
import { QueueError } from './queue-service.ts';
import { acdSchema, agentSchema, queueSchema } from './queue-config.ts';
import type { QueuesState } from './queue-legs.ts';
import { T0, callbackSetup, noWhisper, start } from './testing/queue-harness.ts';

// ---- 1. the happy path ----------------------------------------------------------------------

test('given an available agent and whisper on, when a caller joins and the agent answers, then music plays, the planned leg is rung, the whisper plays and only then caller and agent are bridged', async (t) => {
  const h = await start();
  await h.login('a');
  await h.join('c1', { number: '5550101' });
  t.deepEqual(h.originates(), [{ channelId: 'c1-ag1-a', endpoint: 'PJSIP/a', role: 'agent', args: ['c1', 'a'], callerId: { number: '5550101', name: 'Caller c1' }, timeoutSeconds: 20 }]);
  t.deepEqual(h.telephony.callsOf('startMoh'), [['c1', 'default']]);
  t.is(h.agent('a').status.kind, 'ringing');

  await h.advance(3_000);
  await h.emit({ type: 'leg-entered', channelId: 'c1-ag1-a', role: 'agent', args: ['c1', 'a'] });
  t.deepEqual(h.telephony.trace(), ['originate c1-ag1-a', 'startMoh c1', 'stopMoh c1', 'play c1-ag1-a']);
  t.deepEqual(h.telephony.callsOf('play'), [['c1-ag1-a', 'c1-ag1-a-whisper', ['tts:Call from queue Support. Caller 5 5 5 0 1 0 1.']]]);
  t.deepEqual(h.calls.statuses, [], 'not connected before the whisper is over');
  t.is(h.entry('c1'), undefined, 'the caller no longer waits');

  await h.advance(2_000);
  await h.emit({ type: 'playback-finished', channelId: 'c1-ag1-a', playbackId: 'c1-ag1-a-whisper', failed: false });
  t.deepEqual(h.telephony.callsOf('bridge'), [['c1-queue', ['c1', 'c1-ag1-a']]]);
  t.deepEqual(h.calls.statuses, [{ callId: 'c1', requestId: 'req-c1', status: { status: 'connected', agentId: 'a', waitSeconds: 3 } }]);
  t.like(h.calls.notesOf('c1', 'agent-connected')[0], { agentId: 'a', queue: 'support', bridgeId: 'c1-queue', repeatCaller: false });
  t.like(h.agent('a').status, { kind: 'on-call', callId: 'c1', queueId: 'support' });
  t.deepEqual(h.service.conversation('c1'), { callId: 'c1', customerChannelId: 'c1', agentChannelId: 'c1-ag1-a' });
});

test('given whisper off, when the agent answers, then caller and agent are bridged at once with no whisper', async (t) => {
  const h = await start({ queues: [noWhisper()] });
  await h.login('a');
  await h.join('c1');
  await h.answer('c1', 'a');
  t.deepEqual(h.telephony.trace(), ['originate c1-ag1-a', 'startMoh c1', 'stopMoh c1', 'bridge c1-queue']);
  t.like(h.calls.statusesOf('c1'), [{ status: 'connected', agentId: 'a', waitSeconds: 0 }]);
});

test('given whisper on, when the whisper cannot be played, then caller and agent are bridged at once', async (t) => {
  const h = await start();
  h.telephony.fail('play');
  await h.login('a');
  await h.join('c1');
  await h.answer('c1', 'a');
  t.deepEqual(h.telephony.trace('play', 'bridge'), ['play c1-ag1-a', 'bridge c1-queue']);
  t.like(h.calls.statusesOf('c1'), [{ status: 'connected', agentId: 'a' }]);
});

test('given a repeat caller, when connected, then the call is noted and the whisper says so', async (t) => {
  const h = await start();
  h.repeat.set('5550177', 2);
  await h.login('a');
  await h.join('c1', { number: '5550177' });
  t.like(h.calls.notesOf('c1', 'repeat-caller'), [{ recentCalls: 2, windowHours: 24 }]);
  await h.answer('c1', 'a');
  t.regex(String(h.telephony.callsOf('play')[0]![2][0]), /Repeat caller, 2 recent calls\./);
});

test('given the bridge cannot be made, when the agent answers, then the agent leg is hung up and the call is ended as bridge-failed', async (t) => {
  const h = await start({ queues: [noWhisper({ wrapUpSeconds: 0 })] });
  h.telephony.fail('bridge');
  await h.login('a');
  await h.join('c1');
  await h.answer('c1', 'a');
  // (legAnswered hangs the same leg up a second time, harmlessly: it is no longer connected.)
  t.deepEqual([...new Set(h.telephony.trace('hangup'))], ['hangup c1-ag1-a']);
  t.deepEqual(h.calls.ends, [{ callId: 'c1', reason: 'bridge-failed' }]);
  t.deepEqual(h.calls.statuses, []);
  t.is(h.agent('a').status.kind, 'available');
  t.is(h.snapshot().legs.c1, undefined);
});

test('given the whisper playing, when the agent hangs up before the bridge, then the caller is not hung up but waits again', async (t) => {
  const h = await start();
  await h.login('a');
  await h.join('c1');
  await h.answer('c1', 'a');
  t.deepEqual(h.telephony.trace('play'), ['play c1-ag1-a'], 'the whisper is playing');
  await h.emit({ type: 'destroyed', channelId: 'c1-ag1-a', cause: 16, causeText: 'Normal Clearing' });
  t.deepEqual(h.calls.ends, [], 'the customer was never connected: not hung up');
  // Back in line at the same place; the only agent is offered the call again (everyone qualified missed it).
  t.like(h.entry('c1'), { kind: 'caller', status: { kind: 'ringing', agentIds: ['a'] } });
  t.is(h.agent('a').callsTaken, 0);
  t.is(h.agent('a').consecutiveMisses, 1);
  t.true(h.telephony.trace('originate').includes('originate c1-ag2-a'), h.telephony.trace('originate').join());
});

// ---- 2, 3. ring timeout, no answer ----------------------------------------------------------

test('given two agents, when the first lets the call ring past the ring timeout, then its leg is hung up and the second agent is rung', async (t) => {
  const h = await start({ queues: [{ id: 'support', ringTimeoutSeconds: 10 }] });
  await h.login('a');
  await h.advance(1_000);
  await h.login('b');
  await h.join('c1');
  t.deepEqual(h.telephony.trace('originate'), ['originate c1-ag1-a']);
  await h.advance(9_999);
  t.deepEqual(h.telephony.trace('originate', 'hangup'), ['originate c1-ag1-a'], 'nothing before the timeout');
  await h.advance(1);
  t.deepEqual(h.telephony.trace('originate', 'hangup'), ['originate c1-ag1-a', 'hangup c1-ag1-a', 'originate c1-ag2-b']);
  t.like(h.originates()[1], { channelId: 'c1-ag2-b', endpoint: 'PJSIP/b', role: 'agent', args: ['c1', 'b'] });
  t.like(h.agent('a'), { status: { kind: 'available' }, consecutiveMisses: 1 });
  t.deepEqual(h.snapshot().legs.c1!.ringing, { b: 'c1-ag2-b' });

  // The first phone answering late is hung up and changes nothing.
  await h.emit({ type: 'leg-entered', channelId: 'c1-ag1-a', role: 'agent', args: ['c1', 'a'] });
  t.deepEqual(h.telephony.trace('hangup'), ['hangup c1-ag1-a', 'hangup c1-ag1-a']);
  t.is(h.agent('b').status.kind, 'ringing');
});

test('given auto-pause after one miss, when the agent lets the call ring out, then the agent is paused for missed calls and the next agent is rung', async (t) => {
  const h = await start({ queues: [{ id: 'support', ringTimeoutSeconds: 10, autoPauseAfterMisses: 1 }] });
  await h.login('a');
  await h.advance(1_000);
  await h.login('b');
  await h.join('c1');
  await h.advance(10_000);
  t.like(h.agent('a'), { status: { kind: 'paused', reason: 'missed-calls' }, consecutiveMisses: 1 });
  t.deepEqual(h.telephony.trace('originate'), ['originate c1-ag1-a', 'originate c1-ag2-b']);
  t.true(h.trail.some((e) => e.type === 'agent-state' && e.agentId === 'a' && e.to === 'paused' && e.reason === 'missed-calls'));
});

test('given two agents, when the first agent\'s phone cannot be rung (originate fails), then it counts as no answer and the second agent is rung', async (t) => {
  const h = await start();
  await h.login('a');
  await h.advance(1_000);
  await h.login('b');
  h.telephony.fail('originate', { error: new TelephonyError('FAILED', 'endpoint a not registered'), times: 1 });
  await h.join('c1');
  t.deepEqual(h.telephony.trace('originate', 'hangup'), ['originate c1-ag1-a', 'originate c1-ag2-b']);
  t.like(h.agent('a'), { status: { kind: 'available' }, consecutiveMisses: 1 });
  t.like(h.entry('c1'), { status: { kind: 'ringing', agentIds: ['b'] }, missedBy: ['a'] });
});

test('given an agent whose phone could not be rung, when the call is later answered by another agent and ends, then nothing of the call is left in the state', async (t) => {
  const h = await start({ queues: [noWhisper()] });
  await h.login('a');
  await h.advance(1_000);
  await h.login('b');
  h.telephony.fail('originate', { times: 1 });
  await h.join('c1');
  t.deepEqual(h.snapshot().legs.c1?.ringing, { b: 'c1-ag2-b' }, 'the failed leg is no longer ringing');
  await h.answer('c1', 'b');
  await h.hangUpCaller('c1');
  t.is(h.snapshot().legs.c1, undefined);
});

test('given an agent ringing, when the agent\'s phone rejects the call (channel destroyed), then the next agent is rung without waiting for the timeout', async (t) => {
  const h = await start();
  await h.login('a');
  await h.advance(1_000);
  await h.login('b');
  await h.join('c1');
  await h.emit({ type: 'destroyed', channelId: 'c1-ag1-a', cause: 21, causeText: 'Call Rejected' });
  t.deepEqual(h.telephony.trace('originate', 'hangup'), ['originate c1-ag1-a', 'originate c1-ag2-b']);
  t.deepEqual(h.snapshot().legs.c1!.ringing, { b: 'c1-ag2-b' });
});

test('given ring-all, when one agent answers, then the other ringing legs are hung up and the late answer is hung up too', async (t) => {
  const h = await start({ queues: [noWhisper({ strategy: 'ring-all' })] });
  await h.login('a', 'b');
  await h.join('c1');
  t.deepEqual(h.telephony.trace('originate'), ['originate c1-ag1-a', 'originate c1-ag2-b']);
  await h.answer('c1', 'b');
  t.deepEqual(h.telephony.trace('hangup', 'bridge'), ['hangup c1-ag1-a', 'bridge c1-queue']);
  t.deepEqual(h.telephony.callsOf('bridge'), [['c1-queue', ['c1', 'c1-ag2-b']]]);
  t.is(h.agent('a').status.kind, 'available');
  await h.emit({ type: 'leg-entered', channelId: 'c1-ag1-a', role: 'agent', args: ['c1', 'a'] });
  t.deepEqual(h.telephony.trace('hangup'), ['hangup c1-ag1-a', 'hangup c1-ag1-a']);
  t.like(h.agent('b').status, { kind: 'on-call', callId: 'c1' });
});

// ---- 4, 5. hang-ups ---------------------------------------------------------------------------

test('given a connected call, when the agent hangs up, then the call is ended as agent-hung-up and the agent is in wrap-up until wrapUpSeconds have passed', async (t) => {
  const h = await start({ queues: [noWhisper({ wrapUpSeconds: 30 })] });
  await h.login('a');
  await h.connect('c1', 'a');
  await h.advance(60_000);
  h.telephony.clearCalls();
  await h.emit({ type: 'destroyed', channelId: 'c1-ag1-a', cause: 16, causeText: 'Normal Clearing' });
  t.deepEqual(h.calls.ends, [{ callId: 'c1', reason: 'agent-hung-up' }]);
  t.deepEqual(h.telephony.trace(), ['destroyBridge c1-queue'], 'the agent leg is already gone: not hung up again');
  t.deepEqual(h.agent('a').status, { kind: 'wrap-up', until: T0 + 60_000 + 30_000 });
  t.is(h.snapshot().legs.c1, undefined);

  // The call ending (as the calls capability reports it) changes nothing more.
  await h.hangUpCaller('c1');
  t.deepEqual(h.telephony.trace(), ['destroyBridge c1-queue']);

  // A caller arriving during wrap-up is rung exactly when it ends.
  await h.join('c2');
  await h.advance(29_999);
  t.is(h.agent('a').status.kind, 'wrap-up');
  t.deepEqual(h.originates(), []);
  await h.advance(1);
  t.like(h.agent('a').status, { kind: 'ringing', callId: 'c2' });
  t.deepEqual(h.telephony.trace('originate'), ['originate c2-ag1-a']);
});

test('given wrap-up and nobody waiting, when wrapUpSeconds pass, then the agent is available again', async (t) => {
  const h = await start({ queues: [noWhisper({ wrapUpSeconds: 10 })] });
  await h.login('a');
  await h.connect('c1', 'a');
  await h.emit({ type: 'left', channelId: 'c1-ag1-a' });
  t.is(h.agent('a').status.kind, 'wrap-up');
  await h.advance(10_000);
  t.like(h.agent('a'), { status: { kind: 'available' }, callsTaken: 1 });
});

test('given a caller waiting (the only agent busy), when the caller hangs up, then the entry is gone and nothing is asked of telephony', async (t) => {
  const h = await start({ queues: [noWhisper()] });
  await h.login('a');
  await h.connect('c1', 'a');
  await h.join('c2');
  t.like(h.entry('c2'), { status: { kind: 'waiting' } });
  h.telephony.clearCalls();
  await h.hangUpCaller('c2');
  t.is(h.entry('c2'), undefined);
  t.is(h.snapshot().legs.c2, undefined);
  t.deepEqual(h.telephony.calls, []);
  t.deepEqual(h.calls.statusesOf('c2'), []);
  t.true(h.trail.some((e) => e.type === 'abandoned' && e.callId === 'c2'));
});

test('given an agent ringing, when the caller hangs up, then the ringing leg is hung up, the entry is gone and the agent is available', async (t) => {
  const h = await start();
  await h.login('a');
  await h.join('c1');
  await h.hangUpCaller('c1');
  t.deepEqual(h.telephony.trace('hangup'), ['hangup c1-ag1-a']);
  t.is(h.entry('c1'), undefined);
  t.is(h.snapshot().legs.c1, undefined);
  t.like(h.agent('a'), { status: { kind: 'available' }, consecutiveMisses: 0 });
});

test('given a connected call, when the caller hangs up, then the agent leg is hung up, the bridge destroyed and the call not ended from our side', async (t) => {
  const h = await start({ queues: [noWhisper({ wrapUpSeconds: 5 })] });
  await h.login('a');
  await h.connect('c1', 'a');
  h.telephony.clearCalls();
  await h.hangUpCaller('c1');
  t.deepEqual(h.telephony.trace(), ['hangup c1-ag1-a', 'destroyBridge c1-queue']);
  t.deepEqual(h.calls.ends, []);
  t.is(h.agent('a').status.kind, 'wrap-up');
  // The agent leg going away because we hung it up does nothing more.
  await h.emit({ type: 'destroyed', channelId: 'c1-ag1-a', cause: 16, causeText: 'Normal Clearing' });
  t.deepEqual(h.calls.ends, []);
  t.deepEqual(h.telephony.trace(), ['hangup c1-ag1-a', 'destroyBridge c1-queue']);
});

test('given a caller waiting, when the caller leaves by key, then music stops and the entry is gone', async (t) => {
  const h = await start({ queues: [noWhisper()] });
  await h.login('a');
  await h.connect('c1', 'a');
  await h.join('c2');
  h.service.leave('c2');
  await h.settle();
  t.deepEqual(h.telephony.trace('stopMoh'), ['stopMoh c1', 'stopMoh c2']);
  t.is(h.entry('c2'), undefined);
  t.is(h.snapshot().legs.c2, undefined);
});

// ---- 6. overflow ------------------------------------------------------------------------------

test('given overflow to the flow, when a caller waits past max wait, then the flow is told overflow max-wait and music stops', async (t) => {
  const h = await start({ queues: [noWhisper({ maxWaitSeconds: 5, overflow: { kind: 'flow' } })] });
  await h.login('a');
  await h.connect('c1', 'a');
  await h.join('c2');
  await h.advance(4_999);
  t.deepEqual(h.calls.statusesOf('c2'), []);
  await h.advance(1);
  t.deepEqual(h.calls.statusesOf('c2'), [{ status: 'overflow', reason: 'max-wait', target: 'flow' }]);
  t.deepEqual(h.calls.statuses.filter((s) => s.callId === 'c2').map((s) => s.requestId), ['req-c2']);
  t.deepEqual(h.telephony.trace('stopMoh').at(-1), 'stopMoh c2');
  t.is(h.entry('c2'), undefined);
  t.is(h.snapshot().legs.c2, undefined);
});

test('given overflow to another queue, when a caller waits past max wait, then the caller joins that queue (its agent is rung) and the flow hears nothing', async (t) => {
  const h = await start({
    queues: [
      noWhisper({ requiredSkills: [{ skill: 'support', minLevel: 1 }], maxWaitSeconds: 5, overflow: { kind: 'queue', queueId: 'backup' } }),
      { id: 'backup', whisper: false },
    ],
    agents: [{ id: 'a', endpoint: 'PJSIP/a', skills: { support: 1 } }, { id: 'b', endpoint: 'PJSIP/b' }],
  });
  await h.login('a');
  await h.connect('c1', 'a');
  await h.login('b');
  await h.join('c2');
  t.like(h.entry('c2'), { queueId: 'support', status: { kind: 'waiting' } }, 'b lacks the skill for support');
  await h.advance(5_000);
  t.deepEqual(h.calls.statusesOf('c2'), []);
  t.like(h.calls.notesOf('c2', 'queue-overflow'), [{ queue: 'support', reason: 'max-wait', to: 'queue:backup' }]);
  t.like(h.entry('c2'), { queueId: 'backup', status: { kind: 'ringing', agentIds: ['b'] } });
  t.like(h.originates().at(-1), { channelId: 'c2-ag1-b', args: ['c2', 'b'] });
  t.is(h.snapshot().legs.c2!.queueId, 'backup');
  await h.answer('c2', 'b');
  t.deepEqual(h.calls.statusesOf('c2'), [{ status: 'connected', agentId: 'b', waitSeconds: 5 }], 'the wait counts from the first queue');
});

test('given no agent logged in, when a caller joins, then the flow is told overflow no-agents at once and nothing is rung', async (t) => {
  const h = await start({ queues: [{ id: 'support', overflow: { kind: 'flow' } }] });
  await h.join('c1');
  t.deepEqual(h.calls.statusesOf('c1'), [{ status: 'overflow', reason: 'no-agents', target: 'flow' }]);
  t.deepEqual(h.telephony.trace('originate', 'startMoh'), []);
  t.is(h.snapshot().legs.c1, undefined);
});

test('given a queue the site does not have, when a caller joins it, then the flow is told overflow QUEUE_UNKNOWN', async (t) => {
  const h = await start();
  await h.join('c1', { queue: 'nope' });
  t.deepEqual(h.calls.statusesOf('c1'), [{ status: 'overflow', reason: 'QUEUE_UNKNOWN', target: 'flow' }]);
});

test('given position announcements every 30 s, when 30 s pass, then music stops, the position is played, and music resumes after it', async (t) => {
  const h = await start({ queues: [noWhisper({ announceEverySeconds: 30 })] });
  await h.login('a');
  await h.connect('c1', 'a');
  await h.join('c2');
  h.telephony.clearCalls();
  await h.advance(30_000);
  const playbackId = `c2-qa${T0 + 30_000}`;
  t.deepEqual(h.telephony.trace(), ['stopMoh c2', 'play c2']);
  const [[, id, media]] = h.telephony.callsOf('play') as [[string, string, string[]]];
  t.is(id, playbackId);
  t.regex(media[0]!, /^tts:You are next in line\./);
  await h.emit({ type: 'playback-finished', channelId: 'c2', playbackId, failed: false });
  t.deepEqual(h.telephony.trace(), ['stopMoh c2', 'play c2', 'startMoh c2']);
});

// ---- 7. callbacks -----------------------------------------------------------------------------

/** a talks to c1; c2 keeps its place for a callback and hangs up; c3 waits behind it. */

test('given a caller who keeps their place for a callback and hangs up, when the agent frees up, then the customer is dialled once, ahead of the later caller', async (t) => {
  const h = await callbackSetup();
  t.deepEqual(h.calls.statusesOf('c2'), [{ status: 'callback-kept', number: '555-0102' }]);
  t.like(h.entry('c2'), { kind: 'callback', callback: { state: 'pending', number: '555-0102' } }, 'the place is kept after the call ended');
  t.deepEqual(h.originates('callback'), []);

  await h.emit({ type: 'destroyed', channelId: 'c1-ag1-a', cause: 16, causeText: 'Normal Clearing' });
  t.deepEqual(h.originates('callback'), [{ channelId: 'c2-cb', endpoint: 'PJSIP/5550102@trunk', role: 'callback', args: ['c2'], callerId: { number: '4000', name: 'Support' }, timeoutSeconds: 40 }]);
  t.deepEqual(h.telephony.trace('originate'), ['originate c1-ag1-a', 'originate c2-cb'], 'c3, behind, is not rung: the agent is held for the callback');
  t.like(h.entry('c2'), { callback: { state: 'dialling' } });

  // Another free-agent event and the passing of time do not dial again.
  await h.service.agentAction('a', 'pause');
  await h.service.agentAction('a', 'unpause');
  await h.advance(60_000);
  t.is(h.originates('callback').length, 1);
  t.deepEqual(h.telephony.trace('originate'), ['originate c1-ag1-a', 'originate c2-cb']);
});

test('given a callback being dialled, when the customer answers, then they hear the greeting and music, the agent is rung, and answering bridges them', async (t) => {
  const h = await callbackSetup();
  await h.emit({ type: 'destroyed', channelId: 'c1-ag1-a', cause: 16, causeText: 'Normal Clearing' });
  h.telephony.clearCalls();
  await h.emit({ type: 'leg-entered', channelId: 'c2-cb', role: 'callback', args: ['c2'] });
  t.deepEqual(h.telephony.trace(), ['originate c2-ag1-a', 'play c2-cb', 'startMoh c2-cb']);
  t.like(h.originates()[0], { role: 'agent', args: ['c2', 'a'], endpoint: 'PJSIP/a' });
  t.regex(String(h.telephony.callsOf('play')[0]![2][0]), /call back you asked for from Support/);
  t.is(h.telephony.callsOf('play')[0]![1], 'c2-cb-greeting');
  t.like(h.calls.notesOf('c2', 'callback-answered'), [{ channelId: 'c2-cb' }]);

  await h.answer('c2', 'a');
  t.deepEqual(h.telephony.callsOf('bridge'), [['c2-queue', ['c2-cb', 'c2-ag1-a']]]);
  t.deepEqual(h.calls.statusesOf('c2'), [{ status: 'callback-kept', number: '555-0102' }], 'no connected status to a flow that is gone');
  t.like(h.calls.notesOf('c2', 'agent-connected'), [{ agentId: 'a' }]);
  t.deepEqual(h.originates('callback'), [], 'not dialled again since it answered');
  t.like(h.entry('c3'), { status: { kind: 'waiting' } });
});

test('given a callback being dialled, when the customer does not answer, then the place is dropped, never dialled again, and the next caller gets the agent', async (t) => {
  const h = await callbackSetup();
  await h.emit({ type: 'destroyed', channelId: 'c1-ag1-a', cause: 16, causeText: 'Normal Clearing' });
  await h.emit({ type: 'destroyed', channelId: 'c2-cb', cause: 19, causeText: 'No Answer' });
  t.is(h.entry('c2'), undefined);
  t.is(h.snapshot().legs.c2, undefined);
  t.deepEqual(h.telephony.trace('originate'), ['originate c1-ag1-a', 'originate c2-cb', 'originate c3-ag1-a']);
  t.true(h.trail.some((e) => e.type === 'callback-failed' && e.callId === 'c2'));
});

test('given a callback whose dial fails at once, then the place is dropped and the next caller gets the agent', async (t) => {
  const h = await callbackSetup();
  h.telephony.fail('originate', { when: (leg) => leg.role === 'callback' });
  await h.emit({ type: 'destroyed', channelId: 'c1-ag1-a', cause: 16, causeText: 'Normal Clearing' });
  t.is(h.entry('c2'), undefined);
  t.deepEqual(h.telephony.trace('originate'), ['originate c1-ag1-a', 'originate c2-cb', 'originate c3-ag1-a']);
  t.is(h.originates('callback').length, 1);
});

test('given a callback whose dial failed, when its channel answers anyway, then it is hung up and nothing of the call is left', async (t) => {
  const h = await callbackSetup();
  h.telephony.fail('originate', { when: (leg) => leg.role === 'callback' });
  await h.emit({ type: 'destroyed', channelId: 'c1-ag1-a', cause: 16, causeText: 'Normal Clearing' });
  t.is(h.snapshot().legs.c2, undefined, 'the leg of the failed callback is dropped');
  h.telephony.clearCalls();
  await h.emit({ type: 'leg-entered', channelId: 'c2-cb', role: 'callback', args: ['c2'] });
  t.deepEqual(h.telephony.trace(), ['hangup c2-cb']);
});

test('given a caller with a withheld number, when they ask for a callback, then no place is kept for a number that cannot be dialled', async (t) => {
  const h = await start({ queues: [noWhisper()] });
  await h.login('a');
  await h.connect('c1', 'a');
  await h.join('c2', { number: '' });
  h.service.keepPlaceForCallback('c2');
  await h.settle();
  t.deepEqual(h.calls.statusesOf('c2'), []);
  t.like(h.entry('c2'), { kind: 'caller', status: { kind: 'waiting' } });
});

// ---- 8. restart -------------------------------------------------------------------------------

test('given agents, callers and a kept callback place, when the service restarts over the same store, then agents and places are restored and the callback is still served first', async (t) => {
  const before = await callbackSetup({ agents: [{ id: 'a', endpoint: 'PJSIP/a' }, { id: 'b', endpoint: 'PJSIP/b' }] }, async (h) => {
    await h.login('b');
    await h.service.agentAction('b', 'pause', 'lunch');
  });
  t.deepEqual(before.originates('callback'), []);
  before.service.stop();

  const after = await start({ queues: [noWhisper({ wrapUpSeconds: 0 })], acd: { callbackDial: 'PJSIP/{number}@trunk', callbackCallerId: '4000' } }, before);
  t.like(after.agent('a').status, { kind: 'on-call', callId: 'c1' });
  t.deepEqual(after.agent('b').status, { kind: 'paused', reason: 'lunch' });
  t.deepEqual(after.snapshot().acd.waiting.map((e) => `${e.callId}:${e.kind}:${e.callback?.state ?? '-'}`), ['c2:callback:pending', 'c3:caller:-']);
  t.like(after.snapshot().legs.c1, { connected: { agentId: 'a', channelId: 'c1-ag1-a', bridgeId: 'c1-queue' } });

  after.calls.gone.add('c2');
  await after.service.reconcile(new Set(['c1', 'c1-ag1-a', 'c3']));
  await after.settle();
  t.deepEqual(after.telephony.calls, [], 'nothing to do: every channel is still there');
  t.like(after.entry('c2'), { kind: 'callback', callback: { state: 'pending' } });

  await after.emit({ type: 'destroyed', channelId: 'c1-ag1-a', cause: 16, causeText: 'Normal Clearing' });
  t.deepEqual(after.calls.ends, [{ callId: 'c1', reason: 'agent-hung-up' }]);
  t.deepEqual(after.telephony.trace('originate'), ['originate c2-cb'], 'the kept place is served before the later caller');
});

test('given an agent ringing when the service stopped, when it restarts and that leg is gone, then it counts as no answer and the next agent is rung', async (t) => {
  const before = await start();
  await before.login('a');
  await before.advance(1_000);
  await before.login('b');
  await before.join('c1');
  before.service.stop();

  const after = await start({}, before);
  t.like(after.agent('a').status, { kind: 'ringing', callId: 'c1' });
  await after.service.reconcile(new Set(['c1']));
  await after.settle();
  t.deepEqual(after.telephony.trace('originate', 'hangup'), ['originate c1-ag2-b']);
  t.like(after.agent('a'), { status: { kind: 'available' }, consecutiveMisses: 1 });
  t.deepEqual(after.snapshot().legs.c1!.ringing, { b: 'c1-ag2-b' });
});

test('given an agent ringing when the service stopped, when it restarts, then the ring timeout still applies (timers are armed on load)', async (t) => {
  const before = await start({ queues: [{ id: 'support', ringTimeoutSeconds: 10 }] });
  await before.login('a');
  await before.advance(1_000);
  await before.login('b');
  await before.join('c1');
  await before.advance(4_000);
  before.service.stop();

  const after = await start({ queues: [{ id: 'support', ringTimeoutSeconds: 10 }] }, before);
  await after.advance(5_999);
  t.deepEqual(after.telephony.calls, []);
  await after.advance(1);
  t.deepEqual(after.telephony.trace('originate', 'hangup'), ['hangup c1-ag1-a', 'originate c1-ag2-b']);
});

test('given a callback being dialled when the service stopped, when it restarts and the callback channel is gone, then the callback fails and is never dialled again', async (t) => {
  const before = await callbackSetup();
  await before.emit({ type: 'destroyed', channelId: 'c1-ag1-a', cause: 16, causeText: 'Normal Clearing' });
  t.is(before.originates('callback').length, 1);
  before.service.stop();

  const after = await start({ queues: [noWhisper({ wrapUpSeconds: 0 })], agents: [{ id: 'a', endpoint: 'PJSIP/a' }], acd: { callbackDial: 'PJSIP/{number}@trunk' } }, before);
  t.like(after.entry('c2'), { callback: { state: 'dialling' } });
  after.calls.gone.add('c2');
  await after.service.reconcile(new Set(['c3']));
  await after.settle();
  t.is(after.entry('c2'), undefined);
  t.is(after.snapshot().legs.c2, undefined);
  t.deepEqual(after.originates('callback'), []);
  t.deepEqual(after.telephony.trace('originate'), ['originate c3-ag1-a']);
  t.true(after.trail.some((e) => e.type === 'callback-failed' && e.callId === 'c2'));
  await after.advance(600_000);
  t.deepEqual(after.originates('callback'), []);
});

test('given a callback being dialled when the service stopped, when it restarts with the channel still up, then it is not dialled again and its answer is still served', async (t) => {
  const before = await callbackSetup();
  await before.emit({ type: 'destroyed', channelId: 'c1-ag1-a', cause: 16, causeText: 'Normal Clearing' });
  before.service.stop();

  const after = await start({ queues: [noWhisper({ wrapUpSeconds: 0 })], agents: [{ id: 'a', endpoint: 'PJSIP/a' }] }, before);
  after.calls.gone.add('c2');
  await after.service.reconcile(new Set(['c2-cb', 'c3']));
  await after.advance(30_000);
  t.deepEqual(after.originates(), []);
  await after.emit({ type: 'leg-entered', channelId: 'c2-cb', role: 'callback', args: ['c2'] });
  t.deepEqual(after.telephony.trace('originate'), ['originate c2-ag1-a']);
});

test('given a connected call when the service stopped, when it restarts and the agent leg is gone, then the call is ended as agent-hung-up', async (t) => {
  const before = await start({ queues: [noWhisper({ wrapUpSeconds: 0 })] });
  await before.login('a');
  await before.connect('c1', 'a');
  before.service.stop();

  const after = await start({ queues: [noWhisper({ wrapUpSeconds: 0 })] }, before);
  await after.service.reconcile(new Set(['c1']));
  await after.settle();
  t.deepEqual(after.calls.ends, [{ callId: 'c1', reason: 'agent-hung-up' }]);
  t.is(after.agent('a').status.kind, 'available');
  t.is(after.snapshot().legs.c1, undefined);
});

// ---- 10. agents -------------------------------------------------------------------------------

test('given an agent the site does not know, when an action is asked for, then it is refused with AGENT_UNKNOWN', async (t) => {
  const h = await start();
  const unknown = await t.throwsAsync(h.service.agentAction('zed', 'login'), { instanceOf: QueueError });
  t.is(unknown.code, 'AGENT_UNKNOWN');
  const neverIn = await t.throwsAsync(h.service.agentAction('a', 'pause'), { instanceOf: QueueError });
  t.is(neverIn.code, 'AGENT_UNKNOWN');
  // The queue keeps working after a refused action.
  t.like(await h.service.agentAction('a', 'login'), { id: 'a', status: { kind: 'available' } });
});

test('given agents with extensions, when their phones dial feature codes, then they log in, pause, end the pause and log out; other phones are refused', async (t) => {
  const h = await start({ agents: [{ id: 'a', endpoint: 'PJSIP/a', extension: '1001' }, { id: 'b', endpoint: 'PJSIP/b', extension: '1002' }] });
  const features = agentFeatures(h.service, acdSchema.parse({}).featureCodes);
  t.true(features.recognises('*50'));
  t.false(features.recognises('*59'));

  t.deepEqual(await features.perform('*50', { number: '1002' }), { ok: true, detail: 'agent b: login → available', media: ['sound:agent-loginok'] });
  t.is(h.agent('b').status.kind, 'available');
  t.is(h.snapshot().acd.agents.a, undefined);
  t.like(await features.perform('*52', { number: '1002' }), { ok: true, media: ['sound:beep'] });
  t.deepEqual(h.agent('b').status, { kind: 'paused', reason: 'phone' });
  t.like(await features.perform('*53', { number: '1002' }), { ok: true });
  t.is(h.agent('b').status.kind, 'available');
  t.like(await features.perform('*51', { number: '1002' }), { ok: true, media: ['sound:agent-loggedoff'] });
  t.is(h.agent('b').status.kind, 'logged-out');

  t.deepEqual(await features.perform('*50', { number: '1999' }), { ok: false, detail: '1999 is not an agent\'s phone', media: ['sound:agent-incorrect'] });
  t.like(await features.perform('*52', { number: '1001' }), { ok: false, media: ['sound:beeperr'] }, 'never logged in');
});

test('given an agent on a call, when they pause, then the pause applies after the call', async (t) => {
  const h = await start({ queues: [noWhisper({ wrapUpSeconds: 0 })] });
  await h.login('a');
  await h.connect('c1', 'a');
  await h.service.agentAction('a', 'pause', 'lunch');
  t.like(h.agent('a').status, { kind: 'on-call' });
  await h.hangUpCaller('c1');
  t.deepEqual(h.agent('a').status, { kind: 'paused', reason: 'lunch' });
});

// ---- 11. persistence before action ------------------------------------------------------------

test('given a command to telephony, when it is sent, then the state naming its channel is already in the store', async (t) => {
  const h = await start({ queues: [noWhisper({ wrapUpSeconds: 0 })], agents: [{ id: 'a', endpoint: 'PJSIP/a' }] });
  const section = h.store.section('queues');
  // MemoryStore reads synchronously when get() is called: this is the state at the moment of the request.
  const seen: Promise<string>[] = [];
  h.telephony.onCall('originate', (leg) => {
    seen.push(
      section.get<QueuesState>('state').then((saved) => {
        const callId = leg.args[0]!;
        const entry = saved?.acd.waiting.find((e) => e.callId === callId);
        if (leg.role === 'agent') return `${leg.channelId}: ringing=${saved?.legs[callId]?.ringing[leg.args[1]!]} agent=${saved?.acd.agents[leg.args[1]!]?.status.kind}`;
        return `${leg.channelId}: leg=${saved?.legs[callId]?.kind}/${saved?.legs[callId]?.channelId} callback=${entry?.callback?.state}`;
      }),
    );
  });
  h.telephony.onCall('hangup', (channelId) => {
    seen.push(section.get<QueuesState>('state').then((saved) => `hangup ${channelId}: still ringing=${Object.values(saved?.legs ?? {}).some((l) => Object.values(l.ringing).includes(channelId))}`));
  });
  h.telephony.onCall('bridge', (bridgeId) => {
    seen.push(section.get<QueuesState>('state').then((saved) => `bridge ${bridgeId}: connected=${saved?.legs.c1?.connected?.channelId ?? saved?.legs.c2?.connected?.channelId}`));
  });

  await h.login('a');
  await h.join('c1');
  await h.answer('c1', 'a');
  await h.join('c2');
  h.service.keepPlaceForCallback('c2');
  await h.hangUpCaller('c2');
  await h.hangUpCaller('c1');
  t.deepEqual(await Promise.all(seen), [
    'c1-ag1-a: ringing=c1-ag1-a agent=ringing',
    'bridge c1-queue: connected=c1-ag1-a',
    // The caller hung up: the agent is free at once (no wrap-up) and the callback is dialled before the agent leg is hung up.
    'c2-cb: leg=callback/c2-cb callback=dialling',
    'hangup c1-ag1-a: still ringing=false',
  ]);
});

test('given agent-first callbacks, when the kept place reaches the front, then an agent is rung first and the customer is dialled once the agent answers, then bridged when they answer', async (t) => {
  const h = await callbackSetup({ queues: [noWhisper({ wrapUpSeconds: 0, callbackMode: 'agent-first' })] });
  await h.emit({ type: 'destroyed', channelId: 'c1-ag1-a', cause: 16, causeText: 'Normal Clearing' });
  t.deepEqual(h.originates('callback'), [], 'the customer is not dialled before an agent answers');
  const agentLeg = h.snapshot().legs.c2!.ringing.a!;
  t.truthy(agentLeg, 'the agent is rung for the callback place (ahead of c3)');
  await h.emit({ type: 'leg-entered', channelId: agentLeg, role: 'agent', args: ['c2', 'a'] });
  t.deepEqual(h.originates('callback').map((o) => [o.channelId, o.endpoint]), [['c2-cb', 'PJSIP/5550102@trunk']]);
  t.deepEqual(h.telephony.callsOf('bridge'), [[`c1-queue`, ['c1', 'c1-ag1-a']]], 'no bridge before the customer answers');
  await h.emit({ type: 'playback-finished', channelId: agentLeg, playbackId: `${agentLeg}-whisper`, failed: false });
  t.is(h.telephony.callsOf('bridge').length, 1, 'the whisper ending does not bridge an unanswered customer');
  await h.emit({ type: 'leg-entered', channelId: 'c2-cb', role: 'callback', args: ['c2'] });
  t.deepEqual(h.telephony.callsOf('bridge').at(-1), ['c2-queue', ['c2-cb', agentLeg]]);
  t.like(h.agent('a').status, { kind: 'on-call', callId: 'c2' });
  t.is(h.originates('callback').length, 1, 'dialled once');
});

test('given agent-first callbacks, when the customer does not answer, then the agent is released and the callback is not dialled again', async (t) => {
  const h = await callbackSetup({ queues: [noWhisper({ wrapUpSeconds: 0, callbackMode: 'agent-first' })] });
  await h.emit({ type: 'destroyed', channelId: 'c1-ag1-a', cause: 16, causeText: 'Normal Clearing' });
  const agentLeg = h.snapshot().legs.c2!.ringing.a!;
  await h.emit({ type: 'leg-entered', channelId: agentLeg, role: 'agent', args: ['c2', 'a'] });
  await h.emit({ type: 'destroyed', channelId: 'c2-cb', cause: 19, causeText: 'No answer' });
  t.true(h.telephony.trace('hangup').includes(`hangup ${agentLeg}`));
  t.like(h.calls.notesOf('c2', 'callback-failed')[0], { reason: 'not answered' });
  t.is(h.originates('callback').length, 1);
  t.true(h.telephony.trace('originate').includes('originate c3-ag1-a'), 'the agent moves on to the next caller');
});

// ---- reconfiguring a running ACD ----------------------------------------------------------------

test('given a caller only a skilled agent may take, when an admin gives the idle agent the skill, then the caller is rung at once; removing a queue callers wait in or a logged-in agent is refused', async (t) => {
  const site = { queues: [{ id: 'support', name: 'Support', requiredSkills: [{ skill: 'billing', minLevel: 3 }] }], agents: [{ id: 'a', endpoint: 'PJSIP/a', skills: { billing: 5 } }, { id: 'b', endpoint: 'PJSIP/b', skills: { billing: 1 } }] };
  const h = await start(site);
  await h.login('a');
  await h.login('b');
  await h.join('c1');
  await h.answer('c1', 'a');
  await h.join('c2');
  t.is(h.agent('b').status.kind, 'available', 'b is not skilled enough yet');

  const queues = site.queues.map((q) => queueSchema.parse(q));
  const agents = [agentSchema.parse(site.agents[0]), agentSchema.parse({ ...site.agents[1], skills: { billing: 3 } })];
  await h.service.reconfigure(queues, agents);
  t.like(h.agent('b').status, { kind: 'ringing', callId: 'c2' });
  t.is(h.service.agentSettings.get('b')?.skills.billing, 3);

  const busyQueue = await t.throwsAsync(h.service.reconfigure([], agents), { instanceOf: QueueError });
  t.is(busyQueue?.code, 'QUEUE_BUSY');
  const busyAgent = await t.throwsAsync(h.service.reconfigure(queues, [agents[0]!]), { instanceOf: QueueError });
  t.is(busyAgent?.code, 'AGENT_BUSY');
  t.true(h.service.settings.has('support'));
});
