// Reads what a recording is from its RIFF/WAVE header alone: the recording store needs the
// duration of files that may be an hour long, so it never decodes samples. (src/speech/wav.ts
// decodes whole files into memory for speech and goes through the native addon for G.711; it is
// the wrong tool for this.) Asterisk's `wav` format is 8 kHz 16-bit mono PCM, `wav16` 16 kHz.
import { open } from 'node:fs/promises';
import { RecordingError } from './errors.ts';

export interface WavInfo {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** WAVE format tag: 1 PCM, 3 IEEE float, 6 A-law, 7 µ-law (an extensible header's sub-format). */
  formatTag: number;
  /** Audio bytes actually present: the data chunk's size, or less when the file is cut short. */
  dataBytes: number;
  /** Where the audio starts in the file. */
  dataOffset: number;
  durationSeconds: number;
}

/** The header must sit within this many bytes at the start of the file (Asterisk's is 44). */
export const wavHeadBytes = 64 * 1024;

const supportedTags = new Map([
  [1, 'PCM'],
  [3, 'IEEE float'],
  [6, 'A-law'],
  [7, 'µ-law'],
]);
const extensibleTag = 0xfffe;
/** Streaming writers leave these in the size fields until they finish (or forever, if killed). */
const unsetSizes = new Set([0, 0xffffffff]);

const bad = (message: string) => new RecordingError('DESKLINE_RECORDING_BAD_WAV', message);
const chunkName = (head: Uint8Array, at: number) => JSON.stringify(Buffer.from(head.subarray(at, at + 4)).toString('latin1'));

/**
 * Parses a WAV header. `head` is the start of the file (at least up to the data chunk's header);
 * `fileBytes` is the whole file's size, which bounds the audio of a file cut short. Throws a
 * RecordingError (DESKLINE_RECORDING_BAD_WAV) that says what is wrong, and nothing else.
 */
export function parseWavHeader(head: Uint8Array, fileBytes: number = head.length): WavInfo {
  const data = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (data.length < 12) throw bad(`too short for a RIFF/WAVE header (${data.length} bytes)`);
  const magic = data.toString('latin1', 0, 4);
  if (magic === 'RIFX' || magic === 'RF64') throw bad(`${magic} files are not supported; expected little-endian RIFF`);
  if (magic !== 'RIFF') throw bad(`not a RIFF file (starts with ${chunkName(data, 0)})`);
  if (data.toString('latin1', 8, 12) !== 'WAVE') throw bad(`a RIFF file but not WAVE (form type ${chunkName(data, 8)})`);

  let fmt: ReturnType<typeof readFmt> | undefined;
  let offset = 12;
  for (;;) {
    if (offset + 8 > data.length) {
      if (offset >= fileBytes) throw bad(fmt ? 'no data chunk' : 'no fmt chunk and no data chunk');
      if (offset + 8 > fileBytes) throw bad(`chunk header at byte ${offset} is cut off by the end of the file`);
      throw bad(`no data chunk within the first ${data.length} bytes`);
    }
    const size = data.readUInt32LE(offset + 4);
    const body = offset + 8;
    const id = data.toString('latin1', offset, offset + 4);
    if (id === 'fmt ') {
      if (size < 16) throw bad(`fmt chunk is ${size} bytes; at least 16 are needed`);
      if (body + 16 > data.length) throw bad(`fmt chunk at byte ${offset} is cut off`);
      fmt ??= readFmt(data, body, size);
    } else if (id === 'data') {
      if (!fmt) throw bad('data chunk comes before the fmt chunk');
      const present = Math.max(0, fileBytes - body);
      const declared = unsetSizes.has(size) ? present : size;
      const frames = Math.floor(Math.min(declared, present) / fmt.blockAlign);
      const { blockAlign, ...format } = fmt;
      return { ...format, dataBytes: frames * blockAlign, dataOffset: body, durationSeconds: frames / fmt.sampleRate };
    } else if (body + size > fileBytes) {
      throw bad(`chunk ${chunkName(data, offset)} at byte ${offset} claims ${size} bytes but the file ends at byte ${fileBytes}`);
    }
    offset = body + size + (size & 1); // chunks are padded to an even size
  }
}

function readFmt(data: Buffer, body: number, size: number) {
  let formatTag = data.readUInt16LE(body);
  const channels = data.readUInt16LE(body + 2);
  const sampleRate = data.readUInt32LE(body + 4);
  const bitsPerSample = data.readUInt16LE(body + 14);
  if (formatTag === extensibleTag) {
    if (size < 40 || body + 26 > data.length) throw bad('WAVE_FORMAT_EXTENSIBLE fmt chunk is too short to name its sub-format');
    formatTag = data.readUInt16LE(body + 24);
  }
  if (!supportedTags.has(formatTag)) {
    throw bad(`unsupported encoding: format tag ${formatTag}; recordings must be PCM, IEEE float, A-law or µ-law`);
  }
  if (channels < 1 || channels > 32) throw bad(`fmt chunk says ${channels} channels`);
  if (sampleRate < 1000 || sampleRate > 768_000) throw bad(`fmt chunk says ${sampleRate} Hz`);
  if (bitsPerSample < 8 || bitsPerSample > 64 || bitsPerSample % 8 !== 0) throw bad(`fmt chunk says ${bitsPerSample} bits per sample`);
  return { formatTag, channels, sampleRate, bitsPerSample, blockAlign: channels * (bitsPerSample / 8) };
}

/** Reads only the head of the file at `path`. */
export async function readWavInfo(path: string): Promise<WavInfo> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const head = Buffer.alloc(Math.min(size, wavHeadBytes));
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    return parseWavHeader(head.subarray(0, bytesRead), size);
  } finally {
    await file.close();
  }
}
