// The call lifecycle as a pure function: (state, input) → { next, commands, trail }. No IO, no
// clock reads: times come in on the inputs. One executor (call-executor.ts) persists the result
// and then carries out the commands. Until an IVR flow is routed, an answered call hears the
// greeting, every digit is recorded, and the call ends after the idle timeout with a goodbye.
import type { Party } from '../telephony/telephony.ts';
import type { CallCommand, CallInput, CallOutcome, CallSettings, CallState, EndedBy, TrailEntry, Transition } from './call-types.ts';

/** Q.850 16, normal clearing: what a caller's BYE means. */
const normalClearing = 16;

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

class Step {
  readonly commands: CallCommand[] = [];
  readonly trail: TrailEntry[] = [];
  constructor(public state: CallState) {}

  note(at: number, type: string, fields: Record<string, unknown> = {}): void {
    this.trail.push({ at, type, ...fields });
  }

  play(promptId: string, media: string[]): void {
    const playbackId = `${this.state.callId}-p${this.state.promptCount + 1}`;
    this.state = { ...this.state, promptCount: this.state.promptCount + 1, playback: { id: playbackId, promptId } };
    this.commands.push({ type: 'play', playbackId, promptId, media });
  }

  setTimer(name: string, deadline: number): void {
    this.state = { ...this.state, timers: { ...this.state.timers, [name]: deadline } };
    this.commands.push({ type: 'set-timer', name, deadline });
  }

  clearTimer(name: string): void {
    if (!(name in this.state.timers)) return;
    const { [name]: _gone, ...rest } = this.state.timers;
    this.state = { ...this.state, timers: rest };
    this.commands.push({ type: 'clear-timer', name });
  }

  hangup(at: number, reason: string): void {
    if (this.state.phase === 'ending' || this.state.phase === 'ended') return;
    this.state = { ...this.state, phase: 'ending', endedBy: 'deskline', endReason: reason, hangupCause: normalClearing };
    this.note(at, 'hangup', { by: 'deskline', reason });
    this.commands.push({ type: 'hangup', reason: 'normal' });
  }

  end(at: number, fields: { outcome?: CallOutcome; endedBy?: EndedBy; cause?: number; reason?: string }): void {
    for (const name of Object.keys(this.state.timers)) this.clearTimer(name);
    const answered = this.state.answeredAt !== undefined;
    const outcome = fields.outcome ?? this.state.outcome ?? (answered ? 'completed' : 'abandoned');
    this.state = {
      ...this.state,
      phase: 'ended',
      endedAt: at,
      outcome,
      endedBy: this.state.endedBy ?? fields.endedBy ?? 'caller',
      hangupCause: this.state.hangupCause ?? fields.cause,
      endReason: this.state.endReason ?? fields.reason,
      playback: undefined,
    };
    this.note(at, 'ended', { outcome, endedBy: this.state.endedBy, cause: this.state.hangupCause, reason: this.state.endReason });
  }

  done(): Transition {
    return { next: { ...this.state, trailLength: this.state.trailLength + this.trail.length }, commands: this.commands, trail: this.trail };
  }
}

function onAnswered(step: Step, at: number, settings: CallSettings): void {
  step.state = { ...step.state, phase: 'active', answeredAt: at };
  step.note(at, 'answered');
  step.play('greeting', settings.greetingMedia);
  step.setTimer('idle', at + settings.idleTimeoutMs);
  step.setTimer('max-duration', step.state.startedAt + settings.maxCallMs);
}

export function transition(state: CallState, input: CallInput, settings: CallSettings): Transition {
  const step = new Step(state);
  const { at } = input;
  if (state.phase === 'ended') return step.done();

  switch (input.type) {
    case 'entered':
      step.note(at, 'entered', { caller: state.caller, dialed: state.dialed, channel: state.channelName });
      step.state = { ...step.state, phase: 'answering' };
      step.commands.push({ type: 'answer' });
      break;
    case 'answered':
      // Both the answer's 204 and ChannelStateChange(Up) arrive, in either order: act on the first.
      if (state.phase === 'answering' || state.phase === 'ringing') onAnswered(step, at, settings);
      break;
    case 'playback-started':
      if (state.playback?.id === input.playbackId) step.note(at, 'prompt-started', { promptId: state.playback.promptId, playbackId: input.playbackId });
      break;
    case 'playback-finished':
      if (state.playback?.id !== input.playbackId) break;
      step.note(at, 'prompt-finished', { promptId: state.playback.promptId, playbackId: input.playbackId, failed: input.failed });
      step.state = { ...step.state, playback: undefined };
      if (state.playback.promptId === 'goodbye') step.hangup(at, 'idle-timeout');
      break;
    case 'dtmf':
      if (state.phase !== 'active') break;
      step.note(at, 'dtmf', { digit: input.digit, durationMs: input.durationMs });
      step.state = { ...step.state, digits: state.digits + input.digit };
      step.setTimer('idle', at + settings.idleTimeoutMs);
      break;
    case 'timer':
      if (!(input.name in state.timers)) break;
      step.clearTimer(input.name);
      step.note(at, 'timeout', { timer: input.name });
      if (input.name === 'idle') {
        step.play('goodbye', settings.goodbyeMedia);
        step.setTimer('goodbye-guard', at + 15_000);
      } else {
        step.hangup(at, input.name);
      }
      break;
    case 'hangup-requested':
      if (state.phase === 'ending') break;
      step.state = { ...step.state, phase: 'ending', endedBy: 'caller', hangupCause: input.cause ?? normalClearing };
      step.note(at, 'hangup', { by: 'caller', cause: step.state.hangupCause });
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
        step.hangup(at, 'answer-failed');
        step.state = { ...step.state, outcome: 'failed' };
      } else if (input.command === 'play') {
        step.state = { ...step.state, playback: undefined };
      }
      break;
    case 'resumed':
      step.note(at, 'resumed');
      break;
    case 'channel-missing':
      step.end(at, { outcome: 'dropped', endedBy: 'system', reason: input.reason });
      break;
  }
  return step.done();
}
