// The fleet link's view of this appliance: what telemetry says, which events and alarms go out,
// and what the remote commands do. Wiring only; the link itself is src/telemetry/.
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { statfs } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { Logger } from 'pino';
import type { Health } from '../api/health-routes.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { CallEndings } from '../calls/call-endings.ts';
import type { CallRecords } from '../calls/call-records.ts';
import type { DesklineConfig } from '../config/schema.ts';
import type { Clock } from '../core/clock.ts';
import { logFileOf, rotateLogFile } from '../core/logger.ts';
import { boxChecks } from '../doctor/doctor.ts';
import type { FlowStore } from '../ivr/flow-store.ts';
import { syncFlowsFromDir } from '../ivr/flow-sync.ts';
import type { QueueService } from '../queue/queue-service.ts';
import type { QueueFigures } from '../queue/wallboard.ts';
import type { Store } from '../store/store.ts';
import { startFleet, type CommandHandlers, type Fleet } from '../telemetry/module.ts';
import { describeReading, type RecordingSpace } from '../recordings/disk-guard.ts';
import { diagnosticsBundle } from './diagnostics.ts';

export interface FleetWiringDeps {
  config: DesklineConfig;
  store: Store;
  clock: Clock;
  logger: Logger;
  version: string;
  health: () => Health;
  /** SIP endpoints' states over ARI (trunks' reachability). */
  endpointStates: () => Promise<Map<string, string>>;
  activeCalls: () => number;
  transcribingLegs: () => number;
  queues: QueueService | undefined;
  queueFigures: () => QueueFigures[];
  flows: FlowStore;
  hasPrompt: (language: string, id: string) => boolean;
  audit: AuditLog;
}

const GB = 1024 ** 3;
const FLEET_ACTOR = 'fleet';

export async function wireFleet(deps: FleetWiringDeps): Promise<Fleet> {
  const { config, clock, logger } = deps;
  const storePath = resolve(config.store.path);
  let lastCpu = { usage: process.cpuUsage(), at: clock.now() };

  const telemetry = async () => {
    const now = clock.now();
    const usage = process.cpuUsage();
    const elapsedMs = Math.max(1, now - lastCpu.at);
    // Share of one CPU the service used since the last message (user + system).
    const cpuPercent = Math.round(((usage.user - lastCpu.usage.user + usage.system - lastCpu.usage.system) / 1000 / elapsedMs) * 1000) / 10;
    lastCpu = { usage, at: now };
    const disk = await statfs(storePath).catch(() => undefined);
    const agents: Record<string, number> = {};
    for (const agent of Object.values(deps.queues?.snapshot().acd.agents ?? {})) agents[agent.status.kind] = (agents[agent.status.kind] ?? 0) + 1;
    const health = deps.health();
    return {
      at: new Date(now).toISOString(),
      ari: { connected: health.ari.connected, asterisk: health.asterisk.version },
      calls: { active: deps.activeCalls() },
      queues: deps.queueFigures().map((q) => ({ id: q.queueId, waiting: q.waiting.onLine, longestWaitSeconds: q.longestWaitSeconds, serviceLevel: q.serviceLevel, offered: q.offered, answered: q.answered, abandoned: q.abandoned })),
      agents,
      speech: { engine: health.speech, transcribingLegs: deps.transcribingLegs() },
      system: {
        serviceCpuPercent: cpuPercent,
        load1: loadavg()[0], cpus: cpus().length,
        rssMb: Math.round(process.memoryUsage().rss / 2 ** 20),
        memFreeMb: Math.round(freemem() / 2 ** 20), memTotalMb: Math.round(totalmem() / 2 ** 20),
        diskFreeGb: disk ? Math.round((disk.bavail * disk.bsize) / GB * 10) / 10 : null,
        diskTotalGb: disk ? Math.round((disk.blocks * disk.bsize) / GB * 10) / 10 : null,
      },
    };
  };

  const audited = async (action: string, target: string, detail: Record<string, unknown>) => {
    await deps.audit.append({ actor: FLEET_ACTOR, action, target, detail });
  };
  const commands: CommandHandlers = {
    'flow.publish': {
      args: z.object({ flowId: z.string().min(1), version: z.number().int().min(1) }).strict(),
      async run({ flowId, version }: { flowId: string; version: number }) {
        const before = deps.flows.current(flowId);
        if (before === version) return { flowId, version, changed: false };
        await deps.flows.rollback(flowId, version, FLEET_ACTOR);
        await audited('flow.publish', flowId, { before, after: version });
        return { flowId, version, changed: true, before: before ?? null };
      },
    },
    'flows.reload': {
      args: z.object({}).strict(),
      async run() {
        if (!config.ivr.flowsDir) return { published: [], rejected: [], note: 'ivr.flowsDir is not set' };
        const report = await syncFlowsFromDir(resolve(config.ivr.flowsDir), deps.flows, { hasPrompt: deps.hasPrompt });
        if (report.published.length) await audited('flows.reload', config.ivr.flowsDir, { published: report.published });
        return report;
      },
    },
    'agent.state': {
      args: z.object({ agentId: z.string().min(1), action: z.enum(['login', 'logout', 'pause', 'unpause']), reason: z.string().max(100).optional() }).strict(),
      async run({ agentId, action, reason }: { agentId: string; action: 'login' | 'logout' | 'pause' | 'unpause'; reason?: string }) {
        if (!deps.queues) throw new Error('this site has no queues');
        const agent = await deps.queues.agentAction(agentId, action, reason);
        await audited('agent.state', agentId, { action, reason: reason ?? null });
        return { agentId, status: agent.status.kind };
      },
    },
    doctor: {
      args: z.object({}).strict(),
      run: async () => ({ checks: await boxChecks(config, { health: deps.health(), now: clock.now(), trunkStates: deps.endpointStates }) }),
    },
    'logs.rotate': {
      args: z.object({}).strict(),
      async run() {
        const rotated = await rotateLogFile(logger);
        return rotated ?? { note: 'the service logs to the journal (log.file is not set): journald rotates it' };
      },
    },
    diagnostics: {
      args: z.object({ logLines: z.number().int().min(0).max(2000).default(200) }).strict(),
      run: async ({ logLines }: { logLines: number }) => diagnosticsBundle({ config, health: deps.health(), version: deps.version, logFile: logFileOf(logger), logLines, checks: await boxChecks(config, { health: deps.health(), now: clock.now(), trunkStates: deps.endpointStates }) }),
    },
  };

  const fleet = await startFleet({
    settings: config.mqtt, siteId: config.site.id, applianceId: config.site.applianceId, version: deps.version,
    store: deps.store, clock, logger, telemetry, commands,
  });
  return fleet;
}

/**
 * Each ended call's summary goes out as an event. Registered with the durable endings feed before
 * calls load (a crash between a call's end and its event loses nothing); the link itself starts
 * later, so handovers wait for it.
 */
export function fleetCallEndings(endings: CallEndings, records: CallRecords, fleet: Promise<Fleet>): void {
  endings.register('fleet', async (callId) => {
    const call = await records.get(callId);
    if (!call) return;
    await (await fleet).event('call-ended', {
      callId, caller: call.caller.number, dialed: call.dialed, startedAt: new Date(call.startedAt).toISOString(),
      answered: call.answeredAt !== undefined, durationSeconds: call.endedAt ? Math.round((call.endedAt - call.startedAt) / 1000) : null,
      outcome: call.outcome ?? null, endReason: call.endReason ?? null, hangupCause: call.hangupCause ?? null,
    });
  });
}

/** Watches conditions worth an alarm and raises each once per change (and once when it clears). */
export function watchAlarms(deps: { clock: Clock; everyMs: number; fleet: Fleet; conditions: Record<string, () => Promise<{ on: boolean; detail: unknown }>> }): { stop(): void } {
  const state = new Map<string, boolean>();
  let timer: { cancel(): void } | undefined;
  let stopped = false;
  const tick = async () => {
    for (const [name, check] of Object.entries(deps.conditions)) {
      const { on, detail } = await check().catch((error: Error) => ({ on: false, detail: error.message }));
      const was = state.get(name) ?? false;
      if (on !== was) await deps.fleet.alarm(name, { state: on ? 'raised' : 'cleared', detail });
      state.set(name, on);
    }
    if (!stopped) timer = deps.clock.at(deps.clock.now() + deps.everyMs, () => void tick());
  };
  void tick();
  return {
    stop() {
      stopped = true;
      timer?.cancel();
    },
  };
}

/**
 * The alarms of issue 9: Asterisk's link lost, a trunk unreachable (qualify), the disk low. With the
 * recordings disk guard, disk-low follows the guard (raised the moment recordings are stopped,
 * cleared when they may run again) instead of its own 30 s poll.
 */
export function fleetAlarms(deps: { config: DesklineConfig; clock: Clock; fleet: Fleet; telephony: { link(): { connected: boolean; detail: string }; endpointStates(): Promise<Map<string, string>> }; recordingsDir: string; recordingSpace?: RecordingSpace }): { stop(): void } {
  const { config, telephony } = deps;
  const conditions: Record<string, () => Promise<{ on: boolean; detail: unknown }>> = {
    'ari-disconnected': async () => ({ on: !telephony.link().connected, detail: telephony.link().detail }),
  };
  let unsubscribe = () => {};
  if (deps.recordingSpace) {
    unsubscribe = diskLowAlarm(deps.recordingSpace, deps.fleet);
  } else {
    conditions['disk-low'] = async () => {
      const fs = await statfs(deps.recordingsDir).catch(() => statfs(resolve(config.store.path)));
      const freeGb = (fs.bavail * fs.bsize) / GB;
      return { on: freeGb < config.recordings.minFreeGb, detail: { freeGb: Math.round(freeGb * 10) / 10, minFreeGb: config.recordings.minFreeGb } };
    };
  }
  for (const trunk of config.trunks) {
    conditions[`trunk-unreachable:${trunk.id}`] = async () => {
      if (!telephony.link().connected) return { on: false, detail: 'Asterisk not connected' };
      const state = (await telephony.endpointStates()).get(trunk.id);
      return { on: state === 'offline', detail: { trunk: trunk.id, host: trunk.host, state: state ?? 'not defined in Asterisk' } };
    };
  }
  const watch = watchAlarms({ clock: deps.clock, everyMs: 30_000, fleet: deps.fleet, conditions });
  return {
    stop() {
      unsubscribe();
      watch.stop();
    },
  };
}

/** disk-low raised and cleared on the guard's changes; `recordings: 'stopped'` says what it did. */
export function diskLowAlarm(space: RecordingSpace, fleet: Fleet): () => void {
  return space.onChange((reading) => {
    void fleet.alarm('disk-low', { state: reading.low ? 'raised' : 'cleared', detail: { ...describeReading(reading), recordings: reading.low ? 'stopped' : 'allowed' } });
  });
}
