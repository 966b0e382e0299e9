// Rollups in the store's `reports` section, written as calls end, read by reports. Layout (keys
// sort as strings; ids are URI-encoded, '!' included):
//   r!<dimension key>!<size>!<bucket start:13>  RollupRow (sizes: time-buckets.ts)
//   u!<size>!<bucket start:13>                  UnmatchedRow (15m and 1h buckets only)
//   k!<dimension>!<id>                          ids seen, for "group by queue" without a list
//   m!<callId>                                  the CallFacts recorded for the call
//
// Idempotent: the marker holds the facts a call added. Recording the call again adds nothing if
// they are the same, and if they changed (a late trail entry such as a survey result) takes the
// old facts back and adds the new ones. Markers and rows change in one batch, so after a crash a
// call is either wholly counted or not at all.
//
// One writer. Calls to record queue up; each round takes the calls waiting (one when calls end
// one by one, thousands during a backfill), reads their markers and the rows they touch at once,
// changes the rows in memory and writes rows and markers as one batch. Rows are kept in a cache
// between rounds (this class is the section's only writer, so the cache is the truth).
import { prefixRange, type BatchOperation, type Section, type Store } from '../store/store.ts';
import type { CallState, TrailEntry } from '../calls/call-types.ts';
import { rollupOf, type CallFacts, type FactsContext } from './call-facts.ts';
import type { UnmatchedQuestion } from './bot-facts.ts';
import { runQuery, type QueryOptions, type ReportQuery, type ReportResult, type RowReader } from './report-query.ts';
import { addRow, emptyRow, foldCall, fromStored, toStored, type Dimension, type DimensionKey, type RollupRow } from './rollup-row.ts';
import { bucketsOf, floorTo, GRANULARITY_MS, QUARTER_MS, type Granularity, type Span } from './time-buckets.ts';
import { addQuestions, emptyUnmatchedRow, type UnmatchedRow } from './unmatched-rollup.ts';

export type RecordOutcome = 'recorded' | 'unchanged' | 'corrected';

export interface ReportStoreOptions {
  /** Rows kept in memory between rounds (default 4,000, a few MB): the buckets calls are ending in now. */
  cachedRows?: number;
  /** Most calls recorded in one round (one store batch); default 5,000. */
  callsPerRound?: number;
}

const pad = (n: number) => String(n).padStart(13, '0');
const encode = (id: string) => encodeURIComponent(id).replace(/!/g, '%21');
const rowKey = (key: DimensionKey, granularity: Granularity, start: number) => `r!${encode(key)}!${granularity}!${pad(start)}`;
const unmatchedKey = (granularity: Granularity, start: number) => `u!${granularity}!${pad(start)}`;
const markerKey = (callId: string) => `m!${encode(callId)}`;
const idKey = (dimension: Dimension, id: string) => `k!${dimension}!${encode(id)}`;
/** Unmatched questions are kept up to hour buckets: larger ones would be large rows to rewrite. */
const keepsQuestions = (granularity: Granularity) => GRANULARITY_MS[granularity] <= GRANULARITY_MS['1h'];

type Cached = RollupRow | UnmatchedRow;
interface Waiting { facts: CallFacts; resolve: (outcome: RecordOutcome) => void; reject: (error: Error) => void }
interface Change { key: string; apply: (row: Cached) => void; empty: () => Cached }

export class ReportStore {
  private readonly section: Section;
  private readonly cache = new Map<string, Cached>();
  private readonly knownIds = new Set<string>();
  private readonly cachedRows: number;
  private readonly callsPerRound: number;
  private waiting: Waiting[] = [];
  private writer: Promise<void> | undefined;

  constructor(store: Store, options: ReportStoreOptions = {}) {
    this.section = store.section('reports');
    this.cachedRows = options.cachedRows ?? 4_000;
    this.callsPerRound = options.callsPerRound ?? 5_000;
  }

  /** Reduces the call to its facts (rollupOf) and records them. */
  recordCall(call: CallState, trail: readonly TrailEntry[], context: FactsContext = {}): Promise<RecordOutcome> {
    return this.recordFacts(rollupOf(call, trail, context));
  }

  /** Resolves once the call's rollups are in the store (with the other calls of its round). */
  recordFacts(facts: CallFacts): Promise<RecordOutcome> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ facts, resolve, reject });
      this.startWriter();
    });
  }

  private startWriter(): void {
    if (this.writer) return;
    // A call queued while the last round was finishing found the writer still there: start again.
    this.writer = this.write().finally(() => {
      this.writer = undefined;
      if (this.waiting.length > 0) this.startWriter();
    });
  }

  /** Resolves when everything recorded so far is in the store. */
  async idle(): Promise<void> {
    while (this.writer) await this.writer;
  }

  async query(query: ReportQuery, options: QueryOptions = {}): Promise<ReportResult> {
    await this.idle();
    return runQuery(query, this.reader(), options);
  }

  /** The facts recorded for a call, if it was recorded. */
  recorded(callId: string): Promise<CallFacts | undefined> {
    return this.section.get<CallFacts>(markerKey(callId));
  }

  private async write(): Promise<void> {
    // Rounds follow one another: a round's rows are read after the previous round wrote its own.
    while (this.waiting.length > 0) {
      const round = this.waiting.splice(0, this.callsPerRound);
      try {
        const outcomes = await this.round(round.map((w) => w.facts));
        round.forEach((w, i) => w.resolve(outcomes[i]!));
      } catch (error) {
        // The store refused the batch: the cache may hold changes it does not; it is the truth again.
        this.cache.clear();
        this.knownIds.clear();
        round.forEach((w) => w.reject(error as Error));
      }
    }
  }

  private async round(calls: CallFacts[]): Promise<RecordOutcome[]> {
    const ids = [...new Set(calls.map((f) => f.callId))];
    const stored = await Promise.all(ids.map((id) => this.section.get<CallFacts>(markerKey(id))));
    const latest = new Map(ids.map((id, i) => [id, stored[i]]));
    // The round's changes, summed per dimension key and quarter first: every bucket a quarter
    // lies in gets the quarter's sum (so a busy round adds a few hundred sums, not a row per call
    // and bucket).
    const deltas = new Map<string, { key: DimensionKey; quarter: number; row: RollupRow }>();
    const questions = new Map<number, { questions: UnmatchedQuestion[]; sign: 1 | -1 }[]>();
    const touched = new Set<DimensionKey>();
    const markers = new Map<string, CallFacts>();
    const fold = (facts: CallFacts, sign: 1 | -1) => {
      const quarter = floorTo(facts.startedAt, QUARTER_MS);
      const rowOf = (key: DimensionKey) => {
        const id = `${key}\n${quarter}`;
        let delta = deltas.get(id);
        if (!delta) deltas.set(id, (delta = { key, quarter, row: emptyRow() }));
        return delta.row;
      };
      for (const key of foldCall(facts, rowOf, sign)) touched.add(key);
      if (!facts.bot?.unmatched.length) return;
      const asked = questions.get(quarter) ?? [];
      asked.push({ questions: facts.bot.unmatched, sign });
      questions.set(quarter, asked);
    };
    const outcomes = calls.map((facts): RecordOutcome => {
      const before = latest.get(facts.callId);
      if (before && JSON.stringify(before) === JSON.stringify(facts)) return 'unchanged';
      if (before) fold(before, -1);
      fold(facts, 1);
      latest.set(facts.callId, facts);
      markers.set(facts.callId, facts);
      return before ? 'corrected' : 'recorded';
    });
    if (markers.size === 0) return outcomes;

    const changes: Change[] = [];
    for (const { key, quarter, row } of deltas.values()) {
      for (const { granularity, start } of bucketsOf(quarter)) changes.push({ key: rowKey(key, granularity, start), apply: (target) => addRow(target as RollupRow, row), empty: emptyRow });
    }
    for (const [quarter, asked] of questions) {
      for (const { granularity, start } of bucketsOf(quarter)) {
        if (!keepsQuestions(granularity)) continue;
        for (const { questions: list, sign } of asked) changes.push({ key: unmatchedKey(granularity, start), apply: (target) => addQuestions(target as UnmatchedRow, list, sign), empty: emptyUnmatchedRow });
      }
    }
    const keys = [...new Set(changes.map((c) => c.key))];
    const empties = new Map(changes.map((c) => [c.key, c.empty]));
    const rows = new Map(await Promise.all(keys.map(async (key) => [key, await this.load(key, empties.get(key)!)] as const)));
    for (const change of changes) change.apply(rows.get(change.key)!);
    const operations: BatchOperation[] = keys.map((key) => ({ type: 'put', key, value: key.startsWith('r!') ? toStored(rows.get(key) as RollupRow) : rows.get(key) }));
    for (const [callId, facts] of markers) operations.push({ type: 'put', key: markerKey(callId), value: facts });
    for (const key of touched) {
      if (key === 'all' || this.knownIds.has(key)) continue;
      this.knownIds.add(key);
      const colon = key.indexOf(':');
      operations.push({ type: 'put', key: idKey(key.slice(0, colon) as Dimension, key.slice(colon + 1)), value: 1 });
    }
    await this.section.batch(operations);
    this.evict();
    return outcomes;
  }

  private async load(key: string, empty: () => Cached): Promise<Cached> {
    const cached = this.cache.get(key);
    // Most recently used last: a Map keeps insertion order, so the first keys are the oldest.
    if (cached) this.cache.delete(key);
    const stored = cached ? undefined : await this.section.get<Cached>(key);
    const row = cached ?? (stored && key.startsWith('r!') ? fromStored(stored as RollupRow) : stored) ?? empty();
    this.cache.set(key, row);
    return row;
  }

  private evict(): void {
    for (const key of this.cache.keys()) {
      if (this.cache.size <= this.cachedRows) break;
      this.cache.delete(key);
    }
  }

  private reader(): RowReader {
    const section = this.section;
    return {
      async ids(dimension: Dimension): Promise<string[]> {
        const ids: string[] = [];
        const prefix = `k!${dimension}!`;
        for await (const [key] of section.entries(prefixRange(prefix))) ids.push(decodeURIComponent(key.slice(prefix.length)));
        return ids;
      },
      rows: (key: DimensionKey, span: Span) => rowsIn<RollupRow>(section, `r!${encode(key)}!${span.granularity}!`, span, fromStored),
      row: async (key: DimensionKey, granularity: Granularity, start: number) => {
        const stored = await section.get<RollupRow>(rowKey(key, granularity, start));
        return stored && fromStored(stored);
      },
      unmatched: (span: Span) => rowsIn<UnmatchedRow>(section, `u!${span.granularity}!`, span),
    };
  }
}

async function* rowsIn<T>(section: Section, prefix: string, span: Span, decode: (stored: T) => T = (row) => row): AsyncIterable<[number, T]> {
  for await (const [key, row] of section.entries<T>({ gte: prefix + pad(span.from), lt: prefix + pad(span.to) })) {
    yield [Number(key.slice(prefix.length)), decode(row)];
  }
}
