// The prompt library's files on disk, one prompt at a time: reading what a prompt is (its WAV
// header, hash and our notes beside it) and swapping a new one into place so that a crash at any
// moment leaves either the old prompt or the new one, never half a file.
import { randomUUID } from 'node:crypto';
import { chmod, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fsyncDir, fsyncFile, hashFile } from '../recordings/durable-files.ts';
import { readWavInfo } from '../recordings/wav-info.ts';
import { promptIdPattern } from './prompt-library.ts';
import { otherAsteriskFormats, promptFileKinds, promptPath } from './prompt-paths.ts';

export type PromptSource = 'catalog' | 'file' | 'upload' | 'tts';

/** Our notes beside a prompt we wrote (`<id>.meta.json`); they count only while `sha256` matches the WAV. */
export interface PromptMeta {
  source: 'upload' | 'tts';
  sha256: string;
  updatedAt: number;
  updatedBy: string;
  tts?: { text: string; voice: string };
  /** What was uploaded, before conversion. */
  input?: { format: string; bytes: number };
}

/** What one recorded prompt is, read from its files. */
export interface RecordedPrompt {
  bytes: number;
  sha256: string;
  durationSeconds: number | null;
  mtimeMs: number;
  /** Undefined for files installed by hand (or whose notes no longer match them). */
  meta: PromptMeta | undefined;
}

const FILE_MODE = 0o644;
/** Temporary files are hidden and end in this, so nothing lists them and a restart can sweep them. */
const PARTIAL = '.partial';

export const partialName = (dir: string, id: string, kind: string) => join(dir, `.${id}.${randomUUID().slice(0, 8)}${PARTIAL}.${kind}`);

const isMeta = (v: unknown): v is PromptMeta => {
  const m = v as Partial<PromptMeta> | null;
  return !!m && (m.source === 'upload' || m.source === 'tts') && typeof m.sha256 === 'string' && typeof m.updatedAt === 'number' && typeof m.updatedBy === 'string';
};

export class PromptFiles {
  /** sha256 by path, valid while size and mtime stay the same: listing must not re-hash every file. */
  private readonly hashes = new Map<string, { stamp: string; sha256: string }>();

  constructor(readonly root: string) {}

  /** Ids with a WAV in one language's folder (hand-installed ones too). */
  async recordedIds(language: string): Promise<string[]> {
    const names = await readdir(join(this.root, language)).catch(() => [] as string[]);
    return names.filter((n) => n.endsWith('.wav') && promptIdPattern.test(n.slice(0, -4))).map((n) => n.slice(0, -4)).sort();
  }

  async read(language: string, id: string): Promise<RecordedPrompt | undefined> {
    const wav = promptPath(this.root, language, id, promptFileKinds.wav);
    const info = await stat(wav).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    const stamp = `${info.size}:${info.mtimeMs}:${info.ino}`;
    let sha256 = this.hashes.get(wav)?.stamp === stamp ? this.hashes.get(wav)!.sha256 : undefined;
    if (sha256 === undefined) {
      sha256 = (await hashFile(wav)).sha256;
      this.hashes.set(wav, { stamp, sha256 });
    }
    const durationSeconds = await readWavInfo(wav).then((w) => w.durationSeconds, () => null);
    const meta = await this.notes(language, id);
    return { bytes: info.size, sha256, durationSeconds, mtimeMs: info.mtimeMs, meta: meta?.sha256 === sha256 ? meta : undefined };
  }

  /** The notes beside a prompt, not yet checked against its WAV (startup reads them without hashing every file). */
  async notes(language: string, id: string): Promise<PromptMeta | undefined> {
    const meta = await readFile(promptPath(this.root, language, id, promptFileKinds.meta), 'utf8').then((t) => JSON.parse(t) as unknown, () => undefined);
    return isMeta(meta) ? meta : undefined;
  }

  /** Writes the notes to a hidden temporary file, fsynced; `install` renames it into place. */
  async writePartialMeta(dir: string, id: string, meta: PromptMeta): Promise<string> {
    const path = partialName(dir, id, 'meta');
    await writeFile(path, `${JSON.stringify(meta)}\n`, { mode: FILE_MODE, flag: 'wx' });
    return path;
  }

  /**
   * Swaps fully written temporary files into place: fsync each, rename the 16 kHz file, then the
   * 8 kHz WAV (what the resolver looks for), then the notes, then fsync the folder. Each rename is
   * atomic; a crash between them leaves every file whole, and notes that do not match the WAV are
   * ignored (the prompt then shows as a hand-installed file).
   */
  async install(language: string, id: string, parts: { wav: string; sln16: string; meta: string }): Promise<void> {
    const wav = promptPath(this.root, language, id, promptFileKinds.wav);
    for (const part of [parts.sln16, parts.wav, parts.meta]) {
      // Asterisk usually runs as another user: it must be able to read what we write, whatever our umask.
      await chmod(part, FILE_MODE);
      await fsyncFile(part);
    }
    await this.removeOtherFormats(language, id);
    await rename(parts.sln16, promptPath(this.root, language, id, promptFileKinds.sln16));
    await rename(parts.wav, wav);
    await rename(parts.meta, promptPath(this.root, language, id, promptFileKinds.meta));
    await fsyncDir(dirname(wav));
  }

  /** Removes a prompt's files, the WAV first: from then on the resolver no longer plays it. */
  async remove(language: string, id: string): Promise<void> {
    const wav = promptPath(this.root, language, id, promptFileKinds.wav);
    await rm(wav, { force: true });
    await rm(promptPath(this.root, language, id, promptFileKinds.sln16), { force: true });
    await rm(promptPath(this.root, language, id, promptFileKinds.meta), { force: true });
    await this.removeOtherFormats(language, id);
    await fsyncDir(dirname(wav));
    this.hashes.delete(wav);
  }

  private async removeOtherFormats(language: string, id: string): Promise<void> {
    for (const ext of otherAsteriskFormats) await rm(promptPath(this.root, language, id, ext), { force: true });
  }

  /** Sweeps temporary files a crash left behind (at startup, before anyone writes). */
  async sweepPartials(language: string): Promise<number> {
    const dir = join(this.root, language);
    const names = await readdir(dir).catch(() => [] as string[]);
    const stale = names.filter((n) => n.startsWith('.') && n.includes(`${PARTIAL}.`));
    for (const name of stale) await rm(join(dir, basename(name)), { force: true });
    return stale.length;
  }
}
