// Framing of live call audio for a browser that listens over a WebSocket (pure: no IO, no clock).
//
// What comes in is already clean PCM: the speech layer's RTP receiver parses the packets, puts
// reordered ones back in place, drops the ones that come too late for that and fills lost ones
// with silence (src/speech/rtp-receiver.ts, reused as is). Its chunks have any length (the native
// engine hands over ~20 ms batches on its own grid, the js engine one packet at a time), so here
// they are cut into fixed 20 ms frames, and a browser that reads too slowly loses the oldest
// audio instead of falling further and further behind the live call.

/** What every binary frame holds; sent once as the first (text) message of the socket. */
export const LISTEN_FORMAT = { type: 'format', format: 's16le', sampleRate: 16_000, channels: 1, frameMs: 20 } as const;
export const FRAME_SAMPLES = (LISTEN_FORMAT.sampleRate * LISTEN_FORMAT.frameMs) / 1000;
export const FRAME_BYTES = FRAME_SAMPLES * 2;

export interface FramerOptions {
  /** Audio allowed to wait in the socket's send buffer before new frames are dropped (default 500 ms). */
  maxBufferedMs?: number;
}

export interface FramerStats {
  /** Frames handed out to be sent. */
  framesOut: number;
  /** Frames dropped because the reader was too far behind (late audio is worth less than none). */
  framesDropped: number;
}

export interface FramerOutput {
  /** Whole 20 ms frames, 16-bit little-endian, to send as binary messages, oldest first. */
  frames: Uint8Array<ArrayBuffer>[];
  dropped: number;
}

/** 16-bit samples as little-endian bytes, whatever the host's byte order. */
export function toLittleEndian(samples: Int16Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(samples.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < samples.length; i++) view.setInt16(i * 2, samples[i]!, true);
  return out;
}

/** Cuts a PCM stream into 20 ms frames and drops what a slow reader could only hear late. */
export class ListenFramer {
  readonly #pending = new Int16Array(FRAME_SAMPLES);
  #filled = 0;
  readonly #maxBufferedBytes: number;
  readonly #stats: FramerStats = { framesOut: 0, framesDropped: 0 };

  constructor(options: FramerOptions = {}) {
    const maxBufferedMs = options.maxBufferedMs ?? 500;
    if (!Number.isFinite(maxBufferedMs) || maxBufferedMs < LISTEN_FORMAT.frameMs) throw new RangeError(`maxBufferedMs must be at least ${LISTEN_FORMAT.frameMs}, got ${maxBufferedMs}`);
    this.#maxBufferedBytes = Math.floor(maxBufferedMs / LISTEN_FORMAT.frameMs) * FRAME_BYTES;
  }

  /**
   * Takes the next chunk of 16 kHz PCM and the bytes the socket still holds unsent; returns the
   * frames to send now. A frame that would sit behind more than maxBufferedMs of unsent audio is
   * dropped (the partial frame at the end is kept for the next chunk).
   */
  push(pcm: Int16Array, bufferedBytes: number): FramerOutput {
    const frames: Uint8Array<ArrayBuffer>[] = [];
    let dropped = 0;
    let queued = Math.max(0, bufferedBytes);
    let at = 0;
    while (at < pcm.length) {
      const take = Math.min(FRAME_SAMPLES - this.#filled, pcm.length - at);
      this.#pending.set(pcm.subarray(at, at + take), this.#filled);
      this.#filled += take;
      at += take;
      if (this.#filled < FRAME_SAMPLES) break;
      this.#filled = 0;
      if (queued + FRAME_BYTES > this.#maxBufferedBytes) {
        dropped++;
        continue;
      }
      frames.push(toLittleEndian(this.#pending));
      queued += FRAME_BYTES;
    }
    this.#stats.framesOut += frames.length;
    this.#stats.framesDropped += dropped;
    return { frames, dropped };
  }

  stats(): FramerStats {
    return { ...this.#stats };
  }
}
