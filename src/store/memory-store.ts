import { checkSectionName, type BatchOperation, type RangeOptions, type Section, type Store } from './store.ts';

function inRange(key: string, range: RangeOptions): boolean {
  if (range.gte !== undefined && key < range.gte) return false;
  if (range.gt !== undefined && key <= range.gt) return false;
  if (range.lte !== undefined && key > range.lte) return false;
  if (range.lt !== undefined && key >= range.lt) return false;
  return true;
}

class MemorySection implements Section {
  private readonly data = new Map<string, string>();

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
export class MemoryStore implements Store {
  private readonly sections = new Map<string, MemorySection>();

  section(name: string): Section {
    checkSectionName(name);
    let section = this.sections.get(name);
    if (!section) this.sections.set(name, (section = new MemorySection()));
    return section;
  }

  async close(): Promise<void> {}
}
