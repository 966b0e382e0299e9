import test from 'ava';
import { pino } from 'pino';
import { ManualClock } from '../core/clock.ts';
import { MemoryStore } from '../store/memory-store.ts';
import type { BatchOperation, Section, Store } from '../store/store.ts';
import { WebhookError } from './errors.ts';
import { MAX_EVENT_BODY_BYTES } from './schemas.ts';
import { harness, START } from './testing-webhooks.ts';
import { WebhookService } from './webhook-service.ts';
import type { PublishInput, StoredSubscription } from './webhook-types.ts';

const valid = { url: 'https://crm.example.com/hooks/deskline', events: ['call.ended'] };

test('given a valid subscription, when created, then the secret is returned once and never again from list or get', async (t) => {
  const { service, store } = await harness();
  const created = await service.create({ ...valid, description: 'CRM' }, 'alice');
  t.regex(created.secret, /^whsec_[A-Za-z0-9_-]{43}$/);
  t.like(created.subscription, { url: valid.url, events: ['call.ended'], description: 'CRM', enabled: true, createdAt: START, createdBy: 'alice', consecutiveFailures: 0 });
  t.regex(created.subscription.id, /^wh_[A-Za-z0-9_-]{12}$/);
  for (const shown of [created.subscription, service.get(created.subscription.id), service.list()]) {
    t.false(JSON.stringify(shown).includes(created.secret));
    t.false(JSON.stringify(shown).includes('secret'));
  }
  // Kept for signing: in the store, where only the service reads it.
  const stored = await store.section('webhooks').get<StoredSubscription>(`sub!${created.subscription.id}`);
  t.is(stored?.secret, created.secret);
  const other = await service.create(valid, 'alice');
  t.not(other.secret, created.secret);
});

test('given bad URLs, when a subscription is created, then each is refused with an error naming the url field', async (t) => {
  const { service } = await harness();
  const cases: [unknown, RegExp][] = [
    ['ftp://files.example.com/in', /http or https, not ftp/],
    ['javascript:alert(1)', /http or https/],
    ['file:///etc/passwd', /http or https/],
    ['https://user:pass@crm.example.com/', /user name or password/],
    ['https://token@crm.example.com/', /user name or password/],
    ['/relative/path', /absolute URL/],
    ['crm.example.com/hooks', /absolute URL/],
    ['https://crm.example.com/#frag', /fragment/],
    [`https://crm.example.com/${'a'.repeat(2_100)}`, /at most 2048/],
    ['', /absolute URL/],
    [42, /must be a string/],
  ];
  for (const [url, message] of cases) {
    const error = await t.throwsAsync(service.create({ ...valid, url }, 'alice'), { instanceOf: WebhookError });
    t.is(error?.code, 'WEBHOOK_INVALID_SUBSCRIPTION');
    t.is(error?.issues[0]?.field, 'url', String(url));
    t.regex(error?.message ?? '', message, String(url));
  }
  t.deepEqual(service.list(), []);
});

test('given bad event lists and shapes, when a subscription is created, then the error names the field', async (t) => {
  const { service } = await harness();
  const field = async (body: unknown) => (await t.throwsAsync(service.create(body, 'alice'), { instanceOf: WebhookError }))?.issues.map((i) => i.field);
  t.deepEqual(await field({ ...valid, events: ['call.started'] }), ['events.0']);
  t.deepEqual(await field({ ...valid, events: [] }), ['events']);
  t.deepEqual(await field({ ...valid, events: ['call.ended', 'call.ended'] }), ['events']);
  t.deepEqual(await field({ ...valid, events: 'call.ended' }), ['events']);
  t.deepEqual(await field({ url: valid.url }), ['events']);
  t.deepEqual(await field({ ...valid, secret: 'mine' }), ['secret']);
  t.deepEqual(await field({ ...valid, enabled: 'yes' }), ['enabled']);
  t.deepEqual(await field({ ...valid, description: 'x'.repeat(201) }), ['description']);
  t.deepEqual(await field(null), ['(body)']);
  t.deepEqual(await field([valid]), ['(body)']);
  const error = await t.throwsAsync(service.create({ url: 'ftp://x', events: ['nope'] }, 'alice'));
  t.regex(error?.message ?? '', /^bad webhook subscription: url: .*; events\.0: must be one of call\.ended, followup\.created, followup\.closed, voicemail\.left, survey\.result, \*$/);
  await t.throwsAsync(service.create(valid, ''), { code: 'WEBHOOK_INVALID_SUBSCRIPTION' });
});

test('given a subscription, when updated, then changes are kept and bad or empty changes are refused', async (t) => {
  const { service, clock } = await harness();
  const { subscription } = await service.create(valid, 'alice');
  clock.advance(1_000);
  const updated = await service.update(subscription.id, { url: 'http://10.0.0.5:8080/in', events: ['*'], enabled: false }, 'bob');
  t.like(updated, { url: 'http://10.0.0.5:8080/in', events: ['*'], enabled: false, disabledReason: 'disabled by bob', updatedBy: 'bob', updatedAt: START + 1_000, createdBy: 'alice' });
  await t.throwsAsync(service.update(subscription.id, {}, 'bob'), { code: 'WEBHOOK_INVALID_SUBSCRIPTION' });
  await t.throwsAsync(service.update(subscription.id, { url: 'gopher://x' }, 'bob'), { code: 'WEBHOOK_INVALID_SUBSCRIPTION' });
  await t.throwsAsync(service.update('wh_doesnotexist', { enabled: true }, 'bob'), { code: 'WEBHOOK_NOT_FOUND' });
  t.throws(() => service.get('../../etc'), { code: 'WEBHOOK_NOT_FOUND' });
});

test('given a rotated secret, when the next event is delivered, then it is signed with the new secret only', async (t) => {
  const { service, receiver, subscribe } = await harness();
  const { subscription, secret } = await subscribe();
  const rotated = await service.rotateSecret(subscription.id, 'alice');
  t.not(rotated.secret, secret);
  t.false(JSON.stringify(rotated.subscription).includes(rotated.secret));
  await service.publish({ type: 'voicemail.left', data: { mailbox: '100' } });
  await service.idle();
  const { createHmac } = await import('node:crypto');
  const request = receiver.requests[0]!;
  t.is(request.headers['x-deskline-signature'], `sha256=${createHmac('sha256', rotated.secret).update(`${request.headers['x-deskline-timestamp']}.${request.body}`).digest('hex')}`);
});

test('given a subscription with waiting events and a log, when removed, then nothing of it is left in the store', async (t) => {
  const { service, receiver, subscribe, store } = await harness();
  const keep = await subscribe();
  const gone = await subscribe();
  receiver.behaviour = 500;
  await service.publish({ type: 'call.ended', data: { callId: 'c1' } });
  await service.publish({ type: 'call.ended', data: { callId: 'c2' } });
  await service.idle();
  await service.remove(gone.subscription.id, 'alice');
  const keys: string[] = [];
  for await (const [key] of store.section('webhooks').entries()) keys.push(key);
  t.true(keys.length > 0);
  t.false(keys.some((key) => key.includes(gone.subscription.id)));
  t.true(keys.some((key) => key.startsWith(`out!${keep.subscription.id}!`)));
  await t.throwsAsync(service.remove(gone.subscription.id, 'alice'), { code: 'WEBHOOK_NOT_FOUND' });
});

/** A store that records each batch of the webhooks section, to see how publish writes. */
function spyingStore(): { store: Store; batches: BatchOperation[][] } {
  const inner = new MemoryStore();
  const batches: BatchOperation[][] = [];
  return {
    batches,
    store: {
      section(name: string): Section {
        const section = inner.section(name);
        return { get: (key) => section.get(key), entries: (range) => section.entries(range), batch: async (operations) => void (await section.batch(operations), batches.push(operations)) };
      },
      close: () => inner.close(),
    },
  };
}

test('given three matching subscriptions, when an event is published, then its three outbox entries are one batch written before publish resolves', async (t) => {
  const { store, batches } = spyingStore();
  const clock = new ManualClock(START);
  // A receiver that never answers keeps the lanes from writing, so only publish's batch is seen.
  const service = await WebhookService.open({ store, clock, logger: pino({ level: 'silent' }), fetch: () => new Promise(() => undefined) });
  for (let i = 0; i < 3; i++) await service.create(valid, 'alice');
  await service.create({ ...valid, events: ['survey.result'] }, 'alice');
  const before = batches.length;
  const { id, deliveries } = await service.publish({ type: 'call.ended', data: { callId: 'c1' } });
  t.is(deliveries, 3);
  t.is(batches.length, before + 1);
  const batch = batches.at(-1)!;
  t.is(batch.length, 3);
  t.true(batch.every((op) => op.type === 'put' && op.key.startsWith('out!') && op.key.endsWith(`!${id}`)));
  t.like((batch[0] as { value: unknown }).value, { eventId: id, eventType: 'call.ended', attempts: 0, nextAttemptAt: START, createdAt: START });
});

test('given bad events, when published, then each is refused with the field named and nothing is queued', async (t) => {
  const { service, subscribe } = await harness();
  const { subscription } = await subscribe();
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  let deep: Record<string, unknown> = {};
  for (let i = 0; i < 40; i++) deep = { deep };
  const cases: [unknown, string, RegExp][] = [
    [{ type: 'call.started', data: {} }, 'type', /unknown event type "call.started"/],
    [{ type: undefined, data: {} }, 'type', /unknown event type/],
    [{ type: 'call.ended', data: 'text' }, 'data', /JSON object/],
    [{ type: 'call.ended', data: [1, 2] }, 'data', /JSON object/],
    [{ type: 'call.ended', data: null }, 'data', /JSON object/],
    [{ type: 'call.ended', data: { at: new Date(0) } }, 'data.at', /plain object, not a Date/],
    [{ type: 'call.ended', data: { fn: () => 1 } }, 'data.fn', /not a function/],
    [{ type: 'call.ended', data: { n: Number.NaN } }, 'data.n', /finite number/],
    [{ type: 'call.ended', data: { list: [1, Infinity] } }, 'data.list[1]', /finite number/],
    [{ type: 'call.ended', data: { big: 1n } }, 'data.big', /not a bigint/],
    [{ type: 'call.ended', data: { u: undefined } }, 'data.u', /not a undefined/],
    [{ type: 'call.ended', data: { s: Symbol('x') } }, 'data.s', /not a symbol/],
    [{ type: 'call.ended', data: { m: new Map() } }, 'data.m', /plain object, not a Map/],
    [{ type: 'call.ended', data: cyclic }, 'data.self', /cycle/],
    [{ type: 'call.ended', data: deep }, 'data' + '.deep'.repeat(33), /deeper than 32/],
    [{ type: 'call.ended', data: {}, occurredAt: -1 }, 'occurredAt', /epoch milliseconds/],
    [{ type: 'call.ended', data: {}, occurredAt: '2025-01-01' }, 'occurredAt', /epoch milliseconds/],
    ['call.ended', '(event)', /object/],
  ];
  for (const [event, field, message] of cases) {
    const error = await t.throwsAsync(service.publish(event as PublishInput), { instanceOf: WebhookError }, field);
    t.is(error?.code, 'WEBHOOK_INVALID_EVENT', field);
    t.is(error?.issues[0]?.field, field);
    t.regex(error?.message ?? '', message, field);
  }
  const huge = await t.throwsAsync(service.publish({ type: 'call.ended', data: { transcript: 'x'.repeat(MAX_EVENT_BODY_BYTES) } }), { instanceOf: WebhookError });
  t.is(huge?.code, 'WEBHOOK_EVENT_TOO_LARGE');
  t.regex(huge?.message ?? '', /at most 262144/);
  // Multi-byte text counts in bytes, not characters.
  await t.throwsAsync(service.publish({ type: 'call.ended', data: { transcript: '中'.repeat(MAX_EVENT_BODY_BYTES / 3 + 10) } }), { code: 'WEBHOOK_EVENT_TOO_LARGE' });
  await service.idle();
  t.deepEqual(await service.pending(subscription.id), []);
  t.deepEqual(await service.deliveries(subscription.id), []);
});

test('given an occurredAt and no subscriptions, when published, then the event still gets an id and the body carries that time', async (t) => {
  const { service, receiver, subscribe } = await harness();
  t.like(await service.publish({ type: 'survey.result', data: {} }), { deliveries: 0 });
  await subscribe();
  await service.publish({ type: 'survey.result', data: { score: 4 }, occurredAt: Date.UTC(2025, 0, 1) });
  await service.idle();
  t.is(JSON.parse(receiver.requests[0]!.body).occurredAt, '2025-01-01T00:00:00.000Z');
});
