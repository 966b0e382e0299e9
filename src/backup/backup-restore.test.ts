import test from 'ava';
import { createAdaptorServer } from '@hono/node-server';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { buildConfig } from '../config/load.ts';
import { ManualClock } from '../core/clock.ts';
import { LevelStore } from '../store/level-store.ts';
import type { StoreEntry } from '../store/store.ts';
import { verifyBackup } from './archive-reader.ts';
import { createBackup } from './backup.ts';
import { backupControlRoutes } from './backup-control-routes.ts';
import { BackupError, type BackupErrorCode } from './errors.ts';
import { restoreBackup } from './restore.ts';
import { readTar, TarWriter } from './tar.ts';

const execFileAsync = promisify(execFile);
const clock = new ManualClock(Date.parse('2026-11-24T10:00:00Z'));

interface Box {
  dir: string;
  siteFile: string;
  config: ReturnType<typeof buildConfig>;
}

async function box(name: string, site: Record<string, unknown> = {}): Promise<Box> {
  const dir = await mkdtemp(join(tmpdir(), `deskline-backup-${name}-`));
  const raw = { site: { id: 'unit' }, store: { path: join(dir, 'data') }, ...site };
  const siteFile = join(dir, 'site.json');
  await writeFile(siteFile, JSON.stringify(raw, null, 2), { mode: 0o640 });
  return { dir, siteFile, config: buildConfig(raw, siteFile, {}) };
}

/** A data dir with entries in three sections, prompts, knowledge audio and recordings. */
async function populate(b: Box, entries = 3000): Promise<void> {
  const data = join(b.dir, 'data');
  const store = await LevelStore.open(join(data, 'db'));
  await store.load(Array.from({ length: entries }, (_, i) => ({ section: 'calls', key: `c${String(i).padStart(6, '0')}`, value: { i, caller: '中文 caller', trail: [{ t: i }] } })));
  await store.load([
    { section: 'flows', key: 'main', value: { nodes: { a: { kind: 'hangup' } } } },
    { section: 'knowledge', key: 'a1', value: { q: '营业时间?', a: 'nine to five' } },
  ]);
  await store.close();
  await mkdir(join(data, 'media/prompts/en'), { recursive: true });
  await writeFile(join(data, 'media/prompts/en/welcome.wav'), randomBytes(40_000), { mode: 0o640 });
  await mkdir(join(data, 'media/knowledge'), { recursive: true });
  await writeFile(join(data, 'media/knowledge/a1.wav'), randomBytes(1000), { mode: 0o600 });
  await writeFile(join(data, 'media/empty'), '');
  await mkdir(join(data, 'recordings/2026/11'), { recursive: true });
  await writeFile(join(data, 'recordings/2026/11/r1.wav'), randomBytes(100_000), { mode: 0o640 });
  await writeFile(join(data, 'recordings/manifest.jsonl'), '{"id":"r1"}\n', { mode: 0o640 });
}

async function dumpOf(db: string): Promise<StoreEntry[]> {
  const store = await LevelStore.open(db);
  const out: StoreEntry[] = [];
  for await (const entry of store.dump()) out.push(entry);
  await store.close();
  return out;
}

/** path → [mode, bytes] of every file below dir. */
async function filesOf(dir: string): Promise<Map<string, [number, string]>> {
  const out = new Map<string, [number, string]>();
  const names = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  for (const name of names.sort()) {
    const info = await stat(join(dir, name));
    if (info.isFile()) out.set(name, [info.mode & 0o7777, (await readFile(join(dir, name))).toString('base64')]);
  }
  return out;
}

const backup = (b: Box, out: string, withRecordings = true, socket?: string) =>
  createBackup({ config: b.config, siteFile: b.siteFile, out, withRecordings, socket, desklineVersion: '0.1.0-test', clock });

/** Rewrites an archive member by member; `edit` may change a member's bytes (or drop it with null). */
async function rewrite(file: string, out: string, edit: (name: string, data: Buffer) => Buffer | null): Promise<void> {
  const chunks: Buffer[] = [];
  const sink = new (await import('node:stream')).PassThrough();
  sink.on('data', (c: Buffer) => chunks.push(c));
  const writer = new TarWriter(sink);
  for await (const { member, body } of readTar((async function* () { yield gunzipSync(await readFile(file)); })())) {
    const parts: Buffer[] = [];
    for await (const c of body) parts.push(c);
    const data = edit(member.name, Buffer.concat(parts));
    if (data) await writer.addFile(member.name, { size: data.length, mode: member.mode, mtime: member.mtime }, data);
  }
  await writer.finish();
  await writeFile(out, gzipSync(Buffer.concat(chunks)));
}

test('given a populated data dir, when backed up and restored into an empty one, then every store entry and every file (with its mode) is equal', async (t) => {
  const from = await box('from');
  const to = await box('to');
  try {
    await populate(from);
    const archive = join(from.dir, 'backup.tar.gz');
    const result = await backup(from, archive);
    t.is(result.manifest.snapshotFrom, 'store');
    t.deepEqual(result.manifest.store, { entries: 3002, sections: { calls: 3000, flows: 1, knowledge: 1 } });
    t.is(result.manifest.siteId, 'unit');
    t.is(result.manifest.createdAt, '2026-11-24T10:00:00.000Z');
    t.deepEqual(result.manifest.members.map((m) => m.path), ['site.yaml', 'store.jsonl', 'media/empty', 'media/knowledge/a1.wav', 'media/prompts/en/welcome.wav', 'recordings/2026/11/r1.wav', 'recordings/manifest.jsonl']);
    // The archive itself, as GNU tar sees it: manifest last but one, its checksum last.
    const listed = (await execFileAsync('tar', ['-tzf', archive])).stdout.trim().split('\n');
    t.deepEqual(listed.slice(-2), ['manifest.json', 'manifest.sha256']);
    await t.throwsAsync(stat(`${archive}.partial`));

    const restored = await restoreBackup({ archive, config: to.config, force: false, siteOut: join(to.dir, 'restored-site.yaml') });
    t.is(restored.entries, 3002);
    t.is(restored.files, 5);
    t.deepEqual(await dumpOf(join(to.dir, 'data/db')), await dumpOf(join(from.dir, 'data/db')));
    t.deepEqual(await filesOf(join(to.dir, 'data/media')), await filesOf(join(from.dir, 'data/media')));
    t.deepEqual(await filesOf(join(to.dir, 'data/recordings')), await filesOf(join(from.dir, 'data/recordings')));
    t.deepEqual(await readFile(join(to.dir, 'restored-site.yaml')), await readFile(from.siteFile));
    t.is((await stat(join(to.dir, 'restored-site.yaml'))).mode & 0o777, 0o600);
  } finally {
    await rm(from.dir, { recursive: true, force: true });
    await rm(to.dir, { recursive: true, force: true });
  }
});

test('given --with-recordings not set, when backed up, then recordings are left out and the rest restores', async (t) => {
  const from = await box('norec');
  try {
    await populate(from, 10);
    const result = await backup(from, join(from.dir, 'b.tgz'), false);
    t.false(result.manifest.members.some((m) => m.path.startsWith('recordings/')));
    t.false(result.manifest.withRecordings);
  } finally {
    await rm(from.dir, { recursive: true, force: true });
  }
});

test('given the service holds the store, when backed up, then the snapshot comes over the control socket and restores equal; a snapshot that breaks off leaves no archive', async (t) => {
  const from = await box('svc');
  const to = await box('svc-to');
  let server: Server | undefined;
  try {
    await populate(from, 500);
    const held = await LevelStore.open(join(from.dir, 'data/db'));
    const socket = join(from.dir, 'data/deskline.sock');
    server = createAdaptorServer({ fetch: backupControlRoutes({ store: held }).fetch }) as Server;
    await new Promise<void>((done) => server!.listen(socket, done));
    const archive = join(from.dir, 'live.tgz');
    const result = await backup(from, archive);
    t.is(result.manifest.snapshotFrom, 'service');
    t.is(result.manifest.store.entries, 502);
    // The socket is not a member.
    t.false(result.manifest.members.some((m) => m.path.includes('deskline.sock')));
    await restoreBackup({ archive, config: to.config, force: false });
    const expected: StoreEntry[] = [];
    for await (const entry of held.dump()) expected.push(entry);
    t.deepEqual(await dumpOf(join(to.dir, 'data/db')), expected);

    // A service that dies mid-stream: lines, no trailer.
    await new Promise<void>((done) => server!.close(() => done()));
    server = createAdaptorServer({ fetch: () => new Response('{"section":"calls","key":"a","value":1}\n') }) as Server;
    await new Promise<void>((done) => server!.listen(socket, done));
    const error = await t.throwsAsync(backup(from, join(from.dir, 'broken.tgz')), { instanceOf: BackupError });
    t.is(error?.code, 'DESKLINE_BACKUP_SOURCE');
    t.regex(error!.message, /broke off after 1 entries/);
    t.deepEqual((await readdir(from.dir)).filter((n) => n.includes('broken') || n.startsWith('.deskline-backup-')), []);
    await held.close();
  } finally {
    await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
    await rm(from.dir, { recursive: true, force: true });
    await rm(to.dir, { recursive: true, force: true });
  }
});

test('given damaged archives, when restored, then a clear error names the member and nothing is written', async (t) => {
  const from = await box('dmg');
  const to = await box('dmg-to');
  try {
    await populate(from, 50);
    const archive = join(from.dir, 'good.tgz');
    await backup(from, archive);
    const cases: { name: string; make: (out: string) => Promise<void>; code: BackupErrorCode; message: RegExp }[] = [
      {
        name: 'a flipped byte in a recording',
        make: (out) => rewrite(archive, out, (n, d) => (n === 'recordings/2026/11/r1.wav' ? (d.writeUInt8(d[100]! ^ 1, 100), d) : d)),
        code: 'DESKLINE_BACKUP_DAMAGED', message: /recordings\/2026\/11\/r1\.wav: sha256 .* does not match/,
      },
      {
        name: 'a store line changed',
        make: (out) => rewrite(archive, out, (n, d) => (n === 'store.jsonl' ? Buffer.from(d.toString().replace('"flows"', '"Flows"')) : d)),
        code: 'DESKLINE_BACKUP_DAMAGED', message: /store\.jsonl: line \d+: bad section name/,
      },
      {
        name: 'a member dropped',
        make: (out) => rewrite(archive, out, (n, d) => (n === 'media/prompts/en/welcome.wav' ? null : d)),
        code: 'DESKLINE_BACKUP_DAMAGED', message: /media\/prompts\/en\/welcome\.wav: listed in manifest\.json but missing/,
      },
      {
        name: 'an unknown format version',
        // A newer Deskline's archive is intact: its manifest.sha256 matches its manifest.
        make: (out) => {
          let manifest = Buffer.alloc(0);
          return rewrite(archive, out, (n, d) => {
            if (n === 'manifest.json') return (manifest = Buffer.from(d.toString().replace('"formatVersion": 1', '"formatVersion": 7')));
            if (n === 'manifest.sha256') return Buffer.from(`${createHash('sha256').update(manifest).digest('hex')}  manifest.json\n`);
            return d;
          });
        },
        code: 'DESKLINE_BACKUP_FORMAT', message: /format version 7; this Deskline reads version 1: restore it with the Deskline version that wrote it/,
      },
      {
        name: 'the site id in the manifest changed',
        make: (out) => rewrite(archive, out, (n, d) => (n === 'manifest.json' ? Buffer.from(d.toString().replace('"siteId": "unit"', '"siteId": "uni7"')) : d)),
        code: 'DESKLINE_BACKUP_DAMAGED', message: /manifest\.json: its sha256 .* does not match manifest\.sha256/,
      },
      {
        name: 'the manifest cut off',
        make: (out) => rewrite(archive, out, (n, d) => (n.startsWith('manifest.') ? null : d)),
        code: 'DESKLINE_BACKUP_DAMAGED', message: /no manifest\.json: the archive is truncated/,
      },
      {
        name: 'the compressed file truncated',
        make: async (out) => {
          const bytes = await readFile(archive);
          await writeFile(out, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
        },
        code: 'DESKLINE_BACKUP_DAMAGED', message: /truncated \(the compressed stream ends early\)/,
      },
    ];
    for (const c of cases) {
      const out = join(from.dir, 'bad.tgz');
      await c.make(out);
      const error = await t.throwsAsync(restoreBackup({ archive: out, config: to.config, force: false }), { instanceOf: BackupError }, c.name);
      t.is(error?.code, c.code, c.name);
      t.regex(error!.message, c.message, c.name);
      t.deepEqual(await readdir(to.dir), ['site.json'], `${c.name}: nothing written`);
    }
  } finally {
    await rm(from.dir, { recursive: true, force: true });
    await rm(to.dir, { recursive: true, force: true });
  }
});

test('given a target that holds data, when restored, then it is refused unless --force, which leaves exactly the backup in the store', async (t) => {
  const from = await box('full');
  const to = await box('full-to');
  try {
    await populate(from, 20);
    const archive = join(from.dir, 'b.tgz');
    await backup(from, archive);
    const other = await LevelStore.open(join(to.dir, 'data/db'));
    await other.load([{ section: 'stale', key: 'x', value: 'old' }]);
    await other.close();
    const error = await t.throwsAsync(restoreBackup({ archive, config: to.config, force: false }), { instanceOf: BackupError });
    t.is(error?.code, 'DESKLINE_BACKUP_TARGET_NOT_EMPTY');
    t.regex(error!.message, /holds entries.*--force/);
    await restoreBackup({ archive, config: to.config, force: true });
    t.deepEqual(await dumpOf(join(to.dir, 'data/db')), await dumpOf(join(from.dir, 'data/db')));

    // Media alone is enough to refuse.
    const to2 = await box('media-to');
    await mkdir(join(to2.dir, 'data/media'), { recursive: true });
    await writeFile(join(to2.dir, 'data/media/x.wav'), 'x');
    const mediaError = await t.throwsAsync(restoreBackup({ archive, config: to2.config, force: false }), { instanceOf: BackupError });
    t.regex(mediaError!.message, /media is not empty/);
    await rm(to2.dir, { recursive: true, force: true });
  } finally {
    await rm(from.dir, { recursive: true, force: true });
    await rm(to.dir, { recursive: true, force: true });
  }
});

test('given the service runs on the target, when restored, then it is refused with a message saying to stop it', async (t) => {
  const from = await box('run');
  const to = await box('run-to');
  try {
    await populate(from, 5);
    const archive = join(from.dir, 'b.tgz');
    await backup(from, archive);
    const running = await LevelStore.open(join(to.dir, 'data/db'));
    const error = await t.throwsAsync(restoreBackup({ archive, config: to.config, force: true }), { instanceOf: BackupError });
    t.is(error?.code, 'DESKLINE_BACKUP_SERVICE_RUNNING');
    t.regex(error!.message, /stop it first/);
    await running.close();
  } finally {
    await rm(from.dir, { recursive: true, force: true });
    await rm(to.dir, { recursive: true, force: true });
  }
});

test('given a data dir with no store, when backed up, then the error names the folder and no archive is left', async (t) => {
  const from = await box('none');
  try {
    const error = await t.throwsAsync(backup(from, join(from.dir, 'b.tgz')), { instanceOf: BackupError });
    t.regex(error!.message, /no data store at .*data\/db/);
    t.deepEqual((await readdir(from.dir)).sort(), ['site.json']);
  } finally {
    await rm(from.dir, { recursive: true, force: true });
  }
});

test('given a fifo in the media folder, when backed up, then it is skipped and reported, and the rest goes in', async (t) => {
  const from = await box('fifo');
  try {
    await populate(from, 5);
    await execFileAsync('mkfifo', [join(from.dir, 'data/media/pipe')]);
    const result = await backup(from, join(from.dir, 'b.tgz'));
    t.deepEqual(result.skipped, [join(from.dir, 'data/media/pipe')]);
    t.true(result.manifest.members.some((m) => m.path === 'media/prompts/en/welcome.wav'));
    t.false(result.manifest.members.some((m) => m.path === 'media/pipe'));
  } finally {
    await rm(from.dir, { recursive: true, force: true });
  }
});

test('given a good archive, when verified, then its manifest comes back', async (t) => {
  const from = await box('verify');
  try {
    await populate(from, 5);
    await backup(from, join(from.dir, 'b.tgz'));
    const { manifest } = await verifyBackup(join(from.dir, 'b.tgz'));
    t.is(manifest.store.entries, 7);
  } finally {
    await rm(from.dir, { recursive: true, force: true });
  }
});
