// What the two call fault scenarios (kill-live-calls, asterisk-restart) share: a site with an IVR
// menu, a queue with simulated agents, and a callback node (which leaves a follow-up); a driver
// that places the caller scripts through its own ARI application (so a dying Deskline does not
// take the callers with it); the call mix (IVR / waiting in the queue / talking to an agent); and
// small helpers to wait for conditions with a deadline and to read figures.
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { startSandbox, type AsteriskSandbox } from '../../src/asterisk/sandbox.ts';
import { controlRequest } from '../../src/cli/control-client.ts';
import { AriTelephony } from '../../src/telephony/ari-telephony.ts';
import type { OriginateScriptedCall } from '../../src/telephony/telephony.ts';
import { simAgent, writeQueueFlow } from '../helpers/queues.ts';

export const IVR_NUMBER = '7100';
export const QUEUE_NUMBER = '7200';
export const QUEUE_ID = 'fq';

/** A menu that loops on key 1 and takes a callback request on 5 then 1 (a follow-up when the call ends). */
async function writeMenuFlow(dir: string): Promise<string> {
  await writeFile(join(dir, 'fault-menu.yaml'), [
    'id: fault-menu',
    'name: Fault scenario menu',
    'languages: [en]',
    'defaultLanguage: en',
    'start: menu',
    'nodes:',
    '  menu: { kind: menu, prompts: [{ sound: beep }], options: { "1": again, "5": cb }, timeoutSeconds: 60, retries: 3, default: bye }',
    '  again: { kind: play, prompts: [{ sound: beep }], next: menu }',
    '  cb: { kind: callback, prompts: [{ sound: beep }], acceptKey: "1", timeoutSeconds: 30, next: menu, onDecline: menu }',
    '  bye: { kind: hangup }',
    '',
  ].join('\n'));
  return 'fault-menu';
}

export interface CallMix {
  ivr: number;
  /** Callers talking to an agent (one agent each). */
  talking: number;
  /** Callers waiting in the queue behind them (never more than there are agents). */
  waiting: number;
  /** Slow agents (answer after `ringSeconds`) who log in last: the first waiting callers ring them (an offer in flight). */
  ringing: number;
}

/** `scale` calls: ~30 % talking to agents, ~30 % waiting for them, the rest in the IVR menu. */
export function mixFor(scale: number): CallMix {
  const talking = Math.max(1, Math.round(scale * 0.3));
  const waiting = Math.max(1, Math.min(talking, Math.round(scale * 0.3)));
  return { talking, waiting, ivr: Math.max(1, scale - talking - waiting), ringing: Math.max(1, Math.min(waiting, Math.round(scale * 0.05))) };
}

export const agentIds = (mix: CallMix) => Array.from({ length: mix.talking }, (_, i) => `fa${String(i + 1).padStart(3, '0')}`);
export const slowAgentIds = (mix: CallMix) => Array.from({ length: mix.ringing }, (_, i) => `fr${String(i + 1).padStart(3, '0')}`);

/** The site's extra settings (flows, routes, one queue, its simulated agents). */
export async function faultSite(flowsDir: string, mix: CallMix): Promise<Record<string, unknown>> {
  const menu = await writeMenuFlow(flowsDir);
  const queueFlow = await writeQueueFlow(flowsDir, QUEUE_ID);
  return {
    ivr: { flowsDir, routes: [{ number: IVR_NUMBER, flow: menu }, { number: QUEUE_NUMBER, flow: queueFlow }] },
    // Agents answer after 1 s and stay until the caller hangs up; no wrap-up: a freed agent takes the next caller at once.
    queues: [{ id: QUEUE_ID, requiredSkills: [{ skill: QUEUE_ID, minLevel: 1 }], ringTimeoutSeconds: 30, wrapUpSeconds: 0, whisper: false, autoPauseAfterMisses: 0, maxWaitSeconds: 3600 }],
    agents: [...agentIds(mix), ...slowAgentIds(mix)].map((id) => simAgent(id, { [QUEUE_ID]: 1 })),
  };
}

type Step = OriginateScriptedCall['steps'][number];
const wait = (seconds: number): Step => ({ op: 'wait', arg: seconds.toFixed(1) });
const dtmf = (digit: string): Step => ({ op: 'dtmf', arg: digit });

/**
 * IVR callers press 1 every 2 s for `holdSeconds` (so some key always arrives soon after any
 * restart); even-numbered ones first ask for a callback (5, then 1), which leaves a follow-up.
 */
export function ivrScript(index: number, holdSeconds: number): Step[] {
  const steps: Step[] = [wait(1.5), ...(index % 2 === 0 ? [dtmf('5'), wait(1.5), dtmf('1'), wait(1.5)] : [])];
  for (let t = 0; t < holdSeconds; t += 2) steps.push(dtmf('1'), wait(2));
  steps.push({ op: 'hangup', arg: '' });
  return steps;
}

export const holdScript = (seconds: number): Step[] => [wait(seconds), { op: 'hangup', arg: '' }];

export interface PlacedCall {
  callId: string;
  /** The caller's own half of the Local channel (not Deskline's): hanging it up is the caller hanging up. */
  callerChannelId: string;
  kind: 'ivr' | 'talking' | 'waiting';
  index: number;
}

/** Places callers through its own ARI application: they outlive a killed Deskline. */
export class CallerDriver {
  readonly ari: AriTelephony;
  readonly placed: PlacedCall[] = [];
  private readonly runId = randomUUID().slice(0, 8);

  constructor(sandbox: AsteriskSandbox) {
    this.ari = new AriTelephony({ url: sandbox.ariUrl, user: sandbox.ariUser, password: sandbox.ariPassword, app: 'fault-caller', logger: pino({ level: 'silent' }),
      // The callers are the load, not the product: on a box loaded by other work an originate took over 10 s.
      requestTimeoutMs: 60_000 });
  }

  /** How a simulated agent behaves (a global variable the deskline-sim dialplan reads). */
  async simulate(exten: string, mode: string): Promise<void> {
    await this.ari.rest.request('POST', '/asterisk/variable', { variable: `SIM_${exten}`, value: mode });
  }

  async place(kind: PlacedCall['kind'], index: number, to: string, steps: Step[]): Promise<PlacedCall> {
    // Zero-padded: Asterisk 22 refuses (409) to create a channel whose id is a prefix of a live
    // channel's id, so `…-1` could not be placed while `…-10` was up.
    const id = `${this.runId}-${kind}-${String(index).padStart(4, '0')}`;
    const call = { callId: `fault-${id}`, callerChannelId: `fcaller-${id}`, kind, index };
    await this.ari.originateScriptedCall({
      callChannelId: call.callId, callerChannelId: call.callerChannelId, to, callerNumber: `555${String(1000 + this.placed.length).slice(-4)}`, callerName: `Fault ${kind} ${index}`,
      steps, timeoutSeconds: 30,
    });
    this.placed.push(call);
    return call;
  }

  /** The caller hangs up now (whatever their script says). */
  async hangUp(call: PlacedCall): Promise<void> {
    await this.ari.hangup(call.callerChannelId);
  }

  /** Hangs up every caller still up (a scenario that stopped half-way leaves none behind). */
  async hangUpAll(): Promise<void> {
    const channels = await this.ari.listChannels().catch(() => []);
    for (const channel of channels.filter((c) => c.id.startsWith(`fcaller-${this.runId}-`))) await this.ari.hangup(channel.id).catch(() => undefined);
  }
}

/** Polls `probe` until it returns a value (not undefined) or the deadline passes. */
export async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = ` (last error: ${(error as Error).message})`;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs / 1000} s${lastError}`);
    // Polling another process (Deskline, Asterisk) for a condition, with a deadline.
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** The admin API through a running Deskline's control socket (local admin). */
export async function api<T>(socket: string, path: string, method: 'GET' | 'POST' = 'GET', body?: unknown): Promise<T> {
  const { status, body: answer } = await controlRequest<T>(socket, method, path, body);
  if (status >= 300) throw new Error(`${method} ${path} → ${status}: ${JSON.stringify(answer)}`);
  return answer;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const seconds = (ms: number) => Math.round(ms) / 1000;

/** A sandbox Asterisk from the caller (CI's useSandbox), or one of the scenario's own (the bench). */
export async function withSandbox<T>(given: AsteriskSandbox | undefined, work: (sandbox: AsteriskSandbox) => Promise<T>): Promise<T> {
  if (given) return work(given);
  const own = await startSandbox({ name: 'faults' });
  try {
    return await work(own);
  } finally {
    await own.stop();
  }
}

export interface TrailEntryView {
  type: string;
  at: number;
  [field: string]: unknown;
}
