import test, { type ExecutionContext } from 'ava';
import { FakeReceiver } from '../../webhooks/testing-webhooks.ts';
import { WebhookService } from '../../webhooks/webhook-service.ts';
import { webhookRoutes } from './webhook-routes.ts';
import { apiHarness } from './testing-api.ts';

const quiet = { info() {}, warn() {}, error() {}, debug() {}, child() { return quiet; } } as never;
const valid = { url: 'https://crm.example.com/hooks', events: ['call.ended', 'voicemail.left'] };

async function setup(t: ExecutionContext) {
  let service!: WebhookService;
  const h = await apiHarness(async ({ store, clock, audit }) => {
    service = await WebhookService.open({ store, clock, logger: quiet, fetch: new FakeReceiver(clock).fetch });
    return { extraRoutes: [(api) => api.route('/', webhookRoutes({ webhooks: service, audit: (e) => audit.append(e) }))] };
  });
  t.teardown(() => service.close());
  const admin = await h.login('admin');
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await h.request(path, { method, as: admin, ...(body === undefined ? {} : typeof body === 'string' ? { body, headers: { 'content-type': 'application/json' } } : { json: body }) });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined, text };
  };
  return { ...h, service, call };
}

test('given a valid body, when POST /webhooks, then 201 with the secret once; list and get never show it; the audit log neither', async (t) => {
  const { call, audit } = await setup(t);
  const created = await call('POST', '/webhooks', valid);
  t.is(created.status, 201);
  const { subscription, secret } = created.json;
  t.regex(secret, /^whsec_/);
  t.like(subscription, { url: valid.url, events: valid.events, enabled: true, createdBy: 'admin' });
  const list = await call('GET', '/webhooks');
  const one = await call('GET', `/webhooks/${subscription.id}`);
  t.is(list.json.subscriptions.length, 1);
  t.is(one.json.subscription.id, subscription.id);
  for (const text of [list.text, one.text]) t.false(text.includes(secret));
  const entries = await audit.list({ action: 'webhook.create' });
  t.like(entries[0], { actor: 'admin', target: subscription.id });
  t.false(JSON.stringify(entries).includes(secret));
});

test('given bad bodies, when POST /webhooks, then 400 in the error shape naming the fields, 413 when huge', async (t) => {
  const { call } = await setup(t);
  const bad = await call('POST', '/webhooks', { url: 'ftp://x/', events: ['call.begun'] });
  t.is(bad.status, 400);
  t.is(bad.json.error.code, 'WEBHOOK_INVALID_SUBSCRIPTION');
  t.deepEqual(bad.json.error.details.map((d: { field: string }) => d.field), ['url', 'events.0']);
  const notJson = await call('POST', '/webhooks', '{"url":');
  t.is(notJson.status, 400);
  t.is((await call('POST', '/webhooks', [valid])).status, 400);
  const huge = await call('POST', '/webhooks', { ...valid, description: 'x'.repeat(1_100_000) });
  t.is(huge.status, 413);
  t.is(huge.json.error.code, 'PAYLOAD_TOO_LARGE');
});

test('given a subscription, when PATCHed, rotated, read and deleted, then each answers as documented and is audited', async (t) => {
  const { call, service, audit } = await setup(t);
  const { subscription, secret } = (await call('POST', '/webhooks', valid)).json;
  const patched = await call('PATCH', `/webhooks/${subscription.id}`, { enabled: false });
  t.is(patched.status, 200);
  t.like(patched.json.subscription, { enabled: false, disabledReason: 'disabled by admin' });
  const rotated = await call('POST', `/webhooks/${subscription.id}/rotate-secret`);
  t.is(rotated.status, 200);
  t.not(rotated.json.secret, secret);
  for (const part of ['deliveries', 'pending', 'dead-letters']) t.is((await call('GET', `/webhooks/${subscription.id}/${part}?limit=5`)).status, 200);
  t.is((await call('GET', `/webhooks/${subscription.id}/deliveries?limit=0`)).status, 400);
  t.is((await call('DELETE', `/webhooks/${subscription.id}`)).status, 204);
  t.deepEqual(service.list(), []);
  t.deepEqual((await audit.list()).filter((e) => e.action.startsWith('webhook.')).map((a) => a.action).reverse(), ['webhook.create', 'webhook.update', 'webhook.rotate-secret', 'webhook.delete']);
  const missing = await call('GET', `/webhooks/${subscription.id}`);
  t.is(missing.status, 404);
  t.is(missing.json.error.code, 'WEBHOOK_NOT_FOUND');
  t.is((await call('PATCH', '/webhooks/nope', { enabled: true })).status, 404);
  t.is((await call('DELETE', '/webhooks/nope')).status, 404);
  t.deepEqual((await call('GET', '/webhooks/event-types')).json, { eventTypes: ['call.ended', 'followup.created', 'followup.closed', 'voicemail.left', 'survey.result'] });
});

test('given a supervisor, when they try to subscribe a URL, then 403: only admins send call data out', async (t) => {
  const { request, login } = await setup(t);
  t.is((await request('/webhooks', { method: 'POST', as: await login('supervisor'), json: valid })).status, 403);
});
