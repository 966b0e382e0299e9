// Calls benchmark: N scripted Local-channel calls, C at a time, through Deskline's minimal call,
// then the same calls into the same call as pure dialplan on the same Asterisk (the reference).
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { startSandbox } from '../../src/asterisk/sandbox.ts';
import { startInProcess, tempDir } from '../helpers/appliance.ts';
import { AriTelephony } from '../../src/telephony/ari-telephony.ts';
import type { OriginateScriptedCall } from '../../src/telephony/telephony.ts';
import { percentile, processCpuSeconds, round } from './stats.ts';

const script: OriginateScriptedCall['steps'] = [{ op: 'wait', arg: '0.3' }, { op: 'dtmf', arg: '1' }, { op: 'wait', arg: '0.3' }, { op: 'hangup', arg: '' }];

export async function run(argv: string[], progress: (line: string) => void) {
  const { values } = parseArgs({ args: argv, options: { calls: { type: 'string', default: '200' }, concurrency: { type: 'string', default: '30' }, rounds: { type: 'string', default: '3' } } });
  const total = Number(values.calls);
  const concurrency = Number(values.concurrency);
  const rounds = Number(values.rounds);
  const round2 = (n: number) => round(n);
  const sandbox = await startSandbox({ name: 'bench' });
  const dir = await tempDir('deskline-bench-');
  const latencies: number[] = [];
  const appliance = await startInProcess(sandbox, dir.path);
  // Time Deskline's own ARI requests (not the driver's originates).
  const rest = appliance.telephony.rest as unknown as { onTimed?: (ms: number, method: string, path: string) => void };
  const byKind = new Map<string, number[]>();
  rest.onTimed = (ms, method, path) => {
    latencies.push(ms);
    const kind = `${method} ${path.replace(/\/channels\/[^/]+/, '/channels/ID').replace(/\/play\/.*/, '/play/ID')}`;
    byKind.set(kind, [...(byKind.get(kind) ?? []), ms]);
  };

  // The driver places callers and sees them end through its own observer app (all channel events).
  const driver = new AriTelephony({ url: sandbox.ariUrl, user: sandbox.ariUser, password: sandbox.ariPassword, app: 'bench-driver', subscribeAll: true, logger: pino({ level: 'silent' }) });
  const ends = new Map<string, () => void>();
  driver.connection.on('event', (event) => {
    if (event.type === 'ChannelDestroyed' && event.channel && ends.has(event.channel.id)) {
      ends.get(event.channel.id)!();
      ends.delete(event.channel.id);
    }
  });
  driver.start();
  await driver.connection.whenConnected(10_000);

  async function wave(context: 'deskline-inbound' | 'deskline-native', count = total) {
    let next = 0;
    let finished = 0;
    let failed = 0;
    let live = 0;
    let peakLive = 0;
    const started = performance.now();
    const worker = async () => {
      while (next < count) {
        next++;
        const id = randomUUID();
        const done = new Promise<void>((resolve) => ends.set(`caller-${id}`, resolve));
        live++;
        peakLive = Math.max(peakLive, live);
        try {
          await driver.originateScriptedCall({ callChannelId: `bench-${id}`, callerChannelId: `caller-${id}`, to: '4000', context, callerNumber: '5550000', callerName: 'bench', steps: script, timeoutSeconds: 30 });
          await done;
        } catch {
          failed++;
          ends.delete(`caller-${id}`);
        }
        live--;
        if (++finished % 50 === 0) progress(`${context}: ${finished}/${count} calls done`);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return { seconds: (performance.now() - started) / 1000, failed: failed + (count - finished), peakLive };
  }

  // Warm up both paths (module loading, JIT, Asterisk caches) before anything is measured.
  await wave('deskline-inbound', 2 * concurrency);
  await wave('deskline-native', 2 * concurrency);
  await appliance.calls.idle();
  const warmupIds = new Set((await appliance.records.list({ limit: 10_000 })).map((r) => r.callId));
  latencies.length = 0;
  byKind.clear();

  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const rssTimer = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 100);
  const lag = monitorEventLoopDelay({ resolution: 10 });
  const read = (path: string) => readFileSync(path, 'utf8');
  const pid = sandbox.pid!;

  progress(`Asterisk ${sandbox.version}; ${rounds} rounds of ${total} calls, ${concurrency} at a time, Deskline then dialplan`);
  const desklineRuns: { rate: number; failed: number; nodeCpu: number; asteriskCpu: number; peakLive: number }[] = [];
  const nativeRuns: { rate: number; failed: number; asteriskCpu: number }[] = [];
  lag.enable();
  for (let roundIndex = 0; roundIndex < rounds; roundIndex++) {
    const cpu0 = process.cpuUsage();
    const ast0 = processCpuSeconds(pid, read);
    const d = await wave('deskline-inbound');
    const cpu1 = process.cpuUsage(cpu0);
    const ast1 = processCpuSeconds(pid, read);
    desklineRuns.push({ rate: (total - d.failed) / d.seconds, failed: d.failed, nodeCpu: (cpu1.user + cpu1.system) / 1e6, asteriskCpu: ast1 - ast0, peakLive: d.peakLive });
    lag.disable();
    const nativeLag = monitorEventLoopDelay({ resolution: 10 });
    nativeLag.enable();
    const n = await wave('deskline-native');
    nativeLag.disable();
    progress(`event-loop lag p99 during the dialplan wave (Deskline idle): ${round2(nativeLag.percentile(99) / 1e6)} ms`);
    const ast2 = processCpuSeconds(pid, read);
    nativeRuns.push({ rate: (total - n.failed) / n.seconds, failed: n.failed, asteriskCpu: ast2 - ast1 });
    lag.enable();
    progress(`round ${roundIndex + 1}: Deskline ${round2(desklineRuns.at(-1)!.rate)} calls/s, dialplan ${round2(nativeRuns.at(-1)!.rate)} calls/s`);
  }
  lag.disable();
  clearInterval(rssTimer);
  await appliance.calls.idle();
  const records = (await appliance.records.list({ limit: 100_000 })).filter((r) => !warmupIds.has(r.callId));
  const isComplete = (r: (typeof records)[number]) => r.outcome === 'completed' && r.digits === '1' && r.answeredAt !== undefined;
  const complete = records.filter(isComplete).length;
  for (const r of records.filter((r) => !isComplete(r)).slice(0, 3)) {
    progress(`incomplete record ${r.callId}: ${JSON.stringify((await appliance.records.trail(r.callId)).map((e) => [e.type, e.at - r.startedAt, e.digit ?? '']))}`);
  }

  await driver.stop();
  await appliance.stop();
  await sandbox.stop();
  await dir.remove();

  const median = (values: number[]) => percentile(values, 50);
  const nodeCpuSeconds = desklineRuns.reduce((a, r) => a + r.nodeCpu, 0);
  const asteriskCpuSeconds = desklineRuns.reduce((a, r) => a + r.asteriskCpu, 0);
  const desklineRate = median(desklineRuns.map((r) => r.rate));
  const nativeRate = median(nativeRuns.map((r) => r.rate));
  return {
    asterisk: sandbox.version,
    callsPerRound: total,
    rounds,
    concurrency,
    callerScript: script.map((s) => `${s.op} ${s.arg}`.trim()).join('; '),
    deskline: {
      callsPerSecondMedian: round(desklineRate),
      callsPerSecondRounds: desklineRuns.map((r) => round(r.rate)),
      failed: desklineRuns.reduce((a, r) => a + r.failed, 0),
      completeRecords: `${complete} of ${records.length}`,
      ariLatencyMs: {
        count: latencies.length, p50: round(percentile(latencies, 50)), p99: round(percentile(latencies, 99)),
        byRequest: Object.fromEntries([...byKind].map(([kind, ms]) => [kind, { count: ms.length, p50: round(percentile(ms, 50)), p99: round(percentile(ms, 99)) }])),
      },
      eventLoopLagP99Ms: round(lag.percentile(99) / 1e6),
      rssPerCallKiB: round((rssPeak - rssBefore) / 1024 / Math.max(1, ...desklineRuns.map((r) => r.peakLive)), 1),
      nodeCpuSeconds: round(nodeCpuSeconds),
      asteriskCpuSeconds: round(asteriskCpuSeconds),
      nodeToAsteriskCpu: round(nodeCpuSeconds / Math.max(0.01, asteriskCpuSeconds)),
      nodeCpuMsPerCall: round((nodeCpuSeconds * 1000) / (rounds * total)),
    },
    dialplan: {
      callsPerSecondMedian: round(nativeRate),
      callsPerSecondRounds: nativeRuns.map((r) => round(r.rate)),
      failed: nativeRuns.reduce((a, r) => a + r.failed, 0),
      asteriskCpuSeconds: round(nativeRuns.reduce((a, r) => a + r.asteriskCpu, 0)),
    },
    ratio: { desklineToDialplanRate: round(desklineRate / nativeRate, 3), goal: '>= 0.9' },
    note: 'Node CPU includes the benchmark driver (it runs in the same process as Deskline).',
  };
}
