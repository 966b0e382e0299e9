import test from 'ava';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RecordingError } from './errors.ts';
import { parseWavHeader, readWavInfo } from './wav-info.ts';
import { soxDuration, soxWav, tempDir } from './testing/fixtures.ts';

/** A canonical 44-byte header followed by `dataBytes` of silence, with optional extra chunks before data. */
function wav(options: { rate?: number; channels?: number; bits?: number; tag?: number; dataBytes: number; declaredData?: number; before?: Buffer[] }): Buffer {
  const { rate = 8000, channels = 1, bits = 16, tag = 1, dataBytes } = options;
  const fmt = Buffer.alloc(24);
  fmt.write('fmt ', 0, 'latin1');
  fmt.writeUInt32LE(16, 4);
  fmt.writeUInt16LE(tag, 8);
  fmt.writeUInt16LE(channels, 10);
  fmt.writeUInt32LE(rate, 12);
  fmt.writeUInt32LE((rate * channels * bits) / 8, 16);
  fmt.writeUInt16LE((channels * bits) / 8, 20);
  fmt.writeUInt16LE(bits, 22);
  const dataHeader = Buffer.alloc(8);
  dataHeader.write('data', 0, 'latin1');
  dataHeader.writeUInt32LE(options.declaredData ?? dataBytes, 4);
  const body = Buffer.concat([Buffer.from('WAVE', 'latin1'), fmt, ...(options.before ?? []), dataHeader, Buffer.alloc(dataBytes)]);
  const riff = Buffer.alloc(8);
  riff.write('RIFF', 0, 'latin1');
  riff.writeUInt32LE(body.length, 4);
  return Buffer.concat([riff, body]);
}

function chunk(id: string, body: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.write(id, 0, 'latin1');
  header.writeUInt32LE(body.length, 4);
  return Buffer.concat([header, body, body.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

const badWav = (t: import('ava').ExecutionContext, fn: () => unknown, message: RegExp) => {
  const error = t.throws(fn, { instanceOf: RecordingError, message });
  t.is(error?.code, 'DESKLINE_RECORDING_BAD_WAV');
};

test('given a 2.5 s 8 kHz 16-bit mono file from sox (Asterisk wav), when read, then its format and duration agree with sox --i', async (t) => {
  const path = soxWav(join(await tempDir(t), 'tone.wav'), { seconds: 2.5 });
  const info = await readWavInfo(path);
  t.like(info, { sampleRate: 8000, channels: 1, bitsPerSample: 16, formatTag: 1, dataBytes: 40_000 });
  t.true(Math.abs(info.durationSeconds - 2.5) < 0.001);
  t.true(Math.abs(info.durationSeconds - soxDuration(path)) < 0.001);
});

test('given a 16 kHz file (Asterisk wav16), when read, then 16 kHz and the right duration', async (t) => {
  const path = soxWav(join(await tempDir(t), 'wide.wav'), { seconds: 1.25, rate: 16000 });
  const info = await readWavInfo(path);
  t.like(info, { sampleRate: 16000, channels: 1, bitsPerSample: 16, dataBytes: 40_000 });
  t.true(Math.abs(info.durationSeconds - soxDuration(path)) < 0.001);
});

test('given µ-law and 24-bit stereo (extensible header) files from sox, when read, then the format tag and duration are right', async (t) => {
  const dir = await tempDir(t);
  const ulaw = await readWavInfo(soxWav(join(dir, 'ulaw.wav'), { seconds: 2, bits: 8, encoding: 'u-law' }));
  t.like(ulaw, { formatTag: 7, bitsPerSample: 8, dataBytes: 16_000 });
  t.true(Math.abs(ulaw.durationSeconds - 2) < 0.001);
  const path = soxWav(join(dir, 'wide.wav'), { seconds: 0.5, rate: 48000, bits: 24, channels: 2 });
  const info = await readWavInfo(path);
  t.like(info, { formatTag: 1, channels: 2, bitsPerSample: 24, dataBytes: 0.5 * 48000 * 6 });
  t.true(Math.abs(info.durationSeconds - soxDuration(path)) < 0.001);
});

test('given unknown chunks (odd-sized LIST, fact) before the data, when read, then they are skipped', (t) => {
  const file = wav({ dataBytes: 1600, before: [chunk('LIST', Buffer.from('INFOabc', 'latin1')), chunk('fact', Buffer.alloc(4))] });
  const info = parseWavHeader(file);
  t.like(info, { dataBytes: 1600, durationSeconds: 0.1 });
  t.is(file.toString('latin1', info.dataOffset - 8, info.dataOffset - 4), 'data');
});

test('given only the head of a long file, when parsed with the file size, then the duration comes from the data size', (t) => {
  const file = wav({ dataBytes: 16_000 });
  const info = parseWavHeader(file.subarray(0, 44), file.length);
  t.is(info.durationSeconds, 1);
});

test('given a file cut short or a streamed header (size unset), when parsed, then the audio present is counted', (t) => {
  const full = wav({ dataBytes: 8000 });
  t.is(parseWavHeader(full.subarray(0, 44 + 4001)).dataBytes, 4000); // half a frame is dropped
  t.is(parseWavHeader(wav({ dataBytes: 8000, declaredData: 0xffffffff })).durationSeconds, 0.5);
  t.is(parseWavHeader(wav({ dataBytes: 8000, declaredData: 0 })).durationSeconds, 0.5);
  t.is(parseWavHeader(wav({ dataBytes: 0 })).durationSeconds, 0);
});

test('given bad headers, when parsed, then a RecordingError says what is wrong', (t) => {
  const good = wav({ dataBytes: 160 });
  badWav(t, () => parseWavHeader(Buffer.alloc(0)), /too short for a RIFF\/WAVE header \(0 bytes\)/);
  badWav(t, () => parseWavHeader(Buffer.from('ID3\u0004 something long enough')), /not a RIFF file \(starts with "ID3\\u0004"\)/);
  badWav(t, () => parseWavHeader(Buffer.concat([Buffer.from('RIFX'), good.subarray(4)])), /RIFX files are not supported/);
  badWav(t, () => parseWavHeader(Buffer.concat([good.subarray(0, 8), Buffer.from('AVI '), good.subarray(12)])), /not WAVE \(form type "AVI "\)/);
  badWav(t, () => parseWavHeader(wav({ dataBytes: 160, tag: 49, bits: 8 })), /unsupported encoding: format tag 49/);
  badWav(t, () => parseWavHeader(wav({ dataBytes: 160, channels: 0 })), /0 channels/);
  badWav(t, () => parseWavHeader(wav({ dataBytes: 160, bits: 12 })), /12 bits per sample/);
  badWav(t, () => parseWavHeader(wav({ dataBytes: 160, rate: 0 })), /0 Hz/);
  badWav(t, () => parseWavHeader(good.subarray(0, 36)), /no data chunk/);
  badWav(t, () => parseWavHeader(good.subarray(0, 40)), /chunk header at byte 36 is cut off/);
  badWav(t, () => parseWavHeader(good.subarray(0, 30)), /fmt chunk at byte 12 is cut off/);
  const dataFirst = Buffer.concat([good.subarray(0, 12), good.subarray(36), good.subarray(12, 36)]);
  badWav(t, () => parseWavHeader(dataFirst), /data chunk comes before the fmt chunk/);
  const shortFmt = Buffer.from(good);
  shortFmt.writeUInt32LE(14, 16);
  badWav(t, () => parseWavHeader(shortFmt), /fmt chunk is 14 bytes; at least 16 are needed/);
  const liar = wav({ dataBytes: 16, before: [chunk('LIST', Buffer.alloc(4))] });
  liar.writeUInt32LE(1_000_000, 40);
  badWav(t, () => parseWavHeader(liar), /chunk "LIST" at byte 36 claims 1000000 bytes but the file ends at byte 72/);
});

test('given a file that is not a WAV at all, when read from disk, then the error is a RecordingError', async (t) => {
  const path = join(await tempDir(t), 'notes.wav');
  await writeFile(path, 'these are not audio bytes');
  await t.throwsAsync(readWavInfo(path), { instanceOf: RecordingError, message: /not a RIFF file/ });
  t.is((await readFile(path, 'utf8')).length, 25);
});
