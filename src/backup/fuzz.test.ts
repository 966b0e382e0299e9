// The archive reader against random and bit-flipped input: every outcome is either a clean
// restore of the very same data or a BackupError, never another exception, and a failed restore
// writes nothing. Seeded, so a failure reproduces.
import test from 'ava';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { buildConfig } from '../config/load.ts';
import { ManualClock } from '../core/clock.ts';
import { LevelStore } from '../store/level-store.ts';
import { createBackup } from './backup.ts';
import { BackupError } from './errors.ts';
import { restoreBackup } from './restore.ts';
import { readTar } from './tar.ts';

const flip = (bytes: Buffer, at: number, bit: number) => bytes.writeUInt8(bytes[at]! ^ (1 << bit), at);

/** mulberry32: small, seeded. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const dir = await mkdtemp(join(tmpdir(), 'deskline-backup-fuzz-'));
test.after.always(() => rm(dir, { recursive: true, force: true }));

let made: Promise<Buffer> | undefined;
const goodArchive = () => (made ??= makeGoodArchive());

async function makeGoodArchive(): Promise<Buffer> {
  const raw = { site: { id: 'fuzz' }, store: { path: join(dir, 'src') } };
  const store = await LevelStore.open(join(dir, 'src/db'));
  await store.load(Array.from({ length: 40 }, (_, i) => ({ section: i % 2 ? 'calls' : 'flows', key: `k${i}`, value: { i } })));
  await store.close();
  await mkdir(join(dir, 'src/media/prompts'), { recursive: true });
  await writeFile(join(dir, 'src/media/prompts/a.wav'), Buffer.alloc(3000, 7));
  await createBackup({ config: buildConfig(raw, 'fuzz', {}), siteFile: undefined, out: join(dir, 'good.tgz'), withRecordings: false, desklineVersion: 'fuzz', clock: new ManualClock(0) });
  return readFile(join(dir, 'good.tgz'));
}

let attempt = 0;
/** Restores `bytes`; resolves with 'restored' or 'refused', throws on anything that is not a BackupError or when a refusal wrote something. */
async function tryRestore(bytes: Buffer): Promise<'restored' | 'refused'> {
  const target = join(dir, `t${attempt++}`);
  const file = `${target}.tgz`;
  await writeFile(file, bytes);
  try {
    await restoreBackup({ archive: file, config: buildConfig({ store: { path: target } }, 'fuzz', {}), force: false });
    return 'restored';
  } catch (error) {
    if (!(error instanceof BackupError)) throw new Error(`not a BackupError: ${(error as Error).stack}`);
    if (!/^damaged backup: |format version/.test(error.message)) throw new Error(`unclear message: ${error.message}`);
    const left = await readdir(target).catch(() => []);
    if (left.length) throw new Error(`a refused restore wrote ${left.join()}`);
    return 'refused';
  } finally {
    await rm(target, { recursive: true, force: true });
    await rm(file, { force: true });
  }
}

test('given random bytes (raw and gzip-wrapped), when restored, then a BackupError and nothing written', async (t) => {
  const next = random(1);
  for (let i = 0; i < 60; i++) {
    const bytes = Buffer.from(Array.from({ length: Math.floor(next() * 4000) }, () => Math.floor(next() * 256)));
    t.is(await tryRestore(i % 2 ? gzipSync(bytes) : bytes), 'refused');
  }
});

test('given bit flips in the compressed archive, when restored, then each is refused cleanly or (flip in an unchecked gzip header field) restores the same data', async (t) => {
  const good = await goodArchive();
  const next = random(2);
  const outcomes = { restored: 0, refused: 0 };
  for (let i = 0; i < 150; i++) {
    const bad = Buffer.from(good);
    flip(bad, Math.floor(next() * bad.length), Math.floor(next() * 8));
    outcomes[await tryRestore(bad)]++;
  }
  t.log(outcomes);
  t.true(outcomes.refused > 140);
});

test('given bit flips and truncation inside the tar (re-compressed, so gzip cannot notice), when restored, then a BackupError naming what is wrong, or (flip in padding) the same data', async (t) => {
  const good = gunzipSync(await goodArchive());
  const next = random(3);
  const outcomes = { restored: 0, refused: 0 };
  for (let i = 0; i < 150; i++) {
    const bad = Buffer.from(good);
    if (i % 5 === 0) {
      outcomes[await tryRestore(gzipSync(bad.subarray(0, Math.floor(next() * bad.length))))]++;
      continue;
    }
    flip(bad, Math.floor(next() * bad.length), Math.floor(next() * 8));
    const outcome = await tryRestore(gzipSync(bad));
    if (outcome === 'restored') {
      // Only a flip the format does not carry meaning in may pass: the members must read the same.
      const names = async (b: Buffer) => {
        const out: string[] = [];
        for await (const { member, body } of readTar((async function* () { yield b; })())) {
          const parts: Buffer[] = [];
          for await (const c of body) parts.push(c);
          out.push(`${member.name}:${member.size}:${Buffer.concat(parts).toString('base64')}`);
        }
        return out;
      };
      t.deepEqual(await names(bad), await names(good));
    }
    outcomes[outcome]++;
  }
  t.log(outcomes);
  t.true(outcomes.refused > 100);
});
