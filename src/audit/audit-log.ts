// Append-only audit log in the store's `audit` section: who did what to what, and when. Nothing
// here updates or deletes an entry. Layout (keys sort as strings):
//   e!<at:13>!<seq:12>                    the entry, by time then sequence
//   actor!<actor>!<at:13>!<seq:12>        index by actor
//   action!<action>!<at:13>!<seq:12>      index by action
//   meta!seq                              the next sequence number
// The sequence is global and never reused, so two entries in the same millisecond keep the order
// they were appended in, even across restarts.
import type { Clock } from '../core/clock.ts';
import type { Section, Store } from '../store/store.ts';

export interface AuditEntry {
  /** Epoch ms, from the injected clock. */
  at: number;
  /** Who: a user name, or e.g. 'system:retention'. */
  actor: string;
  /** What, as `capability.verb`, e.g. 'recording.listen'. */
  action: string;
  /** What it was done to, e.g. a recording id. */
  target?: string;
  /** Anything else worth keeping (JSON). */
  detail?: Record<string, unknown>;
}

/** An entry as stored: with its id, which orders entries like their keys (time, then sequence). */
export interface AuditRecord extends AuditEntry {
  id: string;
}

export interface AuditQuery {
  /** at ≥ from (epoch ms). */
  from?: number;
  /** at < to (epoch ms). */
  to?: number;
  actor?: string;
  action?: string;
  /** Default 100, at most 10 000. */
  limit?: number;
  /** Only entries older than this entry id (paging: the last id of the previous page). */
  before?: string;
}

export class AuditError extends Error {
  override readonly name = 'AuditError';
  readonly code = 'DESKLINE_AUDIT_BAD_ENTRY';
}

const pad = (n: number, width: number) => String(Math.max(0, Math.floor(n))).padStart(width, '0');
const time = (ms: number) => pad(ms, 13);
// Lone surrogates (invalid UTF-16, from hostile input) cannot be URI-encoded: made U+FFFD first.
const wellFormed = (text: string) => text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
const keyPart = (text: string) => encodeURIComponent(wellFormed(text)).replace(/!/g, '%21');
const maxText = 256;
const actionPattern = /^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+$/;

function check(entry: Omit<AuditEntry, 'at'>): void {
  const bad = (message: string) => new AuditError(`bad audit entry: ${message}`);
  if (typeof entry.actor !== 'string' || entry.actor.length === 0 || entry.actor.length > maxText) throw bad('actor must be a non-empty string of at most 256 characters');
  if (typeof entry.action !== 'string' || entry.action.length > maxText || !actionPattern.test(entry.action)) throw bad(`action ${JSON.stringify(entry.action)} must look like "capability.verb"`);
  if (entry.target !== undefined && (typeof entry.target !== 'string' || entry.target.length > 1024)) throw bad('target must be a string of at most 1024 characters');
  if (entry.detail !== undefined && (typeof entry.detail !== 'object' || entry.detail === null || Array.isArray(entry.detail))) throw bad('detail must be an object');
}

/** One sequence per store, so that every AuditLog over the same store shares it. */
interface Sequence {
  next: number;
  loaded?: Promise<void>;
}
const sequences = new WeakMap<Store, Sequence>();

export class AuditLog {
  private readonly section: Section;
  private readonly clock: Clock;
  private readonly sequence: Sequence;

  constructor(options: { store: Store; clock: Clock }) {
    this.section = options.store.section('audit');
    this.clock = options.clock;
    let sequence = sequences.get(options.store);
    if (!sequence) sequences.set(options.store, (sequence = { next: 0 }));
    this.sequence = sequence;
  }

  /** Stamps the entry with the clock's time and resolves once it is written. */
  async append(entry: Omit<AuditEntry, 'at'>): Promise<AuditRecord> {
    check(entry);
    const at = this.clock.now();
    // Time and sequence are both taken in call order: the time before any await, the sequence
    // right after the one shared await, whose continuations run in the order they were queued.
    const sequence = this.sequence;
    sequence.loaded ??= this.section.get<number>('meta!seq').then(
      (stored) => {
        sequence.next = stored ?? 0;
      },
      (error: unknown) => {
        sequence.loaded = undefined;
        throw error;
      },
    );
    await sequence.loaded;
    const seq = sequence.next++;
    const id = `${time(at)}-${pad(seq, 12)}`;
    const record: AuditRecord = {
      id,
      at,
      actor: entry.actor,
      action: entry.action,
      ...(entry.target !== undefined && { target: entry.target }),
      ...(entry.detail !== undefined && { detail: entry.detail }),
    };
    const suffix = `${time(at)}!${pad(seq, 12)}`;
    await this.section.batch([
      { type: 'put', key: `e!${suffix}`, value: record },
      { type: 'put', key: `actor!${keyPart(entry.actor)}!${suffix}`, value: suffix },
      { type: 'put', key: `action!${keyPart(entry.action)}!${suffix}`, value: suffix },
      { type: 'put', key: 'meta!seq', value: sequence.next },
    ]);
    return record;
  }

  /** Newest first. With an actor or action, reads that index; a second filter applies to its rows. */
  async list(query: AuditQuery = {}): Promise<AuditRecord[]> {
    const limit = Math.min(Math.max(Math.floor(query.limit ?? 100), 1), 10_000);
    const from = time(query.from ?? 0);
    // `before` (an id, "time-seq") bounds the range at that entry's key suffix, exclusive.
    const beforeSuffix = query.before !== undefined && /^\d{13}-\d{12}$/.test(query.before) ? query.before.replace('-', '!') : undefined;
    const toTime = time(query.to ?? 9_999_999_999_999);
    const to = beforeSuffix !== undefined && beforeSuffix < toTime ? beforeSuffix : toTime;
    const records: AuditRecord[] = [];
    const keep = (record: AuditRecord | undefined): boolean => {
      if (!record) return false;
      if (query.actor !== undefined && record.actor !== query.actor) return false;
      if (query.action !== undefined && record.action !== query.action) return false;
      records.push(record);
      return records.length >= limit;
    };
    const index = query.actor !== undefined ? `actor!${keyPart(query.actor)}!` : query.action !== undefined ? `action!${keyPart(query.action)}!` : undefined;
    if (index === undefined) {
      for await (const [, record] of this.section.entries<AuditRecord>({ gte: `e!${from}`, lt: `e!${to}`, reverse: true })) if (keep(record)) break;
    } else {
      for await (const [, suffix] of this.section.entries<string>({ gte: `${index}${from}`, lt: `${index}${to}`, reverse: true })) {
        if (keep(await this.section.get<AuditRecord>(`e!${suffix}`))) break;
      }
    }
    return records;
  }
}
