// File operations that survive a crash or power loss at any point: a recording is either still
// where Asterisk left it or complete in the store, and a manifest line is on disk once written.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, copyFile, open, rename, rm, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Makes a rename, creation or deletion inside `dir` durable (the entry lives in the directory). */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function fsyncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export interface MoveOptions {
  mode: number;
  /** Seam for tests; the real one is fs.rename. */
  rename?: (from: string, to: string) => Promise<void>;
}

/**
 * Moves `from` to `to` (whose folder exists). A rename when both are on one filesystem; across
 * filesystems (EXDEV: Asterisk's spool on another disk) a copy to a temporary name beside `to`,
 * fsync, rename into place, and only then unlink of the source.
 */
export async function moveFile(from: string, to: string, options: MoveOptions): Promise<void> {
  const renameFn = options.rename ?? rename;
  try {
    await renameFn(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    const partial = join(dirname(to), `.${basename(to)}.partial`);
    try {
      await copyFile(from, partial);
      await chmod(partial, options.mode);
      await fsyncFile(partial);
      await rename(partial, to);
    } catch (copyError) {
      await rm(partial, { force: true });
      throw copyError;
    }
    await fsyncDir(dirname(to));
    await unlink(from);
    await fsyncDir(dirname(from)).catch(() => undefined); // best effort: it is not our folder
    return;
  }
  await chmod(to, options.mode);
  await fsyncDir(dirname(to));
}

/** Appends `text` and fsyncs before resolving. */
export async function appendDurably(path: string, text: string, mode: number): Promise<void> {
  const handle = await open(path, 'a', mode);
  try {
    await handle.write(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** SHA-256 (hex) and size of a file, streamed: recordings can be hundreds of megabytes. */
export async function hashFile(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}
