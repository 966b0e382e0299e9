// Disk nearly full: recordings stop before the disk fills, the disk-low alarm is raised, calls go on.
//
// "Nearly full" is Deskline's own definition: free space below recordings.minFreeGb. The scenario
// reads the real free space of the recordings disk (statfs), sets minFreeGb 1 GB below it, and then
// really takes 2 GB of that disk (a fallocate'd ballast file): the disk is then 1 GB under the
// minimum, exactly as if recordings had filled it. Removing the ballast gives the space back.
// Calls are real (Local-channel callers on the sandbox Asterisk, simulated agents) into a queue
// that records every conversation.
import { execFile } from 'node:child_process';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AsteriskSandbox } from '../../src/asterisk/sandbox.ts';
import type { CallSummary } from '../../src/calls/call-summary.ts';
import { placeTestCall } from '../../src/calls/test-call.ts';
import { statfsFreeBytes } from '../../src/recordings/disk-guard.ts';
import { startInProcess, tempDir } from '../helpers/appliance.ts';
import { simAgent, simulate, writeQueueFlow } from '../helpers/queues.ts';
import { check, type FaultCheck, type FaultOutcome, type FaultRunOptions, type FaultScenario } from './scenario.ts';
import { alarmsSeen, CALLS_AT_ONCE, heldWithin, onSandbox, pool, round, startFleetRig, waitFor } from './resources-rig.ts';

const run = promisify(execFile);
const GB = 1024 ** 3;
const QUEUE = 'dq';
const NUMBER = '7300';
/** The guard probes every 5 s (appliance wiring); the stop must come within one probe and some slack. */
const PROBE_SECONDS = 5;

export async function runDiskFull(options: FaultRunOptions, given?: AsteriskSandbox): Promise<FaultOutcome> {
  return onSandbox(given, 'disk-full', async (sandbox) => {
    const dir = await tempDir('deskline-disk-full-');
    const fleet = await startFleetRig(dir.path, { siteId: 'disk', applianceId: 'box-d' });
    const ballast = join(dir.path, 'ballast');
    let deskline: Awaited<ReturnType<typeof startInProcess>> | undefined;
    try {
      return await scenarioBody(options, sandbox, dir.path, fleet, ballast, (d) => (deskline = d));
    } finally {
      await rm(ballast, { force: true });
      await deskline?.stop().catch(() => undefined);
      await fleet.close();
      await dir.remove();
    }
  });
}

async function scenarioBody(
  { scale, progress }: FaultRunOptions,
  sandbox: AsteriskSandbox,
  dirPath: string,
  fleet: Awaited<ReturnType<typeof startFleetRig>>,
  ballast: string,
  started: (d: Awaited<ReturnType<typeof startInProcess>>) => void,
): Promise<FaultOutcome> {
  const checks: FaultCheck[] = [];
  // Recorded conversations at once: half the scale, at most CALLS_AT_ONCE (Asterisk's HTTP session limit).
  const running = Math.max(2, Math.min(CALLS_AT_ONCE, Math.floor(scale / 2)));
  const whileFull = Math.max(2, scale - running);
  const agents = Array.from({ length: running + whileFull + 1 }, (_, i) => `dk${String(i + 1).padStart(3, '0')}`);
  const flowsDir = join(dirPath, 'flows');
  await run('mkdir', ['-p', flowsDir]);
  const flow = await writeQueueFlow(flowsDir, QUEUE);
  const storePath = join(dirPath, 'store');
  const recordingsDir = join(storePath, 'recordings');
  await run('mkdir', ['-p', recordingsDir]);
  const freeBefore = Math.min(await statfsFreeBytes(sandbox.recordingsDir), await statfsFreeBytes(recordingsDir));
  const minFreeGb = round(freeBefore / GB - 1, 3);
  progress(`recordings disk: ${round(freeBefore / GB)} GB free; recordings.minFreeGb set to ${minFreeGb} (1 GB of headroom)`);
  const deskline = await startInProcess(sandbox, storePath, {
    ...fleet.site,
    recordings: { minFreeGb },
    ivr: { flowsDir, routes: [{ number: NUMBER, flow }] },
    queues: [{ id: QUEUE, requiredSkills: [{ skill: QUEUE, minLevel: 1 }], ringTimeoutSeconds: 15, wrapUpSeconds: 0, whisper: false, autoPauseAfterMisses: 0, recording: 'all' }],
    agents: agents.map((id) => simAgent(id, { [QUEUE]: 1 })),
  });
  started(deskline);
  const queues = deskline.queues!;
  for (const id of agents) await queues.agentAction(id, 'login');
  const limited = pool(CALLS_AT_ONCE);
  const call = (script: string, n: number): Promise<CallSummary> => limited(() =>
    placeTestCall({ to: NUMBER, script, callerNumber: `55520${String(n).padStart(3, '0')}`, timeoutSeconds: 120 }, { telephony: deskline.telephony, calls: deskline.calls, records: deskline.records, media: sandbox.media }));
  const trailOf = async (callId: string) => deskline.records.trail(callId);

  // 1. Conversations being recorded. Agents answer after 1 s and talk 30 s (long enough to outlive the fault).
  for (const id of agents) await simulate(deskline, id, 'answer,1,30');
  const recordingStarts = new Map<string, number>();
  deskline.calls.on('trail', (state, entry) => {
    if (entry.type === 'recording-started') recordingStarts.set(state.callId, entry.at);
  });
  progress(`${running} recorded conversations starting`);
  const first = Array.from({ length: running }, (_, i) => call('wait 1; wait 90; hangup', i));
  // Awaited later: a call that cannot be placed must fail the scenario there, not crash the process now.
  for (const placed of first) placed.catch(() => undefined);
  await waitFor(`${running} recordings started`, () => recordingStarts.size >= running, 60_000);
  const recordingsBefore = new Set(await readdir(sandbox.recordingsDir));

  // 2. The disk fills: 2 GB of ballast on the recordings disk puts free space 1 GB under the minimum.
  await run('fallocate', ['-l', String(2 * GB), ballast]);
  const filledAt = Date.now();
  const freeFull = await statfsFreeBytes(recordingsDir);
  progress(`ballast written: ${round(freeFull / GB)} GB free, minimum ${minFreeGb} GB`);
  checks.push(check('the disk really is below recordings.minFreeGb (real statfs; threshold set 1 GB under the real free space, 2 GB then taken)', freeFull < minFreeGb * GB, `${round(freeFull / GB, 3)} GB free < ${minFreeGb} GB`));

  const stoppedAt = new Map<string, number>();
  deskline.calls.on('trail', (state, entry) => {
    if (entry.type === 'recording-stopped' && entry.reason === 'disk-low') stoppedAt.set(state.callId, Date.now());
  });
  const allStopped = await heldWithin(() => stoppedAt.size >= running, (PROBE_SECONDS + 10) * 1000);
  const stopSeconds = stoppedAt.size ? (Math.max(...stoppedAt.values()) - filledAt) / 1000 : NaN;
  checks.push(check(`every running recording stops within one probe (${PROBE_SECONDS} s) plus 5 s of a loaded box`, allStopped && stopSeconds <= PROBE_SECONDS + 5, `${stoppedAt.size}/${running} stopped, last ${round(stopSeconds)} s after the disk filled`));
  const raised = await heldWithin(() => alarmsSeen(fleet, 'disk-low').some((a) => a.state === 'raised'), 15_000);
  const raisedAlarm = alarmsSeen(fleet, 'disk-low').find((a) => a.state === 'raised');
  checks.push(check('the disk-low alarm reaches the fleet, with the free space and the minimum', raised && Number(raisedAlarm?.detail.freeGb) < minFreeGb && raisedAlarm?.detail.recordings === 'stopped', raisedAlarm ?? 'no alarm'));

  // 3. New calls while the disk is full: answered and talked, not recorded.
  for (const id of agents) await simulate(deskline, id, 'answer,1,4');
  progress(`${whileFull} calls while the disk is full`);
  const second = await Promise.all(Array.from({ length: whileFull }, (_, i) => call('wait 1; wait 60; hangup', running + i)));
  const secondTrails = await Promise.all(second.map((s) => trailOf(s.callId)));
  const skipped = secondTrails.filter((trail) => trail.some((e) => e.type === 'recording-skipped' && e.reason === 'disk-low') && !trail.some((e) => e.type === 'recording-started')).length;
  checks.push(check('no recording starts while the disk is full: each call notes recording-skipped (disk-low)', skipped === whileFull, `${skipped}/${whileFull} skipped`));
  const newFiles = (await readdir(sandbox.recordingsDir)).filter((f) => !recordingsBefore.has(f));
  checks.push(check('Asterisk writes no new recording file while the disk is full', newFiles.length === 0, newFiles.length ? newFiles : 'none'));
  const talked = second.filter((s) => s.trail.some((e) => e.type === 'agent-connected') && s.endReason === 'agent-hung-up').length;
  checks.push(check('calls while the disk is full reach an agent and end normally (the agent hangs up)', talked === whileFull, `${talked}/${whileFull}; ${second.filter((s) => s.endReason !== 'agent-hung-up').map((s) => `${s.callId}: ${s.endedBy}/${s.endReason}`).join(', ')}`));

  // 4. The recorded conversations go on after their recordings stopped, and end normally.
  const firstDone = await Promise.all(first);
  const keptTalking = firstDone.filter((s) => {
    const stop = s.trail.find((e) => e.type === 'recording-stopped');
    const ended = s.trail.find((e) => e.type === 'ended');
    return stop && ended && ended.at - stop.at > 1000 && s.endReason === 'agent-hung-up';
  }).length;
  checks.push(check('conversations whose recording stopped go on until the agent hangs up', keptTalking === running, `${keptTalking}/${running}; ${firstDone.map((s) => `${s.endedBy}/${s.endReason}`).join(', ')}`));

  // The partial recordings are stored and end at the stop (nothing written after it).
  await deskline.calls.idle();
  let storedOk = 0;
  const overrun: number[] = [];
  for (const s of firstDone) {
    const stopEntry = s.trail.find((e) => e.type === 'recording-stopped');
    const startedAt = recordingStarts.get(s.callId);
    if (!stopEntry || startedAt === undefined) continue; // not stopped: the check above already failed
    const ok = await heldWithin(async () => (await deskline.recordings.list({ callId: s.callId })).length > 0, 10_000, 200);
    if (!ok) continue;
    const [stored] = await deskline.recordings.list({ callId: s.callId });
    const recordedUntilStop = (stopEntry.at - startedAt) / 1000;
    overrun.push(stored!.durationSeconds - recordedUntilStop);
    const bytes = (await stat(join(deskline.recordings.dir, stored!.path))).size;
    if (bytes > 44 && stored!.durationSeconds <= recordedUntilStop + 1) storedOk++;
  }
  checks.push(check('each stopped recording is kept and ends at its stop (≤ 1 s later)', storedOk === running, `${storedOk}/${running}; file minus recorded-until-stop: max ${overrun.length ? round(Math.max(...overrun)) : '-'} s`));

  // 5. Space returns: the alarm clears and the next call is recorded again.
  await rm(ballast, { force: true });
  const freedAt = Date.now();
  const cleared = await heldWithin(() => alarmsSeen(fleet, 'disk-low').some((a) => a.state === 'cleared'), (PROBE_SECONDS + 10) * 1000);
  const clearSeconds = (Date.now() - freedAt) / 1000;
  checks.push(check('the disk-low alarm clears when space returns', cleared, `${alarmsSeen(fleet, 'disk-low').map((a) => a.state).join(' → ')} (${round(clearSeconds)} s after the ballast went)`));
  for (const id of agents) await simulate(deskline, id, 'answer,1,3');
  const after = await call('wait 1; wait 30; hangup', scale + 1);
  const storedAgain = await heldWithin(async () => (await deskline.recordings.list({ callId: after.callId })).length > 0, 15_000, 200);
  const afterTrail = await trailOf(after.callId);
  checks.push(check('with space back, a new call is recorded and stored again', storedAgain && afterTrail.some((e) => e.type === 'recording-started'), afterTrail.filter((e) => String(e.type).startsWith('recording')).map((e) => e.type)));
  await deskline.calls.idle();

  return {
    checks,
    measured: {
      calls: running + whileFull + 1,
      recordingsStopped: stoppedAt.size,
      secondsToStopAllRecordings: round(stopSeconds),
      secondsToClearAlarm: round(clearSeconds),
      freeGbWhenFull: round(freeFull / GB, 3),
      minFreeGb,
    },
  };
}

export const scenario: FaultScenario = {
  name: 'disk-full',
  describe: 'Disk nearly full: recordings stop before the disk fills, alarm raised, calls continue',
  run: (options) => runDiskFull(options),
};
