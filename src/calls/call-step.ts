// The builder a transition works with: collects commands and trail entries for one input.
import type { PromptRef } from '../ivr/flow-types.ts';
import type { CallCommand, CallOutcome, CallState, EndedBy, TrailEntry, Transition } from './call-types.ts';

/** Q.850 16, normal clearing: what a caller's BYE means. */
export const normalClearing = 16;

export function describePrompt(ref: PromptRef): string {
  if ('prompt' in ref) return ref.prompt;
  if ('sound' in ref) return `sound:${ref.sound}`;
  if ('tts' in ref) return `tts:${ref.tts.slice(0, 40)}`;
  return `say-${ref.say}:${ref.value}`;
}

export class CallStep {
  readonly commands: CallCommand[] = [];
  readonly trail: TrailEntry[] = [];
  constructor(public state: CallState) {}

  note(at: number, type: string, fields: Record<string, unknown> = {}): void {
    this.trail.push({ at, type, ...fields });
  }

  play(promptId: string, media: { media?: string[]; prompts?: PromptRef[]; language?: string }): void {
    const playbackId = `${this.state.callId}-p${this.state.promptCount + 1}`;
    const label = media.prompts ? media.prompts.map(describePrompt).join(', ') : promptId;
    this.state = { ...this.state, promptCount: this.state.promptCount + 1, playback: { id: playbackId, promptId, label } };
    this.commands.push({ type: 'play', playbackId, promptId, ...media });
  }

  stopPlayback(): void {
    if (!this.state.playback) return;
    this.commands.push({ type: 'stop-playback', playbackId: this.state.playback.id });
    this.state = { ...this.state, playback: undefined };
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
    const transferred = this.state.ivr?.finished === 'transfer' || this.state.transferring !== undefined;
    const outcome = fields.outcome ?? this.state.outcome ?? (transferred ? 'transferred' : answered ? 'completed' : this.state.placed ? 'failed' : 'abandoned');
    this.state = {
      ...this.state,
      phase: 'ended',
      endedAt: at,
      outcome,
      endedBy: this.state.endedBy ?? fields.endedBy ?? (transferred ? 'deskline' : 'caller'),
      hangupCause: this.state.hangupCause ?? fields.cause,
      endReason: this.state.endReason ?? fields.reason ?? (transferred ? 'transferred' : undefined),
      playback: undefined,
    };
    this.note(at, 'ended', { outcome, endedBy: this.state.endedBy, cause: this.state.hangupCause, reason: this.state.endReason });
  }

  done(): Transition {
    return { next: { ...this.state, trailLength: this.state.trailLength + this.trail.length }, commands: this.commands, trail: this.trail };
  }
}
