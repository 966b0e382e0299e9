// The manifest is `<recordings root>/manifest.jsonl`: one JSON line per stored file, and a
// tombstone line per file retention deleted. It is the ground truth that `deskline recordings
// verify` checks the folder against, so verify needs neither the data store nor its lock.
import { parseJsonObject } from '../core/json-object.ts';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { appendDurably, fsyncDir } from './durable-files.ts';
import { recordingIdPattern } from './recording-types.ts';

export const manifestName = 'manifest.jsonl';

export interface ManifestEntry {
  id: string;
  /** Relative to the recordings root, '/'-separated. */
  path: string;
  sha256: string;
  bytes: number;
  durationSeconds: number;
  createdAt: number;
}

export interface ManifestTombstone {
  id: string;
  path: string;
  deletedAt: number;
  reason: 'retention';
}

export type ManifestLine = ManifestEntry | ManifestTombstone;

export const isTombstone = (line: ManifestLine): line is ManifestTombstone => 'deletedAt' in line;

/** Relative, inside the root, no tricks: verify opens what the manifest names. */
export function isSafeRelativePath(path: string): boolean {
  if (path.length === 0 || path.length > 512 || path.startsWith('/') || path.includes('\\') || path.includes('\0')) return false;
  return path.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Checks one manifest line; returns what is wrong with it, or the line. */
export function parseManifestLine(text: string): ManifestLine | { problem: string } {
  const parsed = parseJsonObject(text);
  if ('problem' in parsed) return parsed;
  const line = parsed.object;
  if (typeof line.id !== 'string' || !recordingIdPattern.test(line.id)) return { problem: 'bad or missing "id"' };
  if (typeof line.path !== 'string' || !isSafeRelativePath(line.path)) return { problem: 'bad or missing "path" (must be relative, inside the recordings folder)' };
  if ('deletedAt' in line) {
    if (!isCount(line.deletedAt)) return { problem: 'bad "deletedAt"' };
    return { id: line.id, path: line.path, deletedAt: line.deletedAt, reason: 'retention' };
  }
  if (typeof line.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(line.sha256)) return { problem: 'bad or missing "sha256"' };
  if (!isCount(line.bytes)) return { problem: 'bad or missing "bytes"' };
  if (typeof line.durationSeconds !== 'number' || !(line.durationSeconds >= 0)) return { problem: 'bad or missing "durationSeconds"' };
  if (!isCount(line.createdAt)) return { problem: 'bad or missing "createdAt"' };
  return { id: line.id, path: line.path, sha256: line.sha256, bytes: line.bytes, durationSeconds: line.durationSeconds, createdAt: line.createdAt };
}

/** Every line of the manifest with its 1-based number; a missing manifest has no lines. */
export async function* readManifest(root: string): AsyncGenerator<{ lineNumber: number; line: ManifestLine | { problem: string } }> {
  const input = createReadStream(join(root, manifestName), { encoding: 'utf8' });
  const opened = new Promise<boolean>((resolve, reject) => {
    input.once('ready', () => resolve(true));
    input.once('error', (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? resolve(false) : reject(error)));
  });
  if (!(await opened)) return;
  let lineNumber = 0;
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    lineNumber++;
    if (text.trim() === '') continue;
    yield { lineNumber, line: parseManifestLine(text) };
  }
}

/** Appends lines one at a time, each fsync'd before its promise resolves. */
export class ManifestWriter {
  private tail: Promise<unknown> = Promise.resolve();
  private checkedEnd = false;

  constructor(
    private readonly root: string,
    private readonly mode = 0o640,
  ) {}

  append(line: ManifestLine): Promise<void> {
    const write = this.tail.then(() => this.write(line));
    this.tail = write.catch(() => undefined);
    return write;
  }

  private async write(line: ManifestLine): Promise<void> {
    const path = join(this.root, manifestName);
    // A crash mid-append can leave a last line without its newline; start on a fresh line so
    // that one bad line does not swallow the next good one.
    const prefix = this.checkedEnd ? '' : await this.needsNewline(path);
    await appendDurably(path, `${prefix ?? ''}${JSON.stringify(line)}\n`, this.mode);
    if (prefix === undefined) await fsyncDir(this.root); // the manifest itself was just created
    this.checkedEnd = true;
  }

  /** undefined when there is no manifest yet. */
  private async needsNewline(path: string): Promise<string | undefined> {
    const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (!handle) return undefined;
    try {
      const { size } = await handle.stat();
      if (size === 0) return '';
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      return last[0] === 0x0a ? '' : '\n';
    } finally {
      await handle.close();
    }
  }
}
