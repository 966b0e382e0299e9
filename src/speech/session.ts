/**
 * A transcription session for one audio leg: 16 kHz PCM in, speech-start / partial / final
 * events out. It endpoints turns with the VAD, keeps a pre-roll so the first syllable is not
 * lost, feeds the engine while the caller speaks (partials) and has it produce one final
 * result per turn. Used by calls (RTP) and by `deskline stt transcribe` (files) alike.
 */
import { VoiceActivityDetector, type VadOptions } from './dsp.ts';
import { PocketsphinxDecoder, type RecognizedWord } from './pocketsphinx.ts';
import type { VoskRecognizer } from './vosk.ts';
import { concat } from './pcm.ts';

export type SttEvent =
  | { type: 'speech-start'; atMs: number }
  | { type: 'partial'; text: string; atMs: number }
  | { type: 'final'; text: string; words: RecognizedWord[]; startMs: number; endMs: number; decodeMs: number };

/** What a session needs from an engine, per turn. */
export interface TurnRecognizer {
  beginTurn(preroll: Int16Array): Promise<void>;
  /** Audio while the turn goes on; returns the partial text when asked. */
  feed(samples: Int16Array, wantPartial: boolean): Promise<string | null>;
  /** The turn ended; `turn` is all of its audio (pre-roll included). */
  endTurn(turn: Int16Array): Promise<{ text: string; words: RecognizedWord[] }>;
}

/** pocketsphinx: streaming pass for partials, then the whole turn decoded at once for the final. */
export function pocketsphinxTurns(decoder: PocketsphinxDecoder, options: { partials: boolean }): TurnRecognizer {
  return {
    async beginTurn(preroll) {
      if (!options.partials) return;
      await decoder.startUtterance();
      await decoder.process(preroll, false);
    },
    async feed(samples, wantPartial) {
      if (!options.partials) return null;
      return decoder.process(samples, wantPartial);
    },
    async endTurn(turn) {
      if (options.partials) await decoder.endUtterance();
      const t = await decoder.decodeUtterance(turn);
      return { text: t.text, words: t.words };
    },
  };
}

/** Vosk: streams everything; its final result for the turn comes from finish(). */
export function voskTurns(recognizer: VoskRecognizer): TurnRecognizer {
  let carried: { text: string; words: RecognizedWord[] }[] = [];
  return {
    async beginTurn(preroll) {
      carried = [];
      await recognizer.accept(preroll);
    },
    async feed(samples) {
      const e = await recognizer.accept(samples);
      if (e.kind === 'final') carried.push(e.result);  // Vosk endpointed inside our turn
      return e.kind === 'partial' ? [...carried.map((c) => c.text), e.text].filter(Boolean).join(' ') : e.result.text;
    },
    async endTurn() {
      const last = await recognizer.finish();
      const all = [...carried, last];
      return { text: all.map((r) => r.text).filter(Boolean).join(' '), words: all.flatMap((r) => r.words) };
    },
  };
}

export interface SessionOptions {
  vad?: Omit<VadOptions, 'sampleRate'>;
  /** Partial results at most this often while speech goes on (audio time). */
  partialEveryMs?: number;
  prerollMs?: number;
  /** Monotonic clock in ms, for decode timings (injected in tests). */
  now?: () => number;
}

const RATE = 16000;

export class TranscriptionSession {
  readonly #vad: VoiceActivityDetector;
  readonly #partialEvery: number;
  readonly #prerollSamples: number;
  readonly #now: () => number;
  #samples = 0;
  #history: Int16Array[] = [];  // recent audio, enough for the pre-roll
  #turn: Int16Array[] | undefined;
  #turnStart = 0;
  #lastPartialAt = 0;

  constructor(readonly engine: TurnRecognizer, options: SessionOptions = {}) {
    this.#vad = new VoiceActivityDetector({ ...options.vad, sampleRate: RATE });
    this.#partialEvery = ((options.partialEveryMs ?? 250) * RATE) / 1000;
    this.#prerollSamples = ((options.prerollMs ?? 300) * RATE) / 1000;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Feeds 16 kHz audio (any chunk size; 20 ms is typical). */
  async push(chunk: Int16Array): Promise<SttEvent[]> {
    const events: SttEvent[] = [];
    const chunkStart = this.#samples;
    this.#samples += chunk.length;
    this.#history.push(chunk);
    // Keep the pre-roll plus 1 s: the VAD reports a start after its start delay, back-dated.
    const keep = this.#prerollSamples + RATE + chunk.length;
    while (this.#history.length > 1 && this.#historyLength() - this.#history[0]!.length >= keep) this.#history.shift();
    for (const e of this.#vad.process(chunk)) {
      if (e.kind === 'start' && !this.#turn) {
        const from = Math.max(0, e.sample - this.#prerollSamples);
        const audio = concat(...this.#history);
        const begin = this.#samples - audio.length;
        const preroll = audio.subarray(Math.max(0, from - begin), chunkStart - begin);
        this.#turn = [preroll.slice()];
        this.#turnStart = Math.max(from, begin);
        this.#lastPartialAt = chunkStart;
        await this.engine.beginTurn(preroll.slice());
        events.push({ type: 'speech-start', atMs: (e.sample * 1000) / RATE });
      } else if (e.kind === 'end' && this.#turn) {
        this.#turn.push(chunk);
        events.push(await this.#finish(e.sample));
        return events;
      }
    }
    if (this.#turn) {
      this.#turn.push(chunk);
      const due = this.#samples - this.#lastPartialAt >= this.#partialEvery;
      const text = await this.engine.feed(chunk, due);
      if (due) {
        this.#lastPartialAt = this.#samples;
        if (text) events.push({ type: 'partial', text, atMs: (this.#samples * 1000) / RATE });
      }
    }
    return events;
  }

  /** End of the stream: finishes an open turn. */
  async end(): Promise<SttEvent[]> {
    return this.#turn ? [await this.#finish(this.#samples)] : [];
  }

  #historyLength(): number {
    return this.#history.reduce((n, c) => n + c.length, 0);
  }

  async #finish(endSample: number): Promise<SttEvent> {
    const turn = concat(...this.#turn!);
    this.#turn = undefined;
    const started = this.#now();
    const result = await this.engine.endTurn(turn);
    const offset = (this.#turnStart * 1000) / RATE;
    return {
      type: 'final',
      text: result.text,
      words: result.words.map((w) => ({ ...w, startMs: w.startMs + offset, endMs: w.endMs + offset })),
      startMs: offset,
      endMs: (Math.min(endSample, this.#samples) * 1000) / RATE,
      decodeMs: Math.round((this.#now() - started) * 10) / 10,
    };
  }
}
