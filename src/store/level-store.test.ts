import test from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LevelStore } from './level-store.ts';
import { StoreError } from './store.ts';
import { storeContract } from './store-contract.ts';

storeContract('level store', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'deskline-store-'));
  return { store: await LevelStore.open(dir), cleanup: () => rm(dir, { recursive: true, force: true }) };
});

test('given an open store, when a second open is tried on the same path, then STORE_LOCKED names the path', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'deskline-store-'));
  const first = await LevelStore.open(dir);
  const error = await t.throwsAsync(LevelStore.open(dir), { instanceOf: StoreError });
  t.is(error?.code, 'STORE_LOCKED');
  t.true(error?.message.includes(dir));
  await first.close();
  await rm(dir, { recursive: true, force: true });
});

test('given writes, when the store is closed and reopened, then the data is there', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'deskline-store-'));
  const first = await LevelStore.open(dir);
  const pending = first.section('calls').batch([{ type: 'put', key: 'c1', value: { ok: true } }]);
  await first.close();
  await pending;
  const second = await LevelStore.open(dir);
  t.deepEqual(await second.section('calls').get('c1'), { ok: true });
  await second.close();
  await rm(dir, { recursive: true, force: true });
});
