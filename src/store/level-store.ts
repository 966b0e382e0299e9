// The only module that imports `level`. Writes from all sections that arrive in the same tick are
// coalesced into one LevelDB batch (measured: ~410k/s batched vs ~16k/s awaited single puts).
import { Level } from 'level';
import { checkSectionName, loadBatchSize, StoreError, type BatchOperation, type RangeOptions, type Section, type SnapshotStore, type StoreEntry } from './store.ts';

type Db = Level<string, string>;
interface Pending {
  operations: { type: 'put' | 'del'; key: string; value?: string }[];
  waiters: { resolve: () => void; reject: (error: Error) => void }[];
}

const separator = '!';

export interface LevelStoreOptions {
  /** fsync each batch: survives power loss, not just a process crash. Slower. */
  sync?: boolean;
}

export class LevelStore implements SnapshotStore {
  private pending: Pending | undefined;
  private closed = false;

  private constructor(
    private readonly db: Db,
    private readonly options: LevelStoreOptions,
  ) {}

  static async open(path: string, options: LevelStoreOptions = {}): Promise<LevelStore> {
    const db: Db = new Level<string, string>(path, { valueEncoding: 'utf8' });
    try {
      await db.open();
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      if ((error as { code?: string }).code === 'LEVEL_DATABASE_NOT_OPEN' && /lock/i.test(cause?.message ?? '')) {
        throw new StoreError('STORE_LOCKED', `the data store ${path} is in use by another Deskline process`, { cause: error });
      }
      throw new StoreError('STORE_OPEN_FAILED', `cannot open the data store ${path}: ${cause?.message ?? (error as Error).message}`, { cause: error });
    }
    return new LevelStore(db, options);
  }

  section(name: string): Section {
    checkSectionName(name);
    const prefix = `${separator}${name}${separator}`;
    const store = this;
    return {
      async get<T>(key: string): Promise<T | undefined> {
        const text = await store.db.get(prefix + key);
        return text === undefined ? undefined : (JSON.parse(text) as T);
      },
      batch(operations: BatchOperation[]): Promise<void> {
        return store.enqueue(
          operations.map((op) =>
            op.type === 'put' ? { type: 'put' as const, key: prefix + op.key, value: JSON.stringify(op.value) } : { type: 'del' as const, key: prefix + op.key },
          ),
        );
      },
      async *entries<T>(range: RangeOptions = {}): AsyncIterable<[string, T]> {
        const bounded: Record<string, unknown> = { reverse: range.reverse ?? false, limit: range.limit ?? -1 };
        for (const bound of ['gte', 'gt', 'lte', 'lt'] as const) {
          if (range[bound] !== undefined) bounded[bound] = prefix + range[bound];
        }
        if (bounded.gte === undefined && bounded.gt === undefined) bounded.gte = prefix;
        if (bounded.lte === undefined && bounded.lt === undefined) bounded.lt = `${prefix}\uffff`;
        for await (const [key, value] of store.db.iterator(bounded)) {
          yield [key.slice(prefix.length), JSON.parse(value) as T];
        }
      },
    };
  }

  dump(): AsyncIterable<StoreEntry> {
    if (this.closed) throw new StoreError('STORE_OPEN_FAILED', 'the data store is closed');
    // Created now, not on the first next(): a LevelDB iterator reads from an implicit snapshot
    // taken when it is created, so the whole dump is one consistent view however long it takes.
    const iterator = this.db.iterator();
    return {
      async *[Symbol.asyncIterator]() {
        try {
          for await (const [fullKey, text] of iterator) {
            const end = fullKey.indexOf(separator, 1);
            // Keys are always !section!key; anything else is not ours and would not restore.
            if (fullKey[0] !== separator || end < 0) throw new StoreError('STORE_OPEN_FAILED', `the data store holds a key outside any section: ${JSON.stringify(fullKey.slice(0, 80))}`);
            yield { section: fullKey.slice(1, end), key: fullKey.slice(end + 1), value: JSON.parse(text) as unknown };
          }
        } finally {
          await iterator.close();
        }
      },
    };
  }

  async load(entries: AsyncIterable<StoreEntry> | Iterable<StoreEntry>): Promise<number> {
    if (this.closed) throw new StoreError('STORE_WRITE_FAILED', 'the data store is closed');
    let batch: { type: 'put'; key: string; value: string }[] = [];
    let count = 0;
    const write = async () => {
      try {
        await this.db.batch(batch, { sync: this.options.sync ?? false });
      } catch (error) {
        throw new StoreError('STORE_WRITE_FAILED', `data store write failed: ${(error as Error).message}`, { cause: error });
      }
      batch = [];
    };
    for await (const entry of entries) {
      checkSectionName(entry.section);
      batch.push({ type: 'put', key: `${separator}${entry.section}${separator}${entry.key}`, value: JSON.stringify(entry.value) });
      count++;
      if (batch.length >= loadBatchSize) await write();
    }
    if (batch.length) await write();
    return count;
  }

  async clear(): Promise<void> {
    if (this.closed) throw new StoreError('STORE_WRITE_FAILED', 'the data store is closed');
    await this.db.clear();
  }

  private enqueue(operations: Pending['operations']): Promise<void> {
    if (this.closed) return Promise.reject(new StoreError('STORE_WRITE_FAILED', 'the data store is closed'));
    return new Promise((resolve, reject) => {
      if (!this.pending) {
        this.pending = { operations: [], waiters: [] };
        setImmediate(() => this.flush());
      }
      this.pending.operations.push(...operations);
      this.pending.waiters.push({ resolve, reject });
    });
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = undefined;
    if (!batch) return;
    this.db.batch(batch.operations as never, { sync: this.options.sync ?? false }).then(
      () => batch.waiters.forEach((w) => w.resolve()),
      (error: Error) => {
        const wrapped = new StoreError('STORE_WRITE_FAILED', `data store write failed: ${error.message}`, { cause: error });
        batch.waiters.forEach((w) => w.reject(wrapped));
      },
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.pending) {
      const last = new Promise<void>((resolve) => this.pending!.waiters.push({ resolve, reject: () => resolve() }));
      this.flush();
      await last;
    }
    this.closed = true;
    await this.db.close();
  }
}
