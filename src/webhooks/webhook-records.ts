// Where webhooks live in the store, and the one writer. Layout of the `webhooks` section (keys sort
// as strings; event ids and padded sequence numbers sort in time order):
//   sub!<subscriptionId>                  the subscription (StoredSubscription)
//   out!<subscriptionId>!<eventId>        an event waiting for that subscription (OutboxEntry)
//   dead!<subscriptionId>!<eventId>       an event given up on (DeadLetter)
//   log!<subscriptionId>!<seq:12>         one delivery attempt (DeliveryAttempt); the last N kept
//   once!<key>                            { id, at }: an occurrence already published (PublishInput.once)
//   oncet!<at:13>!<key>                   the same, by time, so old ones are pruned
// Subscriptions are also held in memory (there are few); the map changes only after its write
// succeeded, inside `serial`, so memory never runs ahead of the disk.
import { prefixRange, type BatchOperation, type Section, type Store } from '../store/store.ts';
import type { DeadLetter, DeliveryAttempt, OutboxEntry, StoredSubscription } from './webhook-types.ts';

export const SECTION = 'webhooks';

export const keys = {
  subscription: (id: string) => `sub!${id}`,
  outbox: (id: string, eventId: string) => `out!${id}!${eventId}`,
  outboxOf: (id: string) => `out!${id}!`,
  deadLetter: (id: string, eventId: string) => `dead!${id}!${eventId}`,
  deadLettersOf: (id: string) => `dead!${id}!`,
  log: (id: string, seq: number) => `log!${id}!${String(seq).padStart(12, '0')}`,
  logOf: (id: string) => `log!${id}!`,
  once: (key: string) => `once!${key}`,
  onceByTime: (at: number, key: string) => `oncet!${String(Math.max(0, Math.floor(at))).padStart(13, '0')}!${key}`,
};

export interface OnceMark {
  id: string;
  at: number;
}

export class WebhookRecords {
  readonly subscriptions = new Map<string, StoredSubscription>();
  private readonly section: Section;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(store: Store) {
    this.section = store.section(SECTION);
  }

  async load(): Promise<void> {
    for await (const [, subscription] of this.section.entries<StoredSubscription>(prefixRange('sub!'))) {
      this.subscriptions.set(subscription.id, subscription);
    }
  }

  /**
   * Runs `fn` after every earlier `serial` call settled. All webhook writes go through here: two
   * LevelDB batches in flight at once may land in either order, and a subscription record written
   * by a delivery and by an admin edit must land in the order they were made.
   */
  serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Resolves once every write queued so far has settled. */
  async settled(): Promise<void> {
    await this.tail;
  }

  once(key: string): Promise<OnceMark | undefined> {
    return this.section.get<OnceMark>(keys.once(key));
  }

  onceOps(key: string, mark: OnceMark): BatchOperation[] {
    return [{ type: 'put', key: keys.once(key), value: mark }, { type: 'put', key: keys.onceByTime(mark.at, key), value: key }];
  }

  /** Forgets once-keys published before `before` (a replay comes within minutes of a crash). */
  async pruneOnce(before: number): Promise<number> {
    const ops: BatchOperation[] = [];
    for await (const [k, key] of this.section.entries<string>({ gte: 'oncet!', lt: keys.onceByTime(before, '') })) {
      ops.push({ type: 'del', key: k }, { type: 'del', key: keys.once(key) });
    }
    if (ops.length) await this.section.batch(ops);
    return ops.length / 2;
  }

  write(operations: BatchOperation[]): Promise<void> {
    return this.section.batch(operations);
  }

  /** The subscription's next event: the lowest event id in its outbox. */
  async head(id: string): Promise<OutboxEntry | undefined> {
    for await (const [, entry] of this.section.entries<OutboxEntry>(prefixRange(keys.outboxOf(id), { limit: 1 }))) return entry;
    return undefined;
  }

  /** The subscription's newest waiting event. */
  async newest(id: string): Promise<OutboxEntry | undefined> {
    for await (const [, entry] of this.section.entries<OutboxEntry>(prefixRange(keys.outboxOf(id), { limit: 1, reverse: true }))) return entry;
    return undefined;
  }

  async pending(id: string, limit: number): Promise<OutboxEntry[]> {
    return this.values<OutboxEntry>(keys.outboxOf(id), { limit });
  }

  /** Newest first. */
  async log(id: string, limit: number): Promise<DeliveryAttempt[]> {
    return this.values<DeliveryAttempt>(keys.logOf(id), { limit, reverse: true });
  }

  /** Newest event first. */
  async deadLetters(id: string, limit: number): Promise<DeadLetter[]> {
    return this.values<DeadLetter>(keys.deadLettersOf(id), { limit, reverse: true });
  }

  /** Every key of a subscription except its record, for deleting it. */
  async keysOf(id: string): Promise<string[]> {
    const found: string[] = [];
    for (const prefix of [keys.outboxOf(id), keys.deadLettersOf(id), keys.logOf(id)]) {
      for await (const [key] of this.section.entries(prefixRange(prefix))) found.push(key);
    }
    return found;
  }

  private async values<T>(prefix: string, options: { limit: number; reverse?: boolean }): Promise<T[]> {
    const out: T[] = [];
    for await (const [, value] of this.section.entries<T>(prefixRange(prefix, options))) out.push(value);
    return out;
  }
}
