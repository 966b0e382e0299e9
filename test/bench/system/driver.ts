// The system bench's load driver, run as a child process (forked by system.ts) so that placing
// calls, watching every channel's ARI events and running sipp cost nothing in the Deskline process
// whose CPU, event-loop lag and memory the bench reports. One step: `concurrency` callers, each
// placing its next call as soon as the previous one ended (closed loop), for warm-up + window,
// then the calls still up run to their end.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { freeUdpPort } from '../../../src/asterisk/free-port.ts';
import { AriTelephony } from '../../../src/telephony/ari-telephony.ts';
import type { DriverInit, DriverMessage, ObservedCall, StepOrder, StepResult } from './driver-protocol.ts';

const init = JSON.parse(process.env.BENCH_SYSTEM_DRIVER ?? '{}') as DriverInit;
const send = (message: DriverMessage) => process.send!(message);
const ms = (timestamp: string | undefined) => (timestamp ? Date.parse(timestamp) : Date.now());

const driver = new AriTelephony({ url: init.ariUrl, user: init.ariUser, password: init.ariPassword, app: 'bench-system-driver', subscribeAll: true, logger: pino({ level: 'silent' }) });

/** Calls of the running step by their answering channel's id; the caller half maps onto it. */
const calls = new Map<string, ObservedCall>();
const callerHalf = new Map<string, string>();
const endWaiters = new Map<string, () => void>();
let sipPattern: RegExp | undefined;

driver.connection.on('event', (event: { type: string; timestamp?: string; channel?: { id: string; name: string; state: string }; dialplan_app?: string }) => {
  const channel = event.channel;
  if (!channel) return;
  const at = ms(event.timestamp);
  if (event.type === 'ChannelCreated' && sipPattern?.test(channel.name) && !calls.has(channel.id)) {
    calls.set(channel.id, { id: channel.id, via: 'sip', key: '2', originatedAt: at, ok: false });
  }
  const call = calls.get(channel.id);
  if (call) {
    if (event.type === 'ChannelStateChange' && channel.state === 'Up') call.answeredAt ??= at;
    if (event.type === 'ChannelDialplan' && event.dialplan_app === 'BackGround') call.promptAt ??= at;
    if (event.type === 'ChannelDialplan' && event.dialplan_app === 'Queue') call.queueAt ??= at;
    if (event.type === 'ChannelEnteredBridge') call.bridgedAt ??= at;
    if (event.type === 'ChannelDestroyed' && call.via === 'sip') call.endedAt = at;
    return;
  }
  const answering = callerHalf.get(channel.id);
  if (!answering) return;
  const owner = calls.get(answering)!;
  // The caller script reached its own hang-up: nothing cut the call short.
  if (event.type === 'ChannelDialplan' && event.dialplan_app === 'Hangup') owner.scriptDone = true;
  if (event.type === 'ChannelDestroyed') {
    owner.endedAt = at;
    endWaiters.get(channel.id)?.();
    endWaiters.delete(channel.id);
  }
});

async function localCall(order: StepOrder, index: number): Promise<void> {
  const uuid = randomUUID();
  const id = `bench-${uuid}`;
  const callerId = `caller-${uuid}`;
  const transcribed = Math.floor((index + 1) * order.transcribeShare) > Math.floor(index * order.transcribeShare);
  const key = transcribed ? order.keyTranscribed : order.keyPlain;
  const phrase = order.phrases[index % order.phrases.length]!;
  const call: ObservedCall = { id, via: 'local', key, transcribed, originatedAt: Date.now(), ok: false };
  calls.set(id, call);
  callerHalf.set(callerId, id);
  const ended = new Promise<void>((resolve) => endWaiters.set(callerId, resolve));
  const steps = [
    { op: 'wait' as const, arg: String(order.script.beforeKeySeconds) },
    { op: 'dtmf' as const, arg: key },
    { op: 'wait' as const, arg: String(order.script.beforeSpeechSeconds) },
    { op: 'play' as const, arg: phrase },
    { op: 'wait' as const, arg: String(order.script.afterSpeechSeconds) },
    { op: 'hangup' as const, arg: '' },
  ];
  try {
    await driver.originateScriptedCall({ callChannelId: id, callerChannelId: callerId, to: order.number, context: order.context, callerNumber: `55${String(index).padStart(6, '0')}`, callerName: 'bench', steps, timeoutSeconds: 30 });
  } catch (error) {
    call.error = `originate: ${(error as Error).message.slice(0, 200)}`;
    endWaiters.delete(callerId);
    return;
  }
  const guard = new Promise<'stuck'>((resolve) => setTimeout(() => resolve('stuck'), order.callDeadlineMs).unref());
  if ((await Promise.race([ended, guard])) === 'stuck') call.error = 'did not end within the call deadline';
  call.ok = !call.error && Boolean(call.scriptDone);
}

let sippFailures: string[] = [];
/** sipp processes under way: killed if the bench stops or goes away mid-step. */
const sippChildren = new Set<ReturnType<typeof spawn>>();
const exit = () => {
  for (const child of sippChildren) child.kill('SIGKILL');
  process.exit(0);
};
let sippRuns = 0;

async function sipCall(order: StepOrder): Promise<void> {
  const localPort = await freeUdpPort();
  const mediaPort = 40000 + 2 * Math.floor(Math.random() * 10000);
  const args = ['-sf', init.sippScenario, '-s', order.sipNumber, '-key', 'from_user', order.sipEndpoint, '-d', String(order.sipHoldMs),
    '-i', '127.0.0.1', '-p', String(localPort), '-mi', '127.0.0.1', '-mp', String(mediaPort), '-m', '1', '-l', '1',
    '-timeout', `${Math.ceil(order.callDeadlineMs / 1000)}s`, '-timeout_error', '-nostdin', `127.0.0.1:${init.sipPort}`];
  const child = spawn('sipp', args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: '/tmp' });
  sippChildren.add(child);
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-1500)));
  child.stderr.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-1500)));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  sippChildren.delete(child);
  sippRuns++;
  if (code !== 0) sippFailures.push(`sipp exit ${code}: ${output.replace(/\s+/g, ' ').slice(-300)}`);
}

async function runStep(order: StepOrder): Promise<StepResult> {
  calls.clear();
  callerHalf.clear();
  sippFailures = [];
  sippRuns = 0;
  sipPattern = new RegExp(`^PJSIP/${order.sipEndpoint}-`);
  let live = 0;
  let placed = 0;
  let stopping = false;
  const t0 = Date.now();
  const windowStart = t0 + order.warmMs;
  const windowEnd = windowStart + order.windowMs;
  const samples: { at: number; live: number }[] = [];
  const sampler = setInterval(() => samples.push({ at: Date.now(), live }), 250);
  const startTimer = setTimeout(() => send({ type: 'window', edge: 'start', at: Date.now() }), order.warmMs);
  const stopTimer = setTimeout(() => {
    stopping = true;
    send({ type: 'window', edge: 'end', at: Date.now() });
  }, order.warmMs + order.windowMs);
  let finished = 0;
  const worker = async (sip: boolean) => {
    while (!stopping) {
      live++;
      if (sip) await sipCall(order);
      else await localCall(order, placed++);
      live--;
      if (++finished % order.progressEvery === 0) send({ type: 'progress', line: `${order.side} ${order.concurrency} concurrent: ${finished} calls done, ${live} up` });
    }
  };
  // Stagger the first calls over a second so they do not all hit the menu in the same instant.
  await Promise.all(Array.from({ length: order.concurrency }, (_, i) => new Promise((r) => setTimeout(r, (1000 * i) / order.concurrency)).then(() => worker(i < order.sipSlots))));
  clearInterval(sampler);
  clearTimeout(startTimer);
  clearTimeout(stopTimer);
  sipPattern = undefined;
  return { calls: [...calls.values()], samples, windowStart, windowEnd, sippRuns, sippFailures };
}

process.on('message', (message: { type: 'step'; order: StepOrder } | { type: 'stop' }) => {
  if (message.type === 'stop') {
    void driver.stop().finally(exit);
    return;
  }
  void runStep(message.order).then((result) => send({ type: 'step-done', result }), (error: Error) => send({ type: 'error', message: error.stack ?? error.message }));
});
// The bench process went away: so does its driver.
process.on('disconnect', exit);

driver.start();
await driver.connection.whenConnected(10_000);
send({ type: 'ready', pid: process.pid });
