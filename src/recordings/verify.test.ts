import test from 'ava';
import { appendFile, mkdir, readFile, unlink, writeFile, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { recordingsVerifyCommand } from '../cli/commands/recordings.ts';
import { RecordingError } from './errors.ts';
import { manifestName } from './manifest.ts';
import { dayMs, recordingSetup } from './testing/setup.ts';
import { capturedLogger, soxWav, tempDir } from './testing/fixtures.ts';
import { ManualClock } from '../core/clock.ts';
import { LevelStore } from '../store/level-store.ts';
import { RecordingStore } from './recording-store.ts';
import { describeProblem, summarizeReport, verifyRecordings } from './verify.ts';

async function flipByte(path: string, at: number): Promise<void> {
  const bytes = await readFile(path);
  bytes[at] = bytes[at]! ^ 0xff;
  await writeFile(path, bytes);
}

test('given an intact store, when verified from the folder alone, then no problems and every file is counted', async (t) => {
  const { dir, record } = await recordingSetup(t);
  const stored = [await record(), await record(), await record()];
  const report = await verifyRecordings(dir);
  t.deepEqual(report.problems, []);
  t.is(report.checked, 3);
  t.is(report.bytes, stored.reduce((sum, r) => sum + r.bytes, 0));
  t.regex(summarizeReport(report), /^OK: 3 recording\(s\) checked/);
});

test('given a tampered, a deleted, a truncated and a stray file, when verified, then each problem is reported by path', async (t) => {
  const { dir, record } = await recordingSetup(t);
  const [tampered, deleted, truncated, fine] = [await record(), await record(), await record(), await record()];
  await flipByte(join(dir, tampered.path), 2000);
  await unlink(join(dir, deleted.path));
  await truncate(join(dir, truncated.path), 100);
  await writeFile(join(dir, '2026/11/24/stray.wav'), 'not from the appliance');
  await mkdir(join(dir, 'other'));
  await writeFile(join(dir, 'other/notes.txt'), 'x');

  const report = await verifyRecordings(dir);
  const byKind = Object.fromEntries(report.problems.map((p) => [p.kind === 'not-in-manifest' ? `stray ${p.path}` : p.kind, p]));
  t.like(byKind['hash-mismatch'], { path: tampered.path, expected: tampered.sha256 });
  t.not((byKind['hash-mismatch'] as { actual?: string }).actual, tampered.sha256);
  t.like(byKind.missing, { path: deleted.path, id: deleted.id });
  t.like(byKind['size-mismatch'], { path: truncated.path, expected: truncated.bytes, actual: 100 });
  t.truthy(byKind['stray 2026/11/24/stray.wav']);
  t.truthy(byKind['stray other/notes.txt']);
  t.is(report.problems.length, 5);
  t.false(report.problems.some((p) => 'path' in p && p.path === fine.path));
  t.is(report.checked, 4);
  t.regex(summarizeReport(report), /^FAILED: 5 problem\(s\)/);
  t.is(describeProblem(byKind.missing!), `${deleted.path}: missing (recording ${deleted.id})`);
  t.regex(describeProblem(byKind['hash-mismatch']!), new RegExp(`^${tampered.path}: hash mismatch`));
});

test('given bad manifest lines, when verified, then each is reported with its line number and the rest still checked', async (t) => {
  const { dir, record } = await recordingSetup(t);
  const recording = await record();
  await appendFile(join(dir, manifestName), 'garbage\n{"id":"x-1","path":"../../etc/passwd","sha256":"00","bytes":1,"durationSeconds":1,"createdAt":1}\n');
  const report = await verifyRecordings(dir);
  t.deepEqual(report.problems, [
    { kind: 'bad-manifest-line', line: 2, message: 'not JSON' },
    { kind: 'bad-manifest-line', line: 3, message: 'bad or missing "path" (must be relative, inside the recordings folder)' },
  ]);
  t.is(report.checked, 1);
  t.is(describeProblem(report.problems[0]!), 'manifest.jsonl:2: bad manifest line: not JSON');
  t.truthy(recording);
});

test('given files deleted by retention, when verified, then they are not missing; a tombstoned file still present is reported', async (t) => {
  const { dir, clock, recordings, record } = await recordingSetup(t);
  const gone = await record();
  const kept = await record();
  clock.advance(31 * dayMs);
  await recordings.applyRetention(30);
  const clean = await verifyRecordings(dir);
  t.deepEqual(clean.problems, []);
  t.is(clean.deleted, 2);
  t.is(clean.checked, 0);
  // A crash between the tombstone and the unlink leaves the file behind.
  await mkdir(join(dir, '2026/11/24'), { recursive: true });
  await writeFile(join(dir, gone.path), 'left behind');
  t.deepEqual((await verifyRecordings(dir)).problems, [{ kind: 'deleted-but-present', id: gone.id, path: gone.path }]);
  t.truthy(kept);
});

test('given many files, when verified, then progress is reported every N and at the end', async (t) => {
  const { dir, record } = await recordingSetup(t);
  for (let i = 0; i < 5; i++) await record({}, { seconds: 0.05 });
  const calls: [number, number][] = [];
  await verifyRecordings(dir, { progressEvery: 2, onProgress: (done, total) => calls.push([done, total]) });
  t.deepEqual(calls, [[2, 5], [4, 5], [5, 5]]);
});

test('given no recordings folder, when verified, then NO_DIR names the folder', async (t) => {
  const missing = join(await tempDir(t), 'nothing-here');
  const error = await t.throwsAsync(verifyRecordings(missing), { instanceOf: RecordingError });
  t.is(error?.code, 'DESKLINE_RECORDING_NO_DIR');
  t.regex(error?.message ?? '', /nothing-here/);
});

test('given an empty folder with no manifest yet, when verified, then it is clean', async (t) => {
  t.deepEqual((await verifyRecordings(await tempDir(t))).problems, []);
});

async function runCommand(argv: string[]): Promise<{ code: number; out: string }> {
  const log = console.log;
  let out = '';
  console.log = (...args: unknown[]) => (out += `${args.join(' ')}\n`);
  try {
    return { code: await recordingsVerifyCommand.run(argv), out };
  } finally {
    console.log = log;
  }
}

test.serial('given `deskline recordings verify --dir`, when the folder is intact and then tampered, then it exits 0 and then 1 with the problem and a summary', async (t) => {
  const { dir, record } = await recordingSetup(t);
  const recording = await record();
  const clean = await runCommand(['--dir', dir]);
  t.is(clean.code, 0);
  t.regex(clean.out, /^OK: 1 recording\(s\) checked/m);
  await flipByte(join(dir, recording.path), 100);
  const tampered = await runCommand(['--dir', dir]);
  t.is(tampered.code, 1);
  t.regex(tampered.out, new RegExp(`^${recording.path}: hash mismatch`, 'm'));
  t.regex(tampered.out, /^FAILED: 1 problem\(s\)/m);
  const json = await runCommand(['--dir', dir, '--json']);
  t.is(json.code, 1);
  t.is((JSON.parse(json.out) as { problems: unknown[] }).problems.length, 1);
});

test.serial('given a site file, when `deskline recordings verify --site` runs, then it checks <store.path>/recordings', async (t) => {
  const base = await tempDir(t);
  await mkdir(join(base, 'data/recordings'), { recursive: true });
  await writeFile(join(base, 'data/recordings/stray.wav'), 'x');
  await writeFile(join(base, 'site.yaml'), `store:\n  path: ${join(base, 'data')}\n`);
  const { code, out } = await runCommand(['--site', join(base, 'site.yaml')]);
  t.is(code, 1);
  t.regex(out, /^stray\.wav: file not in manifest$/m);
  t.regex(out, new RegExp(`in ${join(base, 'data/recordings')}$`, 'm'));
});

test('given both --dir and --site, when run, then a usage error', async (t) => {
  await t.throwsAsync(recordingsVerifyCommand.run(['--dir', 'a', '--site', 'b']), { message: /--dir or --site, not both/ });
});

test.serial('given the appliance holding the level store (its lock), when `deskline recordings verify --site` runs, then it verifies anyway', async (t) => {
  const base = await tempDir(t);
  const store = await LevelStore.open(join(base, 'data/db'));
  t.teardown(() => store.close());
  const logger = capturedLogger().logger;
  const recordings = new RecordingStore({ store, dir: join(base, 'data/recordings'), clock: new ManualClock(Date.UTC(2026, 0, 2)), logger });
  await recordings.ingest(soxWav(join(base, 'in.wav'), { seconds: 0.2 }), { callId: 'c1', caller: '1', startedAt: 1, name: 'in' });
  await t.throwsAsync(LevelStore.open(join(base, 'data/db')), { code: 'STORE_LOCKED' }); // the lock is really held
  await writeFile(join(base, 'site.yaml'), `store:\n  path: ${join(base, 'data')}\n`);
  const { code, out } = await runCommand(['--site', join(base, 'site.yaml')]);
  t.is(code, 0);
  t.regex(out, /^OK: 1 recording\(s\) checked/m);
});

test('given the command, when its help is read, then it starts like every other command help', (t) => {
  t.is(recordingsVerifyCommand.name, 'recordings verify');
  t.regex(recordingsVerifyCommand.help, /^Usage: deskline recordings verify/);
});
