import test from 'ava';
import { createHash } from 'node:crypto';
import { readdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RecordingError } from './errors.ts';
import { manifestName } from './manifest.ts';
import { dayMs, recordingSetup, t0 } from './testing/setup.ts';
import { soxDuration, soxWav } from './testing/fixtures.ts';

const exists = (path: string) => stat(path).then(() => true, () => false);
const manifestLines = async (dir: string) => (await readFile(join(dir, manifestName), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);

test('given a 2.5 s file Asterisk wrote, when ingested, then it is moved under YYYY/MM/DD with its duration, hash, size and a manifest line', async (t) => {
  const { incoming, dir, recordings } = await recordingSetup(t);
  const source = soxWav(join(incoming, 'q1-agent7.wav'), { seconds: 2.5 });
  const original = await readFile(source);
  const soxSays = soxDuration(source);
  const recording = await recordings.ingest(source, { callId: '1764000000.42', queueId: 'support', agentId: 'agent-7', caller: '+8613800000000', startedAt: t0 - 60_000, name: 'q1-agent7' });

  t.like(recording, { callId: '1764000000.42', queueId: 'support', agentId: 'agent-7', caller: '+8613800000000', startedAt: t0 - 60_000, createdAt: t0, format: 'wav', sampleRate: 8000, channels: 1, bytes: original.length });
  t.true(Math.abs(recording.durationSeconds - 2.5) < 0.001);
  t.true(Math.abs(recording.durationSeconds - soxSays) < 0.001);
  t.is(recording.sha256, createHash('sha256').update(original).digest('hex'));
  t.regex(recording.id, /^[a-z0-9-]+$/);
  t.is(encodeURIComponent(recording.id), recording.id);
  t.is(recording.path, `2026/11/24/${recording.id}.wav`);

  const stored = join(dir, recording.path);
  t.false(await exists(source));
  t.true((await readFile(stored)).equals(original));
  t.is((await stat(stored)).mode & 0o777, 0o640);
  t.is(soxDuration(stored), soxSays); // still a file sox reads
  t.deepEqual(await manifestLines(dir), [{ id: recording.id, path: recording.path, sha256: recording.sha256, bytes: recording.bytes, durationSeconds: recording.durationSeconds, createdAt: t0 }]);
  t.deepEqual(await recordings.get(recording.id), recording);
});

test('given a 16 kHz file, when ingested, then its rate and duration are kept', async (t) => {
  const { record } = await recordingSetup(t);
  const recording = await record({}, { seconds: 1.5, rate: 16000 });
  t.is(recording.sampleRate, 16000);
  t.true(Math.abs(recording.durationSeconds - 1.5) < 0.001);
});

test('given pause spans, when ingested, then they are kept with the recording', async (t) => {
  const { record } = await recordingSetup(t);
  const recording = await record({ paused: [{ at: t0 - 500, seconds: 12.5 }] });
  t.deepEqual(recording.paused, [{ at: t0 - 500, seconds: 12.5 }]);
});

test('given empty queue and agent ids (a call outside any queue), when ingested, then they are left out rather than refused', async (t) => {
  const { record } = await recordingSetup(t);
  const recording = await record({ queueId: '', agentId: '' });
  t.false('queueId' in recording);
  t.false('agentId' in recording);
});

test('given many ingests in one millisecond, when stored, then every id is distinct', async (t) => {
  const { record } = await recordingSetup(t);
  const ids = await Promise.all(Array.from({ length: 20 }, () => record()));
  t.is(new Set(ids.map((r) => r.id)).size, 20);
});

test('given a file that is not a WAV, when ingested, then BAD_WAV names the file, it stays where it was and nothing is recorded', async (t) => {
  const { incoming, dir, recordings } = await recordingSetup(t);
  const source = join(incoming, 'broken.wav');
  await writeFile(source, 'RIFF but not really');
  const error = await t.throwsAsync(recordings.ingest(source, { callId: 'c1', caller: '1', startedAt: t0, name: 'broken' }), { instanceOf: RecordingError });
  t.is(error?.code, 'DESKLINE_RECORDING_BAD_WAV');
  t.true(error?.message.startsWith(source));
  t.true(await exists(source));
  t.false(await exists(join(dir, manifestName)));
  t.deepEqual(await recordings.list(), []);
});

test('given bad metadata or a missing file, when ingested, then a RecordingError says which', async (t) => {
  const { incoming, recordings } = await recordingSetup(t);
  const source = soxWav(join(incoming, 'ok.wav'), { seconds: 0.1 });
  const bad = await t.throwsAsync(recordings.ingest(source, { callId: '', caller: '1', startedAt: -5, name: 'x' }), { instanceOf: RecordingError });
  t.is(bad?.code, 'DESKLINE_RECORDING_BAD_META');
  t.regex(bad?.message ?? '', /callId.*startedAt/);
  t.true(await exists(source));
  const missing = await t.throwsAsync(recordings.ingest(join(incoming, 'nope.wav'), { callId: 'c', caller: '1', startedAt: 1, name: 'x' }), { instanceOf: RecordingError });
  t.is(missing?.code, 'DESKLINE_RECORDING_FILE_MISSING');
});

test('given recordings of several calls, when listed by call, time range and limit, then the right ones come newest first', async (t) => {
  const { clock, recordings, record } = await recordingSetup(t);
  const a = await record({ callId: 'call!a', startedAt: t0 + 1000 });
  const b = await record({ callId: 'call-b', startedAt: t0 + 2000 });
  const a2 = await record({ callId: 'call!a', startedAt: t0 + 3000 });
  clock.advance(10);
  const ids = (list: { id: string }[]) => list.map((r) => r.id);
  t.deepEqual(ids(await recordings.list()), [a2.id, b.id, a.id]);
  t.deepEqual(ids(await recordings.list({ callId: 'call!a' })), [a2.id, a.id]);
  t.deepEqual(ids(await recordings.list({ callId: 'call' })), []);
  t.deepEqual(ids(await recordings.list({ from: t0 + 2000, to: t0 + 3000 })), [b.id]); // from inclusive, to exclusive
  t.deepEqual(ids(await recordings.list({ limit: 1 })), [a2.id]);
});

test('given a stored recording, when opened, then its absolute path, size and audio/wav; unknown ids and lost files are errors', async (t) => {
  const { dir, recordings, record } = await recordingSetup(t);
  const recording = await record();
  t.deepEqual(await recordings.open(recording.id), { path: join(dir, recording.path), bytes: recording.bytes, sha256: recording.sha256, contentType: 'audio/wav' });
  const unknown = await t.throwsAsync(recordings.open('no-such-id'), { instanceOf: RecordingError, message: /no recording "no-such-id"/ });
  t.is(unknown?.code, 'DESKLINE_RECORDING_NOT_FOUND');
  t.is(await recordings.get('../../etc/passwd'), undefined);
  await unlink(join(dir, recording.path));
  const lost = await t.throwsAsync(recordings.open(recording.id), { instanceOf: RecordingError });
  t.is(lost?.code, 'DESKLINE_RECORDING_FILE_MISSING');
});

test('given recordings just either side of the retention boundary, when retention runs, then only the older one is deleted, logged and tombstoned', async (t) => {
  const { dir, clock, recordings, record, logs } = await recordingSetup(t);
  const old = await record();
  clock.advance(1);
  const boundary = await record();
  clock.advance(5 * dayMs);
  const young = await record();
  clock.advance(30 * dayMs - 5 * dayMs); // now = t0 + 1 + 30 days: the cutoff is boundary.createdAt exactly

  const deleted = await recordings.applyRetention(30);
  t.deepEqual(deleted.map((r) => r.id), [old.id]);
  t.false(await exists(join(dir, old.path)));
  t.true(await exists(join(dir, boundary.path)));
  t.true(await exists(join(dir, young.path)));
  t.is(await recordings.get(old.id), undefined);
  t.deepEqual((await recordings.list()).map((r) => r.id).sort(), [boundary.id, young.id].sort());
  t.deepEqual((await recordings.list({ callId: old.callId })), []);
  t.like(logs.find((line) => line.msg === 'recording deleted by retention'), { recordingId: old.id, path: old.path, createdAt: t0 });
  t.deepEqual((await manifestLines(dir)).at(-1), { id: old.id, path: old.path, deletedAt: t0 + 1 + 30 * dayMs, reason: 'retention' });
  t.deepEqual((await recordings.verify()).problems, []);

  clock.advance(1);
  t.deepEqual((await recordings.applyRetention(30)).map((r) => r.id), [boundary.id]);
  t.deepEqual((await recordings.applyRetention(30)).map((r) => r.id), []);
});

test('given a day folder emptied by retention, when retention runs, then the empty folders go and busy ones stay', async (t) => {
  const { dir, clock, recordings, record } = await recordingSetup(t);
  const first = await record();
  clock.advance(dayMs);
  const second = await record();
  clock.advance(10 * dayMs);
  t.deepEqual((await recordings.applyRetention(10.5)).map((r) => r.id), [first.id]);
  t.false(await exists(join(dir, '2026/11/24')));
  t.deepEqual(await readdir(join(dir, '2026/11')), ['25']);
  t.true(await exists(join(dir, second.path)));
});

test('given a file already gone (an earlier run crashed after unlinking), when retention runs, then the metadata still goes', async (t) => {
  const { dir, clock, recordings, record } = await recordingSetup(t);
  const recording = await record();
  await unlink(join(dir, recording.path));
  clock.advance(8 * dayMs);
  t.deepEqual((await recordings.applyRetention(7)).map((r) => r.id), [recording.id]);
  t.is(await recordings.get(recording.id), undefined);
});

test('given a retention under a day or not a number, when applied, then it is refused and nothing is deleted', async (t) => {
  const { clock, recordings, record } = await recordingSetup(t);
  const recording = await record();
  clock.advance(10 * dayMs);
  for (const days of [0, 0.5, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
    const error = await t.throwsAsync(recordings.applyRetention(days), { instanceOf: RecordingError });
    t.is(error?.code, 'DESKLINE_RECORDING_BAD_RETENTION');
  }
  t.truthy(await recordings.get(recording.id));
});
