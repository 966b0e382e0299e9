import test from 'ava';
import { createHmac } from 'node:crypto';
import { MemoryStore } from '../store/memory-store.ts';
import { FakeReceiver, harness, START } from './testing-webhooks.ts';
import type { DeadLetter, Subscription } from './webhook-types.ts';

const ended = (n: number) => ({ type: 'call.ended' as const, data: { callId: `c${n}` } });
const bodyOf = (request: { body: string }) => JSON.parse(request.body) as { id: string; type: string; occurredAt: string; data: Record<string, unknown> };

test('given a subscription, when an event is published, then one signed JSON POST arrives whose HMAC an independent computation confirms', async (t) => {
  const { service, receiver, subscribe } = await harness();
  const { secret } = await subscribe(['call.ended'], 'https://crm.example.com/hooks?tenant=7');
  const published = await service.publish({ type: 'call.ended', data: { callId: 'c1', caller: '+15550100', durationSeconds: 42 } });
  t.is(published.deliveries, 1);
  await service.idle();

  t.is(receiver.requests.length, 1);
  const request = receiver.requests[0]!;
  t.is(request.url, 'https://crm.example.com/hooks?tenant=7');
  t.is(request.redirect, 'manual');
  t.deepEqual(bodyOf(request), { id: published.id, type: 'call.ended', occurredAt: new Date(START).toISOString(), data: { callId: 'c1', caller: '+15550100', durationSeconds: 42 } });
  const h = request.headers;
  t.is(h['content-type'], 'application/json');
  t.is(h['x-deskline-event'], 'call.ended');
  t.is(h['x-deskline-delivery'], published.id);
  t.is(h['x-deskline-timestamp'], String(START / 1000));
  const independent = createHmac('sha256', secret).update(`${h['x-deskline-timestamp']}.${request.body}`).digest('hex');
  t.is(h['x-deskline-signature'], `sha256=${independent}`);
  t.deepEqual(await service.pending(service.list()[0]!.id), []);
});

test('given subscriptions with filters, when events of several types are published, then each goes only where it is wanted', async (t) => {
  const { service, receiver, subscribe } = await harness();
  await subscribe(['*'], 'https://all.example/');
  await subscribe(['followup.created', 'followup.closed'], 'https://followups.example/');
  const disabled = await service.create({ url: 'https://off.example/', events: ['*'], enabled: false }, 'admin');
  t.like((await service.publish(ended(1))), { deliveries: 1 });
  t.like((await service.publish({ type: 'followup.created', data: { followupId: 'f1' } })), { deliveries: 2 });
  t.like((await service.publish({ type: 'survey.result', data: { score: 5 } })), { deliveries: 1 });
  await service.idle();
  const where = receiver.requests.map((r) => `${new URL(r.url).host} ${r.headers['x-deskline-event']}`).sort();
  t.deepEqual(where, ['all.example call.ended', 'all.example followup.created', 'all.example survey.result', 'followups.example followup.created']);
  t.deepEqual(await service.pending(disabled.subscription.id), []);
});

test('given a receiver that refuses, when time passes, then attempts come 10 s, 30 s, 1.5 min, 4.5 min apart and the log shows each failure', async (t) => {
  const { service, receiver, subscribe, advance } = await harness();
  receiver.behaviour = 'refuse';
  const { subscription } = await subscribe();
  await service.publish(ended(1));
  await service.idle();
  // One-second steps: an attempt starts at the step in which it came due.
  for (let second = 0; second < 8 * 60; second++) await advance(1_000);
  const gaps = receiver.requests.slice(1).map((r, i) => r.at - receiver.requests[i]!.at);
  t.deepEqual(gaps, [10_000, 30_000, 90_000, 270_000]);
  const [pending] = await service.pending(subscription.id);
  t.like(pending, { attempts: receiver.requests.length, lastError: 'connect ECONNREFUSED 127.0.0.1:9' });
  const log = await service.deliveries(subscription.id);
  t.is(log.length, receiver.requests.length);
  t.true(log.every((row) => row.result === 'retry' && row.error === 'connect ECONNREFUSED 127.0.0.1:9'));
  t.deepEqual(log.map((row) => row.attempt), [...log.keys()].map((i) => log.length - i), 'newest first');
  t.is(service.get(subscription.id).consecutiveFailures, receiver.requests.length);
});

test('given event 1 failing, when events 2 and 3 wait, then neither is sent before 1 is delivered, and all arrive in order', async (t) => {
  const { service, receiver, subscribe, advance } = await harness();
  await subscribe();
  let failuresLeft = 2;
  receiver.behaviour = () => (failuresLeft-- > 0 ? 503 : 200);
  const ids = [];
  for (let n = 1; n <= 3; n++) ids.push((await service.publish(ended(n))).id);
  await service.idle();
  t.deepEqual(receiver.ids(), [ids[0]]);
  await advance(10_000);
  t.deepEqual(receiver.ids(), [ids[0], ids[0]]);
  await advance(30_000);
  t.deepEqual(receiver.ids(), [ids[0], ids[0], ids[0], ids[1], ids[2]]);
});

test('given a receiver answering 410 Gone, when delivered to, then the subscription is disabled at once, told, and resumes when re-enabled', async (t) => {
  const { service, receiver, subscribe, advance } = await harness();
  const { subscription } = await subscribe();
  const disabled: [Subscription, string][] = [];
  service.on('disabled', (s, reason) => disabled.push([s, reason]));
  receiver.behaviour = 410;
  const { id } = await service.publish(ended(1));
  await service.idle();
  await advance(24 * 3_600_000);
  t.is(receiver.requests.length, 1, 'nothing more is sent to a disabled subscription');
  t.like(service.get(subscription.id), { enabled: false, disabledReason: 'the receiver answered 410 Gone' });
  t.is(disabled.length, 1);
  t.is(disabled[0]![1], 'the receiver answered 410 Gone');
  t.false('secret' in disabled[0]![0]);
  t.like((await service.deliveries(subscription.id))[0], { status: 410, result: 'retry' });
  t.is((await service.publish(ended(2))).deliveries, 0, 'a disabled subscription is not queued for');

  receiver.behaviour = 200;
  await service.update(subscription.id, { enabled: true }, 'admin');
  await service.idle();
  t.deepEqual(receiver.ids(), [id, id]);
  t.like(service.get(subscription.id), { enabled: true, consecutiveFailures: 0 });
  t.is(service.get(subscription.id).disabledReason, undefined);
});

test('given a receiver down for good, when the 20th attempt in a row fails, then the subscription is disabled with a reason and an event', async (t) => {
  const { service, receiver, subscribe, advance } = await harness();
  const { subscription } = await subscribe();
  const reasons: string[] = [];
  service.on('disabled', (_s, reason) => reasons.push(reason));
  receiver.behaviour = 500;
  await service.publish(ended(1));
  await service.publish(ended(2));
  await service.idle();
  for (let i = 0; i < 30; i++) await advance(15 * 60_000);
  t.is(receiver.requests.length, 20);
  t.is(new Set(receiver.ids()).size, 1, 'only the head event was tried');
  t.deepEqual(reasons, ['20 failed deliveries in a row (last: HTTP 500)']);
  t.like(service.get(subscription.id), { enabled: false, consecutiveFailures: 20 });
  t.is((await service.pending(subscription.id)).length, 2, 'both events wait for a re-enable');
});

test('given an entry failing for a day, when it fails again, then it is dead-lettered and the next event goes out', async (t) => {
  const { service, receiver, subscribe, advance } = await harness({ policy: { disableAfterFailures: 1_000 } });
  const { subscription } = await subscribe();
  const letters: DeadLetter[] = [];
  service.on('dead-lettered', (letter) => letters.push(letter));
  const first = await service.publish(ended(1));
  receiver.behaviour = (request) => (request.headers['x-deskline-delivery'] === first.id ? 500 : 200);
  const second = await service.publish(ended(2));
  await service.idle();
  for (let i = 0; i < 26 * 4; i++) await advance(15 * 60_000);
  t.is(letters.length, 1);
  t.like(letters[0], { entry: { eventId: first.id } });
  t.regex(letters[0]!.reason, /after it was published \(last: HTTP 500\)/);
  t.is(receiver.ids().at(-1), second.id);
  t.is(receiver.ids().filter((id) => id === second.id).length, 1);
  t.deepEqual((await service.deadLetters(subscription.id)).map((l) => l.entry.eventId), [first.id]);
  const log = await service.deliveries(subscription.id);
  t.deepEqual(log.slice(0, 2).map((row) => row.result), ['delivered', 'dead-lettered']);
  t.deepEqual(await service.pending(subscription.id), []);
});

test('given a receiver that never answers, when 10 s pass on the clock, then the attempt fails as a timeout and is retried', async (t) => {
  const { service, receiver, subscribe, advance, clock } = await harness();
  const { subscription } = await subscribe();
  receiver.behaviour = 'hang';
  await service.publish(ended(1));
  await receiver.received(1);
  clock.advance(9_999);
  t.is((await service.deliveries(subscription.id)).length, 0);
  receiver.behaviour = 200;
  await advance(1);
  t.like((await service.deliveries(subscription.id))[0], { result: 'retry', error: 'no answer within 10 s' });
  await advance(10_000);
  t.like((await service.deliveries(subscription.id))[0], { result: 'delivered', status: 200 });
  t.is(receiver.requests.length, 2);
});

test('given a redirect, when delivered, then it is not followed and counts as a failure', async (t) => {
  const { service, receiver, subscribe } = await harness();
  const { subscription } = await subscribe();
  receiver.behaviour = 302;
  await service.publish(ended(1));
  await service.idle();
  t.is(receiver.requests.length, 1);
  t.like((await service.deliveries(subscription.id))[0], { result: 'retry', status: 302, error: 'redirect 302 not followed (to https://elsewhere.example/)' });
});

test('given 130 deliveries, when the log is read, then it holds the last 100, newest first', async (t) => {
  const { service, subscribe, store } = await harness();
  const { subscription } = await subscribe();
  const ids = [];
  for (let n = 0; n < 130; n++) ids.push((await service.publish(ended(n))).id);
  await service.idle();
  const log = await service.deliveries(subscription.id);
  t.is(log.length, 100);
  t.deepEqual(log.map((row) => row.eventId), ids.slice(30).reverse());
  let logKeys = 0;
  for await (const _ of store.section('webhooks').entries({ gte: 'log!', lt: 'log!\uffff' })) logKeys++;
  t.is(logKeys, 100, 'older rows are deleted, not just hidden');
});

test('given pending entries, when the service is closed and opened again on the same store, then delivery resumes at their times', async (t) => {
  const store = new MemoryStore();
  const first = await harness({ store });
  const { subscription } = await first.subscribe();
  first.receiver.behaviour = 'refuse';
  const ids = [];
  for (let n = 0; n < 5; n++) ids.push((await first.service.publish(ended(n))).id);
  await first.service.idle();
  await first.advance(10_000);
  await first.service.close();
  await t.throwsAsync(first.service.publish(ended(9)), { code: 'WEBHOOK_CLOSED' });

  const receiver = new FakeReceiver(first.clock);
  const second = await harness({ store, clock: first.clock, receiver });
  await second.service.idle();
  t.is(receiver.requests.length, 0, 'the head waits for its next-attempt time (30 s after the 2nd failure)');
  await second.advance(29_999);
  t.is(receiver.requests.length, 0);
  await second.advance(1);
  t.deepEqual(receiver.ids(), ids);
  t.is((await second.service.deliveries(subscription.id)).length, 2 + 5);
  const newer = await second.service.publish(ended(99));
  t.true(newer.id > ids.at(-1)!);
});

test('given an attempt in flight, when the service closes, then it is aborted, not recorded, and sent again after a restart', async (t) => {
  const store = new MemoryStore();
  const first = await harness({ store });
  const { subscription } = await first.subscribe();
  first.receiver.behaviour = 'hang';
  const { id } = await first.service.publish(ended(1));
  await first.receiver.received(1);
  await first.service.close();
  t.deepEqual(await first.service.deliveries(subscription.id), []);
  const second = await harness({ store, clock: first.clock });
  await second.service.idle();
  t.deepEqual(second.receiver.ids(), [id]);
  t.like((await second.service.deliveries(subscription.id))[0], { attempt: 1, result: 'delivered' });
});

test('given an attempt in flight, when the subscription is deleted, then the finished attempt does not bring it back', async (t) => {
  const { service, receiver, subscribe, store } = await harness();
  const { subscription } = await subscribe();
  let answer: (status: number) => void = () => undefined;
  receiver.behaviour = () => new Promise<number>((resolve) => (answer = resolve));
  await service.publish(ended(1));
  await receiver.received(1);
  await service.remove(subscription.id, 'admin');
  answer(200);
  await service.idle();
  t.throws(() => service.get(subscription.id), { code: 'WEBHOOK_NOT_FOUND' });
  const left = [];
  for await (const entry of store.section('webhooks').entries()) left.push(entry);
  t.deepEqual(left, []);
});

test('given an event published with a once-key, when it is published again (even after a restart), then it is delivered once and the first id is answered', async (t) => {
  const store = new MemoryStore();
  const first = await harness({ store });
  await first.subscribe(['call.ended']);
  const event = { type: 'call.ended' as const, data: { callId: 'c9' }, once: 'call.ended:c9' };
  const published = await first.service.publish(event);
  t.like(published, { deliveries: 1 });
  t.like(await first.service.publish(event), { id: published.id, deliveries: 0, duplicate: true });
  await first.service.close();

  const again = await harness({ store, clock: first.clock, receiver: first.receiver });
  t.like(await again.service.publish(event), { id: published.id, deliveries: 0, duplicate: true });
  await again.advance(0);
  t.deepEqual(again.receiver.ids(), [published.id]);
  // Another occurrence is another event.
  t.like(await again.service.publish({ ...event, once: 'call.ended:c10' }), { deliveries: 1 });
});

test('given a once-key older than a week, when the service opens, then it is forgotten', async (t) => {
  const store = new MemoryStore();
  const first = await harness({ store });
  const event = { type: 'call.ended' as const, data: { callId: 'c1' }, once: 'call.ended:c1' };
  const published = await first.service.publish(event);
  await first.service.close();
  first.clock.advance(8 * 24 * 3600_000);
  const later = await harness({ store, clock: first.clock });
  t.not((await later.service.publish(event)).id, published.id);
});
