/**
 * Vosk engine. libvosk.so comes from the npm package `vosk` (its own JavaScript, which needs
 * ffi-napi, is never loaded: ffi-napi/ref-napi are overridden by inert stubs in native/stubs);
 * the Deskline addon dlopens the library and calls its C API on worker threads.
 */
import { createRequire } from 'node:module';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { callNative, nativeAddon, type NativeVoskModel, type NativeVoskRecognizer } from './native.ts';
import { SpeechError, badArg } from './errors.ts';
import { SerialQueue } from './serial-queue.ts';
import type { RecognizedWord } from './pocketsphinx.ts';

/** Path of libvosk.so inside node_modules/vosk for this platform. */
export function findVoskLibrary(): string {
  let pkg: string;
  try {
    pkg = path.dirname(createRequire(import.meta.url).resolve('vosk/package.json'));
  } catch (cause) {
    throw new SpeechError('DESKLINE_NATIVE_LIBRARY_LOAD', 'npm package vosk is not installed (npm ci)', { cause });
  }
  const sub = process.platform === 'linux' && process.arch === 'x64' ? 'linux-x86_64/libvosk.so'
    : process.platform === 'darwin' ? 'osx-universal/libvosk.dylib'
    : process.platform === 'win32' ? 'win-x86_64/libvosk.dll' : undefined;
  const lib = sub && path.join(pkg, 'lib', sub);
  if (!lib || !existsSync(lib)) {
    throw new SpeechError('DESKLINE_NATIVE_LIBRARY_LOAD', `no libvosk for ${process.platform}-${process.arch} in ${pkg}/lib`);
  }
  return lib;
}

/** dlopens libvosk (once per process). */
export async function loadVoskLibrary(): Promise<string> {
  const lib = findVoskLibrary();
  await callNative(() => nativeAddon().loadVoskLibrary(lib));
  return lib;
}

export class VoskModel {
  private constructor(readonly native: NativeVoskModel, readonly dir: string) {}

  /** Loads a model directory (e.g. vosk-model-small-en-us-0.15). Errors name the path. */
  static async load(dir: string): Promise<VoskModel> {
    const abs = path.resolve(dir);
    if (!existsSync(abs) || !statSync(abs).isDirectory()) {
      throw new SpeechError('DESKLINE_NATIVE_MODEL_NOT_FOUND', `Vosk model directory not found: ${abs}`);
    }
    const lib = findVoskLibrary();
    return new VoskModel(await callNative(() => nativeAddon().loadVoskModel(lib, abs)), abs);
  }

  hasWord(word: string): boolean {
    return this.native.hasWord(word);
  }

  /** Recognizers already made keep the model alive. */
  free(): void {
    this.native.free();
  }
}

export interface VoskRecognizerOptions {
  sampleRate: 8000 | 16000;
  /** Restricts recognition to these phrases (runtime grammar); "[unk]" is added. */
  phrases?: string[];
  maxAlternatives?: number;
  words?: boolean;
}

export interface VoskFinal {
  text: string;
  words: RecognizedWord[];
  alternatives: { text: string; confidence: number }[];
}

export type VoskEvent = { kind: 'partial'; text: string } | { kind: 'final'; result: VoskFinal };

interface RawWord { word: string; start: number; end: number; conf?: number }
interface RawResult { text?: string; result?: RawWord[]; alternatives?: { text: string; confidence: number; result?: RawWord[] }[]; partial?: string }

export function parseVoskResult(json: string): VoskFinal {
  const raw = JSON.parse(json) as RawResult;
  const best = raw.alternatives?.[0];
  const words = (best?.result ?? raw.result ?? []).map((w) => ({
    word: w.word, startMs: Math.round(w.start * 1000), endMs: Math.round(w.end * 1000), confidence: w.conf ?? 1,
  }));
  return { text: (best?.text ?? raw.text ?? '').trim(), words, alternatives: raw.alternatives ?? [] };
}

export class VoskRecognizer {
  readonly #queue = new SerialQueue();
  private constructor(readonly native: NativeVoskRecognizer) {}

  static async create(model: VoskModel, options: VoskRecognizerOptions): Promise<VoskRecognizer> {
    if (options.sampleRate !== 8000 && options.sampleRate !== 16000) throw badArg('Vosk sampleRate must be 8000 or 16000');
    const max = options.maxAlternatives ?? 0;
    if (!Number.isInteger(max) || max < 0 || max > 20) throw badArg('maxAlternatives must be 0..20');
    let grammar = '';
    if (options.phrases) {
      const cleaned = options.phrases.map((p) => p.toLowerCase().trim()).filter(Boolean);
      if (cleaned.length === 0) throw badArg('phrase list is empty');
      grammar = JSON.stringify([...cleaned, '[unk]']);
    }
    const native = await callNative(() => nativeAddon().createVoskRecognizer(model.native, options.sampleRate, grammar));
    native.setOptions(max, options.words ?? true, false);
    return new VoskRecognizer(native);
  }


  accept(samples: Int16Array): Promise<VoskEvent> {
    if (!(samples instanceof Int16Array)) throw badArg('samples must be an Int16Array');
    return this.#queue.run(async () => {
      const { endpoint, json } = await callNative(() => this.native.accept(samples));
      return endpoint
        ? { kind: 'final', result: parseVoskResult(json) }
        : { kind: 'partial', text: ((JSON.parse(json) as RawResult).partial ?? '').trim() };
    });
  }

  finish(): Promise<VoskFinal> {
    return this.#queue.run(async () => parseVoskResult(await callNative(() => this.native.finish())));
  }

  free(): void {
    this.native.free();
  }
}
