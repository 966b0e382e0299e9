import test from 'ava';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { BackupError } from './errors.ts';
import { readTar, tarHeader, TarWriter } from './tar.ts';

const run = promisify(execFile);

async function tarOf(files: { name: string; data: Buffer; mode?: number }[]): Promise<{ bytes: Buffer; hashes: string[] }> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const writer = new TarWriter(out);
  const hashes: string[] = [];
  for (const f of files) hashes.push(await writer.addFile(f.name, { size: f.data.length, mode: f.mode ?? 0o640, mtime: 1_700_000_000 }, f.data));
  await writer.finish();
  return { bytes: Buffer.concat(chunks), hashes };
}

async function readAll(bytes: Buffer, chunkSize = 777) {
  async function* source() {
    for (let i = 0; i < bytes.length; i += chunkSize) yield bytes.subarray(i, i + chunkSize);
  }
  const out: { name: string; mode: number; mtime: number; data: Buffer }[] = [];
  for await (const { member, body } of readTar(source())) {
    const parts: Buffer[] = [];
    for await (const c of body) parts.push(c);
    out.push({ name: member.name, mode: member.mode, mtime: member.mtime, data: Buffer.concat(parts) });
  }
  return out;
}

const longName = `media/prompts/${'分'.repeat(30)}/${'x'.repeat(90)}.wav`;
const files = [
  { name: 'store.jsonl', data: Buffer.from('{"a":1}\n') },
  { name: 'media/empty.wav', data: Buffer.alloc(0), mode: 0o600 },
  { name: 'media/block.bin', data: randomBytes(512) },
  { name: longName, data: randomBytes(70_001), mode: 0o644 },
];

test('given files, when written and read back in odd-sized chunks, then names, modes, times and bytes round-trip and the hashes are the sha256 of the bytes', async (t) => {
  const { bytes, hashes } = await tarOf(files);
  t.is(bytes.length % 512, 0);
  const back = await readAll(bytes);
  t.deepEqual(back.map((f) => f.name), files.map((f) => f.name));
  for (const [i, f] of files.entries()) {
    t.true(back[i]!.data.equals(f.data), f.name);
    t.is(back[i]!.mode, f.mode ?? 0o640);
    t.is(back[i]!.mtime, 1_700_000_000);
    t.is(hashes[i], createHash('sha256').update(f.data).digest('hex'));
  }
});

test('given an archive this writer made, when GNU tar lists and extracts it, then it agrees (long UTF-8 name through the prefix field)', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'deskline-tar-'));
  try {
    const { bytes } = await tarOf(files);
    await writeFile(join(dir, 'a.tar'), bytes);
    const { stdout } = await run('tar', ['-tf', join(dir, 'a.tar')]);
    t.deepEqual(stdout.trim().split('\n'), files.map((f) => f.name));
    await run('tar', ['-xf', join(dir, 'a.tar'), '-C', dir]);
    t.true((await readFile(join(dir, longName))).equals(files[3]!.data));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('given an archive GNU tar made, when read, then its files come out (folders reported as folders)', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'deskline-tar-'));
  try {
    await run('mkdir', ['-p', join(dir, 'src/media/prompts')]);
    await writeFile(join(dir, 'src/media/prompts/hello.wav'), 'RIFF....');
    await run('tar', ['--format=ustar', '-cf', join(dir, 'b.tar'), '-C', join(dir, 'src'), 'media']);
    const members: string[] = [];
    for await (const { member } of readTar((async function* () { yield await readFile(join(dir, 'b.tar')); })())) members.push(`${member.type}:${member.name}`);
    t.deepEqual(members, ['directory:media', 'directory:media/prompts', 'file:media/prompts/hello.wav']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('given a body shorter or longer than its declared size, when written, then an error names the file', async (t) => {
  const writer = new TarWriter(new PassThrough().resume());
  await t.throwsAsync(writer.addFile('media/a', { size: 10, mode: 0o600, mtime: 0 }, Buffer.alloc(5)), { message: /media\/a: shrank/ });
  const writer2 = new TarWriter(new PassThrough().resume());
  await t.throwsAsync(writer2.addFile('media/b', { size: 1, mode: 0o600, mtime: 0 }, Buffer.alloc(5)), { message: /media\/b: grew/ });
});

test('given unsafe names, when a header is made, then it refuses', (t) => {
  for (const name of ['/etc/passwd', '../x', 'media/../../x', '', 'a//b']) t.throws(() => tarHeader(name, { size: 0, mode: 0, mtime: 0 }), undefined, name);
});

test('given a truncated archive, when read, then DESKLINE_BACKUP_DAMAGED says truncated and names the member', async (t) => {
  const { bytes } = await tarOf(files);
  // 2048 + 100: inside media/block.bin's data.
  const error = await t.throwsAsync(readAll(bytes.subarray(0, 2048 + 100)), { instanceOf: BackupError });
  t.is(error?.code, 'DESKLINE_BACKUP_DAMAGED');
  t.regex(error!.message, /truncated/);
  t.is(error?.member, 'media/block.bin');
  const noEnd = await t.throwsAsync(readAll(bytes.subarray(0, bytes.length - 1024)), { instanceOf: BackupError });
  t.regex(noEnd!.message, /end-of-archive/);
});

test('given a header with a flipped byte, when read, then the header checksum catches it', async (t) => {
  const { bytes } = await tarOf(files);
  const bad = Buffer.from(bytes);
  bad.writeUInt8(bad[5]! ^ 0x01, 5); // in the first member's name
  const error = await t.throwsAsync(readAll(bad), { instanceOf: BackupError });
  t.regex(error!.message, /checksum mismatch at byte 0/);
});

test('given a member that escapes with .., when read, then it is refused before anyone writes it', async (t) => {
  const header = tarHeader('media/x', { size: 0, mode: 0o600, mtime: 0 });
  header.write('../../etc/evil\0', 0, 'utf8');
  let sum = 0;
  header.write('        ', 148, 'ascii');
  for (const b of header) sum += b;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  const error = await t.throwsAsync(readAll(Buffer.concat([header, Buffer.alloc(1024)])), { instanceOf: BackupError });
  t.regex(error!.message, /unsafe member path/);
});

test('given non-zero bytes after the end marker, when read, then that is damage', async (t) => {
  const { bytes } = await tarOf(files.slice(0, 1));
  const error = await t.throwsAsync(readAll(Buffer.concat([bytes, Buffer.from('garbage')])), { instanceOf: BackupError });
  t.regex(error!.message, /after the end-of-archive marker/);
});
