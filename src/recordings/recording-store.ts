// The recording store: files Asterisk finished writing are moved under the recordings root,
// hashed, listed in the manifest (for offline verification) and indexed in the store's
// `recordings` section. Layout of the section (keys sort as strings):
//   rec!<id>                                  the recording's metadata
//   call!<callId>!<startedAt:13>!<id>         index by call
//   start!<startedAt:13>!<id>                 index by start time
//   created!<createdAt:13>!<id>               index by ingest time (retention)
// Order of writes: file in place → manifest line (fsync'd) → metadata. A crash in between leaves
// something `deskline recordings verify` names; never metadata pointing at nothing.
import { randomBytes } from 'node:crypto';
import { mkdir, rmdir, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Clock } from '../core/clock.ts';
import type { BatchOperation, Section, Store } from '../store/store.ts';
import { hashFile, moveFile } from './durable-files.ts';
import { RecordingError } from './errors.ts';
import { ManifestWriter } from './manifest.ts';
import { recordingIdPattern, type IngestMeta, type OpenedRecording, type Recording, type RecordingQuery } from './recording-types.ts';
import { verifyRecordings, type VerifyOptions, type VerifyReport } from './verify.ts';
import { readWavInfo } from './wav-info.ts';

export interface RecordingStoreOptions {
  store: Store;
  /** Recordings root (host path). */
  dir: string;
  clock: Clock;
  logger: Logger;
}

const fileMode = 0o640;
const dirMode = 0o750;
const dayMs = 86_400_000;

const pad = (n: number, width: number) => String(Math.max(0, Math.floor(n))).padStart(width, '0');
const time = (ms: number) => pad(ms, 13);
/** Call ids come from Asterisk; keep the key separator out of them. */
const keyPart = (text: string) => encodeURIComponent(text).replace(/!/g, '%21');

const ingestMetaSchema = z.object({
  callId: z.string().min(1).max(256),
  // Empty means "none": a recording is never refused over an optional field.
  queueId: z.string().max(256).optional(),
  agentId: z.string().max(256).optional(),
  caller: z.string().max(256),
  startedAt: z.number().int().nonnegative(),
  name: z.string().max(512),
  paused: z.array(z.object({ at: z.number().int().nonnegative(), seconds: z.number().nonnegative().finite() })).max(10_000).optional(),
});

/** Time-ordered, random, URL-safe: e.g. `mbx3k2p0-9f1c2a7e5b3d4c60`. */
function newRecordingId(createdAt: number): string {
  return `${createdAt.toString(36)}-${randomBytes(8).toString('hex')}`;
}

/** YYYY/MM/DD/<id>.wav, by the UTC date the file was taken in. */
function relativePathFor(id: string, createdAt: number): string {
  const day = new Date(createdAt).toISOString().slice(0, 10).replace(/-/g, '/');
  return `${day}/${id}.wav`;
}

export class RecordingStore {
  /** Absolute recordings root. */
  readonly dir: string;
  private readonly section: Section;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly manifest: ManifestWriter;
  private retention: Promise<Recording[]> | undefined;

  constructor(options: RecordingStoreOptions) {
    this.dir = resolve(options.dir);
    this.section = options.store.section('recordings');
    this.clock = options.clock;
    this.logger = options.logger.child({ component: 'recordings' });
    this.manifest = new ManifestWriter(this.dir, fileMode);
  }

  /**
   * Takes in a file Asterisk finished writing: moves it under the root, reads its duration from
   * the header, hashes it, lists it in the manifest and saves its metadata. A file that is not a
   * readable WAV is left where it is (DESKLINE_RECORDING_BAD_WAV).
   */
  async ingest(sourcePath: string, meta: IngestMeta): Promise<Recording> {
    const parsed = ingestMetaSchema.safeParse(meta);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'meta'}: ${issue.message}`);
      throw new RecordingError('DESKLINE_RECORDING_BAD_META', `bad recording metadata for ${sourcePath}: ${problems.join('; ')}`);
    }
    const info = await readWavInfo(sourcePath).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new RecordingError('DESKLINE_RECORDING_FILE_MISSING', `no recording file at ${sourcePath}`);
      if (error instanceof RecordingError) throw new RecordingError(error.code, `${sourcePath}: ${error.message}`);
      throw error;
    });

    const createdAt = this.clock.now();
    const id = newRecordingId(createdAt);
    const path = relativePathFor(id, createdAt);
    const target = join(this.dir, path);
    await mkdir(dirname(target), { recursive: true, mode: dirMode });
    await moveFile(sourcePath, target, { mode: fileMode });
    const { sha256, bytes } = await hashFile(target);

    const { callId, queueId, agentId, caller, startedAt, name, paused = [] } = parsed.data;
    const recording: Recording = {
      id,
      callId,
      ...(queueId && { queueId }),
      ...(agentId && { agentId }),
      caller,
      startedAt,
      createdAt,
      name,
      paused,
      format: 'wav',
      durationSeconds: info.durationSeconds,
      sampleRate: info.sampleRate,
      channels: info.channels,
      sha256,
      bytes,
      path,
    };
    const log = this.logger.child({ recordingId: id, callId });
    try {
      await this.manifest.append({ id, path, sha256, bytes, durationSeconds: info.durationSeconds, createdAt });
      await this.section.batch([
        { type: 'put', key: `rec!${id}`, value: recording },
        { type: 'put', key: `call!${keyPart(callId)}!${time(startedAt)}!${id}`, value: id },
        { type: 'put', key: `start!${time(startedAt)}!${id}`, value: id },
        { type: 'put', key: `created!${time(createdAt)}!${id}`, value: id },
      ]);
    } catch (error) {
      log.error({ err: error, path: target }, 'recording moved into the store but not recorded; `deskline recordings verify` will list it');
      throw error;
    }
    log.info({ path, bytes, durationSeconds: info.durationSeconds }, 'recording stored');
    return recording;
  }

  async get(id: string): Promise<Recording | undefined> {
    if (!recordingIdPattern.test(id)) return undefined;
    return this.section.get<Recording>(`rec!${id}`);
  }

  /** Newest first by start time; `from` is inclusive, `to` exclusive. */
  async list(query: RecordingQuery = {}): Promise<Recording[]> {
    const limit = Math.min(Math.max(Math.floor(query.limit ?? 100), 1), 10_000);
    const prefix = query.callId !== undefined ? `call!${keyPart(query.callId)}!` : 'start!';
    const range = { gte: `${prefix}${time(query.from ?? 0)}`, lt: `${prefix}${time(query.to ?? 9_999_999_999_999)}`, reverse: true };
    const recordings: Recording[] = [];
    for await (const [, id] of this.section.entries<string>(range)) {
      const recording = await this.get(id);
      if (recording) recordings.push(recording);
      if (recordings.length >= limit) break;
    }
    return recordings;
  }

  /** Where to read a recording's audio from. */
  async open(id: string): Promise<OpenedRecording> {
    const recording = await this.get(id);
    if (!recording) throw new RecordingError('DESKLINE_RECORDING_NOT_FOUND', `no recording ${JSON.stringify(id)}`);
    const path = join(this.dir, recording.path);
    try {
      const { size } = await stat(path);
      return { path, bytes: size, sha256: recording.sha256, contentType: 'audio/wav' };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      throw new RecordingError('DESKLINE_RECORDING_FILE_MISSING', `the file of recording ${id} is missing (${recording.path})`);
    }
  }

  /** Checks the folder against the manifest only (see verify.ts). */
  verify(options?: VerifyOptions): Promise<VerifyReport> {
    return verifyRecordings(this.dir, options);
  }

  /**
   * Deletes the recordings taken in before now − retentionDays, and nothing younger. Each gets a
   * tombstone in the manifest first, then loses its file, then its metadata, so a crash at any
   * point leaves it to the next run. Returns what was deleted. Runs once at a time.
   */
  applyRetention(retentionDays: number): Promise<Recording[]> {
    // Under a day, the folder of today could be emptied and removed under a concurrent ingest.
    if (!Number.isFinite(retentionDays) || retentionDays < 1) {
      return Promise.reject(new RecordingError('DESKLINE_RECORDING_BAD_RETENTION', `retention must be at least 1 day, not ${retentionDays}`));
    }
    this.retention ??= this.deleteOlderThan(this.clock.now() - retentionDays * dayMs).finally(() => (this.retention = undefined));
    return this.retention;
  }

  private async deleteOlderThan(cutoff: number): Promise<Recording[]> {
    const ids: string[] = [];
    for await (const [, id] of this.section.entries<string>({ gte: 'created!', lt: `created!${time(Math.ceil(cutoff))}` })) ids.push(id);
    const deleted: Recording[] = [];
    for (const id of ids) {
      const recording = await this.get(id);
      if (!recording || recording.createdAt >= cutoff) continue;
      try {
        await this.deleteOne(recording, this.clock.now());
        deleted.push(recording);
      } catch (error) {
        this.logger.error({ err: error, recordingId: id, path: recording.path }, 'retention could not delete a recording; the next run retries');
      }
    }
    const folders = new Set(deleted.map((r) => dirname(join(this.dir, r.path))));
    for (const folder of folders) await this.removeEmptyFolders(folder);
    return deleted;
  }

  private async deleteOne(recording: Recording, now: number): Promise<void> {
    const { id, path, callId, startedAt, createdAt } = recording;
    await this.manifest.append({ id, path, deletedAt: now, reason: 'retention' });
    await unlink(join(this.dir, path)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error; // gone already: an earlier run got this far
    });
    const ops: BatchOperation[] = [
      { type: 'del', key: `rec!${id}` },
      { type: 'del', key: `call!${keyPart(callId)}!${time(startedAt)}!${id}` },
      { type: 'del', key: `start!${time(startedAt)}!${id}` },
      { type: 'del', key: `created!${time(createdAt)}!${id}` },
    ];
    await this.section.batch(ops);
    this.logger.info({ recordingId: id, callId, path, createdAt, startedAt }, 'recording deleted by retention');
  }

  /** Day, then month, then year folder, while empty. */
  private async removeEmptyFolders(folder: string): Promise<void> {
    for (let current = folder; current !== this.dir && current.startsWith(`${this.dir}/`); current = dirname(current)) {
      const removed = await rmdir(current).then(() => true, () => false);
      if (!removed) return;
    }
  }
}
