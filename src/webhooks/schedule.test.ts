import test from 'ava';
import { afterAttempt, DEFAULT_POLICY, nextAction, retryDelay, type AttemptOutcome } from './schedule.ts';
import type { OutboxEntry } from './webhook-types.ts';

const entry = (over: Partial<OutboxEntry> = {}): OutboxEntry => ({
  subscriptionId: 'wh_aaaaaaaaaaaa', eventId: '01JGZ0000000000000000000AA', eventType: 'call.ended', body: '{}', createdAt: 0, attempts: 0, nextAttemptAt: 0, ...over,
});
const refused: AttemptOutcome = { ok: false, error: 'connect ECONNREFUSED', ms: 3 };
const types = (commands: { type: string }[]) => commands.map((c) => c.type);

test('given the middle of the jitter range, when failures repeat, then waits are 10 s, 30 s, 1.5 min, 4.5 min, 13.5 min, then 15 min', (t) => {
  t.deepEqual([1, 2, 3, 4, 5, 6, 7, 50, 5000].map((n) => retryDelay(n, 0.5)), [10_000, 30_000, 90_000, 270_000, 810_000, 900_000, 900_000, 900_000, 900_000]);
});

test('given the jitter draw, when a wait is computed, then it stays within ±20 % and under the cap', (t) => {
  t.is(retryDelay(1, 0), 8_000);
  t.is(retryDelay(1, 0.999999), 12_000);
  t.is(retryDelay(3, 0), 72_000);
  // At the cap the spread stays, below it: 12–15 min.
  t.is(retryDelay(6, 0), 720_000);
  t.is(retryDelay(6, 0.999999), 900_000);
  t.is(retryDelay(40, 0.25), 810_000);
  // A broken random source cannot make waits negative, unbounded or NaN.
  t.is(retryDelay(1, -5), 8_000);
  t.is(retryDelay(1, 7), 12_000);
  t.is(retryDelay(1, Number.NaN), 10_000);
});

test('given a head entry, when asked what to do, then attempt if due, wait until its time if not, idle if disabled or empty', (t) => {
  t.deepEqual(nextAction({ enabled: true }, entry({ nextAttemptAt: 100 }), 100), { type: 'attempt' });
  t.deepEqual(nextAction({ enabled: true }, entry({ nextAttemptAt: 200 }), 100), { type: 'wait', until: 200 });
  t.deepEqual(nextAction({ enabled: false }, entry(), 100), { type: 'idle' });
  t.deepEqual(nextAction({ enabled: true }, undefined, 100), { type: 'idle' });
  t.deepEqual(nextAction(undefined, entry(), 100), { type: 'idle' });
});

test('given a 2xx, when decided, then the entry leaves the outbox, the log says delivered and the failure count resets', (t) => {
  const decision = afterAttempt({ entry: entry({ attempts: 2 }), consecutiveFailures: 7, outcome: { ok: true, status: 204, ms: 5 }, at: 1000, now: 1005, random: 0.5 });
  t.is(decision.consecutiveFailures, 0);
  t.deepEqual(types(decision.commands), ['log', 'remove-entry']);
  t.like(decision.commands[0], { attempt: { at: 1000, attempt: 3, result: 'delivered', status: 204, ms: 5 } });
});

test('given a failure, when decided, then the entry is rescheduled by the backoff and the log keeps the error', (t) => {
  const decision = afterAttempt({ entry: entry({ attempts: 1 }), consecutiveFailures: 1, outcome: { ok: false, status: 503, error: 'HTTP 503', ms: 4 }, at: 50_000, now: 50_004, random: 0.5 });
  t.is(decision.consecutiveFailures, 2);
  t.deepEqual(types(decision.commands), ['log', 'reschedule']);
  t.like(decision.commands[0], { attempt: { attempt: 2, result: 'retry', status: 503, error: 'HTTP 503' } });
  t.like(decision.commands[1], { entry: { attempts: 2, nextAttemptAt: 50_004 + 30_000, lastError: 'HTTP 503' } });
});

test('given an entry published 24 h ago, when it fails again, then it is dead-lettered instead of rescheduled', (t) => {
  const day = DEFAULT_POLICY.giveUpAfterMs;
  const decision = afterAttempt({ entry: entry({ createdAt: 0, attempts: 9 }), consecutiveFailures: 0, outcome: refused, at: day, now: day, random: 0.5 });
  t.deepEqual(types(decision.commands), ['log', 'dead-letter']);
  t.like(decision.commands[0], { attempt: { result: 'dead-lettered', attempt: 10 } });
  t.regex((decision.commands[1] as { reason: string }).reason, /24 h.*ECONNREFUSED/);
  const justBefore = afterAttempt({ entry: entry({ createdAt: 1 }), consecutiveFailures: 0, outcome: refused, at: day, now: day, random: 0.5 });
  t.deepEqual(types(justBefore.commands), ['log', 'reschedule']);
});

test('given 19 failures in a row, when the 20th fails, then the subscription is disabled with a reason', (t) => {
  const decision = afterAttempt({ entry: entry({ attempts: 19 }), consecutiveFailures: 19, outcome: refused, at: 0, now: 0, random: 0.5 });
  t.is(decision.consecutiveFailures, 20);
  t.deepEqual(types(decision.commands), ['log', 'reschedule', 'disable-subscription']);
  t.regex((decision.commands[2] as { reason: string }).reason, /20 failed deliveries in a row.*ECONNREFUSED/);
  const nineteenth = afterAttempt({ entry: entry(), consecutiveFailures: 18, outcome: refused, at: 0, now: 0, random: 0.5 });
  t.false(types(nineteenth.commands).includes('disable-subscription'));
});

test('given 410 Gone, when decided, then the subscription is disabled at once and the entry kept for a re-enable', (t) => {
  const decision = afterAttempt({ entry: entry(), consecutiveFailures: 0, outcome: { ok: false, status: 410, error: 'HTTP 410', ms: 1 }, at: 0, now: 0, random: 0.5 });
  t.deepEqual(types(decision.commands), ['log', 'reschedule', 'disable-subscription']);
  t.like(decision.commands[2], { reason: 'the receiver answered 410 Gone' });
});
