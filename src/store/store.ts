// The storage port. Domain code sees only this; src/store/level-store.ts is the one place that
// imports `level`. Values are JSON. Keys sort as strings, so callers build sortable keys.

export type BatchOperation =
  | { type: 'put'; key: string; value: unknown }
  | { type: 'del'; key: string };

export interface RangeOptions {
  gte?: string;
  gt?: string;
  lte?: string;
  lt?: string;
  reverse?: boolean;
  limit?: number;
}

export interface Section {
  get<T>(key: string): Promise<T | undefined>;
  /** Resolves once the write is on disk together with the other writes of its batch window. */
  batch(operations: BatchOperation[]): Promise<void>;
  entries<T>(range?: RangeOptions): AsyncIterable<[string, T]>;
}

/** One stored value with its place: what a backup holds per entry. */
export interface StoreEntry {
  section: string;
  key: string;
  value: unknown;
}

export interface Store {
  /** One section (sublevel) per capability: calls, flows, queues, … */
  section(name: string): Section;
  close(): Promise<void>;
}

/**
 * A store that can be copied whole: backup and restore. Apart from Store so the small fakes that
 * domain tests build (a Store with one odd section) need not implement it.
 */
export interface SnapshotStore extends Store {
  /**
   * Every entry of every section, sections and keys in sort order, as of the moment dump() is
   * called: writes after that are not seen, even while the caller is still iterating (backups
   * must not half-see a transaction).
   */
  dump(): AsyncIterable<StoreEntry>;
  /** Writes entries in large batches (restore); resolves with how many were written. */
  load(entries: AsyncIterable<StoreEntry> | Iterable<StoreEntry>): Promise<number>;
  /** Deletes every entry of every section (restore --force onto a used store). */
  clear(): Promise<void>;
}

/** Entries per batch in load(): large enough for LevelDB's batched rate, small enough for memory. */
export const loadBatchSize = 2000;

export class StoreError extends Error {
  constructor(
    readonly code: 'STORE_LOCKED' | 'STORE_OPEN_FAILED' | 'STORE_WRITE_FAILED' | 'STORE_BAD_NAME',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const sectionName = /^[a-z][a-z0-9-]{0,31}$/;

export function checkSectionName(name: string): void {
  if (!sectionName.test(name)) throw new StoreError('STORE_BAD_NAME', `bad store section name ${JSON.stringify(name)}`);
}

/** Every key stays below this prefix bound; `prefix + '\uffff'` is the end of a prefix range. */
export function prefixRange(prefix: string, extra: Omit<RangeOptions, 'gte' | 'lt'> = {}): RangeOptions {
  return { gte: prefix, lt: `${prefix}\uffff`, ...extra };
}
