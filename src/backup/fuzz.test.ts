// The archive reader against random and bit-flipped input: every outcome is either a clean
// restore of the very same data or a BackupError, never another exception, and a failed restore
// writes nothing. Seeded, so a failure reproduces. The cases live in backup-fuzz-cases.ts
// (`npm run bench -- fuzz` runs them 100×).
import test from 'ava';
import { backupFuzzBench } from './backup-fuzz-cases.ts';

let made: ReturnType<typeof backupFuzzBench> | undefined;
const bench = () => (made ??= backupFuzzBench());
test.after.always(async () => (made ? (await made).remove() : undefined));

test('given random bytes (raw and gzip-wrapped), when restored, then a BackupError and nothing written', async (t) => {
  const { failures, outcomes } = await (await bench()).randomBytes();
  t.deepEqual(failures, []);
  t.is(outcomes.refused, 60);
});

test('given bit flips in the compressed archive, when restored, then each is refused cleanly or (flip in an unchecked gzip header field) restores the same data', async (t) => {
  const { failures, outcomes } = await (await bench()).gzipFlips();
  t.deepEqual(failures, []);
  t.log(outcomes);
  t.true(outcomes.refused > 140);
});

test('given bit flips and truncation inside the tar (re-compressed, so gzip cannot notice), when restored, then a BackupError naming what is wrong, or (flip in padding) the same data', async (t) => {
  const { failures, outcomes } = await (await bench()).tarDamage();
  t.deepEqual(failures, []);
  t.log(outcomes);
  t.true(outcomes.refused > 100);
});
