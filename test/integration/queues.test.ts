// Queues on the real sandbox Asterisk: callers are Local-channel scripts into the flows, agents
// are simulated phones (Local channels into deskline-sim). Timed rules (skill relaxation, max
// wait, the repeat-caller window) are driven by moving the injected clock, never by waiting.
import test from 'ava';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CallSummary } from '../../src/calls/call-summary.ts';
import { placeTestCall } from '../../src/calls/test-call.ts';
import { ShiftedClock } from '../../src/core/clock.ts';
import { cli, nextTrail, tempDir } from '../helpers/appliance.ts';
import { useDeskline } from '../helpers/sandbox.ts';
import { agentOf, RtpListener, simAgent, simulate, toneFrames, writeQueueFlow } from '../helpers/queues.ts';

const run = promisify(execFile);
const clock = new ShiftedClock(Date.parse('2026-11-24T10:00:00+08:00'));
const strategies = ['round-robin', 'longest-idle', 'fewest-calls', 'skills-based', 'ring-all', 'random'] as const;
const short = { rr: 'round-robin', li: 'longest-idle', fc: 'fewest-calls', sb: 'skills-based', ra: 'ring-all', rn: 'random' } as const;
const prefixOf = (strategy: string) => Object.entries(short).find(([, s]) => s === strategy)![0];

const flowsDir = await tempDir('deskline-queue-flows-');
// What callers say: 15 s of a sweeping tone (loud enough to see in RTP and in recordings).
const voice = join(flowsDir.path, 'caller-voice.wav');
await run('sox', ['-n', '-r', '8000', '-c', '1', '-b', '16', voice, 'synth', '15', 'sine', '300-900', 'vol', '0.5']);
const queueIds = [...strategies.map(prefixOf), 'relax', 'ovf', 'rec', 'mon', 'rep', 'ann', 'xfer', 'xfer2'];
const { sandbox, appliance } = useDeskline(
  test,
  async () => {
    const routes = [];
    for (const [i, queue] of queueIds.entries()) routes.push({ number: String(6000 + i), flow: await writeQueueFlow(flowsDir.path, queue) });
    const fast = { ringTimeoutSeconds: 8, wrapUpSeconds: 0, whisper: false, autoPauseAfterMisses: 0 };
    return {
      site: { id: 'test', timezone: 'Asia/Shanghai' },
      ivr: { flowsDir: flowsDir.path, routes },
      queues: [
        ...strategies.map((strategy) => ({ id: prefixOf(strategy), strategy, requiredSkills: [{ skill: prefixOf(strategy), minLevel: 1 }], ...fast })),
        { id: 'relax', requiredSkills: [{ skill: 'relax', minLevel: 3 }], relaxation: [{ afterSeconds: 60, minLevel: 1 }], ...fast },
        { id: 'ovf', requiredSkills: [{ skill: 'ovf', minLevel: 1 }], maxWaitSeconds: 30, overflow: { kind: 'flow' }, ...fast },
        { id: 'rec', name: 'Billing', requiredSkills: [{ skill: 'rec', minLevel: 1 }], ...fast, recording: 'all', whisper: true },
        { id: 'mon', requiredSkills: [{ skill: 'mon', minLevel: 1 }], ...fast },
        { id: 'rep', requiredSkills: [{ skill: 'rep', minLevel: 1 }], ...fast },
        { id: 'xfer', requiredSkills: [{ skill: 'xfer', minLevel: 1 }], ...fast },
        { id: 'xfer2', requiredSkills: [{ skill: 'xfer2', minLevel: 1 }], ...fast },
        { id: 'ann', requiredSkills: [{ skill: 'ann', minLevel: 1 }], ...fast, ringTimeoutSeconds: 300, announceEverySeconds: 30 },
      ],
      agents: [
        ...strategies.flatMap((strategy) => {
          const p = prefixOf(strategy);
          // Levels matter to skills-based only: a 3, b 2, c 1.
          return [simAgent(`${p}a`, { [p]: 3 }), simAgent(`${p}b`, { [p]: 2 }), simAgent(`${p}c`, { [p]: 1 })];
        }),
        simAgent('rx1', { relax: 1 }),
        simAgent('ov1', { ovf: 1 }),
        simAgent('rc1', { rec: 1 }),
        simAgent('mn1', { mon: 1 }),
        simAgent('rp1', { rep: 1 }, '7001'),
        simAgent('an1', { ann: 1 }),
        simAgent('xf1', { xfer: 1 }),
        simAgent('xf2', { xfer2: 1 }),
      ],
      acd: { repeatCallerWindowHours: 24, transferDial: 'Local/{number}@deskline-sim/n' },
    };
  },
  { clock },
);
sandbox.cleanup(() => flowsDir.remove());

const numberOf = (queue: string) => String(6000 + queueIds.indexOf(queue));

function call(queue: string, script: string, callerNumber = '5550100'): Promise<CallSummary> {
  const deskline = appliance();
  return placeTestCall({ to: numberOf(queue), script, callerNumber, timeoutSeconds: 90 }, { telephony: deskline.telephony, calls: deskline.calls, records: deskline.records, media: sandbox().media });
}

const queues = () => appliance().queues!;
const login = (...ids: string[]) => ids.reduce((p, id) => p.then(() => queues().agentAction(id, 'login')), Promise.resolve() as Promise<unknown>);

/** The queue trail entries (ACD decisions) for one call so far. */
const queueTrailFor = (callId: string) => {
  const seen: { type: string; [k: string]: unknown }[] = [];
  const onTrail = (entry: { type: string; [k: string]: unknown }) => {
    if (entry.callId === callId) seen.push(entry);
  };
  queues().on('trail', onTrail);
  return { seen, stop: () => queues().off('trail', onTrail) };
};

test.serial('given six strategies and a scripted sequence of callers each, when they call, then agents are chosen in the documented order', async (t) => {
  const deskline = appliance();
  // Answer delays make ring-all's winner deterministic: a answers after 1 s, c after 2 s, b after 3 s.
  for (const strategy of strategies) {
    const p = prefixOf(strategy);
    await simulate(deskline, `${p}a`, 'answer,1,2');
    await simulate(deskline, `${p}b`, 'answer,3,2');
    await simulate(deskline, `${p}c`, 'answer,2,2');
  }
  const scenario = async (strategy: (typeof strategies)[number]) => {
    const p = prefixOf(strategy);
    // c logs in before b; a only after the second call: login order differs from id order.
    await login(`${p}c`, `${p}b`);
    const picks: (string | undefined)[] = [];
    for (let i = 0; i < 4; i++) {
      if (i === 2) await login(`${p}a`);
      const s = await call(p, 'wait 40; hangup', `55501${i}0`);
      await queues().idle();
      picks.push(agentOf(s)?.slice(p.length));
    }
    return picks.join('');
  };
  const results = await Promise.all(strategies.map(async (s) => [s, await scenario(s)] as const));
  const picked = Object.fromEntries(results);
  t.log(picked);
  // The orders strategies.ts documents, worked out for this script (see the comment there).
  t.is(picked['round-robin'], 'bcab', 'first id after the last one rung, wrapping');
  t.is(picked['longest-idle'], 'cbcb', 'oldest end of last call (or login) first');
  t.is(picked['fewest-calls'], 'cbac', 'fewest calls, then longest idle');
  t.is(picked['skills-based'], 'bbaa', 'highest level first');
  t.is(picked['ring-all'], 'ccaa', 'every agent rung, first to answer takes it');
  t.regex(picked.random!, /^[abc]{4}$/, 'random picks among the qualified agents');
  // The wallboard adds up: four offered and answered per queue, nobody waiting.
  const board = JSON.parse((await controlGet(appliance().controlSocket, '/api/v1/queues', {})).body.toString()) as { queues: { queueId: string; offered: number; answered: number; abandoned: number; waiting: { onLine: number } }[] };
  for (const strategy of strategies) t.like(board.queues.find((q) => q.queueId === prefixOf(strategy)), { offered: 4, answered: 4, abandoned: 0, waiting: { onLine: 0 } });
  const { stdout: wallboard } = await run(process.execPath, [cli, 'queues', '--socket', appliance().controlSocket]);
  t.regex(wallboard, /^rr\n  waiting +·+ 0 on the line/m);
  t.regex(wallboard, /4 offered, 4 answered, 0 abandoned/);
  const { stdout: agents } = await run(process.execPath, [cli, 'agents', '--socket', appliance().controlSocket]);
  t.regex(agents, /^rra +available, 1 calls/m);
});

test.serial('given a queue that relaxes its skill level after 60 s, when the clock reaches 59 s and then 60 s, then the low-level agent is rung only at 60 s', async (t) => {
  await simulate(appliance(), 'rx1', 'answer,1,1');
  await login('rx1');
  const joined = nextTrail(appliance(), (_s, e) => e.type === 'queue' && e.queue === 'relax');
  const caller = call('relax', 'wait 60; hangup');
  const { state } = await joined;
  const trail = queueTrailFor(state.callId);
  await queues().idle();
  clock.advance(59_000);
  await queues().idle();
  t.false(trail.seen.some((e) => e.type === 'offered'), 'not offered before the relaxation step');
  clock.advance(1_000);
  const s = await caller;
  trail.stop();
  t.is(agentOf(s), 'rx1');
  t.like(trail.seen.find((e) => e.type === 'offered'), { agentIds: ['rx1'] });
});

test.serial('given the only agent busy, when a caller waits past max wait, then the call overflows to the flow', async (t) => {
  await simulate(appliance(), 'ov1', 'answer,1,20');
  await login('ov1');
  const busy = nextTrail(appliance(), (_s, e) => e.type === 'agent-connected' && e.agentId === 'ov1');
  const first = call('ovf', 'wait 12; hangup', '5550301');
  await busy;
  const joined = nextTrail(appliance(), (_s, e) => e.type === 'queue' && e.queue === 'ovf');
  const second = call('ovf', 'wait 30; hangup', '5550302');
  await joined;
  await queues().idle();
  clock.advance(30_000);
  const s = await second;
  const path = s.trail.filter((e) => e.type === 'node-enter').map((e) => e.node);
  t.deepEqual(path, ['q', 'overflowed', 'bye']);
  t.like(s.trail.find((e) => e.type === 'queue-overflow'), { reason: 'max-wait' });
  t.true(s.prompts.some((p) => p.promptId.includes('vm-goodbye') && !p.failed));
  await first;
});

test.serial('given recording for all calls, when a call is bridged, paused and resumed, then the file matches the bridge time minus the pause and the manifest verifies until tampered', async (t) => {
  const deskline = appliance();
  await login('rc1');
  // First call: recorded throughout. The agent hears the whisper, then talks for 12 s and hangs up.
  await simulate(deskline, 'rc1', 'answer,1,12');
  const plain = await call('rec', `wait 1; play ${voice}; wait 30; hangup`, '5550401');
  await deskline.calls.idle();
  const connected = plain.trail.find((e) => e.type === 'agent-connected')!;
  const ended = plain.trail.find((e) => e.type === 'ended')!;
  const stored = await waitForRecording(plain.callId);
  const bridgeSeconds = (ended.at - connected.at) / 1000;
  const { stdout } = await run('sox', ['--i', '-D', join(deskline.recordings.dir, stored.path)]);
  t.log(`bridge ${bridgeSeconds.toFixed(2)} s, file ${Number(stdout).toFixed(2)} s (sox), stored ${stored.durationSeconds.toFixed(2)} s`);
  t.true(Math.abs(Number(stdout) - bridgeSeconds) <= 0.5, `file ${stdout.trim()} s vs bridge ${bridgeSeconds} s`);
  t.is(stored.queueId, 'rec');
  t.is(stored.agentId, 'rc1');
  t.regex(stored.sha256, /^[0-9a-f]{64}$/);

  // Second call: paused for card numbers and resumed; the paused span is missing from the file.
  await queues().idle();
  await simulate(deskline, 'rc1', 'answer,1,14');
  const bridged = nextTrail(deskline, (_s, e) => e.type === 'recording-started');
  const paused = call('rec', `wait 1; play ${voice}; wait 30; hangup`, '5550402');
  const { state } = await bridged;
  await queues().pauseRecording(state.callId, true);
  await new Promise((resolve) => setTimeout(resolve, 2500)); // the span the caller reads card digits
  await queues().pauseRecording(state.callId, false);
  const second = await paused;
  const withPause = await waitForRecording(second.callId);
  const gap = withPause.paused.reduce((sum, p) => sum + p.seconds, 0);
  const bridge2 = (second.trail.find((e) => e.type === 'ended')!.at - second.trail.find((e) => e.type === 'agent-connected')!.at) / 1000;
  t.log(`bridge ${bridge2.toFixed(2)} s, paused ${gap.toFixed(2)} s, file ${withPause.durationSeconds.toFixed(2)} s`);
  t.true(gap >= 2.4, 'the pause was recorded with its length');
  t.true(Math.abs(withPause.durationSeconds - (bridge2 - gap)) <= 0.5, 'the paused span is left out of the file');
  t.true(second.trail.some((e) => e.type === 'recording-paused') && second.trail.some((e) => e.type === 'recording-resumed'));

  // Served with Range and the right type through the control socket; the listen is audit-logged.
  const audio = await controlGet(deskline.controlSocket, `/api/v1/recordings/${withPause.id}/audio`, { range: 'bytes=0-99' });
  t.is(audio.status, 206);
  t.is(audio.headers['content-type'], 'audio/wav');
  t.is(audio.body.length, 100);
  t.is(audio.body.subarray(0, 4).toString(), 'RIFF');
  const audit = await deskline.audit.list({ action: 'recording.listen' });
  t.true(audit.some((a) => a.target === withPause.id), 'listening was audit-logged');

  // The manifest verifies; a flipped byte in one file fails verification, naming the file.
  const verify = (args: string[]) => run(process.execPath, [cli, 'recordings', 'verify', '--dir', deskline.recordings.dir, ...args]).then((r) => ({ code: 0, out: r.stdout + r.stderr }), (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }));
  t.is((await verify([])).code, 0);
  const file = join(deskline.recordings.dir, stored.path);
  const bytes = await readFile(file);
  bytes[2000] = bytes[2000]! ^ 0xff;
  await writeFile(file, bytes);
  const tampered = await verify([]);
  t.is(tampered.code, 1);
  t.regex(tampered.out, new RegExp(stored.id));
  t.regex(tampered.out, /hash/i);
});

test.serial('given a supervisor listening to a live call, when the caller speaks, then RTP with their audio arrives, and the caller never hears the supervisor (until barge)', async (t) => {
  const deskline = appliance();
  await simulate(deskline, 'mn1', 'answer,1,25');
  await login('mn1');
  const bridged = nextTrail(deskline, (_s, e) => e.type === 'agent-connected' && e.agentId === 'mn1');
  const caller = call('mon', `wait 1; play ${voice}; wait 20; hangup`, '5550501');
  const { state } = await bridged;
  const supervisor = await RtpListener.open();
  const callerHears = await RtpListener.open();
  t.teardown(() => {
    supervisor.close();
    callerHears.close();
  });
  // An observer of what the caller hears: a snoop on the caller script's own half of the Local
  // channel, direction in (a snoop on Deskline's half would see the audio before whispers mix in).
  const callerSide = state.callId.replace(/^testcall-/, 'caller-');
  await deskline.telephony.snoop(callerSide, `${state.callId}-obs-snoop`, 'in', { role: 'observer' });
  await deskline.telephony.externalMedia(`${state.callId}-obs-media`, '127.0.0.1', callerHears.port, 'ulaw');
  await deskline.telephony.bridge(`${state.callId}-obs`, [`${state.callId}-obs-snoop`, `${state.callId}-obs-media`]);

  const listen = await deskline.monitors!.start(state.callId, 'listen', { kind: 'rtp', host: '127.0.0.1', port: supervisor.port, format: 'ulaw' }, 'sup1');
  t.truthy(listen.rtpReturn, 'External Media tells where the supervisor may send audio');
  callerHears.reset();
  await sendTone(supervisor, listen.rtpReturn!);
  t.log(`listen: supervisor got ${supervisor.packets} packets (${supervisor.loudPackets} with sound); caller heard ${callerHears.loudPackets}/${callerHears.packets} loud`);
  t.true(supervisor.loudPackets > 20, 'the supervisor receives the caller\'s audio');
  t.true(callerHears.packets > 20, 'the observer of the caller\'s ear is working');
  t.true(callerHears.loudPackets <= 2, 'the caller does not hear a listening supervisor');
  await deskline.monitors!.stop(listen.id, 'sup1');

  const barge = await deskline.monitors!.start(state.callId, 'barge', { kind: 'rtp', host: '127.0.0.1', port: supervisor.port, format: 'ulaw' }, 'sup1');
  callerHears.reset();
  await sendTone(supervisor, barge.rtpReturn!);
  t.log(`barge: caller heard ${callerHears.loudPackets}/${callerHears.packets} loud`);
  t.true(callerHears.loudPackets > 20, 'a barging supervisor is heard (so the listen check above can fail)');
  await deskline.monitors!.stop(barge.id, 'sup1');
  const audit = await deskline.audit.list({ actor: 'sup1' });
  t.deepEqual(audit.map((a) => a.action).sort(), ['call.barge', 'call.listen', 'call.monitor-stop', 'call.monitor-stop']);
  await deskline.telephony.hangup(`${state.callId}-obs-media`);
  await deskline.telephony.hangup(`${state.callId}-obs-snoop`);
  await deskline.telephony.destroyBridge(`${state.callId}-obs`);
  await caller;
});

test.serial('given a caller waiting behind another, when 30 s pass, then their position is announced; the exit key leaves the queue and hanging up is recorded as abandoned with the wait', async (t) => {
  const deskline = appliance();
  await simulate(deskline, 'an1', 'ignore');
  await login('an1');
  const ringing = nextTrail(deskline, (_s, e) => e.type === 'queue' && e.queue === 'ann');
  const first = call('ann', 'wait 14; hangup', '5550801');
  await ringing;
  const joined = nextTrail(deskline, (_s, e) => e.type === 'queue' && e.queue === 'ann');
  const second = call('ann', 'wait 10; dtmf 2; wait 5; hangup', '5550802');
  await joined;
  await queues().idle();
  clock.advance(30_000);
  const [x, y] = await Promise.all([first, second]);
  await queues().idle();
  await deskline.calls.idle();
  t.like(y.trail.find((e) => e.type === 'queue-announcement'), { position: 2 });
  t.deepEqual(y.trail.filter((e) => e.type === 'node-enter').map((e) => e.node), ['q', 'left']);
  t.true(y.trail.some((e) => e.type === 'queue-exit'));
  const abandoned = (await deskline.records.trail(x.callId)).find((e) => e.type === 'queue-abandoned');
  t.like(abandoned, { queue: 'ann' });
  t.true(Number(abandoned?.waitSeconds) >= 30, `waited ${abandoned?.waitSeconds} s on the queue's clock`);
  await queues().agentAction('an1', 'logout');
});

test.serial('given a connected call, when the agent blind-transfers it to another queue and that agent consults a number and completes, then the caller ends up talking to the number and both agents are free', async (t) => {
  const deskline = appliance();
  await simulate(deskline, 'xf1', 'answer,1,60');
  await simulate(deskline, 'xf2', 'answer,1,60');
  await simulate(deskline, '7777', 'answer,1,3');
  await login('xf1', 'xf2');
  const first = nextTrail(deskline, (_s, e) => e.type === 'agent-connected' && e.agentId === 'xf1');
  const caller = call('xfer', 'wait 60; hangup', '5550901');
  const { state } = await first;
  const second = nextTrail(deskline, (s, e) => s.callId === state.callId && e.type === 'agent-connected' && e.agentId === 'xf2');
  await queues().blindTransfer(state.callId, { kind: 'queue', queueId: 'xfer2' }, 'xf1');
  await second;
  const consulting = nextTrail(deskline, (s, e) => s.callId === state.callId && e.type === 'transfer-consulting');
  await queues().consult(state.callId, { kind: 'number', number: '7777' }, 'xf2');
  await consulting;
  await queues().completeTransfer(state.callId, 'xf2');
  const s = await caller;
  await queues().idle();
  const types = s.trail.map((e) => e.type);
  t.true(types.indexOf('transfer') < types.indexOf('transfer-consulting') && types.indexOf('transfer-consulting') < types.indexOf('transfer-completed'), types.join(','));
  t.like(s, { outcome: 'completed', endedBy: 'deskline', endReason: 'agent-hung-up' }, 'the number (simulated, 3 s) hung up: the call ended');
  t.true((s.durationMs ?? 0) < 40_000, 'ended by the number hanging up, not by the caller script');
  t.is(queues().snapshot().acd.agents.xf1!.status.kind, 'available');
  t.is(queues().snapshot().acd.agents.xf2!.status.kind, 'available');
  t.deepEqual((await deskline.telephony.listBridges()).filter((b) => b.id.startsWith(state.callId)), [], 'no bridge left behind');
});

test.serial('given a caller who called before, when they call again within 24 h, then they are flagged; after 25 h, not', async (t) => {
  const deskline = appliance();
  await simulate(deskline, 'rp1', 'answer,1,1');
  await login('rp1');
  const first = await call('rep', 'wait 20; hangup', '5550601');
  await queues().idle();
  const second = await call('rep', 'wait 20; hangup', '5550601');
  await queues().idle();
  clock.advance(25 * 3_600_000);
  const third = await call('rep', 'wait 20; hangup', '5550601');
  t.falsy(first.trail.find((e) => e.type === 'repeat-caller'));
  t.like(second.trail.find((e) => e.type === 'repeat-caller'), { recentCalls: 1, calls: [{ callId: first.callId, outcome: 'completed' }] });
  t.falsy(third.trail.find((e) => e.type === 'repeat-caller'), 'outside the window');
  t.is(agentOf(third), 'rp1');
});

test.serial('given an agent phone, when it dials *51, *50, *52 and *53, then the agent is logged out, in, paused and available again', async (t) => {
  const deskline = appliance();
  const feature = (code: string) => placeTestCall({ to: code, script: 'wait 10; hangup', callerNumber: '7001', timeoutSeconds: 30 }, { telephony: deskline.telephony, calls: deskline.calls, records: deskline.records, media: sandbox().media });
  const status = () => queues().snapshot().acd.agents.rp1?.status.kind;
  await feature('*51');
  t.is(status(), 'logged-out');
  const loggedIn = await feature('*50');
  t.is(status(), 'available');
  t.like(loggedIn.trail.find((e) => e.type === 'feature'), { code: '*50', ok: true });
  t.true(loggedIn.prompts.some((p) => p.promptId === 'feature' && !p.failed));
  await feature('*52');
  t.is(status(), 'paused');
  await feature('*53');
  t.is(status(), 'available');
  const stranger = await placeTestCall({ to: '*50', script: 'wait 10; hangup', callerNumber: '5559999', timeoutSeconds: 30 }, { telephony: deskline.telephony, calls: deskline.calls, records: deskline.records, media: sandbox().media });
  t.like(stranger.trail.find((e) => e.type === 'feature'), { ok: false });
});

async function waitForRecording(callId: string) {
  const deskline = appliance();
  for (let i = 0; i < 100; i++) {
    const [found] = await deskline.recordings.list({ callId });
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no recording stored for ${callId}`);
}

async function sendTone(from: RtpListener, to: { host: string; port: number }): Promise<void> {
  from.reset();
  for (const frame of toneFrames(100)) {
    from.socket.send(frame, to.port, to.host);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
}

function controlGet(socketPath: string, path: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}
