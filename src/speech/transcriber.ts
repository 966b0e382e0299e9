/**
 * Live transcription of one call leg: 16 kHz PCM in (from an RtpReceiver), partial and final
 * results out, with times relative to the session start (the call). Turns are endpointed by the
 * VAD and each is decoded whole (TranscriptionSession, the same code `deskline stt transcribe`
 * uses); partials come every 250 ms of speech from a streaming pass.
 *
 * push() never blocks the socket handler: audio is queued and processed in order on the engine.
 * If the engine falls behind by more than maxBacklogMs, new audio is dropped (counted) and the
 * time line skips ahead so later results still line up with the call.
 *
 * Times: the first audio anchors stream position 0 to the session clock; after that, time is
 * the audio's own position. Gaps in the stream are the depacketizer's job (it fills lost packets
 * and pauses up to 1 s from the RTP timestamps); event-loop stalls that deliver packets in a burst
 * therefore do not shift the time line.
 */
import { TranscriptionSession, type EngineLease, type SpeechEngine, type SttEvent } from './session.ts';
import type { RecognizedWord } from './pocketsphinx.ts';
import { badArg } from './errors.ts';

export type Leg = 'caller' | 'agent';

export interface TranscriptEvent {
  type: 'partial' | 'final';
  leg: Leg;
  /** Partials: the hypothesis so far (may be empty right at the start of a turn). */
  text: string;
  /** Turn start and (partial: audio so far / final: end of speech), ms since the session start. */
  startMs: number;
  endMs: number;
  /** Finals only: words with times since the session start, and their mean confidence. */
  words?: RecognizedWord[];
  confidence?: number;
  /** Finals: the same turn heard by another search (see SttEvent). */
  alternatives?: string[];
  /** Partials: a whole-turn hypothesis decoded after the caller went quiet (the final follows). */
  settled?: true;
}

export interface TranscriberOptions {
  leg: Leg;
  onEvent(event: TranscriptEvent): void;
  /** Engine failures and exceptions thrown by onEvent (the session goes on with the next audio). */
  onError?(error: unknown): void;
  /** Streaming partials (costs a second decoding pass); default true. */
  partials?: boolean;
  partialEveryMs?: number;
  /** Silence that ends a turn; default 220 ms. The whole-turn decode starts speculatively when the caller goes quiet, so end of speech → final is about this. */
  hangoverMs?: number;
  /** Speech onset needed to open a turn; default 60 ms. */
  vadStartMs?: number;
  maxTurnMs?: number;
  /** Audio queued beyond this (engine too slow) is dropped; default 5000 ms. */
  maxBacklogMs?: number;
  /** Monotonic clock in ms (injected in tests); the session starts at open(). */
  now?: () => number;
}

export interface TranscriberStats {
  /** Audio taken in, queued and not yet processed, dropped for backlog (ms). */
  audioMs: number;
  backlogMs: number;
  droppedMs: number;
  partials: number;
  finals: number;
  errors: number;
}

const RATE = 16000;
const toMs = (samples: number) => (samples * 1000) / RATE;

type Op = { kind: 'audio'; samples: Int16Array } | { kind: 'skip'; ms: number };

export class Transcriber {
  readonly #lease: EngineLease;
  readonly #session: TranscriptionSession;
  readonly #options: TranscriberOptions;
  readonly #now: () => number;
  readonly #openedAt: number;
  #offsetMs: number | undefined;  // session time of stream position 0 (set at the first audio)
  #queue: Op[] = [];
  #queuedSamples = 0;
  #draining: Promise<void> | undefined;
  #closing: Promise<void> | undefined;
  #stats: TranscriberStats = { audioMs: 0, backlogMs: 0, droppedMs: 0, partials: 0, finals: 0, errors: 0 };

  private constructor(lease: EngineLease, options: TranscriberOptions) {
    this.#lease = lease;
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
    this.#openedAt = this.#now();
    this.#session = new TranscriptionSession(lease.turns, {
      partialEveryMs: options.partialEveryMs ?? 250,
      emptyPartials: true,
      now: this.#now,
      vad: { hangoverMs: options.hangoverMs ?? 220, startMs: options.vadStartMs ?? 60, maxUtteranceMs: options.maxTurnMs ?? 30_000 },
      // Decoded while the drain waits for the final: reported at once, not after it.
      onEarly: (e) => this.#emitSafely(e),
    });
  }

  static async open(engine: SpeechEngine, options: TranscriberOptions): Promise<Transcriber> {
    if (options.leg !== 'caller' && options.leg !== 'agent') throw badArg(`leg must be caller or agent, got ${String(options.leg)}`);
    if (typeof options.onEvent !== 'function') throw badArg('onEvent must be a function');
    const lease = await engine.open({ partials: options.partials ?? true });
    try {
      return new Transcriber(lease, options);
    } catch (error) {
      lease.release();
      throw error;
    }
  }

  get stats(): TranscriberStats {
    return { ...this.#stats, backlogMs: toMs(this.#queuedSamples) };
  }

  /** Takes 16 kHz audio as it arrives (any length). Never throws on audio; ignored after close(). */
  push(samples16k: Int16Array): void {
    if (this.#closing) return;
    if (!(samples16k instanceof Int16Array)) throw badArg('push() takes an Int16Array of 16 kHz samples');
    if (samples16k.length === 0) return;
    this.#stats.audioMs += toMs(samples16k.length);
    this.#offsetMs ??= this.#now() - this.#openedAt - toMs(samples16k.length);  // this audio ends now
    if (toMs(this.#queuedSamples + samples16k.length) > (this.#options.maxBacklogMs ?? 5000)) {
      this.#stats.droppedMs += toMs(samples16k.length);
      this.#enqueue({ kind: 'skip', ms: toMs(samples16k.length) });
    } else {
      this.#enqueue({ kind: 'audio', samples: samples16k.slice() });
    }
  }

  #enqueue(op: Op): void {
    this.#queue.push(op);
    if (op.kind === 'audio') this.#queuedSamples += op.samples.length;
    this.#draining ??= this.#drain().finally(() => (this.#draining = undefined));
  }

  async #drain(): Promise<void> {
    for (let op = this.#queue.shift(); op; op = this.#queue.shift()) {
      if (op.kind === 'skip') {
        // The engine never sees skipped audio: close the turn, then move the time line on.
        await this.#run(() => this.#session.end());
        this.#offsetMs = (this.#offsetMs ?? 0) + op.ms;
        continue;
      }
      this.#queuedSamples -= op.samples.length;
      const samples = op.samples;
      await this.#run(() => this.#session.push(samples));
    }
  }

  async #run(step: () => Promise<SttEvent[]>): Promise<void> {
    let events: SttEvent[];
    try {
      events = await step();
    } catch (error) {
      this.#stats.errors++;
      this.#options.onError?.(error);
      return;
    }
    for (const e of events) this.#emitSafely(e);
  }

  #emitSafely(e: SttEvent): void {
    try {
      this.#emit(e);
    } catch (error) {  // a throwing onEvent must not stop the leg
      this.#stats.errors++;
      this.#options.onError?.(error);
    }
  }

  #emit(e: SttEvent): void {
    const offset = this.#offsetMs ?? 0;
    const at = (ms: number) => Math.round(offset + ms);
    const leg = this.#options.leg;
    if (e.type === 'partial') {
      this.#stats.partials++;
      this.#options.onEvent({ type: 'partial', leg, text: e.text, startMs: at(e.turnStartMs), endMs: at(e.atMs), ...(e.settled ? { settled: true as const } : {}) });
    } else if (e.type === 'final') {
      this.#stats.finals++;
      const words = e.words.map((w) => ({ ...w, startMs: at(w.startMs), endMs: at(w.endMs) }));
      const confidence = words.length ? words.reduce((s, w) => s + w.confidence, 0) / words.length : 0;
      this.#options.onEvent({ type: 'final', leg, text: e.text, startMs: at(e.startMs), endMs: at(e.endMs), words, confidence, ...(e.alternatives ? { alternatives: e.alternatives } : {}) });
    }
  }

  /** Resolves when all audio pushed so far has been processed. */
  async idle(): Promise<void> {
    while (this.#draining) await this.#draining;
  }

  /** Processes what is queued, finishes the open turn (its final is emitted), frees the decoder. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      try {
        await this.idle();
        await this.#run(() => this.#session.end());
      } finally {
        this.#lease.release();
      }
    })();
    return this.#closing;
  }
}
