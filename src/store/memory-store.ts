import { checkSectionName, type BatchOperation, type RangeOptions, type Section, type SnapshotStore, type StoreEntry } from './store.ts';

function inRange(key: string, range: RangeOptions): boolean {
  if (range.gte !== undefined && key < range.gte) return false;
  if (range.gt !== undefined && key <= range.gt) return false;
  if (range.lte !== undefined && key > range.lte) return false;
  if (range.lt !== undefined && key >= range.lt) return false;
  return true;
}

class MemorySection implements Section {
  readonly data = new Map<string, string>();

  async get<T>(key: string): Promise<T | undefined> {
    const text = this.data.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  async batch(operations: BatchOperation[]): Promise<void> {
    // Serialize first so a bad value rejects the whole batch, as the level store does.
    const encoded = operations.map((op) => (op.type === 'put' ? { ...op, text: JSON.stringify(op.value) } : op));
    for (const op of encoded) {
      if (op.type === 'put') this.data.set(op.key, (op as { text: string }).text);
      else this.data.delete(op.key);
    }
  }

  async *entries<T>(range: RangeOptions = {}): AsyncIterable<[string, T]> {
    const keys = [...this.data.keys()].filter((key) => inRange(key, range)).sort();
    if (range.reverse) keys.reverse();
    let left = range.limit ?? Infinity;
    for (const key of keys) {
      if (left-- <= 0) return;
      const text = this.data.get(key);
      if (text !== undefined) yield [key, JSON.parse(text) as T];
    }
  }
}

/** In-memory store for unit tests; passes the same contract suite as the level store. */
export class MemoryStore implements SnapshotStore {
  private readonly sections = new Map<string, MemorySection>();

  section(name: string): Section {
    checkSectionName(name);
    let section = this.sections.get(name);
    if (!section) this.sections.set(name, (section = new MemorySection()));
    return section;
  }

  dump(): AsyncIterable<StoreEntry> {
    // Copied now, as the level store's iterator snapshots at creation: later writes are not seen.
    const snapshot: { section: string; key: string; text: string }[] = [];
    for (const name of [...this.sections.keys()].sort()) {
      const data = this.sections.get(name)!.data;
      for (const key of [...data.keys()].sort()) snapshot.push({ section: name, key, text: data.get(key)! });
    }
    return {
      async *[Symbol.asyncIterator]() {
        for (const { section, key, text } of snapshot) yield { section, key, value: JSON.parse(text) as unknown };
      },
    };
  }

  async load(entries: AsyncIterable<StoreEntry> | Iterable<StoreEntry>): Promise<number> {
    let count = 0;
    for await (const entry of entries) {
      await this.section(entry.section).batch([{ type: 'put', key: entry.key, value: entry.value }]);
      count++;
    }
    return count;
  }

  async clear(): Promise<void> {
    this.sections.clear();
  }

  async close(): Promise<void> {}
}
