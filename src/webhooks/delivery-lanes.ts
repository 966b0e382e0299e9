// The delivery executor: one lane per subscription, each sending its outbox in event order. A lane
// reads its next entry from the store (not from memory, so a long outage costs disk, not RAM),
// asks schedule.ts what to do, sends, and writes the decision's commands in one batch before it
// looks at the next entry: "delivered" is on disk before the next event goes out.
import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../core/clock.ts';
import type { BatchOperation } from '../store/store.ts';
import { afterAttempt, nextAction, type AttemptDecision, type AttemptOutcome, type DeliveryPolicy } from './schedule.ts';
import { keys, type WebhookRecords } from './webhook-records.ts';
import { publicView, type DeadLetter, type DeliveryAttempt, type OutboxEntry, type StoredSubscription, type Subscription } from './webhook-types.ts';

export interface LaneEvents {
  attempt(subscriptionId: string, attempt: DeliveryAttempt): void;
  disabled(subscription: Subscription, reason: string): void;
  deadLettered(letter: DeadLetter): void;
}

export interface LanesDeps {
  records: WebhookRecords;
  clock: Clock;
  /** Sends one attempt; undefined when `closing` aborted it. */
  post(target: StoredSubscription, entry: OutboxEntry, closing: AbortSignal): Promise<AttemptOutcome | undefined>;
  /** In [0, 1): backoff jitter. */
  random(): number;
  policy: DeliveryPolicy;
  logger: Logger;
  events: LaneEvents;
}

interface Lane {
  busy: boolean;
  /** Woken while busy: look at the outbox again before going idle. */
  again: boolean;
  done: Promise<void>;
  timer?: TimerHandle;
}

export class DeliveryLanes {
  private readonly lanes = new Map<string, Lane>();
  private readonly closing = new AbortController();

  constructor(private readonly deps: LanesDeps) {
    // Every attempt in flight listens on this one signal: more than 10 subscriptions is normal, not a leak.
    setMaxListeners(0, this.closing.signal);
  }

  /** Something changed for this subscription (new entries, enabled, start): look at its outbox. */
  wake(subscriptionId: string): void {
    if (this.closing.signal.aborted) return;
    let lane = this.lanes.get(subscriptionId);
    if (!lane) this.lanes.set(subscriptionId, (lane = { busy: false, again: false, done: Promise.resolve() }));
    lane.timer?.cancel();
    lane.timer = undefined;
    if (lane.busy) {
      lane.again = true;
      return;
    }
    lane.busy = true;
    lane.done = this.run(subscriptionId, lane);
  }

  /** Resolves when no lane is sending or writing: each is idle or waiting for its next time. */
  async idle(): Promise<void> {
    for (;;) {
      const busy = [...this.lanes.values()].filter((lane) => lane.busy).map((lane) => lane.done);
      if (busy.length === 0) return;
      await Promise.all(busy);
    }
  }

  /** Stops: no new attempts, attempts in flight aborted (they count for nothing), then idle. */
  async close(): Promise<void> {
    this.closing.abort();
    for (const lane of this.lanes.values()) lane.timer?.cancel();
    await this.idle();
  }

  forget(subscriptionId: string): void {
    const lane = this.lanes.get(subscriptionId);
    lane?.timer?.cancel();
    if (lane && !lane.busy) this.lanes.delete(subscriptionId);
  }

  private async run(subscriptionId: string, lane: Lane): Promise<void> {
    try {
      do {
        lane.again = false;
        try {
          await this.drain(subscriptionId, lane);
        } catch (error) {
          // The store failed to read or write: nothing was recorded, so try again a little later.
          this.deps.logger.error({ err: error, subscriptionId }, 'webhook delivery: store failed; retrying');
          if (!this.closing.signal.aborted) this.arm(subscriptionId, lane, this.deps.clock.now() + this.deps.policy.firstRetryMs);
        }
      } while (lane.again && !this.closing.signal.aborted);
    } finally {
      // Cleared in the same turn as the last `again` check, so no wake can fall between them.
      lane.busy = false;
    }
  }

  private arm(subscriptionId: string, lane: Lane, at: number): void {
    lane.timer?.cancel();
    lane.timer = this.deps.clock.at(at, () => this.wake(subscriptionId));
  }

  private async drain(subscriptionId: string, lane: Lane): Promise<void> {
    const { records, clock } = this.deps;
    for (;;) {
      if (this.closing.signal.aborted) return;
      const head = await records.head(subscriptionId);
      const subscription = records.subscriptions.get(subscriptionId);
      const action = nextAction(subscription, head, clock.now());
      if (action.type === 'idle') return;
      if (action.type === 'wait') return this.arm(subscriptionId, lane, action.until);
      const at = clock.now();
      const outcome = await this.deps.post(subscription!, head!, this.closing.signal);
      if (!outcome) return;
      const decision = afterAttempt({
        entry: head!, consecutiveFailures: subscription!.consecutiveFailures, outcome, at, now: clock.now(), random: this.deps.random(), policy: this.deps.policy,
      });
      await this.apply(subscriptionId, head!, decision);
    }
  }

  /** Writes a decision in one batch, then tells listeners. */
  private apply(subscriptionId: string, head: OutboxEntry, decision: AttemptDecision): Promise<void> {
    const { records, policy, events } = this.deps;
    return records.serial(async () => {
      const current = records.subscriptions.get(subscriptionId);
      // Deleted while the attempt ran: its outbox and log went with it; writing would revive them.
      if (!current) return;
      const now = this.deps.clock.now();
      const next: StoredSubscription = { ...current, consecutiveFailures: decision.consecutiveFailures };
      const operations: BatchOperation[] = [];
      const afterwards: (() => void)[] = [];
      for (const command of decision.commands) {
        switch (command.type) {
          case 'remove-entry':
            operations.push({ type: 'del', key: keys.outbox(subscriptionId, head.eventId) });
            break;
          case 'reschedule':
            operations.push({ type: 'put', key: keys.outbox(subscriptionId, head.eventId), value: command.entry });
            break;
          case 'dead-letter': {
            const letter: DeadLetter = { entry: command.entry, at: now, reason: command.reason };
            operations.push({ type: 'del', key: keys.outbox(subscriptionId, head.eventId) }, { type: 'put', key: keys.deadLetter(subscriptionId, head.eventId), value: letter });
            afterwards.push(() => events.deadLettered(letter));
            break;
          }
          case 'log': {
            const seq = next.logSeq++;
            operations.push({ type: 'put', key: keys.log(subscriptionId, seq), value: command.attempt });
            if (seq >= policy.logSize) operations.push({ type: 'del', key: keys.log(subscriptionId, seq - policy.logSize) });
            afterwards.push(() => events.attempt(subscriptionId, command.attempt));
            break;
          }
          case 'disable-subscription':
            // Already disabled (by an admin during the attempt): keep their reason.
            if (!next.enabled) break;
            next.enabled = false;
            next.disabledReason = command.reason;
            next.disabledAt = now;
            afterwards.push(() => events.disabled(publicView(next), command.reason));
            break;
        }
      }
      operations.push({ type: 'put', key: keys.subscription(subscriptionId), value: next });
      await records.write(operations);
      records.subscriptions.set(subscriptionId, next);
      for (const tell of afterwards) {
        try {
          tell();
        } catch (error) {
          this.deps.logger.warn({ err: error, subscriptionId }, 'a webhook event listener threw');
        }
      }
    });
  }
}
