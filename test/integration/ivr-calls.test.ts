// Every IVR node kind driven by real calls through the sandbox Asterisk: Local-channel caller
// scripts press keys and play speech; the clock is shifted to fixed instants, never slept on.
import test from 'ava';
import { spawn } from 'node:child_process';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freeUdpPort } from '../../src/asterisk/free-port.ts';
import type { CallSummary } from '../../src/calls/call-summary.ts';
import { placeTestCall } from '../../src/calls/test-call.ts';
import { ShiftedClock } from '../../src/core/clock.ts';
import { nextTrail, tempDir } from '../helpers/appliance.ts';
import { useDeskline } from '../helpers/sandbox.ts';

const run = promisify(execFile);
const fixtures = new URL('../fixtures/flows/', import.meta.url).pathname;
const tuesday10amShanghai = Date.parse('2026-11-24T10:00:00+08:00');
const saturdayShanghai = Date.parse('2026-11-28T10:00:00+08:00');
const clock = new ShiftedClock(tuesday10amShanghai);
const agentPort = await freeUdpPort();

// The business system the flow's HTTP node asks: tier by caller number, a 500, and a slow answer.
const crm = createServer((req, res) => {
  if (req.url === '/accounts/5550500') return res.writeHead(500).end('down');
  if (req.url === '/accounts/5550999') return void setTimeout(() => res.end('{}'), 2500);
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ tier: 'gold' }));
});
await new Promise<void>((resolve) => crm.listen(0, '127.0.0.1', resolve));
const crmBase = `http://127.0.0.1:${(crm.address() as AddressInfo).port}`;

const flowsDir = await tempDir('deskline-flows-');
const { sandbox, appliance } = useDeskline(
  test,
  async () => {
    await copyFile(join(fixtures, 'kinds-sub.yaml'), join(flowsDir.path, 'kinds-sub.yaml'));
    const main = (await readFile(join(fixtures, 'kinds-main.yaml'), 'utf8')).replace('base: http://127.0.0.1:1', `base: ${crmBase}`);
    await writeFile(join(flowsDir.path, 'kinds-main.yaml'), main);
    return { ivr: { flowsDir: flowsDir.path, routes: [{ number: '5001', flow: 'kinds-main' }, { number: '5002', flow: 'versioned' }] }, site: { id: 'test', timezone: 'Asia/Shanghai' } };
  },
  { clock, sandbox: { endpoints: [{ name: '2001', context: 'deskline-inbound', codecs: 'ulaw', callerId: '"Agent" <2001>', password: '', contact: `sip:2001@127.0.0.1:${agentPort}` }] } },
);
sandbox.cleanup(async () => {
  crm.close();
  await flowsDir.remove();
});

function call(script: string, callerNumber = '5550199', to = '5001'): Promise<CallSummary> {
  const deskline = appliance();
  return placeTestCall({ to, script, callerNumber, timeoutSeconds: 60 }, { telephony: deskline.telephony, calls: deskline.calls, records: deskline.records, media: sandbox().media });
}

const path = (s: CallSummary) => s.trail.filter((e) => e.type === 'node-enter').map((e) => String(e.node));
const errors = (s: CallSummary) => s.trail.filter((e) => e.type === 'error').map((e) => String(e.code));

test.serial('given a caller in office hours, when they press 1, 42#, 5 and 1, then play, set, condition, hours, http, menu, gather, survey, goto, callback and sub-flow all run', async (t) => {
  clock.shiftTo(tuesday10amShanghai);
  const s = await call('wait 2; dtmf 1; wait 1; dtmf 42#; wait 1; dtmf 5; wait 1; dtmf 1; wait 20; hangup');
  t.deepEqual(path(s), ['hello', 'setup', 'vip-check', 'hours', 'lookup', 'menu', 'digits', 'survey', 'to-callback', 'callback', 'sub', 'mark', 'say-hi', 'back', 'bye'], s.trail.map((e) => e.type).join(','));
  t.like(s, { answered: true, outcome: 'completed', endedBy: 'deskline' });
  const record = await appliance().records.get(s.callId);
  t.like(record!.ivr!.vars, { vip: false, greeting: 'hi', tier: 'gold', entered: '42', survey_csat: 5, subVisited: true });
  t.like(s.trail.find((e) => e.type === 'hours'), { open: true });
  t.like(s.trail.find((e) => e.type === 'http'), { status: 200 });
  t.like(s.trail.find((e) => e.type === 'callback'), { number: '5550199' });
  t.true(s.prompts.some((p) => p.promptId === 'tts:你好' && p.finishedAt !== undefined && !p.failed), 'TTS prompt synthesized and played');
  t.deepEqual(errors(s), []);
});

test.serial('given a VIP caller on a Saturday, when they call, then the flow switches to zh-CN and takes the closed branch', async (t) => {
  clock.shiftTo(saturdayShanghai);
  const s = await call('wait 15; hangup', '5550177');
  clock.shiftTo(tuesday10amShanghai);
  t.deepEqual(path(s), ['hello', 'setup', 'vip-check', 'chinese', 'hours', 'closed']);
  t.like(s.trail.find((e) => e.type === 'language'), { language: 'zh-CN' });
  t.like(s.trail.find((e) => e.type === 'hours'), { open: false, reason: 'closed' });
  t.true(s.prompts.some((p) => p.promptId === 'sound:vm-goodbye' && !p.failed));
});

test.serial('given the CRM answers 500 or too slowly, when the HTTP node runs, then the error branch is taken on time', async (t) => {
  const failing = await call('wait 15; hangup', '5550500');
  t.deepEqual(path(failing).slice(-2), ['lookup', 'lookup-failed']);
  t.like(failing.trail.find((e) => e.type === 'http'), { status: 500 });
  const slow = await call('wait 15; hangup', '5550999');
  t.deepEqual(path(slow).slice(-2), ['lookup', 'lookup-failed']);
  const http = slow.trail.find((e) => e.type === 'http')!;
  t.regex(String(http.error), /no answer within 1000 ms/);
  t.true(Number(http.ms) < 2000, `timed out after ${http.ms} ms, before the server's 2.5 s answer`);
});

test.serial('given a wrong key and then silence at the menu, when retries run out, then invalid and no-input are recorded and the default runs', async (t) => {
  const s = await call('wait 2; dtmf 9; wait 12; hangup');
  t.deepEqual(path(s).slice(-2), ['menu', 'bye']);
  t.true(s.trail.some((e) => e.type === 'invalid-input'));
  t.true(s.trail.some((e) => e.type === 'no-input'));
  t.true(s.trail.some((e) => e.type === 'timeout' && e.timer === 'input'));
});

test.serial('given the queue option on a site without queues, when chosen, then a clear error takes the error branch; given the speech option and a silent caller, then the failure branch runs', async (t) => {
  const queued = await call('wait 2; dtmf 3; wait 15; hangup');
  t.deepEqual(path(queued).slice(-3), ['queue', 'queue-failed', 'bye']);
  t.deepEqual(errors(queued), ['QUEUE_NOT_AVAILABLE']);
  // The flow listens (gather-speech), so the site loads the speech engine and transcribes its calls.
  t.truthy(appliance().transcription, 'a flow that listens brings the speech engine up');
  const silent = await call('wait 2; dtmf 4; wait 15; hangup');
  t.deepEqual(path(silent).slice(-3), ['speech', 'speech-failed', 'bye']);
  t.like(silent.trail.find((e) => e.type === 'speech'), { text: '' });
  t.deepEqual(errors(silent), []);
  t.true(silent.prompts.some((p) => p.promptId === 'say-digits:5550199' && !p.failed));
});

test.serial('given the message option, when the caller speaks and presses #, then the message is stored in the recording store and a voicemail follow-up links it', async (t) => {
  const dir = await tempDir();
  const speech = join(dir.path, 'message.wav');
  await run('flite', ['-t', 'Please call me back about my invoice', '-o', speech]);
  const s = await call(`wait 2; dtmf 5; wait 1; play ${speech}; dtmf #; wait 10; hangup`);
  await dir.remove();
  const voicemail = s.trail.find((e) => e.type === 'voicemail');
  t.truthy(voicemail, s.trail.map((e) => e.type).join(','));
  t.deepEqual(path(s).slice(-2), ['message', 'bye']);

  // Once the call has ended, the follow-ups consumer moves the message into the recording store.
  const deskline = appliance();
  await deskline.endings.idle();
  const [stored] = await deskline.recordings.list({ callId: s.callId });
  t.like(stored, { name: voicemail!.recording, caller: '5550199' });
  t.true(stored!.durationSeconds > 1.5, `recorded ${stored!.durationSeconds} s`);
  t.false(existsSync(join(sandbox().recordingsDir, `${voicemail!.recording}.wav`)), 'moved out of Asterisk\'s spool');
  const { stdout } = await run('sox', ['--i', '-D', (await deskline.recordings.open(stored!.id)).path]);
  t.true(Math.abs(Number(stdout) - stored!.durationSeconds) < 0.05);

  const [followup] = await deskline.followups.list({ callId: s.callId });
  t.like(followup, { kind: 'voicemail', status: 'open', callerNumber: '5550199', links: { callId: s.callId, recordingIds: [stored!.id] } });
  t.regex(followup!.title, /Voicemail from 5550199/);
});

test.serial('given the transfer option, when chosen, then the call is handed to extension 2001 (a SIP phone) and ends as transferred', async (t) => {
  await mkdir('/tmp/sipp-uas', { recursive: true });
  const uas = spawn('sipp', ['-sn', 'uas', '-i', '127.0.0.1', '-p', String(agentPort), '-m', '1', '-nostdin', '-timeout', '40s'], { stdio: 'ignore', cwd: '/tmp/sipp-uas' });
  const uasExit = new Promise<number | null>((resolve) => uas.once('exit', resolve));
  const s = await call('wait 2; dtmf 2; wait 4; hangup');
  t.like(s, { outcome: 'transferred', endReason: 'transferred' });
  t.like(s.trail.find((e) => e.type === 'transfer'), { to: '2001' });
  t.is(await uasExit, 0, 'the agent phone answered and saw the hang-up');
});

test.serial('given a call in a flow, when a new version is published mid-call, then that call finishes on its version and the next call gets the new one', async (t) => {
  const flows = appliance().flows;
  const version = (end: string) => ({
    id: 'versioned', name: 'Versioned', languages: ['en'], defaultLanguage: 'en', start: 'menu',
    nodes: { menu: { kind: 'menu', prompts: [{ sound: 'beep' }], options: { '1': end }, timeoutSeconds: 8, default: end }, [end]: { kind: 'hangup' } },
  });
  const draft = await flows.draft('versioned');
  const revision = await flows.saveDraft('versioned', version('end-v1'), draft?.revision ?? 0, 'test');
  const v1 = await flows.publish('versioned', revision, 'test');
  const inMenu = nextTrail(appliance(), (state, entry) => state.flow?.flowId === 'versioned' && entry.type === 'node-enter' && entry.node === 'menu');
  const first = call('wait 3; dtmf 1; wait 5; hangup', '5550111', '5002');
  await inMenu;
  const v2 = await flows.publish('versioned', await flows.saveDraft('versioned', version('end-v2'), revision, 'test'), 'test');
  const second = call('wait 1; dtmf 1; wait 5; hangup', '5550112', '5002');
  const [a, b] = await Promise.all([first, second]);
  t.is(v2, v1 + 1);
  t.like(a.trail.find((e) => e.type === 'flow-start'), { version: v1 });
  t.is(path(a).at(-1), 'end-v1');
  t.like(b.trail.find((e) => e.type === 'flow-start'), { version: v2 });
  t.is(path(b).at(-1), 'end-v2');
});
