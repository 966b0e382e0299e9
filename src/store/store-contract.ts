// The shared contract every Store implementation must pass (abstract-level/test style).
import test from 'ava';
import { prefixRange, StoreError, type Store } from './store.ts';

async function collect<T>(iterable: AsyncIterable<[string, T]>): Promise<[string, T][]> {
  const out: [string, T][] = [];
  for await (const entry of iterable) out.push(entry);
  return out;
}

export function storeContract(name: string, open: () => Promise<{ store: Store; cleanup?: () => Promise<void> }>): void {
  const withStore = (title: string, body: (store: Store) => Promise<void>) =>
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
}
