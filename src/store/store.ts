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

export interface Store {
  /** One section (sublevel) per capability: calls, flows, queues, … */
  section(name: string): Section;
  close(): Promise<void>;
}

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
