// Wiring only: config in, running appliance out. Each capability's pieces are built here and
// handed their ports; nothing else in src/ constructs adapters.
import { mkdir, rm, chmod } from 'node:fs/promises';
import type { Server } from 'node:http';
import { resolve } from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import type { Logger } from 'pino';
import { healthOf, healthRoutes, type HealthSource } from '../api/health-routes.ts';
import { controlRoutes } from '../api/control-routes.ts';
import { startSandbox, type AsteriskSandbox } from '../asterisk/sandbox.ts';
import { CallRecords } from '../calls/call-records.ts';
import { CallEndings } from '../calls/call-endings.ts';
import { CallService, type CallServiceDeps } from '../calls/call-service.ts';
import { placeTestCall } from '../calls/test-call.ts';
import { systemClock, type Clock } from '../core/clock.ts';
import { ariPassword } from '../config/load.ts';
import type { DesklineConfig } from '../config/schema.ts';
import { LevelStore } from '../store/level-store.ts';
import { AriTelephony } from '../telephony/ari-telephony.ts';
import { FlowStore } from '../ivr/flow-store.ts';
import { examplesDir, readPromptCatalog } from '../ivr/flow-files.ts';
import { syncFlowsFromDir } from '../ivr/flow-sync.ts';
import { RouteStore, SITE_FILE_ACTOR } from '../ivr/route-store.ts';
import { QueueSettingsStore, SITE_FILE_ACTOR as QUEUE_SITE_FILE_ACTOR } from '../queue/queue-settings-store.ts';
import { SettingsOverrides } from '../config/settings-overrides.ts';
import { ListenHub } from '../supervisor/listen-socket.ts';
import { SoftphoneAccounts } from '../softphone/softphone-accounts.ts';
import { webRoutes } from '../web/web-routes.ts';
import { startFollowups } from '../followups/module.ts';
import { wireFollowups } from './followup-wiring.ts';
import { fleetAlarms, fleetCallEndings, wireFleet } from './fleet-wiring.ts';
import type { Fleet } from '../telemetry/module.ts';
import type { FollowupService } from '../followups/followup-service.ts';
import { PromptStore } from '../prompts/prompt-store.ts';
import { publishedPromptUsage } from '../prompts/prompt-usage.ts';
import type { AgentSettings, QueueSettings } from '../queue/queue-config.ts';
import { PromptResolver } from '../prompts/prompt-resolver.ts';
import { CallTranscription } from '../calls/call-transcription.ts';
import { SpeechGather } from '../calls/speech-gather.ts';
import { startKnowledge, type KnowledgeModule } from '../knowledge/knowledge-module.ts';
import { createApi, type ApiDeps } from '../api/v1/api-app.ts';
import { errorBody } from '../api/v1/api-error.ts';
import { capabilityRoutes } from '../api/v1/capability-routes.ts';
import { AuthService } from '../auth/auth-service.ts';
import { startLiveEvents } from '../events/events-module.ts';
import { watchLink } from '../events/link-alarms.ts';
import { startWebhooks } from '../webhooks/module.ts';
import { callWebhookEvents } from '../webhooks/call-events.ts';
import { startReports } from '../reports/reports-module.ts';
import type { LiveEvents } from '../events/live-events.ts';
import { getConnInfo } from '@hono/node-server/conninfo';
import { readFileSync } from 'node:fs';
import type { CallState } from '../calls/call-types.ts';
import { CallSpeech } from '../speech/call-engine.ts';
import { rtpHealth } from '../speech/rtp-census.ts';
import { QueueService } from '../queue/queue-service.ts';
import { agentFeatures } from '../queue/agent-features.ts';
import { newBoard, applyTrail, figures, type Board } from '../queue/wallboard.ts';
import { recentCalls } from '../calls/repeat-callers.ts';
import { RecordingStore } from '../recordings/recording-store.ts';
import { startRetentionJob } from '../recordings/retention-job.ts';
import { AuditLog } from '../audit/audit-log.ts';
import { MonitorService } from '../supervisor/monitor-service.ts';
import { QaService } from '../qa/qa-service.ts';
import { AnswerAudio } from '../knowledge/base/answer-audio.ts';
import { resolveAsteriskHost } from '../provisioning/asterisk-host.ts';
import { backupControlRoutes } from '../backup/backup-control-routes.ts';
import { startCampaigns, type CampaignModule } from '../campaigns/module.ts';
import { feedProgress } from '../campaigns/progress-feed.ts';
import { createDispositions } from '../dispositions/module.ts';
import { asteriskWebSocketUrl, keptSoftphones } from '../softphone/kept-softphones.ts';
import { DiskGuard } from '../recordings/disk-guard.ts';

export interface Appliance {
  httpUrl: string;
  flows: FlowStore;
  /** Present when live transcription is set up. */
  transcription: CallTranscription | undefined;
  knowledge: KnowledgeModule;
  controlSocket: string;
  sandbox: AsteriskSandbox | undefined;
  telephony: AriTelephony;
  calls: CallService;
  records: CallRecords;
  /** Present when the site configures queues. */
  queues: QueueService | undefined;
  recordings: RecordingStore;
  audit: AuditLog;
  monitors: MonitorService | undefined;
  auth: AuthService;
  events: LiveEvents;
  /** Reports, webhooks and follow-ups hear of ended calls here; `idle()` waits for them. */
  endings: CallEndings;
  followups: FollowupService;
  campaigns: CampaignModule;
  /** A fresh appliance's first admin, created at this start: its password is shown only here. */
  firstAdmin: { username: string; password: string } | undefined;
  stop(): Promise<void>;
}

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

function listen(server: Server, target: { port: number; host: string } | string): Promise<void> {
  return new Promise((resolveListen, reject) => {
    server.once('error', reject);
    if (typeof target === 'string') server.listen(target, () => resolveListen());
    else server.listen(target.port, target.host, () => resolveListen());
  });
}

const close = (server: Server) => new Promise<void>((done) => server.close(() => done()));

/** Nodes that ask the caller to speak. */
const listensToSpeech = (node: { kind?: unknown }) => node.kind === 'gather-speech' || node.kind === 'faq-bot';

export async function startAppliance(siteConfig: DesklineConfig, logger: Logger, clock: Clock = systemClock): Promise<Appliance> {
  const startedAt = clock.now();
  const storePath = resolve(siteConfig.store.path);
  await mkdir(storePath, { recursive: true, mode: 0o700 });
  const store = await LevelStore.open(`${storePath}/db`, { sync: siteConfig.store.sync });
  const cleanups: (() => Promise<unknown>)[] = [() => store.close()];
  // The site file with the settings changed through the API (PATCH /settings) applied.
  const overrides = new SettingsOverrides(store, () => clock.now());
  const { config, dropped: droppedOverrides } = await overrides.load(siteConfig);
  if (config.log.level !== siteConfig.log.level) logger.level = config.log.level;
  if (droppedOverrides) logger.warn({ dropped: droppedOverrides.values }, 'settings changed through the API were dropped: the site file changed them since');
  const stopAll = async () => {
    // One step failing (or throwing before it returns its promise) must not leave the rest running.
    for (const cleanup of cleanups.reverse()) await Promise.resolve().then(cleanup).catch((error) => logger.warn({ err: error }, 'shutdown step failed'));
  };
  try {
    let sandbox: AsteriskSandbox | undefined;
    // Browser softphones are Asterisk endpoints Deskline defines: the sandbox's at each start, a
    // provisioned Asterisk's from the passwords provisioning kept.
    let softphones: SoftphoneAccounts | undefined;
    let ari = { url: config.asterisk.ariUrl, user: config.asterisk.ariUser, password: await ariPassword(config), app: config.asterisk.app };
    let recordingsSource = config.asterisk.recordingsDir;
    let media = { hostDir: config.asterisk.mediaHostDir || `${storePath}/media`, asteriskDir: config.asterisk.mediaAsteriskDir || `${storePath}/media` };
    if (!config.asterisk.sandbox) {
      // The host's Asterisk or Deskline's Asterisk root (install: chroot): where it plays from and records to.
      const host = await resolveAsteriskHost(config);
      media = host.media;
      recordingsSource = host.recordingsDir;
      softphones = await keptSoftphones(config);
    } else {
      logger.info('starting the sandbox Asterisk');
      softphones = new SoftphoneAccounts(config.agents);
      sandbox = await startSandbox({ name: config.site.id, ariApp: config.asterisk.app, mediaDir: `${storePath}/media`, endpoints: softphones.endpointSpecs('deskline-inbound') });
      cleanups.push(() => sandbox!.stop());
      ari = { url: sandbox.ariUrl, user: sandbox.ariUser, password: sandbox.ariPassword, app: sandbox.ariApp };
      media = sandbox.media;
      recordingsSource = sandbox.recordingsDir;
      logger.info({ version: sandbox.version, ari: sandbox.ariUrl, sip: `127.0.0.1:${sandbox.sipPort}` }, 'sandbox Asterisk is up');
    }

    const system = store.section('system');
    const telephony = new AriTelephony({ ...ari, logger, reconnectMaxMs: config.asterisk.reconnectMaxSeconds * 1000 });
    telephony.seedStartupTime((await system.get<{ startupTime: string }>('asterisk'))?.startupTime);
    telephony.onConnected(() => {
      const startupTime = telephony.link().asteriskStartupTime;
      if (startupTime) void system.batch([{ type: 'put', key: 'asterisk', value: { startupTime } }]);
    });
    // Reports, webhooks and follow-ups hear of each ended call through this durable feed, so a
    // crash right after a call's last save loses nothing (they register before calls load).
    const endings = new CallEndings(store, logger);
    const records = new CallRecords(store, endings);
    const flows = new FlowStore(store, () => clock.now());
    await flows.load();
    const catalog = await readPromptCatalog(config.ivr.promptsDir || `${examplesDir}prompts`);
    // Recorded prompts (uploaded, converted, TTS): the library updates the catalog the resolver and
    // the flow validator read, so a new prompt is usable at once.
    const promptLibrary = await PromptStore.open({ dir: `${media.hostDir}/prompts`, catalog, now: () => clock.now(), usedBy: publishedPromptUsage(flows) });
    const prompts = new PromptResolver(media, catalog);
    const hasPrompt = (language: string, id: string) => prompts.hasPrompt(language, id);
    if (config.ivr.flowsDir) {
      const report = await syncFlowsFromDir(resolve(config.ivr.flowsDir), flows, { hasPrompt });
      for (const p of report.published) logger.info(p, 'flow published from the flows folder');
      for (const r of report.rejected) logger.error({ file: r.file, problems: r.problems }, 'flow file rejected; the published version (if any) stays');
    }
    const audit = new AuditLog({ store, clock });
    const routes = new RouteStore(store, () => clock.now());
    const seeded = await routes.load(config.ivr.routes);
    if (seeded.replaced) {
      logger.info({ revision: seeded.table.revision }, 'number routes replaced by the site file (it changed since the last start)');
      await audit.append({ actor: SITE_FILE_ACTOR, action: 'routes.update', target: 'number-routes', detail: { before: seeded.replaced.routes, after: seeded.table.routes, revision: seeded.table.revision } });
    }
    // Speech and knowledge join once loaded; flows reaching them before get a clear error.
    const outside: CallServiceDeps['outside'] = { store, now: () => clock.now() };
    // One object: PATCH /settings changes apply to the next calls (see applySettingsNow).
    const callSettings = { greetingMedia: [config.calls.greetingPrompt], goodbyeMedia: ['sound:vm-goodbye'], idleTimeoutMs: config.calls.idleTimeoutSeconds * 1000, maxCallMs: config.calls.maxCallSeconds * 1000 };
    const calls = new CallService({
      telephony, records, clock, logger, prompts,
      env: {
        flows,
        timezone: config.site.timezone,
        settings: callSettings,
      },
      route(dialed, at) {
        const flowId = routes.resolve(dialed, at);
        const version = flowId === undefined ? undefined : flows.current(flowId);
        if (flowId !== undefined && version === undefined) logger.warn({ dialed, flowId }, 'route names a flow with no published version; using the greeting');
        return flowId !== undefined && version !== undefined ? { flowId, version } : undefined;
      },
      outside,
      features: config.queues.length > 0 ? { recognises: (dialed) => queuesRef.current?.features.recognises(dialed) ?? false, perform: (code, caller) => queuesRef.current!.features.perform(code, caller) } : undefined,
    });
    const queuesRef: { current?: { features: ReturnType<typeof agentFeatures> } } = {};

    // Live transcription: loaded only when some policy may need it; a broken speech setup is
    // reported and the appliance runs on without transcripts.
    let speech: CallSpeech | undefined;
    let transcription: CallTranscription | undefined;
    let speechStatus = 'off';
    const flowPolicy = (f: { id: string; publishedVersion: number | undefined }) => (f.publishedVersion === undefined ? undefined : flows.get(f.id, f.publishedVersion)?.transcription);
    // Queues and agents: seeded by the site file, edited by admins (the site file wins when it changes).
    const queueSettings = new QueueSettingsStore(store, () => clock.now());
    if ((await queueSettings.load(config.queues, config.agents)).fromSiteFile && config.queues.length > 0) {
      await audit.append({ actor: QUEUE_SITE_FILE_ACTOR, action: 'queue.provision', target: 'queues', detail: { queues: config.queues.map((q) => q.id), agents: config.agents.map((a) => a.id) } });
    }
    const hasQueues = config.queues.length > 0;
    const queuesTranscribe = queueSettings.queues().some((q) => q.transcription !== 'off');
    const published = await flows.list();
    const nodesTranscribe = published.some((f) => f.publishedVersion !== undefined && Object.values(flows.get(f.id, f.publishedVersion)?.nodes ?? {}).some((n) => (n as { transcription?: string }).transcription || listensToSpeech(n)));
    // A flow that listens (gather-speech, the FAQ bot) needs the caller's words from the first
    // one: transcription starts when the call enters, not when the question is asked.
    const flowListens = (state: CallState) => Boolean(state.flow && Object.values(flows.get(state.flow.flowId, state.flow.version)?.nodes ?? {}).some(listensToSpeech));
    const flowsMayTranscribe = queuesTranscribe || nodesTranscribe || config.speech.transcribe !== 'off' || published.some((f) => (flowPolicy(f) ?? 'off') !== 'off');
    if (flowsMayTranscribe) {
      try {
        speech = await CallSpeech.load([
          { engine: config.speech.engine, model: config.speech.model, phrasesFile: config.speech.phrasesFile, language: 'en' },
          ...(config.speech.zhModel ? [{ engine: 'vosk' as const, model: config.speech.zhModel, phrasesFile: config.speech.zhPhrasesFile, language: 'zh-CN' }] : []),
        ]);
        speechStatus = speech.description;
        logger.info({ engine: speech.description, policy: config.speech.transcribe }, 'speech engine loaded for live transcription');
        transcription = new CallTranscription({
          calls, telephony, engine: speech, logger,
          policy: (state) => {
            const policy = (state.flow && flows.get(state.flow.flowId, state.flow.version)?.transcription) || config.speech.transcribe;
            return policy === 'off' && flowListens(state) ? 'caller' : policy;
          },
          // The language the call is in when answered: the flow's default, else the site's.
          language: (state) => state.ivr?.language ?? (state.flow && flows.get(state.flow.flowId, state.flow.version)?.defaultLanguage) ?? config.site.locale,
        });
        cleanups.push(async () => {
          await transcription?.stopAll();
          speech?.close();
        });
        outside.speech = new SpeechGather({ transcription, calls, clock });
        // A queue's policy applies from the moment a call joins it; a node's from where it is.
        const live = transcription;
        calls.on('transcribe', (state, policy) => live.ensure(state, policy));
        calls.on('trail', (state, entry) => {
          if (entry.type !== 'queue') return;
          const queue = queueSettings.get('queue', String(entry.queue));
          if (queue) live.ensure(state, queue.value.transcription);
        });
      } catch (error) {
        speechStatus = `failed: ${(error as Error).message}`;
        logger.error({ err: error }, 'speech engine could not be loaded: calls run without transcription');
      }
    }
    // Articles' recorded answers: Asterisk plays them, admins upload them (PUT …/audio/{language}).
    const knowledgeAudio = config.knowledge.audioDir ? { hostDir: config.knowledge.audioDir, asteriskDir: config.knowledge.audioDir } : { hostDir: `${media.hostDir}/knowledge`, asteriskDir: `${media.asteriskDir}/knowledge` };
    const knowledge = await startKnowledge({
      settings: {
        importOnStart: config.knowledge.importOnStart,
        audio: knowledgeAudio,
        escalationPhrases: config.knowledge.escalationPhrases,
        agentPhrases: config.knowledge.agentPhrases,
        assistDebounceMs: config.knowledge.assistDebounceMs,
      },
      store, clock, logger, speech,
      note: (callId, entry) => calls.note(callId, entry),
    });
    outside.knowledge = knowledge.lookup;
    if (transcription) {
      const siteLanguage = config.site.locale;
      transcription.on('transcript', (state, event, timing) => knowledge.assist.transcript(state.callId, state.ivr?.language ?? siteLanguage, event, timing.openedAt));
      calls.on('ended', (state) => knowledge.assist.ended(state.callId));
    }
    const recordings = new RecordingStore({ store, dir: config.recordings.dir || `${storePath}/recordings`, clock, logger });
    // Recordings stop before the disk fills: below recordings.minFreeGb on Asterisk's recording
    // folder or ours, none starts and running ones stop (calls go on); probed every 5 s.
    const recordingSpace = new DiskGuard({ dirs: [recordingsSource, recordings.dir], minFreeGb: () => config.recordings.minFreeGb, clock, logger }).start();
    cleanups.push(async () => recordingSpace.stop());
    if (config.recordings.retentionDays > 0) {
      const retention = startRetentionJob({ recordings, clock, logger, retentionDays: config.recordings.retentionDays });
      cleanups.push(async () => {
        retention.stop();
        await retention.idle();
      });
    }

    // Queues (ACD): loaded before calls resume, so that calls ending during reconcile reach it.
    let queues: QueueService | undefined;
    let monitors: MonitorService | undefined;
    let board: Board = newBoard({ serviceLevelSeconds: config.acd.serviceLevelSeconds, shortAbandonSeconds: 5, timezone: config.site.timezone });
    if (hasQueues) {
      const windowMs = config.acd.repeatCallerWindowHours * 3_600_000;
      queues = new QueueService({
        store, telephony, clock, logger, queues: queueSettings.queues(), agents: queueSettings.agents(), acd: config.acd,
        resolvePrompts: (refs, language) => prompts.resolve(refs, language),
        recordingSpace,
        repeatCalls: async (number, at, excludeCallId) => (await recentCalls(records, number, { at, windowMs, excludeCallId })).calls,
        recordingFinished: async (done) => {
          const stored = await recordings.ingest(`${recordingsSource}/${done.name}.wav`, {
            callId: done.callId, queueId: done.queueId, agentId: done.agentId, caller: done.caller.number, startedAt: done.startedAt, name: done.name, paused: done.pauses,
          }).catch(async (error: Error) => {
            await (await fleetReady.promise).alarm('recording-verify-failed', { callId: done.callId, recording: done.name, error: error.message });
            throw error;
          });
          calls.note(done.callId, { type: 'recording-stored', recordingId: stored.id, durationSeconds: stored.durationSeconds, sha256: stored.sha256 });
        },
      });
      const service = queues;
      await service.load(calls);
      board = (await store.section('queues').get<Board>('board')) ?? board;
      service.on('trail', (entry) => {
        board = applyTrail(board, entry);
        void store.section('queues').batch([{ type: 'put', key: 'board', value: board }]);
      });
      calls.attachQueue(service);
      monitors = new MonitorService({
        telephony, clock, logger,
        conversation: (callId) => service.conversation(callId),
        audit: async (entry) => void (await audit.append(entry)),
      });
      queuesRef.current = { features: agentFeatures(service, config.acd.featureCodes) };
      calls.on('ended', (state) => service.callEnded(state.callId));
      telephony.onConnected(() => {
        void telephony.listChannels().then((channels) => service.reconcile(new Set(channels.map((c) => c.id))), (error) => logger.warn({ err: error }, 'queue reconcile: cannot list channels'));
      });
      cleanups.push(async () => {
        service.stop();
        await service.idle();
      });
    }
    // Reports: rollups written as each call ends (before loadActive: calls that end while being
    // reconciled are recorded too).
    const reports = startReports({
      store, records, logger, endings, queues: queueSettings.queues(), repeatCallerWindowHours: config.acd.repeatCallerWindowHours,
      defaults: { timezone: config.site.timezone, serviceLevelSeconds: config.acd.serviceLevelSeconds, shortAbandonSeconds: 5 },
      lexicon: () => knowledge.service.articles.matcherLexicon(),
    });
    cleanups.push(() => reports.idle());
    const webhooks = await startWebhooks({ store, clock, logger });
    cleanups.push(() => webhooks.stop());
    webhooks.service.on('disabled', (sub, reason) => void audit.append({ actor: 'system:webhooks', action: 'webhook.disable', target: sub.id, detail: { reason } }).catch(() => undefined));
    endings.register('webhooks', async (callId) => {
      const call = await records.get(callId);
      if (!call) return;
      for (const event of callWebhookEvents(call, await records.trail(callId))) await webhooks.service.publish(event);
    });
    // Follow-ups: voicemails, callbacks and bot failures become work orders once their call ends.
    const followups = await startFollowups({
      store, clock, logger, calls: records,
      settings: { locale: config.site.locale, skillsOfQueue: (id) => queueSettings.get('queue', id)?.value.requiredSkills.map((r) => r.skill) ?? [] },
    });
    cleanups.push(async () => {
      followups.stop();
      await followups.idle();
    });
    wireFollowups({ followups: followups.service, endings, records, calls, queues, recordings, recordingsSource: () => recordingsSource, webhooks: webhooks.service, logger });
    calls.on('ended', (state) => endings.ended(state.callId));
    cleanups.push(() => endings.idle());
    // Outbound campaigns: answered calls run a flow (and, progressive, reach a queue's agents).
    const campaigns = await startCampaigns({
      store, telephony, calls, records, flows, clock, logger, siteTimeZone: config.site.timezone,
      queues: {
        ids: () => queueSettings.queues().map((q) => q.id),
        availableAgents: (queueId) => (queues ? figures(board, queues.snapshot().acd, clock.now()).find((q) => q.queueId === queueId)?.agents.available ?? 0 : 0),
      },
      audit: (entry) => audit.append(entry),
      ...(queues ? { queueService: queues } : {}), language: config.site.locale,
    });
    cleanups.push(() => campaigns.stop());
    // The fleet link (MQTT) starts once everything it reports on exists; ended calls wait for it.
    let fleetStarted: (fleet: Fleet) => void = () => undefined;
    const fleetReady = { promise: new Promise<Fleet>((resolve) => (fleetStarted = resolve)) };
    if (config.mqtt.url) fleetCallEndings(endings, records, fleetReady.promise);
    await endings.replay();
    await calls.loadActive();
    // An Asterisk restart goes to the fleet the moment Deskline is back on ARI: the 30 s poll of
    // 'ari-disconnected' (fleetAlarms) misses a restart of a few seconds, and only the reconnect
    // tells that every call was dropped. Registered before the first connect, which tells whether
    // Asterisk restarted while Deskline itself was down.
    watchLink(telephony, () => clock.now(), ({ name, ...detail }) => {
      if (name === 'asterisk-restarted') void fleetReady.promise.then((fleet) => fleet.alarm(name, detail)).catch(() => undefined);
    });
    telephony.start();
    cleanups.push(async () => {
      await telephony.stop();
      await calls.idle();
      calls.releaseTimers();
    });

    const healthSource: HealthSource = { link: () => telephony.link(), activeCalls: () => calls.activeCount(), startedAt, siteId: config.site.id, speech: () => speechStatus, rtp: rtpHealth };
    // The admin API: browsers and integrations over HTTP (login, RBAC); the CLI over the control
    // socket as the local admin. Same routes, same audit log.
    const auth = new AuthService({ store, clock, audit: (entry) => audit.append(entry) });
    const firstAdmin = await auth.ensureFirstAdmin();
    const queueFigures = () => (queues ? figures(board, queues.snapshot().acd, clock.now()).filter((q) => !q.queueId.startsWith('@')) : []);
    const events = startLiveEvents({ calls, link: telephony, followups: followups.service, ...(queues ? { queues, queueFigures } : {}), ...(transcription ? { transcription } : {}), assist: knowledge.assist }, clock);
    // Campaign progress on the stream: at most once a second per campaign (the Campaigns page follows it).
    const stopProgressFeed = feedProgress(campaigns.dialer, clock, (progress) => void events.publish('campaign.progress', 'campaigns.read', { ...progress }));
    cleanups.push(async () => stopProgressFeed());
    const fleet = await wireFleet({
      config, store, clock, logger, version: VERSION, health: () => healthOf(healthSource, clock.now()), endpointStates: () => telephony.endpointStates(),
      activeCalls: () => calls.activeCount(), transcribingLegs: () => transcription?.activeLegs() ?? 0,
      queues, queueFigures, flows, hasPrompt, audit,
    });
    fleetStarted(fleet);
    cleanups.push(() => fleet.stop());
    if (config.mqtt.url) {
      healthSource.fleet = () => fleet.status();
      const alarms = fleetAlarms({ config, clock, fleet, telephony, recordingsDir: config.recordings.dir || `${storePath}/recordings`, recordingSpace });
      cleanups.push(async () => alarms.stop());
    }
    // Browser listens to live calls (WebSocket); closed before telephony stops (see below).
    const listens = queues && monitors ? new ListenHub({ monitors, conversations: queues, audit: (entry) => audit.append(entry), logger }) : undefined;
    const apiDeps: ApiDeps = {
      auth, audit, events, version: VERSION, now: () => clock.now(), logger,
      health: () => healthOf(healthSource, clock.now()),
      extraRoutes: capabilityRoutes({
        knowledge: knowledge.service, webhooks: webhooks.service, flows, routes, followups: followups.service,
        agentSkills: (agentId) => Object.keys(queueSettings.get('agent', agentId)?.value.skills ?? {}),
        flowValidation: () => ({ hasPrompt }), reports,
        settings: () => overrides.current().config, promptLibrary,
        settingsEdit: {
          overrides, running: config, audit: (entry) => audit.append(entry),
          applyNow(next) {
            logger.level = next.log.level;
            Object.assign(callSettings, { greetingMedia: [next.calls.greetingPrompt], idleTimeoutMs: next.calls.idleTimeoutSeconds * 1000, maxCallMs: next.calls.maxCallSeconds * 1000 });
          },
        },
        calls: { records, recordings, audit, assist: knowledge.assist, isLive: (callId) => calls.isLive(callId), agentOn: (callId) => events.agentOn(callId) },
        ...(queues && monitors ? { queues: { queues, monitors, figures: queueFigures, agentOn: (callId: string) => events.agentOn(callId) } } : {}),
        ...(listens ? { listen: listens } : {}),
        ...(softphones ? { softphone: { accounts: softphones, upstreamUrl: sandbox ? `ws://127.0.0.1:${sandbox.httpPort}/ws` : asteriskWebSocketUrl(ari.url), onProblem: (what: string, err?: Error) => logger.warn({ err }, `softphone: ${what}`) } } : {}),
        ...(queues ? { queueSettings: { settings: queueSettings, apply: (q: QueueSettings[], a: AgentSettings[]) => queues!.reconfigure(q, a) } } : {}),
        campaigns: campaigns.service,
        dispositions: createDispositions({ store, now: () => clock.now(), records, knowledge: knowledge.service, repeatWindowHours: config.acd.repeatCallerWindowHours }),
        qa: new QaService({ store, clock, callExists: async (id) => (await records.get(id)) !== undefined }),
        answerAudio: new AnswerAudio({ dir: knowledgeAudio.hostDir }),
        records, audit: (entry) => audit.append(entry), now: () => clock.now(), timeZone: config.site.timezone }),
    };
    const app = new Hono()
      .route('/', healthRoutes(healthSource, () => clock.now()))
      .route('/api/v1', createApi({ ...apiDeps, addressOf: (c) => getConnInfo(c).remote.address ?? 'unknown' }))
      // A mounted app's notFound is not used by the app it is mounted in: without this, an unknown
      // API path (GET /api/v1/recordings/) got Hono's plain-text 404 instead of the error shape.
      .all('/api/*', (c) => c.json(errorBody('NOT_FOUND', `no route ${c.req.method} ${c.req.path} (see /api/v1/docs)`), 404))
      // The browser UI (built by deploy/setup.sh into .cache/web), last: /api and /healthz stay the API's.
      .route('/', webRoutes());
    // WebSocket upgrades (browser listens) go through the same app: login, RBAC and CSRF apply.
    const websockets = new (await import('ws')).WebSocketServer({ noServer: true });
    const httpServer = createAdaptorServer({ fetch: app.fetch, websocket: { server: websockets } }) as Server;
    await listen(httpServer, { port: config.http.port, host: config.http.host });
    cleanups.push(async () => {
      // An upgraded socket keeps close() waiting: end them first (each listen then stops its monitor).
      for (const socket of websockets.clients) socket.terminate();
      await close(httpServer);
    });
    // Runs before the server closes (cleanups run in reverse): each listen stops its monitor.
    if (listens) cleanups.push(() => listens.closeAll());
    const address = httpServer.address();
    const port = typeof address === 'object' && address ? address.port : config.http.port;

    const controlSocket = `${storePath}/deskline.sock`;
    await rm(controlSocket, { force: true });
    const control = new Hono().route('/', controlRoutes({
      health: () => healthOf(healthSource, clock.now()),
      testCall: (request) => placeTestCall(request, { telephony, calls, records, media }),
    }));
    // The store snapshot for `deskline backup` while running: control socket only (0600), never HTTP.
    control.route('/', backupControlRoutes({ store }));
    control.route('/api/v1', createApi({ ...apiDeps, local: { username: 'local-admin' } }));
    const controlServer = createAdaptorServer({ fetch: control.fetch }) as Server;
    await listen(controlServer, controlSocket);
    await chmod(controlSocket, 0o600);
    cleanups.push(() => close(controlServer));

    const httpUrl = `http://${config.http.host.includes(':') ? `[${config.http.host}]` : config.http.host}:${port}`;
    logger.info({ http: httpUrl, control: controlSocket }, 'Deskline is running');
    return { httpUrl, controlSocket, sandbox, telephony, calls, records, endings, flows, transcription, knowledge, queues, recordings, audit, monitors, auth, events, followups: followups.service, campaigns, firstAdmin, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
