/**
 * UDP endpoint for Asterisk External Media (encapsulation rtp, transport udp): one per call leg.
 * Datagrams go through the addon's RTP depacketizer (reorder buffer, loss concealed with
 * silence); µ-law / A-law come out at 8 kHz and are upsampled to 16 kHz, slin16 arrives as 16 kHz
 * big-endian L16. The caller gets 16 kHz PCM in onAudio.
 *
 * Hostile input is dropped and counted, never thrown: garbage, oversized datagrams and foreign
 * payload types (by the depacketizer), datagrams from a second source address once the first
 * valid RTP sender has been latched on to, and floods beyond a token bucket. Everything runs on
 * the JS thread (the native calls are cheap and synchronous, ~µs per datagram).
 */
import dgram from 'node:dgram';
import { RtpDepacketizer, Upsampler8to16, type RtpCodec, type RtpStats } from './dsp.ts';
import { badArg } from './errors.ts';

export type MediaCodec = 'ulaw' | 'alaw' | 'slin16';

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
  /** Exceptions thrown by onAudio (caught so the socket keeps running). */
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
  /** Monotonic clock in ms (injected in tests); default performance.now. */
  now?: () => number;
  onConsumerError?(error: unknown): void;
}

function checkInt(name: string, value: number | undefined, min: number, max: number): void {
  if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) {
    throw badArg(`RtpReceiver option ${name} must be an integer in [${min}, ${max}], got ${String(value)}`);
  }
}

export class RtpReceiver {
  readonly #socket: dgram.Socket;
  readonly #options: RtpReceiverOptions;
  readonly #depacketizer: RtpDepacketizer;
  readonly #upsampler: Upsampler8to16 | undefined;
  readonly #payloadType: number;
  readonly #now: () => number;
  readonly #rate: number;
  readonly #burst: number;
  #tokens: number;
  #refilledAt: number;
  #source: string | undefined;
  #port = 0;
  #lastStatsAt = -Infinity;
  #closing: Promise<void> | undefined;
  #counters = { datagrams: 0, bytes: 0, lastPacketAt: null as number | null, droppedForeignSource: 0, droppedRateLimited: 0, samplesOut: 0, consumerErrors: 0 };

  private constructor(socket: dgram.Socket, options: RtpReceiverOptions) {
    this.#socket = socket;
    this.#options = options;
    this.#payloadType = options.payloadType ?? ASTERISK_PAYLOAD_TYPES[options.codec];
    this.#depacketizer = new RtpDepacketizer({
      payloadType: this.#payloadType,
      codec: depacketizerCodec[options.codec],
      // One packet (20 ms) of hold: External Media comes over loopback, where reordering is rare
      // and every held packet adds its length to the end-of-speech → final latency.
      depth: options.reorderDepth ?? 1,
      maxPacketBytes: options.maxDatagramBytes ?? 1500,
    });
    this.#upsampler = options.codec === 'slin16' ? undefined : new Upsampler8to16();
    this.#now = options.now ?? (() => performance.now());
    this.#rate = options.maxDatagramsPerSecond ?? 250;
    this.#burst = options.burstDatagrams ?? 250;
    this.#tokens = this.#burst;
    this.#refilledAt = this.#now();
  }

  /** Binds a UDP socket on host:port and starts receiving. */
  static async open(options: RtpReceiverOptions): Promise<RtpReceiver> {
    if (options.host !== '127.0.0.1') throw badArg('RtpReceiver binds to 127.0.0.1 only (Asterisk runs on this box)');
    if (!(options.codec in ASTERISK_PAYLOAD_TYPES)) throw badArg(`codec must be ulaw, alaw or slin16, got ${String(options.codec)}`);
    if (typeof options.onAudio !== 'function') throw badArg('onAudio must be a function');
    checkInt('port', options.port, 0, 65535);
    checkInt('payloadType', options.payloadType, 0, 127);
    checkInt('maxDatagramsPerSecond', options.maxDatagramsPerSecond, 1, 100_000);
    checkInt('burstDatagrams', options.burstDatagrams, 1, 100_000);
    checkInt('statsEveryMs', options.statsEveryMs, 0, 3_600_000);
    const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: 1 << 20 });
    const receiver = new RtpReceiver(socket, options);  // validates the depacketizer options too
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
    receiver.#port = socket.address().port;
    socket.on('error', () => undefined);  // ICMP and similar: nothing to do for a receive-only socket
    socket.on('message', (msg, rinfo) => receiver.#receive(msg, `${rinfo.address}:${rinfo.port}`));
    return receiver;
  }

  get port(): number {
    return this.#port;
  }

  /** The sender latched on to (address:port), once valid RTP has arrived. */
  get source(): string | undefined {
    return this.#source;
  }

  stats(): RtpReceiverStats {
    return { ...this.#depacketizer.stats(), ...this.#counters };
  }

  #receive(msg: Buffer, from: string): void {
    const now = this.#now();
    const c = this.#counters;
    c.datagrams++;
    c.bytes += msg.length;
    c.lastPacketAt = now;
    if (!this.#takeToken(now)) {
      c.droppedRateLimited++;
    } else if (this.#source !== undefined && from !== this.#source) {
      if (this.#looksLikeOurRtp(msg)) c.droppedForeignSource++;
      else this.#deliver(this.#depacketizer.push(msg));  // counted as malformed / payload type there
    } else {
      if (this.#source === undefined && this.#looksLikeOurRtp(msg)) this.#source = from;
      this.#deliver(this.#depacketizer.push(msg));
    }
    if (this.#options.onStats && now - this.#lastStatsAt >= (this.#options.statsEveryMs ?? 1000)) {
      this.#lastStatsAt = now;
      this.#options.onStats(this.stats());
    }
  }

  #looksLikeOurRtp(msg: Buffer): boolean {
    return msg.length > 12 && msg.length <= (this.#options.maxDatagramBytes ?? 1500) && msg[0]! >> 6 === 2 && (msg[1]! & 0x7f) === this.#payloadType;
  }

  #takeToken(now: number): boolean {
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#refilledAt) * this.#rate) / 1000);
    this.#refilledAt = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  #deliver(pcm: Int16Array): void {
    if (pcm.length === 0) return;
    const out = this.#upsampler ? this.#upsampler.process(pcm) : pcm;
    this.#counters.samplesOut += out.length;
    try {
      this.#options.onAudio(out);
    } catch (error) {
      this.#counters.consumerErrors++;
      this.#options.onConsumerError?.(error);
    }
  }

  /** Stops receiving, hands over the audio still held for reordering, reports stats. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      this.#socket.removeAllListeners('message');
      this.#socket.close(() => resolve());
    }).then(() => {
      this.#deliver(this.#depacketizer.flush());
      this.#options.onStats?.(this.stats());
    });
    return this.#closing;
  }
}
