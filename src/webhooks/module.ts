// Wiring only: the webhook capability on a running appliance. Other capabilities hand events to
// `service.publish`; the admin API serves the subscriptions (src/api/v1/webhook-routes.ts, admins only).
import type { Logger } from 'pino';
import type { Clock } from '../core/clock.ts';
import type { Store } from '../store/store.ts';
import { WebhookService } from './webhook-service.ts';

export interface WebhooksModule {
  service: WebhookService;
  /** Stops delivering (call before closing the store); the outbox waits for the next start. */
  stop(): Promise<void>;
}

export async function startWebhooks(deps: { store: Store; clock: Clock; logger: Logger }): Promise<WebhooksModule> {
  const service = await WebhookService.open(deps);
  return { service, stop: () => service.close() };
}
