// Issue 9's backup acceptance: a data dir with real content (a published flow, an imported
// knowledge base, an uploaded prompt, call records, a queue call's recording) is backed up with
// the CLI while the service runs (snapshot over the control socket) and after it stopped (store
// read directly), restored into empty data dirs, and compared: every store entry section by
// section, every file under media/ and recordings/ byte for byte; a second Deskline started on
// the restored dir serves the same flows, articles and call records.
import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Appliance } from '../../src/app/appliance.ts';
import type { BackupManifest } from '../../src/backup/manifest.ts';
import { placeTestCall } from '../../src/calls/test-call.ts';
import { controlRequest } from '../../src/cli/control-client.ts';
import { LevelStore } from '../../src/store/level-store.ts';
import type { StoreEntry } from '../../src/store/store.ts';
import { cli, siteFor, startInProcess, tempDir, writeSite } from '../helpers/appliance.ts';
import { simAgent, simulate, writeQueueFlow } from '../helpers/queues.ts';
import { useSandbox } from '../helpers/sandbox.ts';

const run = promisify(execFile);
const demoKb = fileURLToPath(new URL('../../firmware-config/examples/knowledge/demo-kb.json', import.meta.url));

// Before any test or hook is declared: ava wants them all declared in the same tick.
const work = await tempDir('deskline-backup-it-');
const sandbox = useSandbox(test);
sandbox.cleanup(() => work.remove());
const dirs = { source: join(work.path, 'source'), offline: join(work.path, 'offline'), live: join(work.path, 'live'), flows: join(work.path, 'flows'), sites: join(work.path, 'sites') };
let extra: Record<string, unknown> = {};
let sourceSite = '';
let source: Appliance | undefined;
let restored: Appliance | undefined;
sandbox.cleanup(async () => {
  await source?.stop();
  await restored?.stop();
});

const deskline = (...args: string[]) => run(process.execPath, [cli, ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });

async function dumpBySection(db: string): Promise<Record<string, Record<string, unknown>>> {
  const store = await LevelStore.open(db);
  const out: Record<string, Record<string, unknown>> = {};
  try {
    for await (const entry of store.dump() as AsyncIterable<StoreEntry>) (out[entry.section] ??= {})[entry.key] = entry.value;
  } finally {
    await store.close();
  }
  return out;
}

async function filesOf(dir: string): Promise<Record<string, { mode: number; base64: string }>> {
  const out: Record<string, { mode: number; base64: string }> = {};
  for (const name of (await readdir(dir, { recursive: true })).sort()) {
    const info = await stat(join(dir, name));
    if (info.isFile()) out[name] = { mode: info.mode & 0o7777, base64: (await readFile(join(dir, name))).toString('base64') };
  }
  return out;
}

const manifestOf = async (archive: string) => JSON.parse((await run('tar', ['-xzOf', archive, 'manifest.json'], { maxBuffer: 1 << 24 })).stdout) as BackupManifest;

/** The same call records, flows and articles, as the API serves them. */
async function servedBy(appliance: Appliance, callIds: string[]) {
  const get = async (path: string) => {
    const { status, body } = await controlRequest<unknown>(appliance.controlSocket, 'GET', `/api/v1${path}`);
    if (status !== 200) throw new Error(`GET ${path}: ${status} ${JSON.stringify(body)}`);
    return body;
  };
  return {
    flows: await get('/flows'),
    articles: await get('/knowledge/articles?limit=200'),
    calls: await Promise.all(callIds.map((id) => get(`/calls/${id}`))),
  };
}

let callIds: string[] = [];
let liveArchive = '';

test.serial.before(async () => {
  for (const dir of Object.values(dirs)) await mkdir(dir, { recursive: true });
  extra = {
    ivr: { flowsDir: dirs.flows, routes: [{ number: '6000', flow: await writeQueueFlow(dirs.flows, 'rec') }] },
    queues: [{ id: 'rec', requiredSkills: [{ skill: 'rec', minLevel: 1 }], ringTimeoutSeconds: 8, wrapUpSeconds: 0, whisper: false, autoPauseAfterMisses: 0, recording: 'all' }],
    agents: [simAgent('rc1', { rec: 1 })],
    knowledge: { importOnStart: demoKb },
  };
  sourceSite = await writeSite(dirs.sites, siteFor(sandbox(), dirs.source, extra), sandbox().ariPassword);
  source = await startInProcess(sandbox(), dirs.source, extra);
});

test.serial('given a running Deskline with flows, knowledge, a prompt, calls and a recording, when backed up with --with-recordings, then the snapshot comes from the service and restores into an empty dir', async (t) => {
  const deskline0 = source!;
  // An uploaded prompt (through the CLI, as a technician does).
  const wav = join(work.path, 'welcome-source.wav');
  await run('sox', ['-n', '-r', '16000', '-c', '1', '-b', '16', wav, 'synth', '1.5', 'sine', '440', 'vol', '0.3']);
  await deskline('prompts', 'import', '--site', sourceSite, '--language', 'en', '--id', 'backup-welcome', wav);
  // A recorded queue call and a caller who gave up in the queue.
  const voice = join(work.path, 'caller.wav');
  await run('sox', ['-n', '-r', '8000', '-c', '1', '-b', '16', voice, 'synth', '4', 'sine', '300-900', 'vol', '0.5']);
  await deskline0.queues!.agentAction('rc1', 'login');
  await simulate(deskline0, 'rc1', 'answer,1,3');
  const media = sandbox().media;
  const answered = await placeTestCall({ to: '6000', script: `wait 1; play ${voice}; wait 10; hangup`, callerNumber: '5550901', timeoutSeconds: 60 }, { telephony: deskline0.telephony, calls: deskline0.calls, records: deskline0.records, media });
  await deskline0.calls.idle();
  for (let i = 0; i < 100 && (await deskline0.recordings.list({ callId: answered.callId })).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
  t.is((await deskline0.recordings.list({ callId: answered.callId })).length, 1, 'the answered call was recorded');
  await deskline0.queues!.agentAction('rc1', 'logout');
  const gaveUp = await placeTestCall({ to: '6000', script: 'wait 1; hangup', callerNumber: '5550902', timeoutSeconds: 30 }, { telephony: deskline0.telephony, calls: deskline0.calls, records: deskline0.records, media });
  await deskline0.calls.idle();
  callIds = [answered.callId, gaveUp.callId];

  liveArchive = join(work.path, 'live.tgz');
  const { stdout, stderr } = await deskline('backup', '--site', sourceSite, '--with-recordings', liveArchive);
  t.log(stdout.trim());
  t.regex(stderr, /snapshot of the data store \(from the running service\)/);
  const manifest = await manifestOf(liveArchive);
  t.is(manifest.snapshotFrom, 'service');
  t.is(manifest.siteId, 'test');
  for (const section of ['calls', 'flows', 'knowledge']) t.true((manifest.store.sections[section] ?? 0) > 0, `${section} in the snapshot: ${JSON.stringify(manifest.store.sections)}`);
  t.true(manifest.members.some((m) => /^media\/prompts\/en\/backup-welcome\.wav$/.test(m.path)));
  t.true(manifest.members.some((m) => /^recordings\/.+\.wav$/.test(m.path)));
  t.false(manifest.members.some((m) => m.path.endsWith('deskline.sock')));

  // Restoring while the service runs on the target is refused.
  const refused = await deskline('restore', '--site', sourceSite, '--force', liveArchive).catch((error: { code: number; stderr: string }) => error);
  t.is((refused as { code: number }).code, 1);
  t.regex((refused as { stderr: string }).stderr, /Deskline is running .* stop it first/);

  const liveSite = await writeSite(join(dirs.live), { site: { id: 'test' }, store: { path: join(dirs.live, 'data') } });
  const restore = await deskline('restore', '--site', liveSite, liveArchive);
  t.regex(restore.stdout, new RegExp(`restored ${manifest.store.entries} store entries`));
});

test.serial('given the stopped Deskline, when backed up and restored into an empty data dir, then every store entry and every media and recording file is equal, and a second Deskline on it serves the same', async (t) => {
  const before = await servedBy(source!, callIds);
  await source!.stop();
  source = undefined;

  const archive = join(work.path, 'offline.tgz');
  const backup = await deskline('backup', '--site', sourceSite, '--with-recordings', archive);
  t.log(backup.stdout.trim());
  t.regex(backup.stderr, /snapshot of the data store \(.*\/db\)/);
  const manifest = await manifestOf(archive);
  t.is(manifest.snapshotFrom, 'store');

  const targetSite = await writeSite(dirs.offline, { site: { id: 'test' }, store: { path: join(dirs.offline, 'data') } });
  const restore = await deskline('restore', '--site', targetSite, '--site-out', join(dirs.offline, 'restored-site.json'), archive);
  t.log(restore.stdout.trim());
  t.regex(restore.stderr, /all checksums match/);

  // Every store entry, section by section.
  const sourceStore = await dumpBySection(join(dirs.source, 'db'));
  const restoredStore = await dumpBySection(join(dirs.offline, 'data/db'));
  t.deepEqual(Object.keys(restoredStore), Object.keys(sourceStore));
  for (const section of Object.keys(sourceStore)) t.deepEqual(restoredStore[section], sourceStore[section], `section ${section}`);
  t.is(Object.values(restoredStore).reduce((n, s) => n + Object.keys(s).length, 0), manifest.store.entries);
  // Every file under media/ and recordings/, bytes and modes.
  const sourceMedia = await filesOf(sandbox().media.hostDir);
  t.true(Object.keys(sourceMedia).length > 0);
  t.deepEqual(await filesOf(join(dirs.offline, 'data/media')), sourceMedia);
  const sourceRecordings = await filesOf(join(dirs.source, 'recordings'));
  t.true(Object.keys(sourceRecordings).some((name) => name.endsWith('.wav')));
  t.deepEqual(await filesOf(join(dirs.offline, 'data/recordings')), sourceRecordings);
  t.deepEqual(await readFile(join(dirs.offline, 'restored-site.json')), await readFile(sourceSite));
  // The recordings' own manifest verifies on the restored folder.
  const verify = await deskline('recordings', 'verify', '--dir', join(dirs.offline, 'data/recordings'));
  t.regex(verify.stdout, /^OK: 1 recording\(s\) checked/m);

  // The restore from the live backup has the same flows, knowledge and calls.
  const liveStore = await dumpBySection(join(dirs.live, 'data/db'));
  for (const section of ['flows', 'knowledge', 'calls']) t.deepEqual(liveStore[section], sourceStore[section], `live backup: section ${section}`);

  // A second Deskline on the restored dir serves the same.
  restored = await startInProcess(sandbox(), join(dirs.offline, 'data'), extra);
  const after = await servedBy(restored, callIds);
  t.deepEqual(after.flows, before.flows);
  t.deepEqual(after.articles, before.articles);
  t.deepEqual(after.calls, before.calls);
  t.is((await restored.recordings.list({ callId: callIds[0] })).length, 1);
});
