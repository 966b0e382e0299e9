/** Minimal RIFF/WAVE reader and writer: PCM 16-bit, G.711 µ-law and A-law; mixes to mono. */
import { decodeG711 } from './dsp.ts';
import { SpeechError } from './errors.ts';

export interface WavAudio {
  sampleRate: number;
  /** Encoding in the file. */
  format: 'pcm16' | 'ulaw' | 'alaw';
  /** Mono 16-bit linear samples. */
  samples: Int16Array;
}

const bad = (message: string) => new SpeechError('DESKLINE_SPEECH_BAD_AUDIO', message);

export function parseWav(data: Buffer): WavAudio {
  if (data.length < 12 || data.toString('ascii', 0, 4) !== 'RIFF' || data.toString('ascii', 8, 12) !== 'WAVE') {
    throw bad('not a RIFF/WAVE file');
  }
  let offset = 12;
  let fmt: { tag: number; channels: number; rate: number; bits: number } | undefined;
  while (offset + 8 <= data.length) {
    const id = data.toString('ascii', offset, offset + 4);
    const size = data.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ' && size >= 16 && body + 16 <= data.length) {
      let tag = data.readUInt16LE(body);
      if (tag === 0xfffe && size >= 40) tag = data.readUInt16LE(body + 24);  // WAVE_FORMAT_EXTENSIBLE
      fmt = { tag, channels: data.readUInt16LE(body + 2), rate: data.readUInt32LE(body + 4), bits: data.readUInt16LE(body + 14) };
    } else if (id === 'data') {
      if (!fmt) throw bad('data chunk before fmt chunk');
      const end = Math.min(data.length, body + size);  // streamed WAVs may carry a bogus size
      return decodeBody(fmt, data.subarray(body, end));
    }
    offset = body + size + (size & 1);
  }
  throw bad('no data chunk');
}

function decodeBody(fmt: { tag: number; channels: number; rate: number; bits: number }, body: Buffer): WavAudio {
  const { tag, channels, rate, bits } = fmt;
  if (channels < 1 || channels > 8 || rate < 4000 || rate > 192000) throw bad(`unsupported WAV: ${channels} channels at ${rate} Hz`);
  let interleaved: Int16Array;
  let format: WavAudio['format'];
  if (tag === 1 && bits === 16) {
    interleaved = new Int16Array(Math.floor(body.length / 2));
    for (let i = 0; i < interleaved.length; i++) interleaved[i] = body.readInt16LE(2 * i);
    format = 'pcm16';
  } else if ((tag === 7 || tag === 6) && bits === 8) {
    format = tag === 7 ? 'ulaw' : 'alaw';
    interleaved = decodeG711(format, body);
  } else {
    throw bad(`unsupported WAV encoding (format tag ${tag}, ${bits} bits); use 16-bit PCM, µ-law or A-law`);
  }
  if (channels === 1) return { sampleRate: rate, format, samples: interleaved };
  const frames = Math.floor(interleaved.length / channels);
  const mono = new Int16Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += interleaved[i * channels + c] ?? 0;
    mono[i] = Math.round(sum / channels);
  }
  return { sampleRate: rate, format, samples: mono };
}

/** 16-bit PCM mono WAV. */
export function encodeWav(samples: Int16Array, sampleRate: number): Buffer {
  const out = Buffer.alloc(44 + samples.length * 2);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(36 + samples.length * 2, 4);
  out.write('WAVEfmt ', 8, 'ascii');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20);
  out.writeUInt16LE(1, 22);
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE(sampleRate * 2, 28);
  out.writeUInt16LE(2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36, 'ascii');
  out.writeUInt32LE(samples.length * 2, 40);
  for (let i = 0; i < samples.length; i++) out.writeInt16LE(samples[i] ?? 0, 44 + 2 * i);
  return out;
}
