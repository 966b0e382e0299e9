// Every capability's routes on real services over the harness's memory store (recordings in a
// temp folder), for the RBAC walk, the fuzzer and route tests.
import type { ExecutionContext } from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditLog } from '../../audit/audit-log.ts';
import { CallRecords } from '../../calls/call-records.ts';
import type { ManualClock } from '../../core/clock.ts';
import { AssistService } from '../../knowledge/assist/assist-service.ts';
import { DEFAULT_ESCALATION_PHRASES, phraseMatcher } from '../../knowledge/assist/phrases.ts';
import { KnowledgeService } from '../../knowledge/service/index.ts';
import { QaService } from '../../qa/qa-service.ts';
import { AnswerAudio } from '../../knowledge/base/answer-audio.ts';
import { FlowStore } from '../../ivr/flow-store.ts';
import { RouteStore } from '../../ivr/route-store.ts';
import { PromptStore } from '../../prompts/prompt-store.ts';
import { FollowupService } from '../../followups/followup-service.ts';
import { followupSettings } from '../../followups/followup-settings.ts';
import { configSchema } from '../../config/schema.ts';
import { SettingsOverrides } from '../../config/settings-overrides.ts';
import { agentSchema, queueSchema } from '../../queue/queue-config.ts';
import { QueueSettingsStore, type ApplySettings } from '../../queue/queue-settings-store.ts';
import { ReportService } from '../../reports/report-service.ts';
import { RecordingStore } from '../../recordings/recording-store.ts';
import type { MemoryStore } from '../../store/memory-store.ts';
import { FakeReceiver } from '../../webhooks/testing-webhooks.ts';
import { WebhookService } from '../../webhooks/webhook-service.ts';
import type { ApiDeps } from './api-app.ts';
import { capabilityRoutes } from './capability-routes.ts';
import { createDispositions } from '../../dispositions/module.ts';
import type { SettingsEditDeps } from './settings-routes.ts';

export const quietLogger = { info() {}, warn() {}, error() {}, debug() {}, trace() {}, fatal() {}, child() { return quietLogger; } } as never;

export function withEveryCapability(t: ExecutionContext, live: { calls?: Set<string>; agentOn?: Map<string, string>; applyQueueSettings?: ApplySettings; applySettingsNow?: SettingsEditDeps['applyNow'] } = {}) {
  return async ({ store, clock, audit }: { store: MemoryStore; clock: ManualClock; audit: AuditLog }): Promise<Partial<ApiDeps>> => {
    const knowledge = await KnowledgeService.open({ store, clock, logger: quietLogger });
    const webhooks = await WebhookService.open({ store, clock, logger: quietLogger, fetch: new FakeReceiver(clock).fetch });
    const dir = await mkdtemp(join(tmpdir(), 'deskline-api-'));
    t.teardown(async () => {
      await webhooks.close();
      await rm(dir, { recursive: true, force: true });
    });
    const records = new CallRecords(store);
    const reports = new ReportService({ store, records, logger: quietLogger, queues: [], repeatCallerWindowHours: 24, defaults: { timezone: 'UTC', serviceLevelSeconds: 20, shortAbandonSeconds: 5 } });
    const recordings = new RecordingStore({ store, dir, clock, logger: quietLogger });
    const routes = new RouteStore(store, () => clock.now());
    await routes.load([{ number: '4000', flow: 'main' }]);
    const queueSettings = new QueueSettingsStore(store, () => clock.now());
    await queueSettings.load([queueSchema.parse({ id: 'support', requiredSkills: [{ skill: 'billing', minLevel: 2 }] })], [agentSchema.parse({ id: 'a1', endpoint: 'PJSIP/a1', skills: { billing: 3 } })]);
    const followups = await FollowupService.open({ store, clock, logger: quietLogger, settings: followupSettings(), calls: records });
    t.teardown(() => followups.stop());
    const promptLibrary = await PromptStore.open({ dir: join(dir, 'prompts'), catalog: new Map(), now: () => clock.now() });
    const overrides = new SettingsOverrides(store, () => clock.now());
    const { config } = await overrides.load(configSchema.parse({}));
    const assist = new AssistService({ knowledge, escalation: phraseMatcher(DEFAULT_ESCALATION_PHRASES), clock, note: () => undefined });
    return {
      extraRoutes: capabilityRoutes({
        knowledge, webhooks, records, audit: (e) => audit.append(e), now: () => clock.now(), flows: new FlowStore(store, () => clock.now()), routes, reports, followups, promptLibrary,
        qa: new QaService({ store, clock, callExists: async (id) => (await records.get(id)) !== undefined }), answerAudio: new AnswerAudio({ dir: join(dir, 'knowledge-audio') }),
        settings: () => overrides.current().config,
        settingsEdit: { overrides, running: config, audit: (e) => audit.append(e), applyNow: live.applySettingsNow ?? (() => undefined) },
        queueSettings: { settings: queueSettings, apply: live.applyQueueSettings ?? (async () => undefined) },
        calls: { records, recordings, audit, assist, isLive: (id) => live.calls?.has(id) ?? false, agentOn: (id) => live.agentOn?.get(id) },
        dispositions: createDispositions({ store, now: () => clock.now(), records, knowledge, repeatWindowHours: 24 }),
      }),
    };
  };
}
