// The durable outbox: telemetry and events are written to the store BEFORE they are published
// and deleted only once the broker has acknowledged them (QoS 1 PUBACK). So a broker outage or a
// Deskline restart loses nothing; mqtt.js's in-memory offline queue is never relied on.
// Bounded: past `maxTelemetry` buffered telemetry messages the oldest telemetry is dropped (and
// counted); events are never dropped: they are rare and each one matters (an alarm, a call).
import type { BatchOperation, Section } from '../store/store.ts';

export type OutboxKind = 'telemetry' | 'event';

export interface OutboxEntry {
  seq: number;
  kind: OutboxKind;
  topic: string;
  payload: Record<string, unknown>;
}

interface OutboxMeta {
  /** Last sequence number handed out; survives restarts so subscribers can de-duplicate by seq. */
  seq: number;
  /** Telemetry messages dropped since this box's store was created. */
  dropped: number;
}

const metaKey = 'outbox-meta';
const entryKey = (seq: number) => `out:${String(seq).padStart(15, '0')}`;

export class Outbox {
  /** Buffered telemetry seqs, oldest first (a Set keeps insertion order and deletes in O(1)). */
  private readonly telemetrySeqs = new Set<number>();
  private readonly eventSeqs = new Set<number>();
  /** Writes go through one chain so the store holds entries in seq order at every moment. */
  private writes: Promise<void> = Promise.resolve();

  private constructor(
    private readonly section: Section,
    private readonly maxTelemetry: number,
    private meta: OutboxMeta,
  ) {}

  static async open(section: Section, maxTelemetry: number): Promise<Outbox> {
    const meta = (await section.get<OutboxMeta>(metaKey)) ?? { seq: 0, dropped: 0 };
    const outbox = new Outbox(section, maxTelemetry, meta);
    for await (const [, entry] of section.entries<OutboxEntry>({ gte: 'out:', lt: 'out:\uffff' })) {
      (entry.kind === 'telemetry' ? outbox.telemetrySeqs : outbox.eventSeqs).add(entry.seq);
    }
    return outbox;
  }

  get buffered(): number {
    return this.telemetrySeqs.size + this.eventSeqs.size;
  }

  get dropped(): number {
    return this.meta.dropped;
  }

  /**
   * Adds one message; `build` gets its seq and the dropped count (telemetry reports it). Resolves
   * once the entry is in the store. `busy` tells which seqs are being published right now: those
   * are not dropped (they may already be at the broker).
   */
  append(kind: OutboxKind, topic: string, build: (seq: number, dropped: number) => Record<string, unknown>, busy: (seq: number) => boolean = () => false): Promise<OutboxEntry> {
    const seq = ++this.meta.seq;
    const operations: BatchOperation[] = [];
    if (kind === 'event') this.eventSeqs.add(seq);
    else {
      this.telemetrySeqs.add(seq);
      for (const old of this.telemetrySeqs) {
        if (this.telemetrySeqs.size <= this.maxTelemetry) break;
        if (old === seq || busy(old)) continue;
        this.telemetrySeqs.delete(old);
        this.meta.dropped++;
        operations.push({ type: 'del', key: entryKey(old) });
      }
    }
    const entry: OutboxEntry = { seq, kind, topic, payload: build(seq, this.meta.dropped) };
    operations.push({ type: 'put', key: entryKey(seq), value: entry }, { type: 'put', key: metaKey, value: { ...this.meta } });
    const written = this.writes.then(() => this.section.batch(operations));
    this.writes = written.catch(() => undefined);
    return written.then(
      () => entry,
      (error: unknown) => {
        this.forget(seq);
        throw error;
      },
    );
  }

  /** Up to `limit` entries after `afterSeq`, in order. */
  async after(afterSeq: number, limit: number): Promise<OutboxEntry[]> {
    await this.writes;
    const entries: OutboxEntry[] = [];
    for await (const [, entry] of this.section.entries<OutboxEntry>({ gt: entryKey(afterSeq), lt: 'out:\uffff', limit })) entries.push(entry);
    return entries;
  }

  /** The broker has it: forget it. */
  async acknowledge(seq: number): Promise<void> {
    if (!this.forget(seq)) return; // dropped meanwhile, or acknowledged twice
    await this.section.batch([{ type: 'del', key: entryKey(seq) }]);
  }

  private forget(seq: number): boolean {
    return this.telemetrySeqs.delete(seq) || this.eventSeqs.delete(seq);
  }
}
