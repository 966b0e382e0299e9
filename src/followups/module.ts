// Wiring only: the follow-up service on the appliance's store and clock. The lead connects its
// events to live events, webhooks and the call-endings consumer (see the report of this capability).
import type { Logger } from 'pino';
import type { Clock } from '../core/clock.ts';
import type { Store } from '../store/store.ts';
import { FollowupService, type CallSource } from './followup-service.ts';
import { followupSettings, type FollowupSettings } from './followup-settings.ts';

export interface FollowupsModule {
  service: FollowupService;
  stop(): void;
  idle(): Promise<void>;
}

export async function startFollowups(deps: { store: Store; clock: Clock; logger: Logger; settings?: Partial<FollowupSettings>; calls?: CallSource }): Promise<FollowupsModule> {
  const service = await FollowupService.open({
    store: deps.store, clock: deps.clock, logger: deps.logger.child({ module: 'followups' }), settings: followupSettings(deps.settings),
    ...(deps.calls ? { calls: deps.calls } : {}),
  });
  return { service, stop: () => service.stop(), idle: () => service.idle() };
}
