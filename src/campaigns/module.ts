// Wiring only: the campaign store, dialer and service, handed their ports by the appliance.
import type { Logger } from 'pino';
import type { CallRecords } from '../calls/call-records.ts';
import type { CallService } from '../calls/call-service.ts';
import type { Clock } from '../core/clock.ts';
import type { FlowStore } from '../ivr/flow-store.ts';
import type { Store } from '../store/store.ts';
import type { Telephony } from '../telephony/telephony.ts';
import type { QueueService } from '../queue/queue-service.ts';
import type { PreviewPort } from './campaign-dialer.ts';
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
  /** The site's queues (absent on a site without queues: preview campaigns cannot run there). */
  queueService?: QueueService;
  /** The language agents hear the whisper in. */
  language: 'en' | 'zh-CN';
  tickMs?: number;
}

/** The pause reason an agent shows while looking at a preview contact (wallboards show it). */
export const PREVIEW_PAUSE = 'campaign-preview';

function previewPort(queues: QueueService, calls: CallService, language: 'en' | 'zh-CN'): PreviewPort {
  const release = async (agentId: string) => {
    const status = queues.snapshot().acd.agents[agentId]?.status;
    if (status?.kind === 'paused' && status.reason === PREVIEW_PAUSE) await queues.agentAction(agentId, 'unpause');
  };
  return {
    freeAgents: (queueId) => queues.availableAgentIds(queueId),
    hold: async (agentId) => void (await queues.agentAction(agentId, 'pause', PREVIEW_PAUSE)),
    release,
    place: async (input) => {
      calls.placeForAgent({ callId: input.callId, channelName: input.endpoint, caller: input.caller, dialed: input.caller.number, agentId: input.agentId, queueId: input.queueId, campaign: input.campaign });
      await queues.placeForAgent({
        callId: input.callId, caller: input.caller, language, queueId: input.queueId, agentId: input.agentId, number: input.caller.number,
        dial: { endpoint: input.endpoint, callerId: input.callerId, ringSeconds: input.ringSeconds },
      });
      // Placed while the agent is held: ending the pause rings them for it first.
      await release(input.agentId);
    },
  };
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
    ...(deps.queueService ? { preview: previewPort(deps.queueService, deps.calls, deps.language) } : {}),
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
      if (campaign.flowId !== undefined && deps.flows.current(campaign.flowId) === undefined) return `flow ${campaign.flowId} has no published version`;
      if (campaign.type === 'preview' && !deps.queueService) return 'this site has no queues: a preview campaign needs agents';
      if (campaign.type !== 'automated' && !deps.queues.ids().includes(campaign.queueId!)) return `queue ${campaign.queueId} is not configured on this site`;
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
