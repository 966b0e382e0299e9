// Speech input for flows (gather-speech, the FAQ bot): the caller's next turn, taken from the
// call's live transcription. The transcriber already endpoints turns and decodes each whole, so
// "listening" is waiting for the next final of the caller leg, with a timeout for silence.
import type { Clock, TimerHandle } from '../core/clock.ts';
import type { SpeechListener } from './outside-effects.ts';
import type { CallTranscription, TranscriptEvent } from './call-transcription.ts';
import type { CallState } from './call-types.ts';

interface Waiting {
  resolve(heard: { text: string; confidence: number }): void;
  timer: TimerHandle;
  /** The caller started a turn: wait for its final instead of the silence timeout. */
  speaking: boolean;
  timeoutMs: number;
}

export interface SpeechGatherOptions {
  transcription: Pick<CallTranscription, 'on' | 'ensure'>;
  calls: { on(event: 'ended', fn: (state: CallState) => void): unknown; state(callId: string): CallState | undefined };
  clock: Clock;
  /** Longest a started turn may take to come back as text (a caller who talks on and on). */
  maxTurnMs?: number;
}

export class SpeechGather implements SpeechListener {
  private readonly waiting = new Map<string, Waiting>();
  private readonly maxTurnMs: number;

  constructor(private readonly options: SpeechGatherOptions) {
    this.maxTurnMs = options.maxTurnMs ?? 30_000;
    options.transcription.on('transcript', (state, event) => this.heard(state.callId, event));
    options.calls.on('ended', (state) => this.settle(state.callId, { text: '', confidence: 0 }));
  }

  listen(callId: string, { timeoutMs }: { timeoutMs: number; language: string }): Promise<{ text: string; confidence: number }> {
    // A flow that listens needs the caller leg transcribed; normally it already is from entry.
    const state = this.options.calls.state(callId);
    if (!state || state.phase === 'ended') return Promise.resolve({ text: '', confidence: 0 });
    this.options.transcription.ensure(state, 'caller');
    this.settle(callId, { text: '', confidence: 0 });
    return new Promise((resolve) => {
      const timer = this.options.clock.at(this.options.clock.now() + timeoutMs, () => {
        if (!this.waiting.get(callId)?.speaking) this.settle(callId, { text: '', confidence: 0 });
      });
      this.waiting.set(callId, { resolve, timer, speaking: false, timeoutMs });
    });
  }

  private heard(callId: string, event: TranscriptEvent): void {
    const waiting = this.waiting.get(callId);
    if (!waiting || event.leg !== 'caller') return;
    if (event.type === 'partial') {
      if (waiting.speaking || !event.text.trim()) return;
      waiting.speaking = true;
      waiting.timer.cancel();
      waiting.timer = this.options.clock.at(this.options.clock.now() + this.maxTurnMs, () => this.settle(callId, { text: '', confidence: 0 }));
      return;
    }
    // A final with no words (a cough, line noise) is not an answer: listen on, as if from the start.
    if (!event.text.trim()) {
      waiting.speaking = false;
      waiting.timer.cancel();
      waiting.timer = this.options.clock.at(this.options.clock.now() + waiting.timeoutMs, () => {
        if (!this.waiting.get(callId)?.speaking) this.settle(callId, { text: '', confidence: 0 });
      });
      return;
    }
    this.settle(callId, { text: event.text, confidence: event.confidence ?? 0 });
  }

  private settle(callId: string, heard: { text: string; confidence: number }): void {
    const waiting = this.waiting.get(callId);
    if (!waiting) return;
    this.waiting.delete(callId);
    waiting.timer.cancel();
    waiting.resolve(heard);
  }
}
