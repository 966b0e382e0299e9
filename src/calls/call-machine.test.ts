import test from 'ava';
import { newCall, transition } from './call-machine.ts';
import type { CallEnv, CallInput, CallState, CallSettings } from './call-types.ts';

const settings: CallSettings = { greetingMedia: ['sound:hello-world'], goodbyeMedia: ['sound:vm-goodbye'], idleTimeoutMs: 30_000, maxCallMs: 3_600_000 };
const env: CallEnv = { settings, flows: { get: () => undefined, current: () => undefined }, timezone: 'UTC' };
const fresh = () => newCall({ channelId: 'ch1', channelName: 'PJSIP/caller-1', caller: { number: '5550100', name: 'Ann' }, dialed: '4000', at: 1000 });

function run(inputs: CallInput[], state: CallState = fresh()) {
  const trail = [];
  const commands = [];
  for (const input of inputs) {
    const result = transition(state, input, env);
    state = result.next;
    trail.push(...result.trail);
    commands.push(...result.commands);
  }
  return { state, trail, commands };
}

test('given a new call, when it enters, then it is answered', (t) => {
  const { state, commands } = run([{ type: 'entered', at: 1000 }]);
  t.is(state.phase, 'answering');
  t.deepEqual(commands, [{ type: 'answer' }]);
});

test('given an answering call, when answered twice (204 and StateChange), then greeting plays once and timers are set', (t) => {
  const { state, commands } = run([{ type: 'entered', at: 1000 }, { type: 'answered', at: 1100 }, { type: 'answered', at: 1101 }]);
  t.is(state.phase, 'active');
  t.is(state.answeredAt, 1100);
  t.deepEqual(commands.filter((c) => c.type === 'play'), [{ type: 'play', playbackId: 'ch1-p1', promptId: 'greeting', media: ['sound:hello-world'] }]);
  t.deepEqual(state.timers, { idle: 31_100, 'max-duration': 3_601_000 });
});

test('given an active call, when digits 1 and 2 arrive, then they are kept in order and the idle timer restarts', (t) => {
  const { state, trail, commands } = run([
    { type: 'entered', at: 1000 }, { type: 'answered', at: 1100 },
    { type: 'dtmf', digit: '1', durationMs: 120, at: 5000 }, { type: 'dtmf', digit: '2', durationMs: 120, at: 6000 },
  ]);
  t.is(state.digits, '12');
  t.deepEqual(trail.filter((e) => e.type === 'dtmf').map((e) => e.digit), ['1', '2']);
  t.is(state.timers.idle, 36_000);
  t.is(commands.filter((c) => c.type === 'set-timer' && c.name === 'idle').length, 3);
});

test('given the greeting playback, when started and finished events come, then the trail names the prompt', (t) => {
  const { state, trail } = run([
    { type: 'entered', at: 1000 }, { type: 'answered', at: 1100 },
    { type: 'playback-started', playbackId: 'ch1-p1', at: 1150 }, { type: 'playback-finished', playbackId: 'ch1-p1', failed: false, at: 2500 },
    { type: 'playback-finished', playbackId: 'someone-else', failed: false, at: 2600 },
  ]);
  t.deepEqual(trail.filter((e) => e.type.startsWith('prompt')).map((e) => [e.type, e.promptId]), [['prompt-started', 'greeting'], ['prompt-finished', 'greeting']]);
  t.is(state.playback, undefined);
});

test('given an active call, when the caller hangs up, then the record ends completed with cause 16 and timers are cleared', (t) => {
  const { state, commands } = run([
    { type: 'entered', at: 1000 }, { type: 'answered', at: 1100 },
    { type: 'hangup-requested', cause: undefined, at: 9000 }, { type: 'left', at: 9001 },
  ]);
  t.like(state, { phase: 'ended', outcome: 'completed', endedBy: 'caller', hangupCause: 16, endedAt: 9001, timers: {} });
  t.deepEqual(commands.filter((c) => c.type === 'clear-timer').map((c) => (c as { name: string }).name).sort(), ['idle', 'max-duration']);
});

test('given a ringing call, when the caller leaves before answer, then the outcome is abandoned', (t) => {
  const { state } = run([{ type: 'entered', at: 1000 }, { type: 'left', at: 1200 }]);
  t.is(state.outcome, 'abandoned');
});

test('given an idle call, when the idle timer fires, then goodbye plays and the call hangs up after it', (t) => {
  const { state, commands } = run([
    { type: 'entered', at: 1000 }, { type: 'answered', at: 1100 }, { type: 'timer', name: 'idle', at: 31_100 },
    { type: 'playback-finished', playbackId: 'ch1-p2', failed: false, at: 32_000 }, { type: 'left', at: 32_100 },
  ]);
  t.true(commands.some((c) => c.type === 'play' && c.promptId === 'goodbye'));
  t.true(commands.some((c) => c.type === 'hangup'));
  t.like(state, { outcome: 'completed', endedBy: 'deskline', endReason: 'idle-timeout' });
});

test('given a timer that was cleared, when its stale firing arrives, then nothing happens', (t) => {
  const { state, commands } = run([{ type: 'entered', at: 1000 }, { type: 'answered', at: 1100 }, { type: 'hangup-requested', cause: 16, at: 2000 }, { type: 'left', at: 2001 }, { type: 'timer', name: 'idle', at: 31_100 }]);
  t.is(state.endedAt, 2001);
  t.false(commands.some((c) => c.type === 'play' && c.promptId === 'goodbye'));
});

test('given a call whose channel vanished during an Asterisk restart, when reconciled, then it ends dropped with the reason', (t) => {
  const { state } = run([{ type: 'entered', at: 1000 }, { type: 'answered', at: 1100 }, { type: 'channel-missing', reason: 'asterisk-restarted', at: 5000 }]);
  t.like(state, { phase: 'ended', outcome: 'dropped', endedBy: 'system', endReason: 'asterisk-restarted' });
});

test('given a failed answer, when reported, then the call is hung up and ends failed', (t) => {
  const { state } = run([{ type: 'entered', at: 1000 }, { type: 'command-failed', command: 'answer', code: 'FAILED', message: 'boom', at: 1001 }, { type: 'left', at: 1002 }]);
  t.like(state, { outcome: 'failed', endReason: 'answer-failed' });
});

test('given any input sequence, when run, then trailLength counts every entry and an ended call stays ended', (t) => {
  const inputs: CallInput[] = [
    { type: 'entered', at: 1 }, { type: 'answered', at: 2 }, { type: 'dtmf', digit: '5', durationMs: 100, at: 3 },
    { type: 'left', at: 4 }, { type: 'dtmf', digit: '6', durationMs: 100, at: 5 }, { type: 'answered', at: 6 },
  ];
  const { state, trail } = run(inputs);
  t.is(state.trailLength, trail.length);
  t.is(state.digits, '5');
  t.is(state.phase, 'ended');
});

test('given an answered call, when the answer request itself reports failure late, then the call is not hung up', (t) => {
  const { state, commands } = run([{ type: 'entered', at: 1000 }, { type: 'answered', at: 1100 }, { type: 'command-failed', command: 'answer', code: 'NOT_CONNECTED', message: 'socket hang up', at: 1200 }]);
  t.is(state.phase, 'active');
  t.false(commands.some((c) => c.type === 'hangup'));
});

test('given a flow transfer, when StasisEnd arrives before the transfer request returns, then the call still ends transferred', (t) => {
  const flow = { id: 'f', name: 'F', languages: ['en' as const], defaultLanguage: 'en' as const, start: 't', nodes: { t: { kind: 'transfer', to: '2001', via: 'extension' } } };
  const flowEnv: CallEnv = { ...env, flows: { get: () => flow, current: () => 1 } };
  let state = newCall({ channelId: 'ch1', channelName: 'PJSIP/caller-1', caller: { number: '5550100', name: '' }, dialed: '4000', at: 0 });
  for (const input of [{ type: 'entered', at: 1, flow: { flowId: 'f', version: 1 } }, { type: 'answered', at: 2 }, { type: 'left', at: 3 }] as CallInput[]) state = transition(state, input, flowEnv).next;
  t.like(state, { outcome: 'transferred', endReason: 'transferred' });
});
