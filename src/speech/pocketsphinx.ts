/**
 * pocketsphinx engine (Debian libpocketsphinx 0.8+5prealpha + pocketsphinx-en-us, 16 kHz
 * acoustic model). Calls on one decoder are queued, so callers need not await each one before
 * the next; native work runs on worker threads.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { callNative, callNativeSync, nativeAddon, type NativeSphinxDecoder, type NativeSphinxHypothesis } from './native.ts';
import { SpeechError, badArg } from './errors.ts';
import { SerialQueue } from './serial-queue.ts';

export const DEFAULT_POCKETSPHINX_MODEL = '/usr/share/pocketsphinx/model/en-us';

export type SphinxSearch =
  | { kind: 'lm'; path: string }
  | { kind: 'lmMix'; paths: string[]; weights: number[] }
  | { kind: 'jsgf'; grammar: string }
  | { kind: 'keyphrase'; phrase: string };

export interface PocketsphinxOptions {
  /** Acoustic model directory (default: Debian's en-us). */
  hmm?: string;
  /** Pronunciation dictionary (default: the model's cmudict). */
  dict?: string;
  /** Searches to add at start; the first becomes active. */
  searches?: Record<string, SphinxSearch>;
  /** Further pocketsphinx flags, e.g. { '-kws_threshold': '1e-20' }. */
  args?: Record<string, string>;
}

export interface RecognizedWord {
  word: string;
  startMs: number;
  endMs: number;
  /** Posterior probability 0..1 from the lattice (1 when not computed). */
  confidence: number;
}

export interface Transcript {
  text: string;
  words: RecognizedWord[];
  /** Audio decoded, in ms (10 ms frames). */
  audioMs: number;
}

const FILLER = /^(<s>|<\/s>|<sil>|\[.*\]|\+\+.*\+\+)$/i;

export function toTranscript(h: NativeSphinxHypothesis): Transcript {
  const words = h.segments
    .filter((s) => !FILLER.test(s.word))
    .map((s) => ({
      word: s.word.replace(/\(\d+\)$/, ''),
      startMs: s.startFrame * 10,
      endMs: (s.endFrame + 1) * 10,
      confidence: Math.min(1, Math.max(0, s.posterior)),
    }));
  return { text: h.text.trim(), words, audioMs: h.frames * 10 };
}

function checkSearch(name: string, s: SphinxSearch): void {
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw badArg(`bad search name "${name}"`);
  if (s.kind === 'lm') {
    if (!existsSync(s.path)) throw new SpeechError('DESKLINE_NATIVE_MODEL_NOT_FOUND', `no such language model: ${s.path}`);
  } else if (s.kind === 'lmMix') {
    if (s.paths.length === 0 || s.paths.length !== s.weights.length) throw badArg('lmMix needs as many weights as paths');
    if (!s.weights.every((w) => Number.isFinite(w) && w > 0)) throw badArg('lmMix weights must be positive');
    for (const p of s.paths) if (!existsSync(p)) throw new SpeechError('DESKLINE_NATIVE_MODEL_NOT_FOUND', `no such language model: ${p}`);
  } else if (s.kind === 'jsgf') {
    if (!s.grammar.includes('public')) throw badArg('JSGF grammar has no public rule');
  } else if (s.kind === 'keyphrase') {
    if (!s.phrase.trim()) throw badArg('empty keyphrase');
  } else {
    throw badArg(`unknown search kind ${(s as { kind: string }).kind}`);
  }
}

export class PocketsphinxDecoder {
  readonly #queue = new SerialQueue();
  #native: NativeSphinxDecoder;

  private constructor(native: NativeSphinxDecoder) {
    this.#native = native;
  }

  static async create(options: PocketsphinxOptions = {}): Promise<PocketsphinxDecoder> {
    const hmm = options.hmm ?? path.join(DEFAULT_POCKETSPHINX_MODEL, 'en-us');
    const dict = options.dict ?? path.join(DEFAULT_POCKETSPHINX_MODEL, 'cmudict-en-us.dict');
    for (const [what, p] of [['acoustic model', hmm], ['dictionary', dict]] as const) {
      if (!existsSync(p)) throw new SpeechError('DESKLINE_NATIVE_MODEL_NOT_FOUND', `pocketsphinx ${what} not found: ${p}`);
    }
    const args = ['-hmm', hmm, '-dict', dict];
    for (const [k, v] of Object.entries(options.args ?? {})) {
      if (!/^-[a-z_]+$/.test(k) || ['-hmm', '-dict', '-logfn'].includes(k)) throw badArg(`pocketsphinx flag not allowed: ${k}`);
      args.push(k, String(v));
    }
    const searches = Object.entries(options.searches ?? {});
    for (const [name, s] of searches) checkSearch(name, s);
    const native = await callNative(() => nativeAddon().createSphinxDecoder(args));
    const decoder = new PocketsphinxDecoder(native);
    try {
      for (const [name, s] of searches) await decoder.addSearch(name, s);
      if (searches[0]) decoder.useSearch(searches[0][0]);
    } catch (error) {
      decoder.free();
      throw error;
    }
    return decoder;
  }


  addSearch(name: string, search: SphinxSearch): Promise<void> {
    checkSearch(name, search);
    return this.#queue.run(() =>
      callNative(() => {
        switch (search.kind) {
          case 'lm': return this.#native.addSearch('lm', name, path.resolve(search.path));
          case 'lmMix': return this.#native.addSearch('lmMix', name, search.paths.map((p) => path.resolve(p)), search.weights);
          case 'jsgf': return this.#native.addSearch('jsgf', name, search.grammar);
          case 'keyphrase': return this.#native.addSearch('keyphrase', name, search.phrase.toLowerCase());
        }
      }),
    );
  }

  /** Switches the active search (between utterances). */
  useSearch(name: string): void {
    callNativeSync(() => this.#native.useSearch(name));
  }

  /** The word's pronunciation in the loaded dictionary, or null. */
  lookupWord(word: string): string | null {
    return callNativeSync(() => this.#native.lookupWord(word));
  }

  addWord(word: string, phones: string): Promise<void> {
    return this.#queue.run(() => callNative(() => this.#native.addWord(word, phones)));
  }

  /** Decodes one whole caller turn at once (best accuracy: normalization over the turn). */
  decodeUtterance(samples: Int16Array): Promise<Transcript> {
    if (!(samples instanceof Int16Array)) throw badArg('samples must be an Int16Array');
    return this.#queue.run(() =>
      callNative(async () => {
        this.#native.startUtterance();
        await this.#native.process(samples, true, false);
        return toTranscript(await this.#native.endUtterance());
      }),
    );
  }

  /** Streaming: start, feed chunks (optionally getting the partial hypothesis), end. */
  startUtterance(): Promise<void> {
    return this.#queue.run(async () => callNativeSync(() => this.#native.startUtterance()));
  }

  process(samples: Int16Array, withPartial: boolean): Promise<string | null> {
    if (!(samples instanceof Int16Array)) throw badArg('samples must be an Int16Array');
    return this.#queue.run(() =>
      callNative(async () => {
        if (withPartial) return (await this.#native.process(samples, false, true)).text.trim();
        await this.#native.process(samples, false, false);
        return null;
      }),
    );
  }

  endUtterance(): Promise<Transcript> {
    return this.#queue.run(() => callNative(async () => toTranscript(await this.#native.endUtterance())));
  }

  /** Frees the native decoder (after the running operation, if any). Idempotent. */
  free(): void {
    this.#native.free();
  }

  get closed(): boolean {
    return this.#native.closed;
  }
}
