// A supervisor listens to a live call from the browser, on the real sandbox Asterisk: the caller
// (a Local-channel script) plays a tone, a simulated agent answers from the queue, and the
// supervisor's WebSocket (logged in with the session cookie, as a browser is) gets that audio.
// Afterwards no snoop or External Media channel of the listen is left in Asterisk.
import test from 'ava';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { WebSocket } from 'ws';
import { TEST_PASSWORD } from '../../src/auth/testing-auth.ts';
import type { CallSummary } from '../../src/calls/call-summary.ts';
import { placeTestCall } from '../../src/calls/test-call.ts';
import { LISTEN_FORMAT } from '../../src/supervisor/listen-frames.ts';
import { nextTrail, tempDir } from '../helpers/appliance.ts';
import { simAgent, simulate, writeQueueFlow } from '../helpers/queues.ts';
import { useDeskline } from '../helpers/sandbox.ts';

const run = promisify(execFile);
const flowsDir = await tempDir('deskline-listen-flows-');
// What the caller says: a sweeping tone, loud enough to tell from silence in every frame.
const voice = join(flowsDir.path, 'caller-voice.wav');
await run('sox', ['-n', '-r', '8000', '-c', '1', '-b', '16', voice, 'synth', '8', 'sine', '300-900', 'vol', '0.5']);

const { sandbox, appliance } = useDeskline(test, async () => ({
  site: { id: 'test', timezone: 'UTC' },
  ivr: { flowsDir: flowsDir.path, routes: [{ number: '6100', flow: await writeQueueFlow(flowsDir.path, 'lst') }] },
  queues: [{ id: 'lst', requiredSkills: [{ skill: 'lst', minLevel: 1 }], ringTimeoutSeconds: 8, wrapUpSeconds: 0, whisper: false, autoPauseAfterMisses: 0 }],
  agents: [simAgent('ls1', { lst: 1 })],
}));
sandbox.cleanup(() => flowsDir.remove());

async function login(username: string, role: 'supervisor' | 'agent'): Promise<string> {
  const deskline = appliance();
  await deskline.auth.users.create({ username, password: TEST_PASSWORD, role, ...(role === 'agent' ? { agentId: 'ls1' } : {}) });
  const res = await fetch(`${deskline.httpUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: TEST_PASSWORD }) });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
  return /deskline_session=[^;]+/.exec(res.headers.get('set-cookie')!)![0];
}

interface Listening {
  ws: WebSocket;
  text: string[];
  frames: Buffer[];
  closed: Promise<{ code: number; reason: string }>;
}

/** Opens the listen socket as a browser on the appliance's own page would. */
function openListen(callId: string, cookie: string, origin = appliance().httpUrl): Promise<Listening> {
  const ws = new WebSocket(`${appliance().httpUrl.replace(/^http/, 'ws')}/api/v1/calls/${callId}/listen`, { headers: { cookie, origin } });
  const listening: Listening = {
    ws, text: [], frames: [],
    closed: new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }))),
  };
  ws.on('message', (data: Buffer, isBinary) => (isBinary ? listening.frames.push(data) : listening.text.push(data.toString())));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(listening));
    ws.once('error', reject);
  });
}

/** Resolves once `done` holds, checked as messages arrive; fails after timeoutMs of real time. */
function until(listening: Listening, done: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!done()) return;
      clearTimeout(timer);
      listening.ws.off('message', check);
      resolve();
    };
    const timer = setTimeout(() => {
      listening.ws.off('message', check);
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    listening.ws.on('message', check);
    check();
  });
}

const rms = (frame: Buffer) => {
  let sum = 0;
  for (let i = 0; i < frame.length; i += 2) sum += frame.readInt16LE(i) ** 2;
  return Math.sqrt(sum / (frame.length / 2));
};

/** Channels and bridges that belong to a monitor of this call (snoop, External Media, bridge). */
async function monitorLeftovers(callId: string): Promise<string[]> {
  const deskline = appliance();
  const channels = (await deskline.telephony.listChannels()).map((c) => c.id);
  const bridges = (await deskline.telephony.listBridges()).map((b) => b.id);
  return [...channels, ...bridges].filter((id) => id.startsWith(`${callId}-mon`));
}

test.serial('given a caller talking to an agent, when a supervisor listens from the browser, then sound arrives as 20 ms PCM frames; closing stops the monitor with no channel left, audited as the supervisor; a listen still open when the caller hangs up is closed with 1000', async (t) => {
  const deskline = appliance();
  const supervisor = await login('sue', 'supervisor');
  await simulate(deskline, 'ls1', 'answer,1,30');
  await deskline.queues!.agentAction('ls1', 'login');
  const connected = nextTrail(deskline, (_s, e) => e.type === 'agent-connected' && e.agentId === 'ls1');
  const caller: Promise<CallSummary> = placeTestCall(
    { to: '6100', script: `wait 1; play ${voice}; hangup`, callerNumber: '5550901', timeoutSeconds: 60 },
    { telephony: deskline.telephony, calls: deskline.calls, records: deskline.records, media: sandbox().media },
  );
  const { state } = await connected;
  const callId = state.callId;

  const first = await openListen(callId, supervisor);
  await until(first, () => first.frames.filter((f) => rms(f) > 300).length >= 25, '25 frames with sound');
  t.deepEqual(JSON.parse(first.text[0]!), { ...LISTEN_FORMAT, callId });
  t.true(first.frames.every((f) => f.length === 640), 'every frame is 20 ms of 16 kHz 16-bit audio');
  const loud = first.frames.filter((f) => rms(f) > 300).length;
  t.log(`${first.frames.length} frames, ${loud} with sound (RMS of the loudest ${Math.max(...first.frames.map(rms)).toFixed(0)})`);
  t.is(deskline.monitors!.list().length, 1);
  t.true((await monitorLeftovers(callId)).length >= 2, 'the listen has its snoop and External Media channels (so the check below can fail)');
  first.ws.close();
  t.is((await first.closed).code, 1005);
  // The server ends the listen when it sees the close: wait for the monitor to go (real events).
  const stoppedBy = Date.now() + 10_000;
  while (deskline.monitors!.list().length > 0 || (await monitorLeftovers(callId)).length > 0) {
    if (Date.now() > stoppedBy) throw new Error(`monitor not stopped: ${(await monitorLeftovers(callId)).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  t.deepEqual(await monitorLeftovers(callId), [], 'no snoop, External Media channel or bridge left');
  const audit = await deskline.audit.list({ actor: 'sue' });
  t.deepEqual(audit.filter((a) => a.target === callId).map((a) => a.action).sort(), ['call.listen', 'call.monitor-stop']);

  // A second listen stays open until the caller hangs up (end of the tone): the server closes it.
  const second = await openListen(callId, supervisor);
  const closed = await second.closed;
  t.is(closed.code, 1000, `closed with ${closed.code} ${closed.reason}`);
  t.true(second.frames.length > 0);
  await caller;
  const afterEnd = Date.now() + 10_000;
  while ((await monitorLeftovers(callId)).length > 0 && Date.now() < afterEnd) await new Promise((resolve) => setTimeout(resolve, 50));
  t.deepEqual(await monitorLeftovers(callId), []);
  t.deepEqual((await deskline.audit.list({ actor: 'sue' })).filter((a) => a.target === callId).map((a) => a.action).sort(), ['call.listen', 'call.listen', 'call.monitor-stop', 'call.monitor-stop']);
  await deskline.queues!.agentAction('ls1', 'logout');
});

test.serial('given an agent (no live.monitor) or a page on another origin, when they open the listen socket, then the handshake is refused (403) and no monitor starts', async (t) => {
  const deskline = appliance();
  const agent = await login('al', 'agent');
  const supervisor = await login('sam', 'supervisor');
  const refusal = (cookie: string, origin?: string) => openListen('any-call', cookie, origin).then(
    (l) => {
      l.ws.close();
      return 'opened';
    },
    (error: Error) => error.message,
  );
  t.regex(await refusal(agent), /Unexpected server response: 403/);
  t.regex(await refusal(supervisor, 'http://evil.example'), /Unexpected server response: 403/);
  t.regex(await refusal(supervisor), /Unexpected server response: 404/, 'the right origin gets as far as the call check');
  t.is(deskline.monitors!.list().length, 0);
});
