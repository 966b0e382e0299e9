// The shared contract every Store implementation must pass (abstract-level/test style).
import test from 'ava';
import { prefixRange, StoreError, type SnapshotStore, type StoreEntry } from './store.ts';

async function collect<T>(iterable: AsyncIterable<[string, T]>): Promise<[string, T][]> {
  const out: [string, T][] = [];
  for await (const entry of iterable) out.push(entry);
  return out;
}

async function dumpAll(store: SnapshotStore): Promise<StoreEntry[]> {
  const out: StoreEntry[] = [];
  for await (const entry of store.dump()) out.push(entry);
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function storeContract(name: string, open: () => Promise<{ store: SnapshotStore; cleanup?: () => Promise<void> }>): void {
  const withStore = (title: string, body: (store: SnapshotStore) => Promise<void>) =>
    test(`${name}: ${title}`, async (t) => {
      const { store, cleanup } = await open();
      try {
        await body(store);
        t.pass();
      } finally {
        await store.close();
        await cleanup?.();
      }
    });

  withStore('given a put, when read back, then the JSON value round-trips', async (store) => {
    const calls = store.section('calls');
    await calls.batch([{ type: 'put', key: 'a', value: { n: 1, s: '中文', list: [1, 2] } }]);
    const value = await calls.get<{ n: number; s: string }>('a');
    if (value?.n !== 1 || value.s !== '中文') throw new Error(`round trip failed: ${JSON.stringify(value)}`);
    if ((await calls.get('missing')) !== undefined) throw new Error('missing key should read undefined');
  });

  withStore('given two sections, when the same key is written, then they do not see each other', async (store) => {
    await store.section('one').batch([{ type: 'put', key: 'k', value: 1 }]);
    await store.section('two').batch([{ type: 'put', key: 'k', value: 2 }]);
    if ((await store.section('one').get('k')) !== 1 || (await store.section('two').get('k')) !== 2) throw new Error('sections leak');
    const all = await collect(store.section('one').entries());
    if (all.length !== 1) throw new Error(`section one has ${all.length} entries`);
  });

  withStore('given sorted keys, when ranged forward, reverse and limited, then order and bounds hold', async (store) => {
    const s = store.section('range');
    await s.batch(['a!1', 'a!2', 'a!3', 'b!1', 'a'].map((key) => ({ type: 'put' as const, key, value: key })));
    const forward = (await collect(s.entries(prefixRange('a!')))).map(([k]) => k);
    if (forward.join() !== 'a!1,a!2,a!3') throw new Error(`forward: ${forward.join()}`);
    const reverse = (await collect(s.entries(prefixRange('a!', { reverse: true, limit: 2 })))).map(([k]) => k);
    if (reverse.join() !== 'a!3,a!2') throw new Error(`reverse: ${reverse.join()}`);
    const gt = (await collect(s.entries({ gt: 'a!1', lte: 'a!3' }))).map(([k]) => k);
    if (gt.join() !== 'a!2,a!3') throw new Error(`gt/lte: ${gt.join()}`);
  });

  withStore('given a batch with puts and dels, when applied, then all of it is applied', async (store) => {
    const s = store.section('batch');
    await s.batch([{ type: 'put', key: 'x', value: 1 }, { type: 'put', key: 'y', value: 2 }]);
    await s.batch([{ type: 'del', key: 'x' }, { type: 'put', key: 'z', value: 3 }]);
    const keys = (await collect(s.entries())).map(([k]) => k).join();
    if (keys !== 'y,z') throw new Error(`after batch: ${keys}`);
  });

  withStore('given many concurrent writers, when all resolve, then every write is readable', async (store) => {
    const s = store.section('many');
    await Promise.all(Array.from({ length: 500 }, (_, i) => s.batch([{ type: 'put', key: `k${String(i).padStart(4, '0')}`, value: i }])));
    const all = await collect(s.entries());
    if (all.length !== 500 || all[499]?.[1] !== 499) throw new Error(`got ${all.length} entries`);
  });

  withStore('given a bad section name, when asked for it, then a STORE_BAD_NAME error', async (store) => {
    try {
      store.section('Bad Name!');
    } catch (error) {
      if (error instanceof StoreError && error.code === 'STORE_BAD_NAME') return;
      throw error;
    }
    throw new Error('bad name accepted');
  });

  withStore('given entries in several sections, when dumped, then every entry comes in section then key order with its value', async (store) => {
    await store.section('zeta').batch([{ type: 'put', key: 'b', value: 2 }, { type: 'put', key: 'a', value: { deep: ['中文', null] } }]);
    await store.section('alpha').batch([{ type: 'put', key: 'k!with!bangs', value: 'x' }, { type: 'put', key: '', value: true }]);
    const dumped = await dumpAll(store);
    const expected = [
      { section: 'alpha', key: '', value: true },
      { section: 'alpha', key: 'k!with!bangs', value: 'x' },
      { section: 'zeta', key: 'a', value: { deep: ['中文', null] } },
      { section: 'zeta', key: 'b', value: 2 },
    ];
    if (!same(dumped, expected)) throw new Error(`dump: ${JSON.stringify(dumped)}`);
  });

  withStore('given a dump in progress, when entries are written and deleted meanwhile, then the dump sees the store as it was when dump() was called', async (store) => {
    const s = store.section('snap');
    await s.batch(Array.from({ length: 50 }, (_, i) => ({ type: 'put' as const, key: `k${String(i).padStart(3, '0')}`, value: i })));
    const dump = store.dump();
    await s.batch([{ type: 'put', key: 'k000', value: 'changed' }, { type: 'del', key: 'k049' }, { type: 'put', key: 'k100', value: 'new' }]);
    const seen: StoreEntry[] = [];
    for await (const entry of dump) {
      seen.push(entry);
      // Writes while iterating are not seen either.
      if (seen.length === 10) await s.batch([{ type: 'put', key: 'k040', value: 'late' }]);
    }
    if (seen.length !== 50) throw new Error(`dump saw ${seen.length} entries`);
    if (seen[0]!.value !== 0 || seen[40]!.value !== 40 || seen[49]!.key !== 'k049') throw new Error(`dump saw later writes: ${JSON.stringify([seen[0], seen[40], seen[49]])}`);
    if ((await s.get('k000')) !== 'changed') throw new Error('the writes themselves were lost');
  });

  withStore('given a dump of one store, when loaded into another, then both dump the same', async (store) => {
    await store.section('calls').batch(Array.from({ length: 2500 }, (_, i) => ({ type: 'put' as const, key: `c${i}`, value: { i, text: `call ${i}` } })));
    await store.section('flows').batch([{ type: 'put', key: 'f1', value: { nodes: { a: { kind: 'hangup' } } } }]);
    const source = await dumpAll(store);
    await store.clear();
    if ((await dumpAll(store)).length !== 0) throw new Error('clear left entries');
    // Loaded from an async source, as restore streams it from the archive.
    const written = await store.load((async function* () { yield* source; })());
    if (written !== 2501) throw new Error(`load wrote ${written}`);
    if (!same(await dumpAll(store), source)) throw new Error('dump after load differs');
    if (!same(await store.section('calls').get('c2499'), { i: 2499, text: 'call 2499' })) throw new Error('section read after load failed');
  });

  withStore('given an entry with a bad section name, when loaded, then STORE_BAD_NAME', async (store) => {
    try {
      await store.load([{ section: 'Bad!', key: 'k', value: 1 }]);
    } catch (error) {
      if (error instanceof StoreError && error.code === 'STORE_BAD_NAME') return;
      throw error;
    }
    throw new Error('bad section accepted');
  });
}
