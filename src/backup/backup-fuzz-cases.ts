// Damaged archives for the restore path: random bytes (raw and gzip-wrapped), bit flips in the
// compressed archive, bit flips and truncation inside the tar (re-compressed so gzip cannot
// notice). Every outcome must be a clean restore of the very same data or a BackupError naming
// what is wrong, never another exception, and a refused restore writes nothing. Shared by the CI
// fuzz (fuzz.test.ts: 60 + 150 + 150 archives) and `npm run bench -- fuzz` (100× that). Seeded.
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
import { mulberry32 as random } from '../core/seeded-random.ts';

export const BACKUP_FUZZ_CI_CASES = { randomBytes: 60, gzipFlips: 150, tarDamage: 150 } as const;

const flip = (bytes: Buffer, at: number, bit: number) => bytes.writeUInt8(bytes[at]! ^ (1 << bit), at);


export interface BackupFuzzRun {
  cases: number;
  failures: string[];
  outcomes: { restored: number; refused: number };
}

/** A scratch folder with one good archive made from a small store and a prompt; remove() when done. */
export async function backupFuzzBench() {
  const dir = await mkdtemp(join(tmpdir(), 'deskline-backup-fuzz-'));
  const raw = { site: { id: 'fuzz' }, store: { path: join(dir, 'src') } };
  const store = await LevelStore.open(join(dir, 'src/db'));
  await store.load(Array.from({ length: 40 }, (_, i) => ({ section: i % 2 ? 'calls' : 'flows', key: `k${i}`, value: { i } })));
  await store.close();
  await mkdir(join(dir, 'src/media/prompts'), { recursive: true });
  await writeFile(join(dir, 'src/media/prompts/a.wav'), Buffer.alloc(3000, 7));
  await createBackup({ config: buildConfig(raw, 'fuzz', {}), siteFile: undefined, out: join(dir, 'good.tgz'), withRecordings: false, desklineVersion: 'fuzz', clock: new ManualClock(0) });
  const good = await readFile(join(dir, 'good.tgz'));
  let attempt = 0;

  /** Restores `bytes`: 'restored' or 'refused'; throws on anything not a BackupError or when a refusal wrote something. */
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

  /** Each case: its outcome, or its failure (an exception that is not a clean refusal) as a line. */
  async function run(cases: number, one: (i: number) => Promise<'restored' | 'refused'>, progress?: (done: number) => void): Promise<BackupFuzzRun> {
    const outcomes = { restored: 0, refused: 0 };
    const failures: string[] = [];
    for (let i = 0; i < cases; i++) {
      if (progress && i > 0 && i % 1000 === 0) progress(i);
      try {
        outcomes[await one(i)]++;
      } catch (error) {
        failures.push(`case ${i}: ${(error as Error).message.slice(0, 400)}`);
      }
    }
    return { cases, failures, outcomes };
  }

  return {
    good,
    tryRestore,
    /** Random bytes, every other one gzip-wrapped: every one must be refused. */
    randomBytes(cases: number = BACKUP_FUZZ_CI_CASES.randomBytes, seed = 1, progress?: (done: number) => void) {
      const next = random(seed);
      return run(cases, async (i) => {
        const bytes = Buffer.from(Array.from({ length: Math.floor(next() * 4000) }, () => Math.floor(next() * 256)));
        const outcome = await tryRestore(i % 2 ? gzipSync(bytes) : bytes);
        if (outcome !== 'refused') throw new Error(`random bytes were restored (${bytes.length} bytes)`);
        return outcome;
      }, progress);
    },
    /** One bit flipped in the compressed archive: refused, or (an unchecked gzip header field) restored. */
    gzipFlips(cases: number = BACKUP_FUZZ_CI_CASES.gzipFlips, seed = 2, progress?: (done: number) => void) {
      const next = random(seed);
      return run(cases, async () => {
        const bad = Buffer.from(good);
        flip(bad, Math.floor(next() * bad.length), Math.floor(next() * 8));
        return tryRestore(bad);
      }, progress);
    },
    /** Every fifth truncated, the others one bit flipped inside the tar; a restore must hold the same members. */
    tarDamage(cases: number = BACKUP_FUZZ_CI_CASES.tarDamage, seed = 3, progress?: (done: number) => void) {
      const tar = gunzipSync(good);
      const next = random(seed);
      return run(cases, async (i) => {
        const bad = Buffer.from(tar);
        if (i % 5 === 0) return tryRestore(gzipSync(bad.subarray(0, Math.floor(next() * bad.length))));
        flip(bad, Math.floor(next() * bad.length), Math.floor(next() * 8));
        const outcome = await tryRestore(gzipSync(bad));
        if (outcome === 'restored') {
          // Only a flip the format does not carry meaning in may pass: the members must read the same.
          const [a, b] = [await members(bad), await members(tar)];
          if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error('a damaged tar was restored with different members');
        }
        return outcome;
      }, progress);
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

async function members(b: Buffer): Promise<string[]> {
  const out: string[] = [];
  for await (const { member, body } of readTar((async function* () { yield b; })())) {
    const parts: Buffer[] = [];
    for await (const c of body) parts.push(c);
    out.push(`${member.name}:${member.size}:${Buffer.concat(parts).toString('base64')}`);
  }
  return out;
}
