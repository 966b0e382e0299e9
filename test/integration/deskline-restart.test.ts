import test from 'ava';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import type { CallSummary } from '../../src/calls/call-summary.ts';
import { controlRequest } from '../../src/cli/control-client.ts';
import { AriTelephony } from '../../src/telephony/ari-telephony.ts';
import { siteFor, spawnDeskline, tempDir, writeSite } from '../helpers/appliance.ts';
import { useSandbox } from '../helpers/sandbox.ts';

const sandbox = useSandbox(test);

/** Polls the running service's record of a call until `done` holds (the service is another process). */
async function recordUntil(socket: string, callId: string, done: (s: CallSummary) => boolean, timeoutMs = 30_000): Promise<CallSummary> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status, body } = await controlRequest<CallSummary>(socket, 'GET', `/api/v1/calls/${callId}`).catch(() => ({ status: 0, body: undefined }));
    if (status === 200 && body && done(body)) return body;
    if (Date.now() > deadline) throw new Error(`call ${callId} never reached the expected state; last: ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('given a live call, when Deskline is killed -9 and started again, then it resumes control and the record is complete', async (t) => {
  const dir = await tempDir();
  sandbox.cleanup(() => dir.remove());
  const site = await writeSite(dir.path, siteFor(sandbox(), dir.path, { log: { level: 'info' } }), sandbox().ariPassword);
  const first = await spawnDeskline(site, dir.path);
  sandbox.cleanup(async () => first.process.kill('SIGKILL'));

  // The test is the caller: it originates through its own ARI client, so killing Deskline does not end the call.
  const caller = new AriTelephony({ url: sandbox().ariUrl, user: sandbox().ariUser, password: sandbox().ariPassword, app: 'test-caller', logger: pino({ level: 'silent' }) });
  const callId = `restart-${randomUUID()}`;
  await caller.originateScriptedCall({
    callChannelId: callId, callerChannelId: `caller-${randomUUID()}`, to: '4000', callerNumber: '5550123', callerName: 'Restart test',
    // The caller stays 12 s after its first key: a restart on a loaded 2-core CI box (tsx compiling
    // the service, other test files running) took over 5 s, and the call then ended unattended.
    steps: [{ op: 'wait', arg: '1' }, { op: 'dtmf', arg: '1' }, { op: 'wait', arg: '12' }, { op: 'dtmf', arg: '2' }, { op: 'wait', arg: '0.5' }, { op: 'hangup', arg: '' }],
    timeoutSeconds: 30,
  });
  await recordUntil(first.socket, callId, (s) => s.digits.length === 1);
  first.process.kill('SIGKILL');
  await first.exited;

  const second = await spawnDeskline(site, dir.path);
  sandbox.cleanup(async () => second.process.kill('SIGKILL'));
  const summary = await recordUntil(second.socket, callId, (s) => s.outcome !== undefined);
  second.process.kill('SIGTERM');
  await second.exited;

  t.like(summary, { answered: true, outcome: 'completed', endedBy: 'caller', hangupCause: 16 });
  t.deepEqual(summary.digits.map((d) => d.digit), ['1', '2'], 'digit 2 was pressed after the restart and reached the new process');
  const types = summary.trail.map((e) => e.type);
  t.deepEqual([types[0], types.at(-1)], ['entered', 'ended']);
  t.true(types.indexOf('resumed') > types.indexOf('dtmf') && types.indexOf('resumed') < types.lastIndexOf('dtmf'), types.join(','));
  t.true(second.output().includes('resuming calls that were live before the restart'));
});
