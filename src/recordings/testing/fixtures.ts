/** Test helpers for the recording store: temp folders, real WAV files from sox, captured logs. */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { ExecutionContext } from 'ava';
import { createLogger, type Logger } from '../../core/logger.ts';

/** A fresh folder under the system temp dir, removed when the test ends. */
export async function tempDir(t: ExecutionContext, prefix = 'deskline-recordings-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A sine tone written by sox: 16-bit mono PCM unless told otherwise. */
export function soxWav(path: string, options: { seconds: number; rate?: number; bits?: number; channels?: number; encoding?: string }): string {
  const { seconds, rate = 8000, bits = 16, channels = 1, encoding } = options;
  execFileSync('sox', ['-n', '-r', String(rate), '-c', String(channels), '-b', String(bits), ...(encoding ? ['-e', encoding] : []), path, 'synth', String(seconds), 'sine', '440']);
  return path;
}

/** What `sox --i -D` says the duration is, in seconds. */
export function soxDuration(path: string): number {
  return Number(execFileSync('sox', ['--i', '-D', path], { encoding: 'utf8' }).trim());
}

/** A logger whose JSON lines land in `lines`. */
export function capturedLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString('utf8').split('\n')) if (text.trim()) lines.push(JSON.parse(text) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger('info', sink), lines };
}
