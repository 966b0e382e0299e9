// Test audio made on the spot with the real sox, and a prompt store in a temp folder.
import type { ExecutionContext } from 'ava';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PromptStore, type PromptStoreOptions } from './prompt-store.ts';

const run = promisify(execFile);

/** A temp folder removed after the test. */
export async function tempDir(t: ExecutionContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'deskline-prompt-test-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A tone made by sox, in the format the file name says (wav, ogg, flac, mp3, aiff, au). */
export async function synth(path: string, seconds: number, { rate = 44100, channels = 2 } = {}): Promise<Buffer> {
  await run('sox', ['-n', '-r', String(rate), '-c', String(channels), path, 'synth', String(seconds), 'sine', '300-900']);
  return readFile(path);
}

/** `soxi` facts of a file: rate, channels, bits and encoding. */
export async function soxi(path: string): Promise<{ rate: number; channels: number; bits: number; encoding: string; seconds: number }> {
  const ask = async (flag: string) => (await run('soxi', [flag, path])).stdout.trim();
  return { rate: Number(await ask('-r')), channels: Number(await ask('-c')), bits: Number(await ask('-b')), encoding: await ask('-e'), seconds: Number(await ask('-D')) };
}

export async function* chunks(data: Uint8Array, size = 64 * 1024): AsyncIterable<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

/** A store over `<dir>/prompts` with the catalog en: {welcome: …}, zh-CN: {welcome: …}. */
export async function promptStore(dir: string, more: Partial<PromptStoreOptions> = {}) {
  const catalog = new Map([
    ['en', new Map([['welcome', 'Thank you for calling.']])],
    ['zh-CN', new Map([['welcome', '感谢您的来电。']])],
  ]);
  let now = Date.UTC(2026, 10, 24, 9);
  const store = await PromptStore.open({ dir: join(dir, 'prompts'), catalog, now: () => now, ...more });
  return { store, catalog, advance: (ms: number) => (now += ms) };
}
