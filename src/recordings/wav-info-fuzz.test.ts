// Fuzzing the header parser: random, truncated and mutated headers either parse to sane numbers
// or throw a RecordingError (DESKLINE_RECORDING_BAD_WAV) — never another error, never a hang
// (every chunk step moves forward at least 8 bytes, so a hang would show as an ava timeout).
import test from 'ava';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { RecordingError } from './errors.ts';
import { parseWavHeader, type WavInfo } from './wav-info.ts';
import { soxWav, tempDir } from './testing/fixtures.ts';

/** mulberry32: small, seeded, good enough to spread mutations. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let r = Math.imul(s ^ (s >>> 15), 1 | s);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 2 ** 32;
  };
}

type Outcome = { ok: true; info: WavInfo } | { ok: false };

function parseOrExplain(head: Buffer, fileBytes: number): Outcome | string {
  try {
    return { ok: true, info: parseWavHeader(head, fileBytes) };
  } catch (error) {
    if (error instanceof RecordingError && error.code === 'DESKLINE_RECORDING_BAD_WAV' && error.message.length > 0) return { ok: false };
    return `threw ${String(error)} for ${head.toString('hex')} (fileBytes ${fileBytes})`;
  }
}

/** A parse that succeeded must describe audio that fits in the file. */
function insane(info: WavInfo, fileBytes: number): string | undefined {
  const blockAlign = (info.channels * info.bitsPerSample) / 8;
  if (![info.sampleRate, info.channels, info.bitsPerSample, info.dataBytes, info.dataOffset, info.durationSeconds].every(Number.isFinite)) return 'non-finite field';
  if (info.dataBytes < 0 || info.durationSeconds < 0) return 'negative size';
  if (info.dataBytes > Math.max(0, fileBytes - info.dataOffset)) return 'more audio than the file holds';
  if (info.dataBytes % blockAlign !== 0) return 'partial frame counted';
  return undefined;
}

async function seeds(t: import('ava').ExecutionContext): Promise<Buffer[]> {
  const dir = await tempDir(t);
  const pcm = await readFile(soxWav(join(dir, 'pcm.wav'), { seconds: 0.01 }));
  const ulaw = await readFile(soxWav(join(dir, 'ulaw.wav'), { seconds: 0.01, bits: 8, encoding: 'u-law' }));
  const extensible = await readFile(soxWav(join(dir, 'ext.wav'), { seconds: 0.01, bits: 24, channels: 3 }));
  // An Asterisk-style header with a LIST chunk of odd size between fmt and data.
  const list = Buffer.concat([Buffer.from('LIST'), Buffer.from([5, 0, 0, 0]), Buffer.from('INFOx'), Buffer.alloc(1)]);
  const withList = Buffer.concat([pcm.subarray(0, 36), list, pcm.subarray(36)]);
  withList.writeUInt32LE(withList.length - 8, 4);
  return [pcm, ulaw, extensible, withList];
}

function check(t: import('ava').ExecutionContext, head: Buffer, fileBytes: number, failures: string[]): boolean {
  const outcome = parseOrExplain(head, fileBytes);
  if (typeof outcome === 'string') failures.push(outcome);
  else if (outcome.ok) {
    const problem = insane(outcome.info, fileBytes);
    if (problem) failures.push(`${problem}: ${JSON.stringify(outcome.info)} for ${head.toString('hex')}`);
  }
  return typeof outcome !== 'string' && outcome.ok;
}

test('given every truncation of real headers, when parsed, then only RecordingErrors or sane results', async (t) => {
  const failures: string[] = [];
  let parsed = 0;
  for (const seed of await seeds(t)) {
    for (let length = 0; length <= seed.length; length++) if (check(t, seed.subarray(0, length), length, failures)) parsed++;
  }
  t.deepEqual(failures.slice(0, 5), []);
  t.true(parsed > 0, 'the truncations that keep the header whole must parse');
});

test('given 20 000 mutated headers (byte flips, extreme chunk sizes), when parsed, then only RecordingErrors or sane results', async (t) => {
  const next = random(0x5eed);
  const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)]!;
  const extremes = [0, 1, 2, 15, 16, 39, 40, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];
  const failures: string[] = [];
  let parsed = 0;
  let rejected = 0;
  const bases = await seeds(t);
  for (let i = 0; i < 20_000; i++) {
    const head = Buffer.from(pick(bases));
    const flips = 1 + Math.floor(next() * 4);
    for (let f = 0; f < flips; f++) {
      const at = Math.floor(next() * Math.min(head.length, 96));
      if (next() < 0.5) head[at] = Math.floor(next() * 256);
      else if (at + 4 <= head.length) head.writeUInt32LE(next() < 0.5 ? pick(extremes) : Math.floor(next() * 2 ** 32), at);
    }
    const cut = next() < 0.3 ? Math.floor(next() * head.length) : head.length;
    const fileBytes = next() < 0.2 ? Math.floor(next() * 2 ** 33) : cut;
    if (check(t, head.subarray(0, cut), fileBytes, failures)) parsed++;
    else rejected++;
  }
  t.deepEqual(failures.slice(0, 5), []);
  // Both paths must be exercised, or the fuzzing proves little.
  t.true(parsed > 1000, `parsed ${parsed}`);
  t.true(rejected > 1000, `rejected ${rejected}`);
});

test('given 20 000 random byte strings (half of them with a RIFF/WAVE start), when parsed, then only RecordingErrors', (t) => {
  const next = random(42);
  const failures: string[] = [];
  for (let i = 0; i < 20_000; i++) {
    const head = Buffer.alloc(Math.floor(next() * 160));
    for (let b = 0; b < head.length; b++) head[b] = Math.floor(next() * 256);
    if (next() < 0.5 && head.length >= 12) {
      head.write('RIFF', 0, 'latin1');
      head.write('WAVE', 8, 'latin1');
      if (head.length >= 16 && next() < 0.5) head.write(next() < 0.5 ? 'fmt ' : 'data', 12, 'latin1');
    }
    check(t, head, head.length + Math.floor(next() * 1000), failures);
  }
  t.deepEqual(failures.slice(0, 5), []);
});
