// Webhook subscriptions (CRUD), publishing events into the persisted outbox, and the delivery
// lanes that empty it. Delivery is at-least-once on the wire and exactly-once by event id for a
// receiver that dedupes on `x-deskline-delivery` (see receiving-webhooks.md): an attempt whose
// answer was lost (timeout, crash, restart) is sent again with the same id and body.
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { Clock } from '../core/clock.ts';
import type { Store } from '../store/store.ts';
import { DeliveryLanes } from './delivery-lanes.ts';
import { WebhookError } from './errors.ts';
import { eventIds, type EventIds } from './event-id.ts';
import { postEntry, type Fetch } from './http-delivery.ts';
import { DEFAULT_POLICY, type DeliveryPolicy } from './schedule.ts';
import { checkBodySize, checkPublishInput, matches, parseCreateSubscription, parseUpdateSubscription } from './schemas.ts';
import { keys, WebhookRecords } from './webhook-records.ts';
import { publicView, type DeadLetter, type DeliveryAttempt, type OutboxEntry, type PublishInput, type StoredSubscription, type Subscription } from './webhook-types.ts';

export interface WebhookServiceDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** Default: Node's global fetch. */
  fetch?: Fetch;
  /** In [0, 1), for backoff jitter. Default: Math.random. */
  random?: () => number;
  policy?: Partial<DeliveryPolicy>;
}

/** How long a once-key is remembered: replays come at the next start, within minutes. */
const ONCE_KEPT_MS = 7 * 24 * 3600_000;

export interface PublishResult {
  /** The event's id: the `x-deskline-delivery` header and the body's `id`. */
  id: string;
  /** How many subscriptions it was queued for. */
  deliveries: number;
  /** The `once` key was published before: nothing was queued, `id` is the earlier event's. */
  duplicate?: true;
}

const MAX_LIST = 1_000;
const SUBSCRIPTION_ID = /^wh_[A-Za-z0-9_-]{12}$/;
const newSubscriptionId = () => `wh_${randomBytes(9).toString('base64url')}`;
/** 32 random bytes, shown once. `whsec_` marks it as a secret in logs and secret scanners. */
const newSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;
const clampLimit = (limit: number | undefined, max: number) => Math.min(Math.max(Math.floor(limit ?? max), 1), max);

function checkActor(actor: unknown): string {
  if (typeof actor !== 'string' || actor.length === 0 || actor.length > 256) {
    throw new WebhookError('WEBHOOK_INVALID_SUBSCRIPTION', 'bad webhook change: actor must be a non-empty string of at most 256 characters', [{ field: 'actor', message: 'must be a non-empty string' }]);
  }
  return actor;
}

export class WebhookService extends EventEmitter<{
  /** Every attempt, as written to the delivery log. */
  attempt: [subscriptionId: string, attempt: DeliveryAttempt];
  /** A subscription was disabled by delivery (410 Gone, or too many failures in a row). */
  disabled: [subscription: Subscription, reason: string];
  'dead-lettered': [letter: DeadLetter];
}> {
  private closed = false;

  private constructor(
    private readonly deps: WebhookServiceDeps,
    private readonly records: WebhookRecords,
    private readonly ids: EventIds,
    private readonly lanes: DeliveryLanes,
  ) {
    super();
  }

  /** Loads subscriptions and resumes delivering what the outbox holds, at each entry's next-attempt time. */
  static async open(deps: WebhookServiceDeps): Promise<WebhookService> {
    const policy = { ...DEFAULT_POLICY, ...deps.policy };
    const records = new WebhookRecords(deps.store);
    await records.load();
    const ids = eventIds(deps.clock);
    // New ids sort after everything still waiting, even if the wall clock stepped back meanwhile.
    for (const id of records.subscriptions.keys()) {
      const newest = await records.newest(id);
      if (newest) ids.floor(newest.eventId);
    }
    const log = deps.logger.child({ capability: 'webhooks' });
    const post = { fetch: deps.fetch ?? ((url: string, init: RequestInit) => fetch(url, init)), clock: deps.clock, timeoutMs: policy.timeoutMs, elapsed: () => performance.now() };
    let service: WebhookService | undefined;
    const lanes = new DeliveryLanes({
      records, clock: deps.clock, policy, logger: log,
      random: deps.random ?? Math.random,
      post: (target, entry, closing) => postEntry(post, target, entry, closing),
      events: {
        attempt: (id, attempt) => {
          if (attempt.result !== 'delivered') log.warn({ subscriptionId: id, ...attempt }, 'webhook delivery failed');
          service?.emit('attempt', id, attempt);
        },
        disabled: (subscription, reason) => {
          log.error({ subscriptionId: subscription.id, url: subscription.url, reason }, 'webhook subscription disabled');
          service?.emit('disabled', subscription, reason);
        },
        deadLettered: (letter) => {
          log.error({ subscriptionId: letter.entry.subscriptionId, eventId: letter.entry.eventId, reason: letter.reason }, 'webhook event dead-lettered');
          service?.emit('dead-lettered', letter);
        },
      },
    });
    await records.pruneOnce(deps.clock.now() - ONCE_KEPT_MS);
    service = new WebhookService({ ...deps, logger: log }, records, ids, lanes);
    for (const subscription of records.subscriptions.values()) lanes.wake(subscription.id);
    return service;
  }

  list(): Subscription[] {
    return [...this.records.subscriptions.values()].sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id)).map(publicView);
  }

  get(id: string): Subscription {
    return publicView(this.stored(id));
  }

  /** The only time the secret is returned: the caller shows it once and the receiver keeps it. */
  async create(raw: unknown, actor: string): Promise<{ subscription: Subscription; secret: string }> {
    this.checkOpen();
    const input = parseCreateSubscription(raw);
    checkActor(actor);
    const now = this.deps.clock.now();
    const subscription: StoredSubscription = {
      id: newSubscriptionId(),
      url: input.url,
      events: input.events,
      ...(input.description !== undefined && { description: input.description }),
      secret: newSecret(),
      enabled: input.enabled ?? true,
      createdAt: now,
      createdBy: actor,
      updatedAt: now,
      updatedBy: actor,
      consecutiveFailures: 0,
      logSeq: 0,
      ...(input.enabled === false && { disabledReason: `created disabled by ${actor}`, disabledAt: now }),
    };
    await this.records.serial(async () => {
      await this.records.write([{ type: 'put', key: keys.subscription(subscription.id), value: subscription }]);
      this.records.subscriptions.set(subscription.id, subscription);
    });
    return { subscription: publicView(subscription), secret: subscription.secret };
  }

  /**
   * Changes url, events, description or enabled. Enabling a disabled subscription clears its
   * failure count and tries its oldest waiting event at once; events published while it was
   * disabled were not queued for it.
   */
  async update(id: string, raw: unknown, actor: string): Promise<Subscription> {
    this.checkOpen();
    this.stored(id);
    const input = parseUpdateSubscription(raw);
    checkActor(actor);
    const updated = await this.records.serial(async () => {
      const current = this.stored(id);
      const now = this.deps.clock.now();
      const next: StoredSubscription = { ...current, updatedAt: now, updatedBy: actor };
      if (input.url !== undefined) next.url = input.url;
      if (input.events !== undefined) next.events = input.events;
      if (input.description !== undefined) next.description = input.description;
      const operations = [];
      if (input.enabled === true && !current.enabled) {
        next.enabled = true;
        next.consecutiveFailures = 0;
        delete next.disabledReason;
        delete next.disabledAt;
        const head = await this.records.head(id);
        if (head) operations.push({ type: 'put' as const, key: keys.outbox(id, head.eventId), value: { ...head, nextAttemptAt: now } });
      } else if (input.enabled === false && current.enabled) {
        next.enabled = false;
        next.disabledReason = `disabled by ${actor}`;
        next.disabledAt = now;
      }
      operations.push({ type: 'put' as const, key: keys.subscription(id), value: next });
      await this.records.write(operations);
      this.records.subscriptions.set(id, next);
      return next;
    });
    if (updated.enabled) this.lanes.wake(id);
    return publicView(updated);
  }

  /** A new secret, returned once; the old one stops signing at once. */
  async rotateSecret(id: string, actor: string): Promise<{ subscription: Subscription; secret: string }> {
    this.checkOpen();
    checkActor(actor);
    const next = await this.records.serial(async () => {
      const rotated: StoredSubscription = { ...this.stored(id), secret: newSecret(), updatedAt: this.deps.clock.now(), updatedBy: actor };
      await this.records.write([{ type: 'put', key: keys.subscription(id), value: rotated }]);
      this.records.subscriptions.set(id, rotated);
      return rotated;
    });
    return { subscription: publicView(next), secret: next.secret };
  }

  /** Deletes the subscription with its waiting events, dead letters and delivery log. */
  async remove(id: string, actor: string): Promise<void> {
    this.checkOpen();
    checkActor(actor);
    this.stored(id);
    await this.records.serial(async () => {
      this.stored(id);
      const found = await this.records.keysOf(id);
      await this.records.write([...found, keys.subscription(id)].map((key) => ({ type: 'del' as const, key })));
      this.records.subscriptions.delete(id);
    });
    this.lanes.forget(id);
  }

  /**
   * Gives the event an id and queues it for every enabled subscription that wants its type, in
   * one store batch, before resolving: once this resolves, a crash loses nothing.
   */
  async publish(event: PublishInput): Promise<PublishResult> {
    this.checkOpen();
    const input = checkPublishInput(event);
    const now = this.deps.clock.now();
    const published = await this.records.serial(async () => {
      // Checked inside the write queue, so two publishes of one key cannot both pass.
      const earlier = input.once === undefined ? undefined : await this.records.once(input.once);
      if (earlier) return { id: earlier.id, targets: [], duplicate: true };
      const id = this.ids.next();
      const body = JSON.stringify({ id, type: input.type, occurredAt: new Date(input.occurredAt ?? now).toISOString(), data: input.data });
      checkBodySize(body);
      // Chosen inside the write queue, so a subscription deleted just before is not written to.
      const chosen = [...this.records.subscriptions.values()].filter((s) => s.enabled && matches(s.events, input.type));
      const marks = input.once === undefined ? [] : this.records.onceOps(input.once, { id, at: now });
      if (chosen.length || marks.length) {
        await this.records.write([...marks, ...chosen.map((s) => {
          const entry: OutboxEntry = { subscriptionId: s.id, eventId: id, eventType: input.type, body, createdAt: now, attempts: 0, nextAttemptAt: now };
          return { type: 'put' as const, key: keys.outbox(s.id, id), value: entry };
        })]);
      }
      return { id, targets: chosen, duplicate: false };
    });
    for (const target of published.targets) this.lanes.wake(target.id);
    return { id: published.id, deliveries: published.targets.length, ...(published.duplicate && { duplicate: true }) };
  }

  /** The subscription's delivery log, newest first (the last 100 attempts are kept). */
  async deliveries(id: string, limit?: number): Promise<DeliveryAttempt[]> {
    this.stored(id);
    return this.records.log(id, clampLimit(limit, MAX_LIST));
  }

  /** Events given up on, newest first. */
  async deadLetters(id: string, limit?: number): Promise<DeadLetter[]> {
    this.stored(id);
    return this.records.deadLetters(id, clampLimit(limit, MAX_LIST));
  }

  /** Events waiting for the subscription, oldest (next to send) first. */
  async pending(id: string, limit?: number): Promise<OutboxEntry[]> {
    this.stored(id);
    return this.records.pending(id, clampLimit(limit, MAX_LIST));
  }

  /** Resolves when nothing is being sent or written (tests: advance the clock, then await this). */
  async idle(): Promise<void> {
    await this.lanes.idle();
    await this.records.settled();
  }

  /** Stops delivering; what is waiting stays in the store for the next start. Close the store after. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.lanes.close();
    await this.records.settled();
  }

  private stored(id: string): StoredSubscription {
    const found = typeof id === 'string' && SUBSCRIPTION_ID.test(id) ? this.records.subscriptions.get(id) : undefined;
    if (!found) throw new WebhookError('WEBHOOK_NOT_FOUND', `no webhook subscription ${JSON.stringify(id)}`);
    return found;
  }

  private checkOpen(): void {
    if (this.closed) throw new WebhookError('WEBHOOK_CLOSED', 'the webhook service is closed');
  }
}
