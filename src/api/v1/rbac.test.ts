// Every route of the OpenAPI document, for every role, anonymous and a narrow API token: 401,
// 403 or allowed exactly as src/auth/roles.ts says. A route added without a permission, or
// documented with one it does not enforce, fails here.
import test from 'ava';
import { ROLES } from '../../auth/roles.ts';
import { KnowledgeService } from '../../knowledge/service/index.ts';
import { WebhookService } from '../../webhooks/webhook-service.ts';
import { capabilityRoutes } from './capability-routes.ts';
import { walkEveryRoute } from './rbac-walk.ts';

const quiet = { info() {}, warn() {}, error() {}, debug() {}, child() { return quiet; } } as never;

test('given every route of every capability in the OpenAPI document, when called anonymously, as each role, and with a narrow token, then access is exactly the permission matrix', async (t) => {
  const { operations, checked } = await walkEveryRoute(t, async ({ store, clock, audit }) => {
    const knowledge = await KnowledgeService.open({ store, clock, logger: quiet });
    const webhooks = await WebhookService.open({ store, clock, logger: quiet });
    t.teardown(() => webhooks.close());
    return { extraRoutes: capabilityRoutes({ knowledge, webhooks, records: { list: async () => [], trail: async () => [] }, audit: (e) => audit.append(e), now: () => clock.now() }) };
  });
  t.log(`${operations.length} operations × ${ROLES.length} roles = ${checked} checks`);
});
