// Fault: Asterisk restarts (SIGKILL, then started again on the same ports) under load: calls in
// the IVR menu, waiting in a queue and talking to agents. Promised (issue 11): Deskline reconnects
// as soon as ARI answers; every call Asterisk dropped is closed as dropped by the restart; no
// orphaned state (live call, queue entry or leg, agent stuck ringing or on a call); an alarm.
// Deskline runs in this process (its state is inspectable) with the product's default reconnect
// settings (asterisk.reconnectMaxSeconds 10), not the tests' 1 s.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AsteriskSandbox } from '../../src/asterisk/sandbox.ts';
import { startAppliance, type Appliance } from '../../src/app/appliance.ts';
import { buildConfig } from '../../src/config/load.ts';
import { createLogger } from '../../src/core/logger.ts';
import type { LiveEvent } from '../../src/events/live-events.ts';
import { siteFor, tempDir } from '../helpers/appliance.ts';
import { check, type FaultCheck, type FaultOutcome, type FaultRunOptions, type FaultScenario } from './scenario.ts';
import { agentIds, CallerDriver, faultSite, holdScript, ivrScript, IVR_NUMBER, mixFor, QUEUE_NUMBER, seconds, until, withSandbox } from './calls-site.ts';

/** "As soon as ARI answers": within one short probe interval of it (see the check's detail for the figure). */
const RECONNECT_BOUND_MS = 1000;

async function startDeskline(sandbox: AsteriskSandbox, storePath: string, extra: Record<string, unknown>): Promise<Appliance> {
  const site = siteFor(sandbox, storePath, extra) as Record<string, Record<string, unknown>>;
  site.asterisk!.ariPassword = sandbox.ariPassword;
  delete site.asterisk!.reconnectMaxSeconds;
  const config = buildConfig(site, 'fault site', {});
  const appliance = await startAppliance(config, createLogger('warn'));
  await appliance.telephony.connection.whenConnected(10_000);
  return appliance;
}

/** The first moment ARI answers again (GET /asterisk/info 200), probed every 20 ms from `since`. */
function firstAnswer(sandbox: AsteriskSandbox): { at: Promise<number>; stop(): void } {
  let stopped = false;
  const auth = `Basic ${Buffer.from(`${sandbox.ariUser}:${sandbox.ariPassword}`).toString('base64')}`;
  const at = (async () => {
    while (!stopped) {
      const ok = await fetch(`${sandbox.ariUrl}/asterisk/info`, { headers: { authorization: auth }, signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);
      if (ok) return Date.now();
      // Probing an external process that is starting up.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return Number.NaN;
  })();
  return { at, stop: () => void (stopped = true) };
}

export async function runAsteriskRestart(options: FaultRunOptions, given?: AsteriskSandbox): Promise<FaultOutcome> {
  return withSandbox(given, async (sandbox) => {
    const { progress } = options;
    const mix = mixFor(options.scale);
    const dir = await tempDir('deskline-fault-asterisk-');
    let deskline: Appliance | undefined;
    try {
      const flowsDir = join(dir.path, 'flows');
      await mkdir(flowsDir);
      deskline = await startDeskline(sandbox, dir.path, await faultSite(flowsDir, mix));
      const queues = deskline.queues!;
      const driver = new CallerDriver(sandbox);
      const alerts: LiveEvent[] = [];
      deskline.events.subscribe((e) => e.type === 'alert' && alerts.push(e));
      progress(`${mix.ivr} callers in the IVR menu, ${mix.talking} talking to agents, ${mix.waiting} waiting; then Asterisk is killed and started again`);

      const agents = agentIds(mix);
      for (const id of agents) {
        await driver.simulate(id, 'answer,1,3600');
        await queues.agentAction(id, 'login');
      }
      const agentStates = () => Object.values(queues.snapshot().acd.agents).filter((a) => agents.includes(a.id)).map((a) => a.status.kind);
      for (let i = 0; i < mix.talking; i++) await driver.place('talking', i, QUEUE_NUMBER, holdScript(120));
      await until('every agent talking to a caller', 60_000, async () => (agentStates().filter((k) => k === 'on-call').length === mix.talking ? true : undefined));
      for (let i = 0; i < mix.waiting; i++) await driver.place('waiting', i, QUEUE_NUMBER, holdScript(120));
      await Promise.all(Array.from({ length: mix.ivr }, (_, i) => driver.place('ivr', i, IVR_NUMBER, ivrScript(i + 1, 110))));
      await until('every caller in place', 60_000, async () => {
        if (queues.snapshot().acd.waiting.length !== mix.waiting) return undefined;
        for (const call of driver.placed.filter((c) => c.kind === 'ivr')) if (!(await deskline!.records.trail(call.callId)).some((e) => e.type === 'node-enter' && e.node === 'menu')) return undefined;
        return true;
      }, 250);
      const live = driver.placed.map((c) => c.callId);
      const activeBefore = deskline.calls.activeCount();
      progress(`${activeBefore} live calls (${queues.snapshot().acd.waiting.length} waiting, ${agentStates().filter((k) => k === 'on-call').length} agents talking); killing Asterisk`);

      const connection = deskline.telephony.connection;
      const reconnected = new Promise<number>((resolve) => connection.once('connected', () => resolve(Date.now())));
      const killedAt = Date.now();
      await sandbox.kill();
      const answer = firstAnswer(sandbox);
      await sandbox.start();
      const ariAnsweredAt = await answer.at;
      let giveUp: NodeJS.Timeout | undefined;
      const connectedAt = await Promise.race([reconnected, new Promise<number>((resolve) => (giveUp = setTimeout(() => resolve(Number.NaN), 60_000)))]);
      clearTimeout(giveUp);
      answer.stop();
      const reconnectMs = connectedAt - ariAnsweredAt;
      progress(`Asterisk back ${seconds(ariAnsweredAt - killedAt)} s after the kill; Deskline connected ${seconds(reconnectMs)} s after ARI answered`);

      // Every call Asterisk dropped is closed, as dropped by the restart.
      const closed = await until('every dropped call closed', 30_000, async () => {
        const records = await Promise.all(live.map((id) => deskline!.records.get(id)));
        return records.every((r) => r?.phase === 'ended') ? records : undefined;
      }).catch(() => Promise.all(live.map((id) => deskline!.records.get(id))));
      const wrong = closed.filter((r) => !(r && r.outcome === 'dropped' && r.endedBy === 'system' && r.endReason === 'asterisk-restarted'));

      // No orphaned state, once everything settles.
      const orphans = async () => {
        await deskline!.calls.idle();
        await queues.idle();
        const acd = queues.snapshot();
        const stuck = agentStates().filter((k) => k !== 'available');
        return {
          liveCalls: deskline!.calls.activeCount(),
          activeRecords: (await deskline!.records.active()).length,
          queueEntries: acd.acd.waiting.length,
          queueLegs: Object.keys(acd.legs).length,
          agentsNotAvailable: stuck.length,
          agentStates: [...new Set(stuck)],
          bridges: (await deskline!.telephony.listBridges()).length,
        };
      };
      const settled = await until('no orphaned state', 20_000, async () => {
        const o = await orphans();
        return o.liveCalls + o.activeRecords + o.queueEntries + o.queueLegs + o.agentsNotAvailable + o.bridges === 0 ? o : undefined;
      }).catch(() => orphans());

      // And the restarted Asterisk is under control again: a new caller reaches an agent, another uses the menu.
      const afterQueue = await driver.place('talking', 900, QUEUE_NUMBER, holdScript(6));
      const afterIvr = await driver.place('ivr', 901, IVR_NUMBER, [{ op: 'wait', arg: '2' }, { op: 'dtmf', arg: '1' }, { op: 'wait', arg: '2' }, { op: 'hangup', arg: '' }]);
      const afterRecords = await until('the calls after the restart ended', 45_000, async () => {
        const records = await Promise.all([afterQueue, afterIvr].map((c) => deskline!.records.get(c.callId)));
        return records.every((r) => r?.phase === 'ended') ? records : undefined;
      }).catch(() => Promise.all([afterQueue, afterIvr].map((c) => deskline!.records.get(c.callId))));
      const afterTrails = await Promise.all([afterQueue, afterIvr].map((c) => deskline!.records.trail(c.callId)));
      const afterOk = afterRecords.every((r) => r?.outcome === 'completed') && afterTrails[0]!.some((e) => e.type === 'agent-connected') && afterTrails[1]!.some((e) => e.type === 'input');

      const restartAlerts = alerts.filter((e) => e.data.kind === 'asterisk-restarted' && e.at >= killedAt);
      const checks: FaultCheck[] = [
        check('Deskline reconnects as soon as ARI answers', Number.isFinite(reconnectMs) && reconnectMs <= RECONNECT_BOUND_MS,
          `connected ${seconds(reconnectMs)} s after ARI first answered (bound ${RECONNECT_BOUND_MS / 1000} s; Asterisk was down ${seconds(ariAnsweredAt - killedAt)} s)`),
        check('every call Asterisk dropped is closed as dropped by the restart', live.length === activeBefore && wrong.length === 0,
          `${live.length - wrong.length}/${live.length} closed as dropped/system/asterisk-restarted${wrong.length ? `; others: ${wrong.slice(0, 3).map((r) => JSON.stringify(r && { callId: r.callId, phase: r.phase, outcome: r.outcome, endedBy: r.endedBy, endReason: r.endReason })).join(' ')}` : ''}`),
        check('no orphaned state: no live call, queue entry or leg, no agent stuck ringing or on a call', Object.entries(settled).every(([k, v]) => k === 'agentStates' || v === 0) && afterOk,
          { ...settled, afterRestart: { queueCallReachedAgent: afterTrails[0]!.some((e) => e.type === 'agent-connected'), menuTookKey: afterTrails[1]!.some((e) => e.type === 'input'), outcomes: afterRecords.map((r) => r?.outcome ?? null) } }),
        check('an alarm event is emitted', restartAlerts.length === 1,
          `alerts after the kill: ${JSON.stringify(alerts.filter((e) => e.at >= killedAt).map((e) => e.data))}`),
      ];
      return {
        checks,
        measured: {
          calls: live.length,
          asteriskDownSeconds: seconds(ariAnsweredAt - killedAt),
          reconnectAfterAriAnswersSeconds: seconds(reconnectMs),
          callsClosedAsDropped: live.length - wrong.length,
        },
      };
    } finally {
      await deskline?.stop();
      await dir.remove();
    }
  });
}

export const scenario: FaultScenario = {
  name: 'asterisk-restart',
  describe: 'Asterisk restarts under load (IVR, queue, agents): Deskline reconnects as soon as ARI answers, closes the dropped calls as dropped by the restart, leaves no orphaned state and raises an alarm',
  run: (options) => runAsteriskRestart(options),
};
