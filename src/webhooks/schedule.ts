// The pure core of delivery: when a subscription's next entry is due, and what follows from one
// attempt. No IO, no clock: time and randomness come in as values, and the result is a list of
// commands that delivery-lanes.ts turns into one store batch.
import type { DeliveryAttempt, OutboxEntry, StoredSubscription } from './webhook-types.ts';

export interface DeliveryPolicy {
  /** Wait after the first failure; each later failure waits `backoffFactor` times longer. */
  firstRetryMs: number;
  backoffFactor: number;
  /** No wait is longer than this. */
  maxRetryMs: number;
  /**
   * Each wait is scaled by a random factor in [1 - jitter, 1 + jitter] (and then capped), so that
   * many Desklines, or many subscriptions to one receiver, do not retry in step.
   */
  jitter: number;
  /** An entry still failing this long after it was published is dead-lettered. */
  giveUpAfterMs: number;
  /** This many failed attempts in a row (any events) disable the subscription. */
  disableAfterFailures: number;
  /** An attempt without an answer by then counts as failed. */
  timeoutMs: number;
  /** Delivery-log rows kept per subscription. */
  logSize: number;
}

/** 10 s, 30 s, 1.5 min, 4.5 min, 13.5 min, then 15 min (each ±20 %, never over 15 min); give up after a day; disable after 20. */
export const DEFAULT_POLICY: DeliveryPolicy = {
  firstRetryMs: 10_000,
  backoffFactor: 3,
  maxRetryMs: 15 * 60_000,
  jitter: 0.2,
  giveUpAfterMs: 24 * 3_600_000,
  disableAfterFailures: 20,
  timeoutMs: 10_000,
  logSize: 100,
};

/** How long to wait after the `failedAttempts`-th failure of an entry (1 = the first). */
export function retryDelay(failedAttempts: number, random: number, policy: DeliveryPolicy = DEFAULT_POLICY): number {
  const exponent = Math.max(0, failedAttempts - 1);
  // Capped before the jitter too, so that waits at the cap still spread (12–15 min by default).
  const raw = Math.min(policy.maxRetryMs, policy.firstRetryMs * policy.backoffFactor ** exponent);
  const unit = Number.isFinite(random) ? Math.min(Math.max(random, 0), 1) : 0.5;
  const jittered = raw * (1 - policy.jitter + 2 * policy.jitter * unit);
  return Math.round(Math.min(policy.maxRetryMs, jittered));
}

export type NextAction = { type: 'idle' } | { type: 'wait'; until: number } | { type: 'attempt' };

/**
 * What a subscription's lane does now, given the first entry of its outbox. Only the first:
 * receivers apply events as state changes (a follow-up created, then closed), so event 2 is not
 * sent before event 1 was delivered or given up on, even if that holds up the rest.
 */
export function nextAction(subscription: Pick<StoredSubscription, 'enabled'> | undefined, head: OutboxEntry | undefined, now: number): NextAction {
  if (!subscription?.enabled || !head) return { type: 'idle' };
  return head.nextAttemptAt <= now ? { type: 'attempt' } : { type: 'wait', until: head.nextAttemptAt };
}

export type AttemptOutcome =
  | { ok: true; status: number; ms: number }
  | { ok: false; status?: number; error: string; ms: number };

export type DeliveryCommand =
  /** Take the entry out of the outbox (delivered). */
  | { type: 'remove-entry' }
  /** Keep the entry, to be tried again at `entry.nextAttemptAt`. */
  | { type: 'reschedule'; entry: OutboxEntry }
  /** Move the entry out of the outbox into the dead letters. */
  | { type: 'dead-letter'; entry: OutboxEntry; reason: string }
  | { type: 'log'; attempt: DeliveryAttempt }
  | { type: 'disable-subscription'; reason: string };

export interface AttemptDecision {
  /** The subscription's failed attempts in a row after this one. */
  consecutiveFailures: number;
  commands: DeliveryCommand[];
}

const hours = (ms: number) => `${Math.round(ms / 360_000) / 10} h`;

/** Decides what one attempt of `entry`, started at `at` and finished at `now`, leads to. */
export function afterAttempt(input: {
  entry: OutboxEntry;
  consecutiveFailures: number;
  outcome: AttemptOutcome;
  at: number;
  now: number;
  /** In [0, 1): the jitter of the next wait. */
  random: number;
  policy?: DeliveryPolicy;
}): AttemptDecision {
  const { entry, outcome, at, now } = input;
  const policy = input.policy ?? DEFAULT_POLICY;
  const attempt = entry.attempts + 1;
  const base = { at, eventId: entry.eventId, eventType: entry.eventType, attempt, ms: outcome.ms, ...(outcome.status !== undefined && { status: outcome.status }) };
  if (outcome.ok) {
    return { consecutiveFailures: 0, commands: [{ type: 'log', attempt: { ...base, result: 'delivered' } }, { type: 'remove-entry' }] };
  }

  const failures = input.consecutiveFailures + 1;
  const commands: DeliveryCommand[] = [];
  const age = now - entry.createdAt;
  if (age >= policy.giveUpAfterMs) {
    const reason = `still failing ${hours(age)} after it was published (last: ${outcome.error})`;
    commands.push({ type: 'log', attempt: { ...base, result: 'dead-lettered', error: outcome.error } });
    commands.push({ type: 'dead-letter', entry: { ...entry, attempts: attempt, lastError: outcome.error }, reason });
  } else {
    const nextAttemptAt = now + retryDelay(attempt, input.random, policy);
    commands.push({ type: 'log', attempt: { ...base, result: 'retry', error: outcome.error } });
    commands.push({ type: 'reschedule', entry: { ...entry, attempts: attempt, nextAttemptAt, lastError: outcome.error } });
  }
  // 410 Gone is the receiver saying "stop": no point in trying 19 more times.
  if (outcome.status === 410) commands.push({ type: 'disable-subscription', reason: 'the receiver answered 410 Gone' });
  else if (failures >= policy.disableAfterFailures) {
    commands.push({ type: 'disable-subscription', reason: `${failures} failed deliveries in a row (last: ${outcome.error})` });
  }
  return { consecutiveFailures: failures, commands };
}
