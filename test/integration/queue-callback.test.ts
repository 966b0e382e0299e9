// A queue callback survives `kill -9`: the caller keeps their place, hangs up, Deskline is killed
// and started again, and the callback is dialled once, before the caller who queued after them.
import test from 'ava';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import type { CallSummary } from '../../src/calls/call-summary.ts';
import { controlRequest } from '../../src/cli/control-client.ts';
import { AriTelephony } from '../../src/telephony/ari-telephony.ts';
import { siteFor, spawnDeskline, tempDir, writeSite } from '../helpers/appliance.ts';
import { simAgent, writeQueueFlow } from '../helpers/queues.ts';
import { useSandbox } from '../helpers/sandbox.ts';

const sandbox = useSandbox(test);

async function recordUntil(socket: string, callId: string, done: (s: CallSummary) => boolean, timeoutMs = 60_000): Promise<CallSummary> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status, body } = await controlRequest<CallSummary>(socket, 'GET', `/api/v1/calls/${callId}`).catch(() => ({ status: 0, body: undefined }));
    if (status === 200 && body && done(body)) return body;
    if (Date.now() > deadline) throw new Error(`call ${callId} never reached the expected state; last: ${JSON.stringify(body?.trail.map((e) => e.type))}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const has = (type: string) => (s: CallSummary) => s.trail.some((e) => e.type === type);

test('given a caller who kept their place for a callback, when Deskline is killed -9 and restarted, then the callback is dialled once and before the caller who queued later', async (t) => {
  const dir = await tempDir();
  sandbox.cleanup(() => dir.remove());
  const flow = await writeQueueFlow(dir.path, 'cb');
  const site = await writeSite(dir.path, siteFor(sandbox(), dir.path, {
    log: { level: 'info' },
    ivr: { flowsDir: dir.path, routes: [{ number: '6100', flow }] },
    queues: [{ id: 'cb', ringTimeoutSeconds: 10, wrapUpSeconds: 0, whisper: false }],
    agents: [simAgent('k1', {})],
    acd: { callbackDial: 'Local/{number}@deskline-sim/n' },
  }), sandbox().ariPassword);
  const first = await spawnDeskline(site, dir.path);
  sandbox.cleanup(async () => first.process.kill('SIGKILL'));

  // The test places the calls through its own ARI application, so killing Deskline ends none of them.
  const ari = new AriTelephony({ url: sandbox().ariUrl, user: sandbox().ariUser, password: sandbox().ariPassword, app: 'test-caller', logger: pino({ level: 'silent' }) });
  const sim = (exten: string, mode: string) => ari.rest.request('POST', '/asterisk/variable', { variable: `SIM_${exten}`, value: mode });
  const place = async (number: string, steps: { op: 'wait' | 'dtmf' | 'hangup'; arg: string }[]) => {
    const callId = `cbtest-${number}-${randomUUID()}`;
    await ari.originateScriptedCall({ callChannelId: callId, callerChannelId: `caller-${randomUUID()}`, to: '6100', callerNumber: number, callerName: 'Callback test', steps, timeoutSeconds: 20 });
    return callId;
  };
  await sim('k1', 'answer,1,14');
  const login = await controlRequest<{ agent: { status: { kind: string } } }>(first.socket, 'POST', '/api/v1/agents/k1/state', { action: 'login' });
  t.is(login.body.agent.status.kind, 'available');

  // A talks to the only agent; B queues and presses 1 (keep my place, call me back); C queues after B.
  const a = await place('5550701', [{ op: 'wait', arg: '40' }]);
  await recordUntil(first.socket, a, has('agent-connected'));
  await sim('k1', 'answer,1,3');
  const b = await place('5550702', [{ op: 'wait', arg: '3' }, { op: 'dtmf', arg: '1' }, { op: 'wait', arg: '20' }]);
  await recordUntil(first.socket, b, has('queue'));
  const c = await place('5550703', [{ op: 'wait', arg: '60' }]);
  await recordUntil(first.socket, c, has('queue'));
  await recordUntil(first.socket, b, has('queue-callback-kept'));

  first.process.kill('SIGKILL');
  await first.exited;
  const second = await spawnDeskline(site, dir.path);
  sandbox.cleanup(async () => second.process.kill('SIGKILL'));

  // A's agent hangs up after 14 s; B is called back first, then C gets the agent.
  const bDone = await recordUntil(second.socket, b, has('agent-connected'));
  const cDone = await recordUntil(second.socket, c, has('agent-connected'));
  const { body } = await controlRequest<{ trail: { type: string; callId?: string; kind?: string; at: number }[] }>(second.socket, 'GET', '/api/v1/queues/trail');
  second.process.kill('SIGTERM');
  await second.exited;

  const dials = body.trail.filter((e) => e.type === 'callback-dialling' && e.callId === b);
  t.is(dials.length, 1, 'the callback was dialled exactly once');
  const answered = body.trail.filter((e) => e.type === 'answered').map((e) => e.callId);
  t.deepEqual(answered, [a, b, c], 'B (called back) before C, who queued after B');
  t.like(body.trail.find((e) => e.type === 'answered' && e.callId === b), { kind: 'callback' });
  t.true(bDone.trail.some((e) => e.type === 'callback-answered'), 'the callback leg answered');
  const at = (s: CallSummary, type: string) => s.trail.find((e) => e.type === type)!.at;
  t.true(at(bDone, 'agent-connected') < at(cDone, 'agent-connected'));
  t.true(second.output().includes('queues loaded'));
});
