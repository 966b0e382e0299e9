// System load benchmark: real calls ramped in steps through a demo-shaped site (menu → queue →
// simulated agents → recorded conversation, a share transcribed), Local-channel caller scripts plus
// a sipp share, then the same calls through the same scenario as plain dialplan + app_queue on the
// same Asterisk. `npm run bench -- system [--steps 5,10,20,40] [--seconds 30] [--transcribe-share 0.2]
// [--sip-share 0.1]`. The load driver is a child process: Node CPU, loop lag and RSS are Deskline's.
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { startSandbox } from '../../src/asterisk/sandbox.ts';
import type { Appliance } from '../../src/app/appliance.ts';
import { startInProcess, tempDir } from '../helpers/appliance.ts';
import { simulate } from '../helpers/queues.ts';
import { processCpuSeconds } from './stats.ts';
import type { DriverMessage, StepOrder, StepResult } from './system/driver-protocol.ts';
import { compare, markdownTable, sideFigures, GOALS, type CallVerdict, type StepReport, type WindowReadings } from './system/figures.ts';
import { installNativeReference } from './system/native-reference.ts';
import { agentIds, benchSite, stagePhrases, BENCH_NUMBER, KEY_PLAIN, KEY_TRANSCRIBED, QUEUE_MAX_WAIT_SECONDS, QUEUE_RING_TIMEOUT_SECONDS } from './system/site.ts';
import { desklineVerdict, dialplanVerdict } from './system/verdicts.ts';
import { threadCpu, threadCpuDelta, type ThreadCpu } from './system/threads.ts';

const NATIVE_NUMBER = 'sysbench';
const SIP_NATIVE_ENDPOINT = 'benchnative';
/** Agents answer after half a second and stay on until the caller hangs up. */
const AGENT_MODE = 'answer,0.5';
const SCRIPT = { beforeKeySeconds: 1.5, beforeSpeechSeconds: 2, afterSpeechSeconds: 3 };
const driverFile = fileURLToPath(new URL('./system/driver.ts', import.meta.url));
const sippScenario = fileURLToPath(new URL('../fixtures/bench-system/sipp-caller.xml', import.meta.url));
const read = (path: string) => readFileSync(path, 'utf8');
const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(read(`/proc/${pid}/status`))?.[1] ?? 0) * 1024;

export async function run(argv: string[], progress: (line: string) => void) {
  const { values } = parseArgs({
    args: argv,
    options: {
      steps: { type: 'string', default: '5,10,20,40' },
      seconds: { type: 'string', default: '30' },
      'transcribe-share': { type: 'string', default: '0.2' },
      'sip-share': { type: 'string', default: '0.1' },
    },
  });
  const steps = values.steps.split(',').map(Number);
  const seconds = Number(values.seconds);
  const transcribeShare = Number(values['transcribe-share']);
  const sipShare = Number(values['sip-share']);
  if (steps.some((n) => !Number.isInteger(n) || n < 1) || !(seconds >= 5) || !(transcribeShare >= 0 && transcribeShare <= 1) || !(sipShare >= 0 && sipShare <= 1)) {
    throw new Error('--steps: positive integers, --seconds ≥ 5, --transcribe-share and --sip-share in 0..1');
  }
  // Every caller can have an agent at once: the step measures the system, not a staffing shortage.
  const agents = agentIds(Math.max(...steps) + 2);

  const sandbox = await startSandbox({
    name: 'bench-system',
    endpoints: [{ name: SIP_NATIVE_ENDPOINT, context: 'deskline-native', codecs: 'ulaw,alaw', callerId: '"Bench SIP" <5550200>', password: '', contact: '' }],
  });
  const dir = await tempDir('deskline-bench-system-');
  let appliance: Appliance | undefined;
  let driver: ChildProcess | undefined;
  try {
    const asteriskPid = sandbox.pid!;
    if (!read(`/proc/${asteriskPid}/comm`).startsWith('asterisk')) throw new Error(`sandbox pid ${asteriskPid} is not Asterisk`);
    const reference = await installNativeReference(sandbox, { exten: NATIVE_NUMBER, agentDialStrings: agents.map((a) => `Local/${a}@deskline-sim/n`), ringTimeoutSeconds: QUEUE_RING_TIMEOUT_SECONDS, maxWaitSeconds: QUEUE_MAX_WAIT_SECONDS });
    const phrases = await stagePhrases(sandbox, dir.path);
    appliance = await startInProcess(sandbox, dir.path, await benchSite(dir.path, agents));
    const deskline = appliance;
    if (transcribeShare > 0 && !deskline.transcription) throw new Error('the speech engine did not load: transcription cannot run');
    for (const agent of agents) {
      await simulate(deskline, agent, AGENT_MODE);
      await deskline.queues!.agentAction(agent, 'login');
    }

    driver = fork(driverFile, [], { env: { ...process.env, BENCH_SYSTEM_DRIVER: JSON.stringify({ ariUrl: sandbox.ariUrl, ariUser: sandbox.ariUser, ariPassword: sandbox.ariPassword, sipPort: sandbox.sipPort, sippScenario }) }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const child = driver;
    const driverPid = await new Promise<number>((resolve, reject) => {
      child.once('message', (m: DriverMessage) => (m.type === 'ready' ? resolve(m.pid) : reject(new Error(`driver: ${JSON.stringify(m)}`))));
      child.once('exit', (code) => reject(new Error(`the load driver exited (${code}) before it was ready`)));
    });

    const warmMs = Math.ceil((SCRIPT.beforeKeySeconds + SCRIPT.beforeSpeechSeconds + 2 + SCRIPT.afterSpeechSeconds + 1.5) * 1000);
    const order = (side: StepOrder['side'], concurrency: number, windowMs: number): StepOrder => ({
      side,
      context: side === 'deskline' ? 'deskline-inbound' : 'deskline-native',
      number: side === 'deskline' ? BENCH_NUMBER : NATIVE_NUMBER,
      sipNumber: side === 'deskline' ? BENCH_NUMBER : NATIVE_NUMBER,
      sipEndpoint: side === 'deskline' ? 'caller' : SIP_NATIVE_ENDPOINT,
      concurrency,
      sipSlots: sipShare > 0 ? Math.max(1, Math.round(concurrency * sipShare)) : 0,
      warmMs,
      windowMs,
      callDeadlineMs: 90_000,
      transcribeShare,
      keyTranscribed: KEY_TRANSCRIBED,
      keyPlain: KEY_PLAIN,
      phrases,
      script: SCRIPT,
      // As long on the line as a Local caller: its waits plus about two seconds of speech.
      sipHoldMs: Math.round((SCRIPT.beforeKeySeconds - 1 + SCRIPT.beforeSpeechSeconds + 2 + SCRIPT.afterSpeechSeconds) * 1000),
      progressEvery: Math.max(10, concurrency * 2),
    });

    /** Runs one side of one step; samples this process's CPU, loop lag and RSS over the window only. */
    const runSide = (stepOrder: StepOrder) =>
      new Promise<{ result: StepResult; readings: Omit<WindowReadings, 'windowStart' | 'windowEnd' | 'samples' | 'sippRuns' | 'sippFailures'>; nodeThreads: Record<string, number> }>((resolve, reject) => {
        const lag = monitorEventLoopDelay({ resolution: 10 });
        let cpu0 = process.cpuUsage();
        let ast0 = 0;
        let drv0 = 0;
        let rssPeak = 0;
        let astRssPeak = 0;
        let threads0: ThreadCpu = new Map();
        let nodeThreads: Record<string, number> = {};
        let rssTimer: NodeJS.Timeout | undefined;
        let readings: Omit<WindowReadings, 'windowStart' | 'windowEnd' | 'samples' | 'sippRuns' | 'sippFailures'> | undefined;
        const onMessage = (m: DriverMessage) => {
          if (m.type === 'progress') progress(m.line);
          else if (m.type === 'window' && m.edge === 'start') {
            cpu0 = process.cpuUsage();
            ast0 = processCpuSeconds(asteriskPid, read);
            drv0 = processCpuSeconds(driverPid, read);
            threads0 = threadCpu(process.pid);
            lag.enable();
            rssTimer = setInterval(() => {
              rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
              astRssPeak = Math.max(astRssPeak, rssOf(asteriskPid));
            }, 250);
          } else if (m.type === 'window' && m.edge === 'end') {
            const cpu = process.cpuUsage(cpu0);
            nodeThreads = threadCpuDelta(threads0, threadCpu(process.pid));
            // getrusage counts threads that ended inside the window; /proc/PID/task no longer lists them.
            const listed = Object.values(nodeThreads).reduce((a, b) => a + b, 0);
            if ((cpu.user + cpu.system) / 1e6 - listed >= 0.05) nodeThreads['(threads that ended)'] = Math.round(((cpu.user + cpu.system) / 1e6 - listed) * 100) / 100;
            lag.disable();
            clearInterval(rssTimer);
            readings = {
              nodeCpuSeconds: (cpu.user + cpu.system) / 1e6,
              asteriskCpuSeconds: processCpuSeconds(asteriskPid, read) - ast0,
              driverCpuSeconds: processCpuSeconds(driverPid, read) - drv0,
              eventLoopLagP99Ms: lag.percentile(99) / 1e6,
              rssPeakBytes: rssPeak,
              asteriskRssPeakBytes: astRssPeak,
            };
          } else if (m.type === 'step-done') {
            child.off('message', onMessage);
            if (!readings) reject(new Error('the step ended without a measuring window'));
            else resolve({ result: m.result, readings, nodeThreads });
          } else if (m.type === 'error') {
            child.off('message', onMessage);
            reject(new Error(`load driver: ${m.message}`));
          }
        };
        child.on('message', onMessage);
        child.send({ type: 'step', order: stepOrder });
      });

    /** Waits until Deskline has finished with every call (records, recordings stored, transcripts written). */
    const settleDeskline = async () => {
      await deskline.calls.idle();
      await deskline.queues!.idle();
      await deskline.transcription?.idle();
      await deskline.calls.idle();
    };

    // The ACD's decisions per call, to show what a slow queue assignment waited on.
    const acdTrail = new Map<string, { type: string; at: number; [k: string]: unknown }[]>();
    deskline.queues!.on('trail', (entry: { type: string; at: number; callId?: string; [k: string]: unknown }) => {
      if (typeof entry.callId !== 'string' || !entry.callId.startsWith('bench-')) return;
      acdTrail.set(entry.callId, [...(acdTrail.get(entry.callId) ?? []), entry]);
    });
    const slowAssignments = (verdicts: CallVerdict[]) =>
      verdicts
        .filter((v) => (v.queueAssignMs ?? 0) > 2000)
        .sort((a, b) => b.queueAssignMs! - a.queueAssignMs!)
        .slice(0, 3)
        .map((v) => {
          const entries = acdTrail.get(v.id) ?? [];
          const t0 = entries[0]?.at ?? 0;
          return { callId: v.id, queueAssignMs: v.queueAssignMs, acd: entries.map((e) => `+${e.at - t0} ${e.type}${Array.isArray(e.agentIds) ? ` ${e.agentIds.join(',')}` : typeof e.agentId === 'string' ? ` ${e.agentId}` : ''}`) };
        });

    const judgeDeskline = async (result: StepResult): Promise<CallVerdict[]> => {
      await settleDeskline();
      const verdicts: CallVerdict[] = [];
      for (const call of result.calls) {
        const record = await deskline.records.get(call.id);
        const trail = record ? await deskline.records.trail(call.id) : [];
        let recordingStored = false;
        // The recording is moved into the store after the call: give it a few seconds (polled, bounded).
        for (let i = 0; i < 50 && !recordingStored && trail.some((e) => e.type === 'recording-started'); i++) {
          recordingStored = (await deskline.recordings.list({ callId: call.id })).length > 0;
          if (!recordingStored) await new Promise((r) => setTimeout(r, 100));
        }
        verdicts.push(desklineVerdict(call, { record, trail, recordingStored }));
      }
      return verdicts;
    };

    const judgeDialplan = async (result: StepResult): Promise<CallVerdict[]> =>
      Promise.all(result.calls.map(async (call) => dialplanVerdict(call, await stat(`${reference.monitorDir}/${call.id}.wav`).then((s) => s.size, () => undefined))));

    const runStep = async (concurrency: number, windowMs: number) => {
      const figures = {} as Record<StepOrder['side'], ReturnType<typeof sideFigures>>;
      const threadsBySide = {} as Record<StepOrder['side'], Record<string, number>>;
      const slowBySide: { deskline?: ReturnType<typeof slowAssignments> } = {};
      acdTrail.clear();
      for (const side of ['deskline', 'dialplan'] as const) {
        const { result, readings, nodeThreads } = await runSide(order(side, concurrency, windowMs));
        const verdicts = side === 'deskline' ? await judgeDeskline(result) : await judgeDialplan(result);
        if (side === 'deskline') slowBySide.deskline = slowAssignments(verdicts);
        figures[side] = sideFigures(verdicts, { ...readings, windowStart: result.windowStart, windowEnd: result.windowEnd, samples: result.samples, sippRuns: result.sippRuns, sippFailures: result.sippFailures });
        const f = figures[side];
        threadsBySide[side] = nodeThreads;
        progress(`${side} ${concurrency} concurrent: held ${f.concurrentHeld.mean}, ${f.callsPerSecond} calls/s, prompt p99 ${f.promptStartMs.p99} ms, queue assign p99 ${f.queueAssignMs.p99} ms, Node CPU ${f.nodeCpuSeconds} s, Asterisk CPU ${f.asteriskCpuSeconds} s, failed ${f.failed} of ${f.callsStarted}${f.failed ? ` ${JSON.stringify(f.failures)}` : ''}${side === 'deskline' ? `; Node CPU by thread ${JSON.stringify(nodeThreads)}` : ''}`);
        if (side === 'deskline') await settleDeskline();
      }
      return { concurrency, deskline: figures.deskline, dialplan: figures.dialplan, comparison: compare(figures.deskline, figures.dialplan), nodeCpuByThread: threadsBySide, desklineSlowestQueueAssignments: slowBySide.deskline ?? [] };
    };

    progress(`Asterisk ${sandbox.version}; steps ${steps.join(',')} concurrent calls, ${seconds} s measured per step and side after ${warmMs / 1000} s of warm-up; ${agents.length} agents; transcribed share ${transcribeShare}; sipp share ${sipShare}`);
    // Warm both paths (module loading, JIT, the speech model's first decode) before measuring.
    const warm = await runStep(Math.min(2, steps[0]!), 5_000);
    progress(`warm-up done (Deskline ${warm.deskline.failed} failed, dialplan ${warm.dialplan.failed} failed)`);
    const reports: (StepReport & { nodeCpuByThread: Record<string, Record<string, number>>; desklineSlowestQueueAssignments: unknown[] })[] = [];
    for (const concurrency of steps) {
      const report = await runStep(concurrency, seconds * 1000);
      reports.push(report);
      const c = report.comparison;
      progress(`step ${concurrency}: calls/s ratio ${c.callsPerSecondRatio} (goal ${c.goals.callsPerSecondRatio.goal}: ${c.goals.callsPerSecondRatio.met ? 'met' : 'NOT met'}), Node/Asterisk CPU ${c.nodeToAsteriskCpu} (goal ${c.goals.nodeToAsteriskCpu.goal}: ${c.goals.nodeToAsteriskCpu.met ? 'met' : 'NOT met'})${c.desklineHeldTheLoad ? '' : `; Deskline did not hold this load (${report.deskline.failed} of ${report.deskline.callsStarted} calls failed): the CPU ratio is no evidence here`}`);
    }
    const table = markdownTable(reports);
    for (const line of table.split('\n')) progress(line);
    const allMet = (key: keyof StepReport['comparison']['goals']) => reports.every((r) => r.comparison.goals[key].met);
    progress(`goals: calls/s ≥ ${GOALS.callsPerSecondRatio}× dialplan ${allMet('callsPerSecondRatio') ? 'met' : 'NOT met'} at every step; Node CPU ≤ ${GOALS.nodeToAsteriskCpu}× Asterisk CPU ${allMet('nodeToAsteriskCpu') ? 'met' : 'NOT met'} at every step`);
    return {
      asterisk: sandbox.version,
      scenario: {
        deskline: 'flow bench-system: menu (hello-world) → key 1 sales queue (transcribed: caller) or key 2 support queue → longest-idle simulated agent (Local/<id>@deskline-sim/n, answers after 0.5 s), recording: all, no whisper, no wrap-up',
        dialplan: 'Background(hello-world) menu → Queue(sales|support) app_queue leastrecent with the same agents as static members → MixMonitor (monitor-format wav); no transcription (plain dialplan has none)',
        callerScript: `wait ${SCRIPT.beforeKeySeconds}; dtmf 1|2; wait ${SCRIPT.beforeSpeechSeconds}; play <flite help-line phrase>; wait ${SCRIPT.afterSpeechSeconds}; hangup`,
        sipCaller: 'sipp (test/fixtures/bench-system/sipp-caller.xml): INVITE, RFC 2833 key 2 after 1 s, stays as long as a Local caller, BYE',
        steps, secondsPerStep: seconds, warmUpSecondsPerStep: warmMs / 1000, agents: agents.length, transcribeShare, sipShare,
      },
      steps: reports,
      goals: {
        callsPerSecondRatio: { goal: `>= ${GOALS.callsPerSecondRatio}`, metAtEveryStep: allMet('callsPerSecondRatio') },
        nodeToAsteriskCpu: { goal: `<= ${GOALS.nodeToAsteriskCpu}`, metAtEveryStep: allMet('nodeToAsteriskCpu') },
        stepsDesklineHeld: reports.filter((r) => r.comparison.desklineHeldTheLoad).map((r) => r.concurrency),
      },
      table,
      notes: [
        'Closed loop: each concurrent caller places its next call when the previous one ends; calls/s counts calls that completed everything (see verdicts.ts) and ended inside the measured window.',
        'Deskline latencies come from its call trail (answered → prompt-started, queue → agent-connected); the dialplan\'s from Asterisk event timestamps (Up → BackGround, Queue → ChannelEnteredBridge).',
        'Node CPU is the Deskline process alone (ARI handling, ACD, recordings, on-box pocketsphinx transcription); callers, ARI event watching and sipp run in a separate driver process (driverCpuSeconds).',
        'Dialplan-side Node CPU is Deskline idling while the reference runs.',
        'nodeCpuByThread: the Deskline process\'s window CPU by thread name (/proc/PID/task), to show where it goes.',
      ],
    };
  } finally {
    if (driver && driver.exitCode === null) {
      driver.send({ type: 'stop' });
      await new Promise((resolve) => {
        const timer = setTimeout(() => {
          driver!.kill('SIGKILL');
          resolve(undefined);
        }, 5000);
        driver!.once('exit', () => {
          clearTimeout(timer);
          resolve(undefined);
        });
      });
    }
    // Each shutdown step on its own: one failing must not leave Asterisk, its folder or the store behind.
    const shutdown = async (what: string, step: () => Promise<unknown> | undefined) => {
      try {
        await step();
      } catch (error) {
        progress(`shutdown: ${what} failed: ${(error as Error).stack ?? String(error)}`);
      }
    };
    await shutdown('Deskline stop', () => appliance?.stop());
    await shutdown('sandbox stop', () => sandbox.stop());
    await shutdown('temp folder removal', () => dir.remove());
  }
}


