// The fleet broker down for 5 minutes while calls go on: nothing lost, memory bounded.
//
// Time is compressed, not waited for: Deskline runs on a ShiftedClock and the outage is 5 minutes
// of *its* time, moved forward in steps between batches of real calls. Each step fires the
// telemetry periods that came due (telemetrySeconds 5 → 60 telemetry messages in the outage),
// exactly as a box whose clock ran for 5 minutes. The outbox keeps at most bufferMaxTelemetry 10
// telemetry messages, so about 50 must be dropped — counted — while every event (each call's
// call-ended) must arrive once the broker is back, and the seqs of all that arrives have gaps
// only where telemetry was dropped.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AsteriskSandbox } from '../../src/asterisk/sandbox.ts';
import type { CallSummary } from '../../src/calls/call-summary.ts';
import { placeTestCall } from '../../src/calls/test-call.ts';
import { ShiftedClock } from '../../src/core/clock.ts';
import { startInProcess, tempDir } from '../helpers/appliance.ts';
import { check, type FaultCheck, type FaultOutcome, type FaultRunOptions, type FaultScenario } from './scenario.ts';
import { onSandbox, payloadOf, round, startFleetRig, waitFor, type FleetRig } from './resources-rig.ts';

const NUMBER = '7500';
const TELEMETRY_SECONDS = 5;
const BUFFER_MAX_TELEMETRY = 10;
const OUTAGE_MS = 5 * 60_000;
const STEPS = 10;
const TICKS_PER_STEP = OUTAGE_MS / STEPS / (TELEMETRY_SECONDS * 1000);

interface Health {
  fleet?: { connected: boolean; buffered: number; dropped: number; published: number };
}

export async function runBrokerOutage({ scale, progress }: FaultRunOptions, given?: AsteriskSandbox): Promise<FaultOutcome> {
  return onSandbox(given, 'broker-outage', async (sandbox) => {
    const dir = await tempDir('deskline-broker-outage-');
    const fleet = await startFleetRig(dir.path, { siteId: 'outage', applianceId: 'box-o' }, { telemetrySeconds: TELEMETRY_SECONDS, bufferMaxTelemetry: BUFFER_MAX_TELEMETRY }, true);
    let deskline: Awaited<ReturnType<typeof startInProcess>> | undefined;
    try {
      await writeFile(join(dir.path, 'short.yaml'), ['id: short', 'name: Short call', 'languages: [en]', 'defaultLanguage: en', 'start: hello', 'nodes:', '  hello: { kind: play, prompts: [{ sound: beep }], next: bye }', '  bye: { kind: hangup }', ''].join('\n'));
      const clock = new ShiftedClock(Date.now());
      deskline = await startInProcess(sandbox, join(dir.path, 'store'), { ...fleet.site, ivr: { flowsDir: dir.path, routes: [{ number: NUMBER, flow: 'short' }] } }, clock);
      return await outage(scale, progress, sandbox, deskline, clock, fleet);
    } finally {
      await deskline?.stop().catch(() => undefined);
      await fleet.close();
      await dir.remove();
    }
  });
}

async function outage(
  scale: number,
  progress: (line: string) => void,
  sandbox: AsteriskSandbox,
  deskline: Awaited<ReturnType<typeof startInProcess>>,
  clock: ShiftedClock,
  fleet: FleetRig,
): Promise<FaultOutcome> {
  const checks: FaultCheck[] = [];
  const health = async () => ((await (await fetch(`${deskline.httpUrl}/healthz`)).json()) as Health).fleet!;
  const call = (n: number): Promise<CallSummary> =>
    placeTestCall({ to: NUMBER, script: 'wait 20; hangup', callerNumber: `55530${String(n).padStart(3, '0')}`, timeoutSeconds: 60 }, { telephony: deskline.telephony, calls: deskline.calls, records: deskline.records, media: sandbox.media });
  const fromBox = () => fleet.seen.filter((m) => m.topic === `${fleet.base}/events` || m.topic === `${fleet.base}/telemetry`);

  // Before: the link is up and caught up.
  await waitFor('the fleet link connected', async () => (await health()).connected, 15_000);
  const warm = await Promise.all(Array.from({ length: 2 }, (_, i) => call(i)));
  await waitFor('the outbox drained', async () => (await health()).buffered === 0, 15_000);
  const before = await health();
  const seqBefore = Math.max(0, ...fromBox().map((m) => Number(payloadOf(m).seq)));
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;

  // The broker goes down (SIGTERM: it saves its sessions, as a service restart would).
  await fleet.broker.stop();
  const downAt = Date.now();
  const clockDown = clock.now();
  await waitFor('the box notices the outage', async () => !(await health()).connected, 15_000);
  progress(`broker down; ${scale} calls while 5 minutes pass on Deskline's clock in ${STEPS} steps`);
  let maxBuffered = 0;
  let rssPeak = rssBefore;
  const during: CallSummary[] = [];
  for (let step = 0; step < STEPS; step++) {
    const batch = Math.floor(scale / STEPS) + (step < scale % STEPS ? 1 : 0);
    during.push(...(await Promise.all(Array.from({ length: batch }, (_, i) => call(100 + during.length + i)))));
    await deskline.calls.idle();
    await deskline.endings.idle();
    // Each step's telemetry periods are in the outbox (kept or counted as dropped) before the next.
    const seen = async () => {
      const h = await health();
      return h.buffered + h.dropped;
    };
    const base = await seen();
    clock.advance(OUTAGE_MS / STEPS);
    await waitFor(`step ${step + 1}: ${TICKS_PER_STEP} telemetry periods collected`, async () => (await seen()) >= base + TICKS_PER_STEP, 10_000);
    const h = await health();
    maxBuffered = Math.max(maxBuffered, h.buffered);
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }
  // Let the last step's telemetry chain finish: telemetry ticks generated = outage / period.
  const expectedTicks = OUTAGE_MS / (TELEMETRY_SECONDS * 1000);
  await deskline.endings.idle();
  const duringOutage = await health();
  const droppedInOutage = duringOutage.dropped - before.dropped;
  progress(`outage over on Deskline's clock (${round((Date.now() - downAt) / 1000)} s of wall time): ${duringOutage.buffered} buffered, ${droppedInOutage} telemetry dropped`);
  checks.push(check(`the outbox stays bounded: at most ${BUFFER_MAX_TELEMETRY} telemetry messages plus the events`, maxBuffered <= BUFFER_MAX_TELEMETRY + during.length + 1, `max ${maxBuffered} buffered with ${during.length} call-ended events`));

  // The broker comes back: everything buffered arrives.
  const restartAt = Date.now();
  const clockUp = clock.now();
  await fleet.broker.start();
  await waitFor('the box reconnects and drains its outbox', async () => {
    const h = await health();
    return h.connected && h.buffered === 0;
  }, 30_000);
  const drainedSeconds = (Date.now() - restartAt) / 1000;
  const endedIds = new Set<string>();
  const calls = [...warm, ...during];
  await waitFor('every call-ended event at the operator', () => {
    for (const m of fromBox()) {
      const body = payloadOf(m);
      if (body.kind === 'call-ended') endedIds.add(String(body.data?.callId));
    }
    return calls.every((c) => endedIds.has(c.callId));
  }, 20_000).catch(() => undefined);
  const missingEvents = calls.filter((c) => !endedIds.has(c.callId)).map((c) => c.callId);
  checks.push(check('every call\'s call-ended event arrives after the outage', missingEvents.length === 0, missingEvents.length ? `missing ${missingEvents.length}: ${missingEvents.slice(0, 5).join(', ')}` : `${calls.length}/${calls.length}`));

  // Seqs: everything after the outage began, deduplicated (QoS 1 may deliver twice); the only gaps
  // are the telemetry the outbox dropped, and that count is what the box reports.
  const after = await health();
  const seqs = [...new Set(fromBox().map((m) => Number(payloadOf(m).seq)).filter((s) => s > seqBefore))].sort((a, b) => a - b);
  const span = seqs.length ? seqs.at(-1)! - seqBefore : 0;
  const gaps = span - seqs.length;
  const dropped = after.dropped - before.dropped;
  checks.push(check('seqs arrive without gaps except the telemetry dropped by the bound (events are never dropped)', gaps === dropped, `${seqs.length} messages over ${span} seqs: ${gaps} missing, ${dropped} telemetry dropped by the box`));
  // Telemetry periods of the outage (Deskline's clock, which also runs on in real time): the ones
  // that arrived are what the bound kept; the rest must be exactly the dropped count.
  const periods = Math.floor((clockUp - clockDown) / (TELEMETRY_SECONDS * 1000));
  const kept = new Set(fromBox().filter((m) => m.topic.endsWith('/telemetry')).map(payloadOf).filter((b) => Date.parse(b.at) > clockDown && Date.parse(b.at) <= clockUp).map((b) => b.seq)).size;
  checks.push(check(`telemetry is dropped only beyond the bound: of ${expectedTicks}+ periods in the outage, ${BUFFER_MAX_TELEMETRY} kept, the rest dropped and counted`, periods >= expectedTicks && kept <= BUFFER_MAX_TELEMETRY + 1 && Math.abs(kept + dropped - periods) <= 1, `${periods} periods: ${kept} arrived after the outage, ${dropped} dropped`));
  const lastTelemetry = fromBox().filter((m) => m.topic.endsWith('/telemetry')).map(payloadOf).sort((a, b) => a.seq - b.seq).at(-1);
  checks.push(check('the telemetry itself reports the dropped count', Number(lastTelemetry?.dropped) - before.dropped === dropped, `last telemetry says ${lastTelemetry?.dropped} dropped in all (${before.dropped} before the outage)`));
  global.gc?.();
  const rssGrowthMb = (rssPeak - rssBefore) / 2 ** 20;
  checks.push(check('memory stays bounded through the outage (RSS growth under 64 MB)', rssGrowthMb < 64, `${round(rssGrowthMb, 1)} MB peak growth (${round(rssBefore / 2 ** 20)} → ${round(rssPeak / 2 ** 20)} MB)`));

  return {
    checks,
    measured: {
      calls: calls.length,
      outageClockSeconds: OUTAGE_MS / 1000,
      outageWallSeconds: round((restartAt - downAt) / 1000),
      telemetryPeriods: periods,
      telemetryKept: kept,
      telemetryDropped: dropped,
      maxBuffered,
      secondsToDrainAfterRestart: round(drainedSeconds),
      rssGrowthMb: round(rssGrowthMb, 1),
    },
  };
}

export const scenario: FaultScenario = {
  name: 'broker-outage',
  describe: 'MQTT broker down 5 minutes under load: nothing lost, memory bounded',
  run: (options) => runBrokerOutage(options),
};
