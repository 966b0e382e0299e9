// Speech input for flows (gather-speech, the FAQ bot): the caller's next utterance, taken from
// the call's live transcription. The transcriber endpoints turns at ~220 ms of quiet and decodes
// each whole, so "listening" is collecting the caller leg's finals, with three allowances real
// callers need:
// - callers start before the question ends: a turn under way when listening starts, and a final
//   that came in just before, count (the caller was answering this question);
// - callers pause mid-sentence: after a final, a short continuation window lets the next turn
//   join the same answer ("are you open … on Saturday mornings");
// - silence ends the wait after the flow's timeout; a turn that never ends, after maxTurnMs.
import type { Clock, TimerHandle } from '../core/clock.ts';
import type { SpeechListener } from './outside-effects.ts';
import type { CallTranscription, TranscriptEvent } from './call-transcription.ts';
import type { CallState } from './call-types.ts';

/** One final: its text, and the other search's hypothesis of it when the engine has one. */
interface Heard {
  text: string;
  confidence: number;
  alternative?: string;
}

/** What the caller said: the answer's text and, when the engine heard it two ways, the other reading. */
export interface SpeechHeard {
  text: string;
  confidence: number;
  alternatives?: string[];
}

interface Waiting {
  resolve(heard: SpeechHeard): void;
  timer: TimerHandle;
  /** The caller is in a turn: wait for its final instead of the silence timeout. */
  speaking: boolean;
  heard: Heard[];
  timeoutMs: number;
}

/** What the caller said lately, between listens. */
interface Recent {
  finals: (Heard & { at: number })[];
  /** A partial with words came after the last final: a turn is under way. */
  inTurnSince?: number;
}

export interface SpeechGatherOptions {
  transcription: Pick<CallTranscription, 'on' | 'ensure'>;
  calls: { on(event: 'ended', fn: (state: CallState) => void): unknown; state(callId: string): CallState | undefined };
  clock: Clock;
  /** Longest a started turn may take to come back as text (a caller who talks on and on). */
  maxTurnMs?: number;
  /** After a final, how long the caller may pause and go on with the same answer. */
  continueMs?: number;
  /** A final this recent when listening starts answers this question (the caller spoke early). */
  earlyMs?: number;
}

const nothing: SpeechHeard = { text: '', confidence: 0 };

function heardOf(event: TranscriptEvent, text: string): Heard {
  const alternative = event.alternatives?.[0]?.trim();
  return { text, confidence: event.confidence ?? 0, ...(alternative ? { alternative } : {}) };
}

export class SpeechGather implements SpeechListener {
  private readonly waiting = new Map<string, Waiting>();
  private readonly recent = new Map<string, Recent>();
  private readonly maxTurnMs: number;
  private readonly continueMs: number;
  private readonly earlyMs: number;

  constructor(private readonly options: SpeechGatherOptions) {
    this.maxTurnMs = options.maxTurnMs ?? 30_000;
    this.continueMs = options.continueMs ?? 700;
    this.earlyMs = options.earlyMs ?? 2_000;
    options.transcription.on('transcript', (state, event) => this.heard(state.callId, event));
    options.calls.on('ended', (state) => {
      this.recent.delete(state.callId);
      this.settle(state.callId);
    });
  }

  listen(callId: string, { timeoutMs }: { timeoutMs: number; language: string }): Promise<SpeechHeard> {
    // A flow that listens needs the caller leg transcribed; normally it already is from entry.
    const state = this.options.calls.state(callId);
    if (!state || state.phase === 'ended') return Promise.resolve(nothing);
    this.options.transcription.ensure(state, 'caller');
    this.settle(callId);
    const now = this.options.clock.now();
    const recent = this.recent.get(callId);
    this.recent.delete(callId);
    return new Promise((resolve) => {
      const waiting: Waiting = { resolve, timer: { cancel: () => undefined }, speaking: false, heard: [], timeoutMs };
      this.waiting.set(callId, waiting);
      waiting.heard = (recent?.finals ?? []).filter((f) => now - f.at <= this.earlyMs).map(({ at: _at, ...heard }) => heard);
      if (recent?.inTurnSince !== undefined) this.speaking(callId, waiting);
      else if (waiting.heard.length) this.arm(callId, waiting, this.continueMs, () => this.settle(callId));
      else this.armSilence(callId, waiting);
    });
  }

  private heard(callId: string, event: TranscriptEvent): void {
    if (event.leg !== 'caller') return;
    const waiting = this.waiting.get(callId);
    const words = event.text.trim();
    if (!waiting) {
      // Not listening: remember the latest turn in case a question is about to be asked.
      const recent = this.recent.get(callId) ?? { finals: [] };
      if (event.type === 'partial' && words) recent.inTurnSince ??= this.options.clock.now();
      if (event.type === 'final') {
        recent.inTurnSince = undefined;
        if (words) recent.finals = [...recent.finals.slice(-4), { ...heardOf(event, words), at: this.options.clock.now() }];
      }
      this.recent.set(callId, recent);
      return;
    }
    if (event.type === 'partial') {
      if (words && !waiting.speaking) this.speaking(callId, waiting);
      return;
    }
    waiting.speaking = false;
    // A final with no words (a cough, line noise) is not an answer.
    if (words) waiting.heard.push(heardOf(event, words));
    if (waiting.heard.length) this.arm(callId, waiting, this.continueMs, () => this.settle(callId));
    else this.armSilence(callId, waiting);
  }

  private speaking(callId: string, waiting: Waiting): void {
    waiting.speaking = true;
    this.arm(callId, waiting, this.maxTurnMs, () => this.settle(callId));
  }

  private armSilence(callId: string, waiting: Waiting): void {
    this.arm(callId, waiting, waiting.timeoutMs, () => this.settle(callId));
  }

  private arm(callId: string, waiting: Waiting, ms: number, fn: () => void): void {
    waiting.timer.cancel();
    waiting.timer = this.options.clock.at(this.options.clock.now() + ms, () => {
      if (this.waiting.get(callId) === waiting) fn();
    });
  }

  private settle(callId: string): void {
    const waiting = this.waiting.get(callId);
    if (!waiting) return;
    this.waiting.delete(callId);
    waiting.timer.cancel();
    if (!waiting.heard.length) return waiting.resolve(nothing);
    const confidence = waiting.heard.reduce((sum, h) => sum + h.confidence, 0) / waiting.heard.length;
    const text = waiting.heard.map((h) => h.text).join(' ');
    // Turns the other search did not hear differently keep their text in the other reading.
    const alternative = waiting.heard.some((h) => h.alternative) ? waiting.heard.map((h) => h.alternative ?? h.text).join(' ') : undefined;
    waiting.resolve({ text, confidence, ...(alternative && alternative !== text ? { alternatives: [alternative] } : {}) });
  }
}
