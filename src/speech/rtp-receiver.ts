/**
 * UDP endpoint for Asterisk External Media (encapsulation rtp, transport udp): one per call leg.
 * Datagrams go through the addon's RTP depacketizer (reorder buffer, loss concealed with
 * silence); µ-law / A-law come out at 8 kHz and are upsampled to 16 kHz, slin16 arrives as 16 kHz
 * big-endian L16. The caller gets 16 kHz PCM in onAudio.
 *
 * Hostile input is dropped and counted, never thrown: garbage, oversized datagrams and foreign
 * payload types (by the depacketizer), datagrams from a second source address once the first
 * valid RTP sender has been latched on to, and floods beyond a token bucket.
 *
 * Two engines do the same checks and DSP (the addon's depacketizer and upsampler):
 * - `native` (default): the addon's NativeRtpSocket. One background thread serves every leg: it
 *   waits for a leg's first datagram with epoll, then reads the socket with recvmmsg every
 *   flushMs (default 20 ms, on a grid shared by all legs, so one wake serves every leg) and hands
 *   the 16 kHz PCM to the JS thread in one batch per leg and poll. onAudio gets chunks of about
 *   flushMs of audio, up to flushMs later than with `js`; counters and lastPacketAt are taken
 *   when a datagram is read, not when it arrived.
 * - `js`: a node:dgram socket; every datagram is handled on the JS thread as it arrives. Used
 *   when asked for, or when the addon was built without NativeRtpSocket.
 */
import dgram from 'node:dgram';
import { RtpDepacketizer, Upsampler8to16, type RtpCodec, type RtpStats } from './dsp.ts';
import { badArg } from './errors.ts';
import { callNativeSync, nativeAddon, type NativeRtpSocket } from './native.ts';
import { joinCensus, leaveCensus } from './rtp-census.ts';

export type MediaCodec = 'ulaw' | 'alaw' | 'slin16';
export type RtpEngine = 'native' | 'js';

/** Asterisk's payload types for External Media formats (slin16: its static mapping 118). */
export const ASTERISK_PAYLOAD_TYPES: Record<MediaCodec, number> = { ulaw: 0, alaw: 8, slin16: 118 };
const depacketizerCodec: Record<MediaCodec, RtpCodec> = { ulaw: 'pcmu', alaw: 'pcma', slin16: 'l16' };

export interface RtpReceiverStats extends RtpStats {
  /** Datagrams that reached the socket (before any check). */
  datagrams: number;
  bytes: number;
  /** Clock time (options.now) of the last datagram, or null before the first. */
  lastPacketAt: number | null;
  /** Valid-looking RTP from an address other than the latched sender. */
  droppedForeignSource: number;
  /** Datagrams over the rate limit (flood). */
  droppedRateLimited: number;
  /** 16 kHz samples handed to onAudio. */
  samplesOut: number;
  /** Exceptions thrown by onAudio (caught so the socket keeps running); one per onAudio call. */
  consumerErrors: number;
}

export interface RtpReceiverOptions {
  host: '127.0.0.1';
  /** 0 or absent: any free port. */
  port?: number;
  codec: MediaCodec;
  onAudio(samples16k: Int16Array): void;
  /** Throttled: at most once per statsEveryMs while datagrams arrive, and once at close. */
  onStats?(stats: RtpReceiverStats): void;
  statsEveryMs?: number;
  /** Default: Asterisk's payload type for the codec. */
  payloadType?: number;
  /** Packets held back for reordering (each adds one packet time of delay); default 1. */
  reorderDepth?: number;
  /** Token bucket: sustained datagrams per second (default 250, i.e. 5× a 20 ms stream) and burst. */
  maxDatagramsPerSecond?: number;
  burstDatagrams?: number;
  maxDatagramBytes?: number;
  /**
   * Monotonic clock in ms (injected in tests); default performance.now. The native engine reads
   * an injected clock on the JS thread only — at open, at each batch and at syncClock() — and its
   * receive thread sees it standing still in between.
   */
  now?: () => number;
  /** Default 'native' when the addon has it, else 'js'. */
  engine?: RtpEngine;
  /** Native engine: how often an active leg's socket is read and its audio delivered, in ms (default 20; 0: per datagram). */
  flushMs?: number;
  onConsumerError?(error: unknown): void;
}

function checkInt(name: string, value: number | undefined, min: number, max: number): void {
  if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) {
    throw badArg(`RtpReceiver option ${name} must be an integer in [${min}, ${max}], got ${String(value)}`);
  }
}

/** What an engine counts; the receiver adds samplesOut and consumerErrors. */
type EngineStats = Omit<RtpReceiverStats, 'samplesOut' | 'consumerErrors'>;

/** A socket plus checks plus DSP; calls `deliver` with 16 kHz PCM and `tick` after datagrams. */
interface ReceiveEngine {
  readonly port: number;
  readonly source: string | undefined;
  stats(): EngineStats;
  syncClock(): void;
  /** Stops receiving; resolves with the audio not yet delivered (reorder buffer included). */
  close(): Promise<Int16Array | undefined>;
}
interface EngineHooks {
  deliver(pcm16k: Int16Array): void;
  tick(): void;
}

/** Engine 'js': node:dgram on the JS thread, one 'message' event per datagram. */
class JsEngine implements ReceiveEngine {
  readonly #socket: dgram.Socket;
  readonly #options: RtpReceiverOptions;
  readonly #hooks: EngineHooks;
  readonly #depacketizer: RtpDepacketizer;
  readonly #upsampler: Upsampler8to16 | undefined;
  readonly #payloadType: number;
  readonly #now: () => number;
  readonly #rate: number;
  readonly #burst: number;
  /** Token buckets: the latched source's own, and one all other senders share (a foreign flood cannot starve the call's audio). */
  readonly #buckets: Record<'own' | 'foreign', { tokens: number; refilledAt: number }>;
  #source: string | undefined;
  #port = 0;
  #counters = { datagrams: 0, bytes: 0, lastPacketAt: null as number | null, droppedForeignSource: 0, droppedRateLimited: 0 };

  private constructor(socket: dgram.Socket, options: RtpReceiverOptions, hooks: EngineHooks) {
    this.#socket = socket;
    this.#options = options;
    this.#hooks = hooks;
    this.#payloadType = options.payloadType ?? ASTERISK_PAYLOAD_TYPES[options.codec];
    this.#depacketizer = new RtpDepacketizer({
      payloadType: this.#payloadType,
      codec: depacketizerCodec[options.codec],
      depth: options.reorderDepth ?? DEFAULT_REORDER_DEPTH,
      maxPacketBytes: options.maxDatagramBytes ?? 1500,
    });
    this.#upsampler = options.codec === 'slin16' ? undefined : new Upsampler8to16();
    this.#now = options.now ?? (() => performance.now());
    this.#rate = options.maxDatagramsPerSecond ?? 250;
    this.#burst = options.burstDatagrams ?? 250;
    this.#buckets = { own: { tokens: this.#burst, refilledAt: this.#now() }, foreign: { tokens: this.#burst, refilledAt: this.#now() } };
  }

  static async open(options: RtpReceiverOptions, hooks: EngineHooks): Promise<JsEngine> {
    const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: 1 << 20 });
    const engine = new JsEngine(socket, options, hooks);  // validates the depacketizer options too
    await new Promise<void>((resolve, reject) => {
      socket.once('error', (error) => {
        socket.close();
        reject(error);
      });
      socket.bind(options.port ?? 0, options.host, () => {
        socket.removeAllListeners('error');
        resolve();
      });
    });
    engine.#port = socket.address().port;
    socket.on('error', () => undefined);  // ICMP and similar: nothing to do for a receive-only socket
    socket.on('message', (msg, rinfo) => engine.#receive(msg, `${rinfo.address}:${rinfo.port}`));
    return engine;
  }

  get port(): number {
    return this.#port;
  }

  get source(): string | undefined {
    return this.#source;
  }

  stats(): EngineStats {
    return { ...this.#depacketizer.stats(), ...this.#counters };
  }

  syncClock(): void {}  // reads the clock per datagram

  #receive(msg: Buffer, from: string): void {
    const now = this.#now();
    const c = this.#counters;
    c.datagrams++;
    c.bytes += msg.length;
    c.lastPacketAt = now;
    const foreign = this.#source !== undefined && from !== this.#source;
    if (!this.#takeToken(foreign ? 'foreign' : 'own', now)) {
      c.droppedRateLimited++;
    } else if (foreign) {
      if (this.#looksLikeOurRtp(msg)) c.droppedForeignSource++;
      else this.#deliver(this.#depacketizer.push(msg));  // counted as malformed / payload type there
    } else {
      if (this.#source === undefined && this.#looksLikeOurRtp(msg)) this.#source = from;
      this.#deliver(this.#depacketizer.push(msg));
    }
    this.#hooks.tick();
  }

  #looksLikeOurRtp(msg: Buffer): boolean {
    return msg.length > 12 && msg.length <= (this.#options.maxDatagramBytes ?? 1500) && msg[0]! >> 6 === 2 && (msg[1]! & 0x7f) === this.#payloadType;
  }

  #takeToken(which: 'own' | 'foreign', now: number): boolean {
    const bucket = this.#buckets[which];
    bucket.tokens = Math.min(this.#burst, bucket.tokens + ((now - bucket.refilledAt) * this.#rate) / 1000);
    bucket.refilledAt = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  #deliver(pcm: Int16Array): void {
    if (pcm.length === 0) return;
    this.#hooks.deliver(this.#upsampler ? this.#upsampler.process(pcm) : pcm);
  }

  async close(): Promise<Int16Array | undefined> {
    await new Promise<void>((resolve) => {
      this.#socket.removeAllListeners('message');
      this.#socket.close(() => resolve());
    });
    const rest = this.#depacketizer.flush();
    return this.#upsampler ? this.#upsampler.process(rest) : rest;
  }
}

/** Engine 'native': the addon's NativeRtpSocket, batches from its shared receive thread. */
class NativeEngine implements ReceiveEngine {
  readonly #socket: NativeRtpSocket;
  readonly #now: (() => number) | undefined;

  constructor(options: RtpReceiverOptions, hooks: EngineHooks) {
    const Socket = nativeAddon().NativeRtpSocket!;
    this.#now = options.now;
    this.#socket = callNativeSync(() => new Socket({
      port: options.port ?? 0,
      payloadType: options.payloadType ?? ASTERISK_PAYLOAD_TYPES[options.codec],
      codec: ({ pcmu: 0, pcma: 1, l16: 2 } as const)[depacketizerCodec[options.codec]],
      depth: options.reorderDepth ?? DEFAULT_REORDER_DEPTH,
      maxPacketBytes: options.maxDatagramBytes ?? 1500,
      ratePerSecond: options.maxDatagramsPerSecond ?? 250,
      burst: options.burstDatagrams ?? 250,
      flushMs: options.flushMs ?? DEFAULT_FLUSH_MS,
      clockMs: (options.now ?? (() => performance.now()))(),
      clockFrozen: options.now !== undefined,
    }, (pcm) => {
      this.syncClock();
      if (pcm) hooks.deliver(pcm);
      hooks.tick();
    }));
  }

  get port(): number {
    return this.#socket.port;
  }

  get source(): string | undefined {
    return this.#socket.stats().source ?? undefined;
  }

  stats(): EngineStats {
    const { source: _source, ...stats } = this.#socket.stats();
    return stats;
  }

  syncClock(): void {
    if (this.#now) this.#socket.setClock(this.#now(), true);
  }

  async close(): Promise<Int16Array | undefined> {
    return this.#socket.close();
  }
}

// 20 ms: in bench stt (b) 60 ms added ~36 ms to the end-of-speech → final p50 (40 ms: 12–31 ms),
// 20 ms nothing measurable; CPU per leg is still ~0.6–0.75× the js engine's (bench stt (d)).
const DEFAULT_FLUSH_MS = 20;
// One packet (20 ms) of hold: External Media comes over loopback, where reordering is rare and
// every held packet adds its length to the end-of-speech → final latency.
const DEFAULT_REORDER_DEPTH = 1;

/** Whether this build of the addon has the native engine. */
export function nativeRtpAvailable(): boolean {
  return typeof nativeAddon().NativeRtpSocket === 'function';
}

export class RtpReceiver {
  readonly #options: RtpReceiverOptions;
  #engine!: ReceiveEngine;
  #engineName: RtpEngine = 'js';
  #lastStatsAt = -Infinity;
  #closing: Promise<void> | undefined;
  #closed = false;
  #counters = { samplesOut: 0, consumerErrors: 0 };

  private constructor(options: RtpReceiverOptions) {
    this.#options = options;
  }

  /** Binds a UDP socket on host:port and starts receiving. */
  static async open(options: RtpReceiverOptions): Promise<RtpReceiver> {
    if (options.host !== '127.0.0.1') throw badArg('RtpReceiver binds to 127.0.0.1 only (Asterisk runs on this box)');
    if (!(options.codec in ASTERISK_PAYLOAD_TYPES)) throw badArg(`codec must be ulaw, alaw or slin16, got ${String(options.codec)}`);
    if (typeof options.onAudio !== 'function') throw badArg('onAudio must be a function');
    if (options.engine !== undefined && options.engine !== 'native' && options.engine !== 'js') throw badArg(`engine must be native or js, got ${String(options.engine)}`);
    checkInt('port', options.port, 0, 65535);
    checkInt('payloadType', options.payloadType, 0, 127);
    checkInt('reorderDepth', options.reorderDepth, 0, 64);
    checkInt('maxDatagramBytes', options.maxDatagramBytes, 12, 65535);
    checkInt('maxDatagramsPerSecond', options.maxDatagramsPerSecond, 1, 100_000);
    checkInt('burstDatagrams', options.burstDatagrams, 1, 100_000);
    checkInt('statsEveryMs', options.statsEveryMs, 0, 3_600_000);
    checkInt('flushMs', options.flushMs, 0, 1000);
    const receiver = new RtpReceiver(options);
    const hooks: EngineHooks = { deliver: (pcm) => receiver.#deliver(pcm), tick: () => receiver.#tick() };
    const native = (options.engine ?? 'native') === 'native' && nativeRtpAvailable();
    receiver.#engine = native ? new NativeEngine(options, hooks) : await JsEngine.open(options, hooks);
    receiver.#engineName = native ? 'native' : 'js';
    joinCensus(receiver);  // its counters stay visible process-wide (rtp-census.ts: health, diagnostics)
    return receiver;
  }

  get port(): number {
    return this.#engine.port;
  }

  /** The engine in use ('native' unless 'js' was asked for or the addon lacks it). */
  get engine(): RtpEngine {
    return this.#engineName;
  }

  /** The sender latched on to (address:port), once valid RTP has arrived. */
  get source(): string | undefined {
    return this.#engine.source;
  }

  stats(): RtpReceiverStats {
    return { ...this.#engine.stats(), ...this.#counters };
  }

  /** With an injected `now`: hands its current value to the native receive thread (no-op for js). */
  syncClock(): void {
    if (!this.#closed) this.#engine.syncClock();
  }

  #tick(): void {
    const now = (this.#options.now ?? performance.now.bind(performance))();
    if (this.#options.onStats && now - this.#lastStatsAt >= (this.#options.statsEveryMs ?? 1000)) {
      this.#lastStatsAt = now;
      this.#options.onStats(this.stats());
    }
  }

  #deliver(pcm: Int16Array): void {
    if (pcm.length === 0) return;
    this.#counters.samplesOut += pcm.length;
    try {
      this.#options.onAudio(pcm);
    } catch (error) {
      this.#counters.consumerErrors++;
      this.#options.onConsumerError?.(error);
    }
  }

  /** Stops receiving, hands over the audio still held for reordering, reports stats. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#engine.close().then((rest) => {
      this.#closed = true;
      if (rest) this.#deliver(rest);
      const final = this.stats();
      leaveCensus(this, final);
      this.#options.onStats?.(final);
    });
    return this.#closing;
  }
}
