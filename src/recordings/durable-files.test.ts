import test from 'ava';
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hashFile, moveFile } from './durable-files.ts';
import { ManifestWriter, manifestName, parseManifestLine, readManifest } from './manifest.ts';
import { tempDir } from './testing/fixtures.ts';

const exists = (path: string) => stat(path).then(() => true, () => false);
const exdev = async () => {
  throw Object.assign(new Error('EXDEV: cross-device link not permitted'), { code: 'EXDEV' });
};

test('given one filesystem, when a file is moved, then it is renamed into place with mode 0640', async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, 'a.wav'), 'audio', { mode: 0o666 });
  await moveFile(join(dir, 'a.wav'), join(dir, 'b.wav'), { mode: 0o640 });
  t.false(await exists(join(dir, 'a.wav')));
  t.is(await readFile(join(dir, 'b.wav'), 'utf8'), 'audio');
  t.is((await stat(join(dir, 'b.wav'))).mode & 0o777, 0o640);
});

test('given rename fails with EXDEV, when a file is moved, then it is copied, synced, put in place and the source removed', async (t) => {
  const dir = await tempDir(t);
  const content = Buffer.alloc(3 << 20, 7); // bigger than one copy chunk
  await writeFile(join(dir, 'a.wav'), content);
  await moveFile(join(dir, 'a.wav'), join(dir, 'b.wav'), { mode: 0o640, rename: exdev });
  t.false(await exists(join(dir, 'a.wav')));
  t.true((await readFile(join(dir, 'b.wav'))).equals(content));
  t.is((await stat(join(dir, 'b.wav'))).mode & 0o777, 0o640);
  t.deepEqual(await readdir(dir), ['b.wav']); // no .partial left behind
});

test('given the copy fails (source gone), when moved across filesystems, then it throws and leaves no partial file', async (t) => {
  const dir = await tempDir(t);
  await t.throwsAsync(moveFile(join(dir, 'gone.wav'), join(dir, 'b.wav'), { mode: 0o640, rename: exdev }), { code: 'ENOENT' });
  t.deepEqual(await readdir(dir), []);
});

// /dev/shm is a tmpfs on Linux: a real second filesystem when the temp dir is on disk.
const shm = (() => {
  try {
    return statSync('/dev/shm').isDirectory() && statSync('/dev/shm').dev !== statSync(process.env.TMPDIR ?? '/tmp').dev;
  } catch {
    return false;
  }
})();
(shm ? test : test.skip)('given a source on another filesystem (/dev/shm), when moved for real, then the fallback copy works', async (t) => {
  const from = await mkdtemp('/dev/shm/deskline-recordings-');
  t.teardown(() => rm(from, { recursive: true, force: true }));
  const dir = await tempDir(t);
  await writeFile(join(from, 'a.wav'), 'cross-device audio');
  await moveFile(join(from, 'a.wav'), join(dir, 'a.wav'), { mode: 0o640 });
  t.false(await exists(join(from, 'a.wav')));
  t.is(await readFile(join(dir, 'a.wav'), 'utf8'), 'cross-device audio');
});

test('given a file, when hashed, then sha256 and size match a direct hash', async (t) => {
  const path = join(await tempDir(t), 'x.bin');
  const content = Buffer.from(Array.from({ length: 2_500_000 }, (_, i) => (i * 31) & 0xff));
  await writeFile(path, content);
  t.deepEqual(await hashFile(path), { sha256: createHash('sha256').update(content).digest('hex'), bytes: content.length });
});

test('given a manifest whose last line was cut off by a crash, when a line is appended, then it starts on a fresh line', async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, manifestName), '{"id":"a","path":"2026/11/24/a.wav","sha2');
  const entry = { id: 'b', path: '2026/11/24/b.wav', sha256: 'f'.repeat(64), bytes: 44, durationSeconds: 0, createdAt: 1 };
  await new ManifestWriter(dir).append(entry);
  const lines = [];
  for await (const line of readManifest(dir)) lines.push(line);
  t.deepEqual(lines, [
    { lineNumber: 1, line: { problem: 'not JSON' } },
    { lineNumber: 2, line: entry },
  ]);
});

test('given concurrent appends, when the manifest is read, then every line is whole', async (t) => {
  const dir = await tempDir(t);
  const writer = new ManifestWriter(dir);
  const entries = Array.from({ length: 40 }, (_, i) => ({ id: `r${i}`, path: `2026/11/24/r${i}.wav`, sha256: 'a'.repeat(64), bytes: i, durationSeconds: i / 10, createdAt: i }));
  await Promise.all(entries.map((entry) => writer.append(entry)));
  const read = [];
  for await (const { line } of readManifest(dir)) read.push(line);
  t.deepEqual(read, entries);
  t.is((await stat(join(dir, manifestName))).mode & 0o777, 0o640);
});

test('given manifest lines with unsafe or missing fields, when parsed, then each is refused with the field named', (t) => {
  const good = { id: 'abc-1', path: '2026/11/24/abc-1.wav', sha256: '0'.repeat(64), bytes: 10, durationSeconds: 1.5, createdAt: 5 };
  t.deepEqual(parseManifestLine(JSON.stringify(good)), good);
  t.deepEqual(parseManifestLine(JSON.stringify({ id: 'abc-1', path: 'x/abc-1.wav', deletedAt: 9, reason: 'retention' })), { id: 'abc-1', path: 'x/abc-1.wav', deletedAt: 9, reason: 'retention' });
  const problem = (line: unknown) => (parseManifestLine(JSON.stringify(line)) as { problem?: string }).problem;
  t.regex(problem({ ...good, path: '../../etc/passwd' }) ?? '', /"path"/);
  t.regex(problem({ ...good, path: '/etc/passwd' }) ?? '', /"path"/);
  t.regex(problem({ ...good, path: 'a//b.wav' }) ?? '', /"path"/);
  t.regex(problem({ ...good, id: 'A/B' }) ?? '', /"id"/);
  t.regex(problem({ ...good, sha256: 'xyz' }) ?? '', /"sha256"/);
  t.regex(problem({ ...good, bytes: -1 }) ?? '', /"bytes"/);
  t.regex(problem({ ...good, durationSeconds: 'long' }) ?? '', /"durationSeconds"/);
  t.regex(problem([1, 2]) ?? '', /not a JSON object/);
  t.deepEqual(parseManifestLine('{oops'), { problem: 'not JSON' });
});
