// Webhook subscriptions over the API (admins: a subscription sends call data to any URL). The
// service validates bodies and names each bad field; the secret is in the create and rotate
// answers only. Every change is audited with before/after (never the secret).
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { WebhookService } from '../../webhooks/webhook-service.ts';
import { WEBHOOK_EVENT_TYPES } from '../../webhooks/webhook-types.ts';
import type { ApiEnv } from './api-env.ts';
import { json, jsonBody, notFound } from './schemas.ts';
import { secured } from './secured.ts';
import type { Audit } from './user-routes.ts';

const EventFilter = z.enum([...WEBHOOK_EVENT_TYPES, '*']);
const Subscription = z.object({
  id: z.string(), url: z.string(), events: z.array(EventFilter), description: z.string().optional(), enabled: z.boolean(),
  createdAt: z.number(), createdBy: z.string(), consecutiveFailures: z.number().int().optional(), disabledReason: z.string().optional(),
}).passthrough().openapi('WebhookSubscription');
const NewSubscription = z.record(z.string(), z.unknown()).openapi('WebhookSubscriptionInput', {
  description: `{"url": "https://…" (http/https, no credentials), "events": [${WEBHOOK_EVENT_TYPES.join(', ')} or "*"], "description"?, "enabled"?}`,
});
const WithSecret = z.object({ subscription: Subscription, secret: z.string().openapi({ description: 'whsec_…: shown here only; receivers verify x-deskline-signature with it' }) });
const IdParam = z.object({ id: z.string().max(64).openapi({ param: { name: 'id', in: 'path' } }) });
const Limit = z.object({ limit: z.coerce.number().int().min(1).max(1000).optional() });
const Rows = z.array(z.record(z.string(), z.unknown()));

export function webhookRoutes(deps: { webhooks: WebhookService; audit: Audit }) {
  const { webhooks } = deps;
  const app = new OpenAPIHono<ApiEnv>();
  const who = (c: { get(k: 'principal'): { username: string } }) => c.get('principal').username;
  const tag = ['webhooks'];

  app.openapi(secured('webhooks.read', createRoute({ method: 'get', path: '/webhooks', tags: tag, summary: 'Subscriptions (never their secrets)', responses: { 200: json(z.object({ subscriptions: z.array(Subscription) }), 'Subscriptions') } })),
    (c) => c.json({ subscriptions: webhooks.list() }, 200));
  app.openapi(secured('webhooks.read', createRoute({ method: 'get', path: '/webhooks/event-types', tags: tag, summary: 'Event types one can subscribe to', responses: { 200: json(z.object({ eventTypes: z.array(z.string()) }), 'Types') } })),
    (c) => c.json({ eventTypes: [...WEBHOOK_EVENT_TYPES] }, 200));

  app.openapi(secured('webhooks.write', createRoute({ method: 'post', path: '/webhooks', tags: tag, summary: 'Subscribe a URL to events: the signing secret is in this answer only', request: jsonBody(NewSubscription), responses: { 201: json(WithSecret, 'Created') } })), async (c) => {
    const created = await webhooks.create(c.req.valid('json'), who(c));
    await deps.audit({ actor: who(c), action: 'webhook.create', target: created.subscription.id, detail: { after: created.subscription } });
    return c.json(created, 201);
  });

  app.openapi(secured('webhooks.read', createRoute({ method: 'get', path: '/webhooks/{id}', tags: tag, summary: 'One subscription', request: { params: IdParam }, responses: { 200: json(z.object({ subscription: Subscription }), 'The subscription'), ...notFound } })),
    (c) => c.json({ subscription: webhooks.get(c.req.valid('param').id) }, 200));

  app.openapi(secured('webhooks.write', createRoute({ method: 'patch', path: '/webhooks/{id}', tags: tag, summary: 'Change url, events, description or enabled', request: { params: IdParam, ...jsonBody(NewSubscription) }, responses: { 200: json(z.object({ subscription: Subscription }), 'Changed'), ...notFound } })), async (c) => {
    const { id } = c.req.valid('param');
    const before = webhooks.get(id);
    const subscription = await webhooks.update(id, c.req.valid('json'), who(c));
    await deps.audit({ actor: who(c), action: 'webhook.update', target: id, detail: { before, after: subscription } });
    return c.json({ subscription }, 200);
  });

  app.openapi(secured('webhooks.write', createRoute({ method: 'delete', path: '/webhooks/{id}', tags: tag, summary: 'Delete a subscription (its waiting events go with it)', request: { params: IdParam }, responses: { 204: { description: 'Deleted' }, ...notFound } })), async (c) => {
    const { id } = c.req.valid('param');
    const before = webhooks.get(id);
    await webhooks.remove(id, who(c));
    await deps.audit({ actor: who(c), action: 'webhook.delete', target: id, detail: { before } });
    return c.body(null, 204);
  });

  app.openapi(secured('webhooks.write', createRoute({ method: 'post', path: '/webhooks/{id}/rotate-secret', tags: tag, summary: 'A new signing secret (the old one stops at once)', request: { params: IdParam }, responses: { 200: json(WithSecret, 'Rotated'), ...notFound } })), async (c) => {
    const { id } = c.req.valid('param');
    const rotated = await webhooks.rotateSecret(id, who(c));
    await deps.audit({ actor: who(c), action: 'webhook.rotate-secret', target: id });
    return c.json(rotated, 200);
  });

  for (const [part, summary] of [['deliveries', 'Delivery log, newest first (last 100 attempts)'], ['pending', 'Events waiting to be delivered, oldest first'], ['dead-letters', 'Events given up on after 24 h']] as const) {
    app.openapi(secured('webhooks.read', createRoute({ method: 'get', path: `/webhooks/{id}/${part}`, tags: tag, summary, request: { params: IdParam, query: Limit }, responses: { 200: json(z.object({ items: Rows }), summary), ...notFound } })), async (c) => {
      const { id } = c.req.valid('param');
      const { limit } = c.req.valid('query');
      const items = part === 'deliveries' ? await webhooks.deliveries(id, limit) : part === 'pending' ? await webhooks.pending(id, limit) : await webhooks.deadLetters(id, limit);
      return c.json({ items: items as unknown as Record<string, unknown>[] }, 200);
    });
  }
  return app;
}
