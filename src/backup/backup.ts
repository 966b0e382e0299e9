// `deskline backup`: one tar.gz with the store snapshot, the site file, media and (optionally)
// recordings, and manifest.json last with every member's size and sha256. Written to FILE.partial
// and renamed at the end, so a backup that failed halfway never looks like a finished one.
import { createReadStream, createWriteStream } from 'node:fs';
import { access, lstat, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { createGzip } from 'node:zlib';
import type { DesklineConfig } from '../config/schema.ts';
import type { Clock } from '../core/clock.ts';
import { LevelStore } from '../store/level-store.ts';
import { StoreError, type StoreEntry } from '../store/store.ts';
import { BackupError } from './errors.ts';
import { dataLayout } from './layout.ts';
import { backupFormatVersion, fileRoots, manifestMember, manifestSumMember, siteMember, storeMember, type BackupManifest, type FileRoot, type ManifestMember } from './manifest.ts';
import { silentProgress, type Progress } from './progress.ts';
import { serviceSnapshot } from './service-snapshot.ts';
import { TarWriter } from './tar.ts';

export interface BackupOptions {
  config: DesklineConfig;
  /** The site file as given (--site / $DESKLINE_SITE); stored verbatim as site.yaml. */
  siteFile: string | undefined;
  out: string;
  withRecordings: boolean;
  /** The running service's control socket; default <store.path>/deskline.sock. */
  socket?: string;
  desklineVersion: string;
  clock: Pick<Clock, 'now'>;
  progress?: Progress;
}

export interface BackupResult {
  file: string;
  manifest: BackupManifest;
  /** Size of the archive (compressed). */
  archiveBytes: number;
  /** Files skipped because they are not regular files (sockets, links). */
  skipped: string[];
}

interface FileToCopy {
  member: string;
  path: string;
  size: number;
  mode: number;
  mtime: number;
}

/** Regular files under `root`, sorted, as archive members under `prefix`. */
async function listFiles(root: string, prefix: FileRoot, skipped: string[]): Promise<FileToCopy[]> {
  const out: FileToCopy[] = [];
  const walk = async (dir: string, rel: string) => {
    let names: string[];
    try {
      names = (await readdir(dir)).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && rel === '') return; // nothing there yet
      throw new BackupError('DESKLINE_BACKUP_SOURCE', `cannot read ${dir}: ${(error as Error).message}`, undefined, { cause: error });
    }
    for (const name of names) {
      const path = join(dir, name);
      const member = `${prefix}/${rel}${name}`;
      const info = await lstat(path);
      if (info.isDirectory()) await walk(path, `${rel}${name}/`);
      else if (info.isFile()) out.push({ member, path, size: info.size, mode: info.mode & 0o7777, mtime: Math.floor(info.mtimeMs / 1000) });
      else skipped.push(path);
    }
  };
  await walk(root, '');
  return out;
}

/** Opens the store read-only in spirit; when the service holds its lock, asks the service instead. */
async function openSnapshot(db: string, socket: string): Promise<{ entries: AsyncIterable<StoreEntry>; from: 'store' | 'service'; close: () => Promise<void> }> {
  if (!(await access(join(db, 'CURRENT')).then(() => true, () => false))) {
    throw new BackupError('DESKLINE_BACKUP_SOURCE', `no data store at ${db}: is --site (store.path) right?`);
  }
  try {
    const store = await LevelStore.open(db);
    return { entries: store.dump(), from: 'store', close: () => store.close() };
  } catch (error) {
    if (error instanceof StoreError && error.code === 'STORE_LOCKED') return { entries: serviceSnapshot(socket), from: 'service', close: async () => {} };
    throw error;
  }
}

export async function createBackup(options: BackupOptions): Promise<BackupResult> {
  const progress = options.progress ?? silentProgress;
  const layout = dataLayout(options.config);
  const out = resolve(options.out);
  const partial = `${out}.partial`;
  const scratch = await mkdtemp(join(dirname(out), '.deskline-backup-'));
  const skipped: string[] = [];
  try {
    // 1. The store snapshot, to a scratch file: its size must be known for its tar header.
    const snapshot = await openSnapshot(layout.db, options.socket ?? layout.socket);
    progress.step(`snapshot of the data store (${snapshot.from === 'service' ? 'from the running service' : layout.db})`);
    const sections: Record<string, number> = {};
    let entries = 0;
    const storeFile = join(scratch, storeMember);
    try {
      const sink = createWriteStream(storeFile, { mode: 0o600 });
      const closed = new Promise<void>((done, fail) => {
        sink.once('finish', done);
        sink.once('error', fail);
      });
      let text = '';
      for await (const entry of snapshot.entries) {
        sections[entry.section] = (sections[entry.section] ?? 0) + 1;
        entries++;
        text += `${JSON.stringify({ section: entry.section, key: entry.key, value: entry.value })}\n`;
        if (text.length > 1 << 16) {
          if (!sink.write(text)) await new Promise<void>((done) => sink.once('drain', () => done()));
          text = '';
        }
      }
      sink.end(text);
      await closed;
    } finally {
      await snapshot.close();
    }
    progress.note(`${entries} store entries in ${Object.keys(sections).length} sections`);

    // 2. What goes in, with sizes, so progress can count bytes.
    const files: FileToCopy[] = [];
    const storeInfo = await stat(storeFile);
    if (options.siteFile) {
      const info = await stat(options.siteFile);
      files.push({ member: siteMember, path: resolve(options.siteFile), size: info.size, mode: info.mode & 0o7777, mtime: Math.floor(info.mtimeMs / 1000) });
    }
    files.push({ member: storeMember, path: storeFile, size: storeInfo.size, mode: 0o600, mtime: Math.floor(options.clock.now() / 1000) });
    for (const root of fileRoots) {
      const dir = layout.roots[root];
      if (!dir || (root === 'recordings' && !options.withRecordings)) continue;
      files.push(...(await listFiles(dir, root, skipped)));
    }
    for (const path of skipped) progress.note(`skipped (not a regular file): ${path}`);
    const totalBytes = files.reduce((sum, f) => sum + f.size, 0);

    // 3. The archive.
    progress.step(`writing ${files.length} files (${(totalBytes / 1e6).toFixed(1)} MB) to ${out}`, totalBytes);
    const gzip = createGzip();
    const sink = createWriteStream(partial, { mode: 0o600 });
    const written = new Promise<void>((done, fail) => {
      sink.once('finish', done);
      sink.once('error', fail);
      gzip.once('error', fail);
    });
    gzip.pipe(sink);
    const tar = new TarWriter(gzip);
    const members: ManifestMember[] = [];
    let doneBytes = 0;
    try {
      for (const file of files) {
        const sha256 = await tar.addFile(file.member, file, counted(createReadStream(file.path, file.size ? { start: 0, end: file.size - 1 } : {}), (n) => progress.update((doneBytes += n))));
        members.push({ path: file.member, size: file.size, sha256, mode: file.mode });
      }
      const site = options.config.site.id;
      const manifest: BackupManifest = {
        format: 'deskline-backup',
        formatVersion: backupFormatVersion,
        desklineVersion: options.desklineVersion,
        siteId: site,
        createdAt: new Date(options.clock.now()).toISOString(),
        snapshotFrom: snapshot.from,
        withRecordings: options.withRecordings,
        siteFile: options.siteFile ? resolve(options.siteFile) : null,
        store: { entries, sections },
        members,
      };
      const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
      const mtime = Math.floor(options.clock.now() / 1000);
      const manifestSha = await tar.addFile(manifestMember, { size: manifestBytes.length, mode: 0o600, mtime }, manifestBytes);
      const sumBytes = Buffer.from(`${manifestSha}  ${manifestMember}\n`);
      await tar.addFile(manifestSumMember, { size: sumBytes.length, mode: 0o600, mtime }, sumBytes);
      await tar.finish();
      await written;
      await rename(partial, out);
      progress.done();
      return { file: out, manifest, archiveBytes: (await stat(out)).size, skipped };
    } catch (error) {
      gzip.destroy();
      sink.destroy();
      await rm(partial, { force: true });
      if (error instanceof BackupError) throw error;
      throw new BackupError('DESKLINE_BACKUP_SOURCE', `backup failed: ${(error as Error).message}`, undefined, { cause: error });
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function* counted(source: AsyncIterable<Buffer | string>, onBytes: (n: number) => void): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    onBytes(buffer.length);
    yield buffer;
  }
}
