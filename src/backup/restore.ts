// `deskline restore`: verify the whole archive first (archive-reader.ts), then check the target
// (service stopped, data dir empty unless --force), then one more pass that loads the store and
// writes the files, hashing again so an archive that changed between the passes is caught.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { access, chmod, mkdir, readdir, rename, rm, utimes } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { DesklineConfig } from '../config/schema.ts';
import { LevelStore } from '../store/level-store.ts';
import { StoreError, type SnapshotStore, type StoreEntry } from '../store/store.ts';
import { checkMemberName, openArchive, verifyBackup } from './archive-reader.ts';
import { BackupError, damaged } from './errors.ts';
import { LineSplitter, parseStoreLine } from './jsonl.ts';
import { dataLayout, type DataLayout } from './layout.ts';
import { manifestMember, manifestSumMember, rootOf, siteMember, storeMember, type BackupManifest, type FileRoot } from './manifest.ts';
import { silentProgress, type Progress } from './progress.ts';

export interface RestoreOptions {
  archive: string;
  /** The target site's configuration: where the store, media and recordings go. */
  config: DesklineConfig;
  /** Restore onto a store or media that already hold data (the store is cleared first). */
  force: boolean;
  /** Where to write the archive's site file; without it the site file is only reported. */
  siteOut?: string;
  progress?: Progress;
}

export interface RestoreResult {
  manifest: BackupManifest;
  entries: number;
  files: number;
  bytes: number;
  /** Where each root's files went. */
  targets: Partial<Record<FileRoot, string>>;
  siteOut?: string;
}

const dirMode = 0o750;
const exists = (path: string) => access(path).then(() => true, () => false);

async function hasFiles(dir: string): Promise<boolean> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.length > 0;
}

/** Where a root's files go on this box: knowledge audio without its own folder goes to media/knowledge, as the appliance reads it. */
function targetOf(layout: DataLayout, root: FileRoot): string {
  if (root === 'knowledge-audio') return layout.roots['knowledge-audio'] ?? join(layout.roots.media!, 'knowledge');
  return layout.roots[root]!;
}

async function openTarget(layout: DataLayout, manifest: BackupManifest, options: RestoreOptions): Promise<SnapshotStore> {
  let store: LevelStore | undefined;
  const problems: string[] = [];
  if (await exists(join(layout.db, 'CURRENT'))) {
    try {
      store = await LevelStore.open(layout.db);
    } catch (error) {
      if (error instanceof StoreError && error.code === 'STORE_LOCKED') {
        throw new BackupError('DESKLINE_BACKUP_SERVICE_RUNNING', `Deskline is running on ${layout.storePath} (its data store is locked): stop it first (systemctl stop deskline), then restore`);
      }
      throw error;
    }
    for await (const entry of store.dump()) {
      void entry;
      problems.push(`the data store ${layout.db} holds entries`);
      break;
    }
  }
  const roots = new Set(manifest.members.map((m) => rootOf(m.path)).filter((r): r is FileRoot => r !== undefined));
  for (const dir of new Set((['media', 'recordings', ...roots] as FileRoot[]).map((root) => targetOf(layout, root)))) {
    if (await hasFiles(dir)) problems.push(`${dir} is not empty`);
  }
  if (options.siteOut && (await exists(options.siteOut))) problems.push(`${options.siteOut} exists`);
  if (problems.length && !options.force) {
    await store?.close();
    throw new BackupError('DESKLINE_BACKUP_TARGET_NOT_EMPTY', `refusing to restore over data: ${problems.join('; ')}. Restore onto a fresh data dir, or give --force (the store is cleared first; files of the same name are overwritten, others are left)`);
  }
  await mkdir(layout.storePath, { recursive: true, mode: 0o700 });
  store ??= await LevelStore.open(layout.db);
  if (problems.length) await store.clear();
  return store;
}

async function writeFileFrom(target: string, body: AsyncIterable<Buffer>, mode: number, mtime: number, member: string, expectedSha: string): Promise<number> {
  await mkdir(dirname(target), { recursive: true, mode: dirMode });
  const temporary = `${target}.restoring`;
  const sink = createWriteStream(temporary, { mode });
  const finished = new Promise<void>((done, fail) => {
    sink.once('finish', done);
    sink.once('error', fail);
  });
  const hash = createHash('sha256');
  let size = 0;
  try {
    for await (const chunk of body) {
      hash.update(chunk);
      size += chunk.length;
      if (!sink.write(chunk)) await new Promise<void>((done) => sink.once('drain', () => done()));
    }
    sink.end();
    await finished;
    if (hash.digest('hex') !== expectedSha) throw damaged('changed since it was verified (is the archive being written to?)', member);
    await chmod(temporary, mode);
    await utimes(temporary, mtime, mtime);
    await rename(temporary, target);
  } catch (error) {
    sink.destroy();
    await rm(temporary, { force: true });
    throw error;
  }
  return size;
}

export async function restoreBackup(options: RestoreOptions): Promise<RestoreResult> {
  const progress = options.progress ?? silentProgress;
  const archivePath = resolve(options.archive);
  progress.step(`checking ${archivePath} (every member against manifest.json)`, 1);
  const { manifest } = await verifyBackup(archivePath, (read, total) => progress.update(total ? read / total : 1));
  progress.note(`backup of site ${manifest.siteId} from ${manifest.createdAt} (Deskline ${manifest.desklineVersion}): ${manifest.store.entries} store entries, ${manifest.members.length - 1} files; all checksums match`);

  const layout = dataLayout(options.config);
  const store = await openTarget(layout, manifest, options);
  const expected = new Map(manifest.members.map((m) => [m.path, m]));
  const targets: Partial<Record<FileRoot, string>> = {};
  let entries = 0;
  let files = 0;
  let bytes = 0;
  const totalBytes = manifest.members.reduce((sum, m) => sum + m.size, 0);
  try {
    progress.step(`restoring into ${layout.storePath}`, totalBytes);
    const archive = await openArchive(archivePath);
    for await (const { member, body } of archive.members) {
      if (member.type === 'directory' || member.name === manifestMember || member.name === manifestSumMember) continue;
      checkMemberName(member.name);
      const listed = expected.get(member.name);
      if (!listed) throw damaged('changed since it was verified (not in manifest.json)', member.name);
      if (member.name === storeMember) {
        const hash = createHash('sha256');
        // One array of entries per chunk: store.load takes them in batches anyway.
        const splitter = new LineSplitter();
        const toEntries = (texts: string[]) => {
          const first = splitter.number - texts.length + 1;
          const out: StoreEntry[] = [];
          for (const [i, text] of texts.entries()) {
            if (text === '') continue;
            const entry = parseStoreLine(text);
            if ('problem' in entry) throw damaged(`line ${first + i}: ${entry.problem}`, member.name);
            out.push(entry);
          }
          return out;
        };
        const parsed = (async function* (): AsyncGenerator<StoreEntry[]> {
          for await (const chunk of body) {
            hash.update(chunk);
            progress.update((bytes += chunk.length));
            yield toEntries(splitter.push(chunk));
          }
          yield toEntries(splitter.end());
        })();
        entries = await store.load(flatten(parsed));
        if (hash.digest('hex') !== listed.sha256) throw damaged('changed since it was verified', member.name);
        continue;
      }
      if (member.name === siteMember) {
        if (options.siteOut) bytes += await writeFileFrom(resolve(options.siteOut), body, 0o600, member.mtime, member.name, listed.sha256);
        continue;
      }
      const root = rootOf(member.name)!;
      const dir = targetOf(layout, root);
      targets[root] = dir;
      const target = join(dir, member.name.slice(root.length + 1));
      const counting = (async function* () {
        for await (const chunk of body) {
          progress.update((bytes += chunk.length));
          yield chunk;
        }
      })();
      await writeFileFrom(target, counting, listed.mode, member.mtime, member.name, listed.sha256);
      files++;
    }
  } finally {
    await store.close();
  }
  progress.done();
  return { manifest, entries, files, bytes, targets, siteOut: options.siteOut ? resolve(options.siteOut) : undefined };
}

/** Entries out of arrays, without an async hop per entry: load() awaits only between its batches. */
function flatten(arrays: AsyncIterable<StoreEntry[]>): AsyncIterable<StoreEntry> {
  const iterator = arrays[Symbol.asyncIterator]();
  let current: StoreEntry[] = [];
  let index = 0;
  return {
    [Symbol.asyncIterator]: () => ({
      async next(): Promise<IteratorResult<StoreEntry>> {
        while (index >= current.length) {
          const next = await iterator.next();
          if (next.done) return { done: true, value: undefined };
          current = next.value;
          index = 0;
        }
        return { done: false, value: current[index++]! };
      },
    }),
  };
}
