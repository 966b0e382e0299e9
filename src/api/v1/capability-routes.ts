// Every capability's routes in the admin API, in one list: the appliance mounts them with its
// services, `deskline openapi` and the RBAC test with stand-ins (route definitions do not touch
// their services until a request comes).
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { CallSource } from '../../knowledge/analytics/analytics-routes.ts';
import type { KnowledgeService } from '../../knowledge/service/index.ts';
import type { ApiEnv } from './api-env.ts';
import { callRoutes, type CallRouteDeps } from './call-routes.ts';
import { knowledgeRoutes } from './knowledge-routes.ts';
import { flowRoutes } from './flow-routes.ts';
import { numberRoutes } from './number-routes.ts';
import { promptRoutes } from './prompt-routes.ts';
import type { PromptStore } from '../../prompts/prompt-store.ts';
import { followupRoutes } from './followup-routes.ts';
import type { FollowupService } from '../../followups/followup-service.ts';
import { queueSettingsRoutes, type QueueSettingsDeps } from './queue-settings-routes.ts';
import type { RouteStore } from '../../ivr/route-store.ts';
import { reportRoutes } from './report-routes.ts';
import { settingsRoutes, type SettingsEditDeps } from './settings-routes.ts';
import type { ReportService } from '../../reports/report-service.ts';
import type { FlowStore } from '../../ivr/flow-store.ts';
import type { ValidationOptions } from '../../ivr/validator.ts';
import { queueRoutes, type QueueRouteDeps } from './queue-routes.ts';
import { ApiError } from './api-error.ts';
import { webhookRoutes } from './webhook-routes.ts';
import type { WebhookService } from '../../webhooks/webhook-service.ts';
import type { Audit } from './user-routes.ts';
import { listenRoutes } from './listen-routes.ts';
import { softphoneRoutes, type SoftphoneRouteDeps } from './softphone-routes.ts';
import { agentConsoleRoutes } from './agent-console-routes.ts';
import { qaRoutes } from './qa-routes.ts';
import type { QaService } from '../../qa/qa-service.ts';
import type { AnswerAudio } from '../../knowledge/base/answer-audio.ts';
import type { ListenHub } from '../../supervisor/listen-socket.ts';
import { agentPreviewRoutes } from './agent-preview-routes.ts';
import { campaignRoutes } from './campaign-routes.ts';
import { staffingRoutes } from './staffing-routes.ts';
import { startStaffing } from '../../staffing/staffing-module.ts';
import { dispositionRoutes } from './disposition-routes.ts';
import type { DispositionService } from '../../dispositions/disposition-service.ts';
import type { CampaignService } from '../../campaigns/campaign-service.ts';

export interface CapabilityServices {
  knowledge: KnowledgeService;
  /** Call records, for analytics. */
  records: CallSource;
  audit: Audit;
  now: () => number;
  timeZone?: string;
  webhooks: WebhookService;
  calls: CallRouteDeps;
  flows: FlowStore;
  followups: FollowupService;
  /** An agent's skills (which skill groups' follow-ups they see). */
  agentSkills?: (agentId: string) => readonly string[];
  /** Number routes (dialed number → flow), loaded. */
  routes: RouteStore;
  reports: ReportService;
  /** The running site's settings (redacted before they leave) and prompt catalog. */
  settings?: () => unknown;
  /** The prompt recordings (upload, convert, TTS) and catalog texts. */
  promptLibrary: PromptStore;
  /** Changing the settings that may be changed through the API (PATCH /settings). */
  settingsEdit?: SettingsEditDeps;
  /** Prompt ids the validator accepts (the site's catalog). */
  flowValidation?: () => ValidationOptions;
  /** Absent on sites without queues: the routes answer 404 QUEUES_NOT_CONFIGURED. */
  queues?: QueueRouteDeps;
  /** Queue and agent settings (absent with the queues: 404 QUEUES_NOT_CONFIGURED). */
  queueSettings?: QueueSettingsDeps;
  /** Browser listens (GET /calls/{id}/listen); absent on sites without queues (404 QUEUES_NOT_CONFIGURED). */
  listen?: ListenHub;
  /** QA of recorded calls: criteria, evaluations, comments. */
  qa: QaService;
  /** Recorded answers of articles (upload, play); absent: the routes are not offered. */
  answerAudio?: AnswerAudio;
  /** Browser softphones (accounts and the SIP relay); absent: the routes say there are none. */
  softphone?: SoftphoneRouteDeps;
  /** Outbound campaigns and the do-not-call list. */
  campaigns?: CampaignService;
  /** Call classification: categories, queue policies, calls' dispositions, reports. */
  dispositions: DispositionService;
}

const noQueues = (): never => {
  throw new ApiError(404, 'QUEUES_NOT_CONFIGURED', 'this site has no queues configured');
};
const withoutQueues: QueueRouteDeps = {
  get queues(): never { return noQueues(); },
  get monitors(): never { return noQueues(); },
  figures: noQueues,
  agentOn: () => undefined,
};

export function capabilityRoutes(s: CapabilityServices): ((api: OpenAPIHono<ApiEnv>) => void)[] {
  const campaignsOrRefuse = () => s.campaigns ?? (() => { throw new ApiError(404, 'CAMPAIGNS_NOT_AVAILABLE', 'campaigns are not available on this appliance'); })();
  return [
    (api) => api.route('/', flowRoutes({ flows: s.flows, audit: s.audit, now: s.now, validation: s.flowValidation ?? (() => ({})) })),
    (api) => api.route('/', numberRoutes({ routes: s.routes, flows: s.flows, audit: s.audit, now: s.now })),
    (api) => api.route('/', callRoutes(s.calls)),
    (api) => api.route('/', reportRoutes({ reports: s.reports })),
    (api) => api.route('/', staffingRoutes({ staffing: startStaffing({ reports: s.reports, now: s.now, timezone: s.timeZone, routes: s.routes }) })),
    (api) => api.route('/', dispositionRoutes({ dispositions: s.dispositions, audit: s.audit, agentOn: s.calls.agentOn })),
    (api) => api.route('/', settingsRoutes({ settings: s.settings ?? (() => ({})), ...(s.settingsEdit && { edit: s.settingsEdit }) })),
    (api) => api.route('/', promptRoutes({ prompts: s.promptLibrary, audit: s.audit })),
    (api) => api.route('/', queueRoutes(s.queues ?? withoutQueues)),
    (api) => api.route('/', agentConsoleRoutes({ agent: (id) => (s.queues ?? withoutQueues).queues.snapshot().acd.agents[id], configured: (id) => (s.queues ?? withoutQueues).queues.agentSettings.has(id), records: s.calls.records, preview: (id) => s.campaigns?.previewOf(id) })),
    (api) => api.route('/', queueSettingsRoutes({ queueSettings: s.queueSettings, audit: s.audit })),
    (api) => api.route('/', listenRoutes({ hub: s.listen, isLive: s.calls.isLive })),
    (api) => api.route('/', softphoneRoutes(s.softphone ?? { accounts: undefined, upstreamUrl: undefined, onProblem: () => undefined })),
    (api) => api.route('/', followupRoutes({ followups: s.followups, audit: s.audit, ...(s.agentSkills ? { skillsOf: s.agentSkills } : {}) })),
    (api) => api.route('/', webhookRoutes({ webhooks: s.webhooks, audit: s.audit })),
    (api) => api.route('/', qaRoutes({ qa: s.qa, audit: s.audit })),
    (api) => api.route('/', campaignRoutes({ campaigns: campaignsOrRefuse })),
    (api) => api.route('/', agentPreviewRoutes({ campaigns: campaignsOrRefuse })),
    (api) => api.route('/', knowledgeRoutes({ knowledge: s.knowledge, audit: s.audit, ...(s.answerAudio ? { answerAudio: s.answerAudio } : {}), analytics: { records: s.records, now: s.now, ...(s.timeZone ? { timeZone: s.timeZone } : {}) } })),
  ];
}
