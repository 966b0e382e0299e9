/**
 * The only module that loads the native addon (native/build/Release/deskline_native.node).
 * Everything else in Deskline goes through the typed wrappers in src/speech/*. Arguments are
 * validated by those wrappers before they reach C++.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { SpeechError, fromNative } from './errors.ts';

export interface NativeVadEvent { kind: 'start' | 'end'; sample: number; levelDb: number }
export interface NativeRtpStats {
  received: number; released: number; lost: number; reordered: number; concealedSamples: number;
  droppedMalformed: number; droppedOversize: number; droppedPayloadType: number;
  droppedLate: number; droppedDuplicate: number; ssrcChanges: number; restarts: number;
}
export interface NativeRtpSocketStats extends NativeRtpStats {
  datagrams: number; bytes: number; droppedForeignSource: number; droppedRateLimited: number;
  lastPacketAt: number | null; source: string | null;
}
export interface NativeRtpSocketOptions {
  port: number; payloadType: number; codec: 0 | 1 | 2; depth: number; maxPacketBytes: number;
  ratePerSecond: number; burst: number; flushMs: number; clockMs: number; clockFrozen: boolean;
}
/** Batched UDP/RTP receiver on the addon's shared receive thread (see native/src/bindings/rtp_socket.cc). */
export interface NativeRtpSocket {
  readonly port: number;
  stats(): NativeRtpSocketStats;
  setClock(ms: number, frozen: boolean): void;
  /** Stops receiving; returns the audio not yet delivered (16 kHz), if any. Idempotent. */
  close(): Int16Array | undefined;
}
export interface NativeSphinxSegment { word: string; startFrame: number; endFrame: number; posterior: number }
export interface NativeSphinxHypothesis {
  text: string; score: number; frames: number; inSpeech: boolean; segments: NativeSphinxSegment[];
}

export interface NativeSphinxDecoder {
  addSearch(kind: 'lm' | 'jsgf' | 'keyphrase', name: string, value: string): Promise<void>;
  addSearch(kind: 'lmMix', name: string, paths: string[], weights: number[]): Promise<void>;
  useSearch(name: string): void;
  lookupWord(word: string): string | null;
  addWord(word: string, phones: string): Promise<void>;
  startUtterance(): void;
  process(samples: Int16Array, fullUtterance: boolean, withHypothesis: true): Promise<NativeSphinxHypothesis>;
  process(samples: Int16Array, fullUtterance: boolean, withHypothesis: false): Promise<null>;
  endUtterance(): Promise<NativeSphinxHypothesis>;
  free(): void;
  readonly busy: boolean;
  readonly closed: boolean;
}

export interface NativeVoskModel { hasWord(word: string): boolean; free(): void }
export interface NativeVoskRecognizer {
  setOptions(maxAlternatives: number, words: boolean, partialWords: boolean): void;
  accept(samples: Int16Array): Promise<{ endpoint: boolean; json: string }>;
  finish(): Promise<string>;
  reset(): void;
  free(): void;
  readonly closed: boolean;
}

export interface NativeAddon {
  g711Decode(law: 0 | 1, codes: Uint8Array): Int16Array;
  g711Encode(law: 0 | 1, samples: Int16Array): Uint8Array;
  upsamplerPrototype(): Float64Array;
  Upsampler: new () => { process(samples: Int16Array): Int16Array; reset(): void };
  Vad: new (options: Record<string, number>) => {
    process(samples: Int16Array): NativeVadEvent[];
    readonly inSpeech: boolean;
    readonly noiseFloorDb: number;
  };
  RtpDepacketizer: new (options: Record<string, number>) => {
    push(datagram: Uint8Array): Int16Array;
    flush(): Int16Array;
    stats(): NativeRtpStats;
  };
  /** Absent in addons built before it existed (RtpReceiver then uses its JS engine). */
  NativeRtpSocket?: new (options: NativeRtpSocketOptions, onBatch: (pcm16k: Int16Array | undefined) => void) => NativeRtpSocket;
  createSphinxDecoder(args: string[]): Promise<NativeSphinxDecoder>;
  loadVoskLibrary(libraryPath: string): Promise<void>;
  loadVoskModel(libraryPath: string, modelDir: string): Promise<NativeVoskModel>;
  createVoskRecognizer(model: NativeVoskModel, sampleRate: number, grammarJson: string): Promise<NativeVoskRecognizer>;
}

export const addonPath = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../native/build/Release/deskline_native.node',
);

let loaded: NativeAddon | undefined;

/** The addon, loaded on first use. Throws DESKLINE_NATIVE_NOT_BUILT with the fix if missing. */
export function nativeAddon(): NativeAddon {
  if (loaded) return loaded;
  try {
    loaded = createRequire(import.meta.url)(addonPath) as NativeAddon;
  } catch (cause) {
    throw new SpeechError(
      'DESKLINE_NATIVE_NOT_BUILT',
      `cannot load ${addonPath} (run "npm run build:native"): ${(cause as Error).message}`,
      { cause },
    );
  }
  return loaded;
}

/** Runs a native call; errors come back as SpeechError with the caller's stack. */
export async function callNative<T>(fn: () => Promise<T>): Promise<T> {
  const caller = new Error().stack;
  try {
    return await fn();
  } catch (error) {
    throw fromNative(error, caller);
  }
}

/** Synchronous variant of callNative. */
export function callNativeSync<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw fromNative(error, new Error().stack);
  }
}
