// Recording queued conversations: start, pause/resume by API and agent keys, hand-over to the store.
import test from 'ava';
import { QueueError } from './queue-service.ts';
import { DiskGuard } from '../recordings/disk-guard.ts';
import { RecordingError } from '../recordings/errors.ts';
import { logger, noWhisper, start } from './testing/queue-harness.ts';

// ---- 9. recording -----------------------------------------------------------------------------

test('given recording of all calls, when bridged, paused and resumed by API and by the agent\'s keys, then Asterisk is told each time and the pauses reach the stored recording once', async (t) => {
  const h = await start({ queues: [noWhisper({ recording: 'all' })] });
  await h.login('a');
  await h.connect('c1', 'a');
  t.deepEqual(h.telephony.trace('bridge', 'recordBridge'), ['bridge c1-queue', 'recordBridge c1-queue']);
  const [[, name, options]] = h.telephony.callsOf('recordBridge') as [[string, string, { maxSeconds: number }]];
  t.regex(name, /^c1-rec\d+$/);
  t.deepEqual(options, { maxSeconds: 4 * 3600 });
  t.like(h.calls.notesOf('c1', 'recording-started'), [{ name }]);
  const startedAt = h.clock.now();

  await h.advance(5_000);
  const pausedAt = h.clock.now();
  await h.service.pauseRecording('c1', true);
  await h.service.pauseRecording('c1', true); // already paused: nothing more
  await h.advance(2_500);
  await h.service.pauseRecording('c1', false);

  // The caller keying *8 does nothing; the agent keying *8 … *9 pauses and resumes.
  await h.advance(1_000);
  for (const digit of ['*', '8']) await h.emit({ type: 'dtmf', channelId: 'c1', digit, durationMs: 100 });
  t.deepEqual(h.telephony.trace('pauseRecording', 'resumeRecording'), [`pauseRecording ${name}`, `resumeRecording ${name}`]);
  const keyedAt = h.clock.now();
  for (const digit of ['*', '8']) await h.emit({ type: 'dtmf', channelId: 'c1-ag1-a', digit, durationMs: 100 });
  await h.advance(1_000);
  for (const digit of ['*', '9']) await h.emit({ type: 'dtmf', channelId: 'c1-ag1-a', digit, durationMs: 100 });
  t.deepEqual(h.telephony.trace('pauseRecording', 'resumeRecording'), [`pauseRecording ${name}`, `resumeRecording ${name}`, `pauseRecording ${name}`, `resumeRecording ${name}`]);
  t.deepEqual(h.calls.notesOf('c1', 'recording-paused').map((n) => n.by), [undefined, 'agent']);
  t.deepEqual(h.calls.notesOf('c1', 'recording-resumed').map((n) => n.by), [undefined, 'agent']);

  await h.advance(3_000);
  h.telephony.clearCalls();
  await h.hangUpCaller('c1');
  t.deepEqual(h.telephony.trace(), ['hangup c1-ag1-a'], 'the bridge stays until the recording is finished');
  t.deepEqual(h.finished, []);

  await h.emit({ type: 'bridge-recording-finished', bridgeId: 'c1-queue', name, durationSeconds: 9.5, failed: false });
  await h.emit({ type: 'bridge-recording-finished', bridgeId: 'c1-queue', name, durationSeconds: 9.5, failed: false });
  t.deepEqual(h.telephony.trace(), ['hangup c1-ag1-a', 'destroyBridge c1-queue']);
  t.is(h.finished.length, 1);
  t.like(h.finished[0], { name, callId: 'c1', queueId: 'support', agentId: 'a', caller: { number: '5550101' }, startedAt, durationSeconds: 9.5 });
  t.deepEqual(h.finished[0]!.pauses, [{ at: pausedAt, seconds: 2.5 }, { at: keyedAt, seconds: 1 }]);
  t.deepEqual(h.snapshot().recordings, {});
});

test('given a recording paused when the call ends, then the open pause is in the stored pauses', async (t) => {
  const h = await start({ queues: [noWhisper({ recording: 'all' })] });
  await h.login('a');
  await h.connect('c1', 'a');
  const name = h.telephony.callsOf('recordBridge')[0]![1];
  await h.advance(1_000);
  const pausedAt = h.clock.now();
  await h.service.pauseRecording('c1', true);
  await h.advance(4_000);
  await h.hangUpCaller('c1');
  await h.emit({ type: 'bridge-recording-finished', bridgeId: 'c1-queue', name, durationSeconds: 1, failed: false });
  t.deepEqual(h.finished[0]?.pauses, [{ at: pausedAt, seconds: 4 }]);
});

test('given on-demand recording, when started through the API, then the bridge is recorded; asking twice, or for a call not connected, is refused', async (t) => {
  const h = await start({ queues: [noWhisper({ recording: 'on-demand' })] });
  await h.login('a');
  await h.join('c1');
  const notConnected = await t.throwsAsync(h.service.startRecording('c1'), { instanceOf: QueueError });
  t.is(notConnected.code, 'NOT_CONNECTED');
  const notRecording = await t.throwsAsync(h.service.pauseRecording('c1', true), { instanceOf: QueueError });
  t.is(notRecording.code, 'NOT_RECORDING');
  await h.answer('c1', 'a');
  t.deepEqual(h.telephony.callsOf('recordBridge'), []);
  const name = await h.service.startRecording('c1');
  t.deepEqual(h.telephony.callsOf('recordBridge'), [['c1-queue', name, { maxSeconds: 4 * 3600 }]]);
  const twice = await t.throwsAsync(h.service.startRecording('c1'), { instanceOf: QueueError });
  t.is(twice.code, 'ALREADY_RECORDING');
});

test('given a recording that failed in Asterisk, when it finishes, then the bridge is removed and nothing is stored', async (t) => {
  const h = await start({ queues: [noWhisper({ recording: 'all' })] });
  await h.login('a');
  await h.connect('c1', 'a');
  const name = h.telephony.callsOf('recordBridge')[0]![1];
  await h.hangUpCaller('c1');
  await h.emit({ type: 'bridge-recording-finished', bridgeId: 'c1-queue', name, durationSeconds: 0, failed: true });
  t.deepEqual(h.telephony.trace('destroyBridge'), ['destroyBridge c1-queue']);
  t.deepEqual(h.finished, []);
});


// ---- the recordings disk guard (disk nearly full) -----------------------------------------------

/** A disk guard over a probe the test sets: `free.gb` free against minFreeGb 2. */
async function withGuard(h: Awaited<ReturnType<typeof start>>) {
  const free = { gb: 50 };
  const guard = new DiskGuard({ dirs: ['/recordings'], minFreeGb: () => 2, clock: h.clock, logger, everyMs: 5_000, freeBytes: async () => free.gb * 1024 ** 3 });
  // QueueServiceDeps.recordingSpace: set by the appliance; the harness builds deps without it.
  Object.assign(h.service.deps, { recordingSpace: guard });
  return { free, guard: guard.start() };
}

test('given the recordings disk below minFreeGb, when a call is bridged in an all-recorded queue, then nothing is recorded, the trail says why, and the call stays bridged', async (t) => {
  const h = await start({ queues: [noWhisper({ recording: 'all' })] });
  const { free, guard } = await withGuard(h);
  free.gb = 1.5;
  await h.login('a');
  await h.connect('c1', 'a');
  t.deepEqual(h.telephony.callsOf('recordBridge'), []);
  t.like(h.calls.notesOf('c1', 'recording-skipped'), [{ reason: 'disk-low', freeGb: 1.5, minFreeGb: 2 }]);
  t.truthy(h.snapshot().legs.c1?.connected?.bridgedAt, 'caller and agent are still bridged');
  t.deepEqual(h.calls.ends, []);
  const refused = await t.throwsAsync(h.service.startRecording('c1'), { instanceOf: RecordingError });
  t.is(refused.code, 'DESKLINE_RECORDING_DISK_LOW');
  guard.stop();
});

test('given running recordings, when the disk falls below minFreeGb, then each is stopped at the next probe with its trail note, the bridges stay, the partial files are stored; once space returns new calls record again', async (t) => {
  const h = await start({ queues: [noWhisper({ recording: 'all' })] });
  const { free, guard } = await withGuard(h);
  const changes: boolean[] = [];
  guard.onChange((r) => changes.push(r.low));
  await h.login('a', 'b');
  await h.connect('c1', 'a');
  await h.connect('c2', 'b');
  const names = h.telephony.callsOf('recordBridge').map(([, name]) => name);
  t.is(names.length, 2);
  await h.service.pauseRecording('c2', true);
  h.telephony.clearCalls();

  free.gb = 1.9;
  await h.advance(4_000);
  t.deepEqual(h.telephony.trace('stopRecording'), [], 'not before the next probe');
  await h.advance(1_000);
  t.deepEqual(h.telephony.trace('stopRecording').sort(), names.map((n) => `stopRecording ${n}`).sort());
  t.like(h.calls.notesOf('c1', 'recording-stopped'), [{ name: names[0], reason: 'disk-low' }]);
  t.like(h.calls.notesOf('c2', 'recording-stopped'), [{ name: names[1], reason: 'disk-low' }]);
  t.is(h.snapshot().legs.c1?.recording, undefined);
  t.deepEqual(changes, [true]);

  // Asterisk finishes the files: stored as usual, while the conversations keep their bridges.
  for (const name of names) await h.emit({ type: 'bridge-recording-finished', bridgeId: name.replace(/-rec\d+$/, '-queue'), name, durationSeconds: 5, failed: false });
  t.deepEqual(h.telephony.trace('destroyBridge'), []);
  t.deepEqual(h.finished.map((f) => f.name).sort(), [...names].sort());
  t.is(h.finished.find((f) => f.callId === 'c2')!.pauses.length, 1, 'the open pause is closed at the stop');
  t.deepEqual(h.calls.ends, []);
  t.truthy(h.snapshot().legs.c1?.connected?.bridgedAt);

  // The call ends later: its bridge goes at once (nothing left to wait for).
  await h.hangUpCaller('c1');
  t.deepEqual(h.telephony.trace('destroyBridge'), ['destroyBridge c1-queue']);

  free.gb = 10;
  await h.advance(5_000);
  t.deepEqual(changes, [true, false]);
  await h.hangUpCaller('c2');
  await h.advance(120_000); // past the agents' wrap-up
  await h.connect('c3', 'a');
  t.is(h.telephony.callsOf('recordBridge').length, 1, 'a new call is recorded again');
  t.deepEqual(h.calls.notesOf('c3', 'recording-skipped'), []);
  guard.stop();
});
