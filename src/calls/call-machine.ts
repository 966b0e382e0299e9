// The call lifecycle as a pure function: (state, input, env) → { next, commands, trail }. No IO,
// no clock reads: times come in on the inputs. One executor (call-service.ts) persists the result
// and then carries out the commands. A call routed to a flow runs the IVR interpreter once
// answered (call-ivr.ts); an unrouted call hears the greeting, has its digits recorded, and ends
// after the idle timeout with a goodbye.
import type { Party } from '../telephony/telephony.ts';
import { feedFlow, isFlowTimer, startFlow } from './call-ivr.ts';
import { CallStep, normalClearing } from './call-step.ts';
import type { CallEnv, CallInput, CallState, Transition } from './call-types.ts';

export function newCall(input: { channelId: string; channelName: string; caller: Party; dialed: string; at: number }): CallState {
  return {
    callId: input.channelId,
    channelId: input.channelId,
    channelName: input.channelName,
    phase: 'ringing',
    caller: input.caller,
    dialed: input.dialed,
    startedAt: input.at,
    digits: '',
    promptCount: 0,
    timers: {},
    trailLength: 0,
  };
}

function onAnswered(step: CallStep, at: number, env: CallEnv): void {
  step.state = { ...step.state, phase: 'active', answeredAt: at };
  step.note(at, 'answered');
  step.setTimer('max-duration', step.state.startedAt + env.settings.maxCallMs);
  // A placed call's customer answered: the queue bridges them with the agent; nothing to play.
  if (step.state.placed) return;
  if (step.state.feature) {
    step.commands.push({ type: 'feature', code: step.state.feature });
    return step.setTimer('feature-guard', at + 20_000);
  }
  if (step.state.flow) return startFlow(step, env, at);
  step.play('greeting', { media: env.settings.greetingMedia });
  step.setTimer('idle', at + env.settings.idleTimeoutMs);
}

export function transition(state: CallState, input: CallInput, env: CallEnv): Transition {
  const step = new CallStep(state);
  const { at } = input;
  const { settings } = env;
  if (state.phase === 'ended') return step.done();
  const inFlow = state.ivr !== undefined;

  switch (input.type) {
    case 'entered':
      step.note(at, 'entered', { caller: state.caller, dialed: state.dialed, channel: state.channelName, flow: input.flow, feature: input.feature });
      step.state = { ...step.state, phase: 'answering', flow: input.flow, feature: input.feature };
      step.commands.push({ type: 'answer' });
      break;
    case 'answered':
      // Both the answer's 204 and ChannelStateChange(Up) arrive, in either order: act on the first.
      if (state.phase === 'answering' || state.phase === 'ringing') onAnswered(step, at, env);
      break;
    case 'playback-started':
      if (state.playback?.id === input.playbackId) step.note(at, 'prompt-started', { promptId: state.playback.label ?? state.playback.promptId, playbackId: input.playbackId });
      break;
    case 'playback-finished': {
      const playback = state.playback;
      if (playback?.id !== input.playbackId) break;
      step.note(at, 'prompt-finished', { promptId: playback.label ?? playback.promptId, playbackId: input.playbackId, failed: input.failed });
      step.state = { ...step.state, playback: undefined };
      if (inFlow) feedFlow(step, env, { type: 'play-done', tag: playback.promptId, failed: input.failed }, at);
      else if (playback.promptId === 'goodbye') step.hangup(at, 'idle-timeout');
      else if (playback.promptId === 'feature') step.hangup(at, 'feature-done');
      break;
    }
    case 'dtmf':
      if (state.phase !== 'active') break;
      step.note(at, 'dtmf', { digit: input.digit, durationMs: input.durationMs });
      step.state = { ...step.state, digits: state.digits + input.digit };
      if (inFlow) feedFlow(step, env, { type: 'digit', digit: input.digit }, at);
      else if (!state.placed) step.setTimer('idle', at + settings.idleTimeoutMs);
      break;
    case 'timer': {
      if (!(input.name in state.timers)) break;
      step.clearTimer(input.name);
      const flowTimer = isFlowTimer(input.name);
      if (flowTimer !== undefined) {
        step.note(at, 'timeout', { timer: flowTimer });
        feedFlow(step, env, { type: 'timeout', name: flowTimer }, at);
        break;
      }
      step.note(at, 'timeout', { timer: input.name });
      if (input.name === 'idle') {
        step.play('goodbye', { media: settings.goodbyeMedia });
        step.setTimer('goodbye-guard', at + 15_000);
      } else {
        step.hangup(at, input.name);
      }
      break;
    }
    case 'ivr':
      feedFlow(step, env, input.event, at);
      break;
    case 'note': {
      const { type, ...fields } = input.entry;
      step.note(at, String(type), fields);
      break;
    }
    case 'recording-finished':
      if (state.recording?.name !== input.name) break;
      step.state = { ...step.state, recording: undefined };
      feedFlow(step, env, { type: 'record-done', id: state.recording.requestId, name: input.name, durationSeconds: input.durationSeconds, failed: input.failed }, at);
      break;
    case 'hangup-requested':
      if (state.phase === 'ending') break;
      step.state = { ...step.state, phase: 'ending', endedBy: 'caller', hangupCause: input.cause ?? normalClearing };
      step.note(at, 'hangup', { by: 'caller', cause: step.state.hangupCause, node: state.ivr?.nodeId });
      break;
    case 'left':
      step.end(at, { endedBy: 'caller', cause: normalClearing });
      break;
    case 'destroyed':
      step.end(at, { endedBy: 'caller', cause: input.cause, reason: input.causeText || undefined });
      break;
    case 'command-failed':
      step.note(at, 'error', { command: input.command, code: input.code, message: input.message });
      if (input.code === 'CHANNEL_GONE') step.end(at, { endedBy: 'caller', reason: 'channel-gone' });
      else if (input.command === 'answer') {
        // The answer's reply can be lost after the channel is already up (e.g. Asterisk died
        // right after answering): only an unanswered call has failed.
        if (state.answeredAt !== undefined) break;
        step.hangup(at, 'answer-failed');
        step.state = { ...step.state, outcome: 'failed' };
      } else if (input.command === 'play') {
        const playback = state.playback;
        step.state = { ...step.state, playback: undefined };
        // A prompt that cannot be played must not leave a flow waiting for its end forever.
        if (inFlow && playback) feedFlow(step, env, { type: 'play-done', tag: playback.promptId, failed: true }, at);
      } else if (input.command === 'record' && state.recording) {
        step.state = { ...step.state, recording: undefined };
        feedFlow(step, env, { type: 'effect-failed', id: state.recording.requestId, code: input.code, message: input.message }, at);
      }
      break;
    case 'resumed':
      step.note(at, 'resumed');
      break;
    case 'end':
      step.hangup(at, input.reason);
      break;
    case 'transferring':
      step.state = { ...step.state, transferring: input.target };
      step.note(at, 'transferring', { to: input.target });
      break;
    case 'feature-done':
      if (!state.feature || state.phase !== 'active') break;
      step.note(at, 'feature', { code: state.feature, ok: input.ok, detail: input.detail });
      step.play('feature', { media: input.media });
      break;
    case 'channel-missing':
      step.end(at, { outcome: 'dropped', endedBy: 'system', reason: input.reason });
      break;
    case 'placed-over':
      if (state.answeredAt !== undefined && state.phase !== 'ending') step.hangup(at, input.reason);
      else if (state.answeredAt === undefined) step.end(at, { outcome: 'failed', endedBy: 'system', reason: input.reason });
      break;
  }
  return step.done();
}
