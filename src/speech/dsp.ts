/** Audio DSP from the native addon, with arguments checked here (the C++ side trusts them). */
import { nativeAddon, callNativeSync, type NativeRtpStats, type NativeVadEvent } from './native.ts';
import { badArg } from './errors.ts';

export type G711Law = 'ulaw' | 'alaw';
const lawCode = (law: G711Law): 0 | 1 => {
  if (law !== 'ulaw' && law !== 'alaw') throw badArg(`unknown G.711 law: ${String(law)}`);
  return law === 'ulaw' ? 0 : 1;
};

function requireInt16(samples: unknown): Int16Array {
  if (!(samples instanceof Int16Array)) throw badArg('samples must be an Int16Array');
  return samples;
}

function requireBytes(bytes: unknown): Uint8Array {
  if (!(bytes instanceof Uint8Array)) throw badArg('expected a Uint8Array or Buffer');
  return bytes;
}

/** G.711 code words to 16-bit linear PCM (ITU-T G.191 reference values). */
export function decodeG711(law: G711Law, codes: Uint8Array): Int16Array {
  return nativeAddon().g711Decode(lawCode(law), requireBytes(codes));
}

/** 16-bit linear PCM to G.711 code words (ITU-T G.191 reference quantization). */
export function encodeG711(law: G711Law, samples: Int16Array): Uint8Array {
  return nativeAddon().g711Encode(lawCode(law), requireInt16(samples));
}

/** Taps of the 8 → 16 kHz anti-imaging low-pass (designed for a 16 kHz rate, DC gain 2). */
export function upsamplerTaps(): Float64Array {
  return nativeAddon().upsamplerPrototype();
}

/** Streaming 8 kHz → 16 kHz resampler (polyphase windowed-sinc, ~4 ms delay). */
export class Upsampler8to16 {
  readonly #native = new (nativeAddon().Upsampler)();
  /** Returns twice as many samples as given; state carries across calls. */
  process(samples: Int16Array): Int16Array {
    return this.#native.process(requireInt16(samples));
  }
  reset(): void {
    this.#native.reset();
  }
}

export interface VadOptions {
  sampleRate: 8000 | 16000;
  frameMs?: number;
  /** dB above the tracked noise floor for a frame to count as speech. */
  marginDb?: number;
  /** Frames quieter than this (dBFS) are never speech. */
  minDb?: number;
  startMs?: number;
  hangoverMs?: number;
  maxUtteranceMs?: number;
}

export interface VadEvent {
  kind: 'start' | 'end';
  /** Position in the stream in samples (start: first speech frame; end: after the last one). */
  sample: number;
  levelDb: number;
}

function checkNumber(name: string, value: unknown, min: number, max: number): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw badArg(`VAD option ${name} must be a number in [${min}, ${max}], got ${String(value)}`);
  }
}

/** Energy VAD with hangover, for endpointing caller turns. */
export class VoiceActivityDetector {
  readonly #native;
  constructor(readonly options: VadOptions) {
    if (options.sampleRate !== 8000 && options.sampleRate !== 16000) throw badArg('VAD sampleRate must be 8000 or 16000');
    checkNumber('frameMs', options.frameMs, 5, 100);
    checkNumber('marginDb', options.marginDb, 0, 60);
    checkNumber('minDb', options.minDb, -120, 0);
    checkNumber('startMs', options.startMs, 0, 5000);
    checkNumber('hangoverMs', options.hangoverMs, 0, 10000);
    checkNumber('maxUtteranceMs', options.maxUtteranceMs, 100, 600000);
    const raw: Record<string, number> = {};
    for (const [k, v] of Object.entries(options)) if (typeof v === 'number') raw[k] = v;
    this.#native = callNativeSync(() => new (nativeAddon().Vad)(raw));
  }
  process(samples: Int16Array): VadEvent[] {
    return this.#native.process(requireInt16(samples)).map((e: NativeVadEvent) => ({ ...e }));
  }
  get inSpeech(): boolean {
    return this.#native.inSpeech;
  }
  get noiseFloorDb(): number {
    return this.#native.noiseFloorDb;
  }
}

export type RtpCodec = 'pcmu' | 'pcma' | 'l16';
export interface RtpOptions {
  payloadType: number;
  codec: RtpCodec;
  /** Packets held back to put reordered ones in place (each adds one ptime of delay). */
  depth?: number;
  maxPacketBytes?: number;
}
export type RtpStats = NativeRtpStats;

const codecCode: Record<RtpCodec, number> = { pcmu: 0, pcma: 1, l16: 2 };

/** One incoming RTP audio stream → 16-bit PCM at the codec's rate, gaps filled with silence. */
export class RtpDepacketizer {
  readonly #native;
  constructor(options: RtpOptions) {
    const { payloadType, codec, depth = 3, maxPacketBytes = 1500 } = options;
    if (!Number.isInteger(payloadType) || payloadType < 0 || payloadType > 127) throw badArg('payloadType must be an integer 0..127');
    if (!(codec in codecCode)) throw badArg(`codec must be pcmu, pcma or l16, got ${String(codec)}`);
    if (!Number.isInteger(depth) || depth < 0 || depth > 64) throw badArg('depth must be an integer 0..64');
    if (!Number.isInteger(maxPacketBytes) || maxPacketBytes < 12 || maxPacketBytes > 65535) throw badArg('maxPacketBytes must be 12..65535');
    this.#native = callNativeSync(
      () => new (nativeAddon().RtpDepacketizer)({ payloadType, codec: codecCode[codec], depth, maxPacketBytes }),
    );
  }
  /** Feeds one UDP datagram; returns the PCM it released (often empty while reordering). */
  push(datagram: Uint8Array): Int16Array {
    return this.#native.push(requireBytes(datagram));
  }
  /** Releases everything still held (end of stream). */
  flush(): Int16Array {
    return this.#native.flush();
  }
  stats(): RtpStats {
    return this.#native.stats();
  }
}
