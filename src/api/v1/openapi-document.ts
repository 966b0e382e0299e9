// The whole OpenAPI document without a running appliance (for `deskline openapi` and client
// generators): the API with every capability's routes on inert services.
import type { DispositionService } from '../../dispositions/disposition-service.ts';
import { AuditLog } from '../../audit/audit-log.ts';
import { AuthService } from '../../auth/auth-service.ts';
import { systemClock } from '../../core/clock.ts';
import { LiveEvents } from '../../events/live-events.ts';
import type { KnowledgeService } from '../../knowledge/service/index.ts';
import type { QaService } from '../../qa/qa-service.ts';
import { AnswerAudio } from '../../knowledge/base/answer-audio.ts';
import { MemoryStore } from '../../store/memory-store.ts';
import type { WebhookService } from '../../webhooks/webhook-service.ts';
import { createApi, openApiDocument } from './api-app.ts';
import { capabilityRoutes } from './capability-routes.ts';
import type { CallRouteDeps } from './call-routes.ts';
import type { RouteStore } from '../../ivr/route-store.ts';
import type { FollowupService } from '../../followups/followup-service.ts';
import type { PromptStore } from '../../prompts/prompt-store.ts';
import type { FlowStore } from '../../ivr/flow-store.ts';
import type { ReportService } from '../../reports/report-service.ts';

export function fullOpenApiDocument(version: string) {
  const store = new MemoryStore();
  const audit = new AuditLog({ store, clock: systemClock });
  const unused = () => {
    throw new Error('documentation only');
  };
  const api = createApi({
    auth: new AuthService({ store, clock: systemClock, audit: (e) => audit.append(e) }), audit, events: new LiveEvents({ now: () => 0 }),
    health: unused, version, now: () => 0, logger: { error() {} } as never,
    extraRoutes: capabilityRoutes({ knowledge: {} as KnowledgeService, webhooks: {} as WebhookService, calls: {} as CallRouteDeps, flows: {} as FlowStore, routes: {} as RouteStore, followups: {} as FollowupService, promptLibrary: {} as PromptStore, reports: {} as ReportService, qa: {} as QaService, answerAudio: new AnswerAudio({ dir: '/nonexistent' }), records: { list: unused, trail: unused }, audit: unused, now: () => 0, dispositions: {} as DispositionService }),
  });
  return openApiDocument(api, version);
}
