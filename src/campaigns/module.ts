// Wiring only: the campaign store, dialer and service, handed their ports by the appliance.
import type { Logger } from 'pino';
import type { CallRecords } from '../calls/call-records.ts';
import type { CallService } from '../calls/call-service.ts';
import type { Clock } from '../core/clock.ts';
import type { FlowStore } from '../ivr/flow-store.ts';
import type { Store } from '../store/store.ts';
import type { Telephony } from '../telephony/telephony.ts';
import { CampaignDialer } from './campaign-dialer.ts';
import { CampaignService } from './campaign-service.ts';
import { CampaignStore } from './campaign-store.ts';

export interface CampaignModuleDeps {
  store: Store;
  telephony: Telephony;
  calls: CallService;
  records: CallRecords;
  flows: FlowStore;
  clock: Clock;
  logger: Logger;
  siteTimeZone: string;
  /** Queue ids of the site, and agents free to take a call in one (progressive pacing). */
  queues: { ids: () => string[]; availableAgents: (queueId: string) => number };
  audit: (entry: { actor: string; action: string; target: string; detail?: Record<string, unknown> }) => Promise<unknown>;
  tickMs?: number;
}

export interface CampaignModule {
  service: CampaignService;
  dialer: CampaignDialer;
  stop(): Promise<void>;
}

export async function startCampaigns(deps: CampaignModuleDeps): Promise<CampaignModule> {
  const store = new CampaignStore(deps.store);
  const log = deps.logger.child({ capability: 'campaigns' });
  const dialer = new CampaignDialer({
    store, telephony: deps.telephony, clock: deps.clock, logger: log, siteTimeZone: deps.siteTimeZone, tickMs: deps.tickMs,
    flowVersion: (flowId) => deps.flows.current(flowId),
    availableAgents: deps.queues.availableAgents,
    calls: {
      adoptOutbound: (input) => deps.calls.adoptOutbound(input),
      on: (event, handler) => deps.calls.on(event, handler),
      isLive: (callId) => deps.calls.isLive(callId),
      record: (callId) => deps.records.get(callId),
      agentOf: async (callId) => (await deps.records.trail(callId)).find((e) => e.type === 'agent-connected')?.agentId as string | undefined,
    },
  });
  const service = new CampaignService({
    store, dialer, now: () => deps.clock.now(), audit: deps.audit,
    canRun: (campaign) => {
      if (deps.flows.current(campaign.flowId) === undefined) return `flow ${campaign.flowId} has no published version`;
      if (campaign.type === 'progressive' && !deps.queues.ids().includes(campaign.queueId!)) return `queue ${campaign.queueId} is not configured on this site`;
      return undefined;
    },
  });
  await dialer.load();
  // Running campaigns resume once Asterisk first says which of their calls are still up.
  let resumed = false;
  deps.telephony.onConnected(() => {
    if (resumed) return;
    resumed = true;
    void deps.telephony.listChannels()
      .then((channels) => dialer.resume(new Set(channels.map((c) => c.id))))
      .then(() => {
        const running = dialer.all().filter((c) => c.state === 'running');
        if (running.length) log.info({ campaigns: running.map((c) => c.id) }, 'campaigns resumed');
      })
      .catch((error: Error) => {
        resumed = false;
        log.error({ err: error }, 'campaigns could not resume: they will on the next connect');
      });
  });
  return { service, dialer, stop: () => dialer.stop() };
}
