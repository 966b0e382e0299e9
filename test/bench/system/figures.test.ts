// The system bench's arithmetic and verdicts, without Asterisk: what counts as a completed call,
// how the window's rate and the ratios come out, and that a missed goal is reported as missed.
import test from 'ava';
import type { TrailEntry } from '../../../src/calls/call-types.ts';
import type { ObservedCall } from './driver-protocol.ts';
import { compare, markdownTable, sideFigures, type CallVerdict, type WindowReadings } from './figures.ts';
import { desklineVerdict, dialplanVerdict } from './verdicts.ts';

const readings = (over: Partial<WindowReadings> = {}): WindowReadings => ({
  windowStart: 10_000, windowEnd: 20_000,
  samples: [{ at: 9_000, live: 1 }, { at: 12_000, live: 4 }, { at: 18_000, live: 2 }, { at: 21_000, live: 0 }],
  nodeCpuSeconds: 1, asteriskCpuSeconds: 4, driverCpuSeconds: 0.5, eventLoopLagP99Ms: 12.34,
  rssPeakBytes: 150 * 2 ** 20, asteriskRssPeakBytes: 70 * 2 ** 20, sippRuns: 0, sippFailures: [],
  ...over,
});
const ok = (startedAt: number, endedAt: number, over: Partial<CallVerdict> = {}): CallVerdict => ({ id: `c${startedAt}`, via: 'local', startedAt, endedAt, ok: true, ...over });

test('given calls overlapping the window, when figures are made, then each completed call counts with its share inside the window and failures do not count', (t) => {
  const f = sideFigures([
    ok(11_000, 19_000), // wholly inside: 1
    ok(6_000, 14_000), // half inside: 0.5
    ok(18_000, 22_000), // half inside: 0.5
    ok(0, 9_000), // before the window: 0
    { ...ok(12_000, 16_000), ok: false, reason: 'no agent connected' },
  ], readings());
  t.is(f.callsPerSecond, 0.2); // 2 call-equivalents in 10 s
  t.is(f.completedInWindow, 2);
  t.deepEqual(f.concurrentHeld, { mean: 3, min: 2, max: 4 });
  t.is(f.failed, 1);
  t.deepEqual(f.failures, { 'no agent connected': 1 });
  t.is(f.nodeToAsteriskCpu, 0.25);
  t.is(f.rssMB, 150);
});

test('given failed sipp runs, when figures are made, then each failed call counts once, whether or not its channel reached Asterisk', (t) => {
  // Three runs: one fine, one whose channel was judged failed, one that never reached Asterisk.
  const f = sideFigures([ok(11_000, 19_000, { via: 'sip' }), { ...ok(11_000, 19_000, { via: 'sip' }), id: 'x', ok: false, reason: 'no agent connected' }], readings({ sippRuns: 3, sippFailures: ['sipp exit 1: BYE', 'sipp exit 1: timeout'] }));
  t.is(f.failed, 2);
  t.is(f.callsStarted, 3);
  t.deepEqual(f.failures, { 'no agent connected': 1, 'sipp run failed': 1 });
  t.deepEqual(f.sip, { calls: 2, runs: 3, failed: 2, examples: ['sipp exit 1: BYE', 'sipp exit 1: timeout'] });
});

test('given Deskline slower than the dialplan and Node CPU above a quarter of Asterisk\'s, when compared, then both goals say not met with the real numbers', (t) => {
  const deskline = sideFigures([ok(10_000, 20_000), ok(10_000, 20_000), ok(10_000, 20_000), ok(10_000, 20_000)], readings({ nodeCpuSeconds: 2, asteriskCpuSeconds: 4 }));
  const dialplan = sideFigures([ok(10_000, 20_000), ok(10_000, 20_000), ok(10_000, 20_000), ok(10_000, 20_000), ok(10_000, 20_000)], readings({ nodeCpuSeconds: 0.1, asteriskCpuSeconds: 3 }));
  const c = compare(deskline, dialplan);
  t.is(c.callsPerSecondRatio, 0.8);
  t.is(c.nodeToAsteriskCpu, 0.5);
  t.is(c.nodeToDialplanAsteriskCpu, 0.667);
  t.false(c.goals.callsPerSecondRatio.met);
  t.false(c.goals.nodeToAsteriskCpu.met);
  t.true(c.desklineHeldTheLoad);
  const table = markdownTable([{ concurrency: 5, deskline, dialplan, comparison: c }]);
  t.regex(table, /^\| step \| concurrent \|/);
  t.regex(table, /\| 5 \| 3 \| 0\.4 \| 0\.5 \| 0\.8 \|/);
});

const observed = (over: Partial<ObservedCall> = {}): ObservedCall => ({ id: 'bench-1', via: 'local', key: '1', transcribed: true, originatedAt: 1000, endedAt: 9000, scriptDone: true, ok: false, ...over });
const trail = (...types: string[]): TrailEntry[] => types.map((type, i) => ({ type, at: 1000 + i * 100 }));
const full = ['entered', 'answered', 'prompt-started', 'dtmf', 'queue', 'agent-connected', 'recording-started', 'transcript', 'ended'];

test('given a Deskline call with every piece in its record, when judged, then it is complete with latencies from its trail', (t) => {
  const v = desklineVerdict(observed(), { record: { outcome: 'completed', answeredAt: 1100 }, trail: trail(...full), recordingStored: true });
  t.true(v.ok, v.reason);
  t.is(v.promptMs, 100);
  t.is(v.queueAssignMs, 100);
});

test('given Deskline calls each missing one piece, when judged, then each is failed and says what was missing', (t) => {
  const judge = (types: string[], over: Partial<ObservedCall> = {}, stored = true, outcome = 'completed') => desklineVerdict(observed(over), { record: { outcome, answeredAt: 1100 }, trail: trail(...types), recordingStored: stored }).reason;
  t.is(judge(full.filter((x) => x !== 'transcript')), 'no transcript');
  t.is(judge(full.filter((x) => x !== 'transcript'), { transcribed: false }), undefined);
  t.is(judge(full, {}, false), 'recording not stored');
  t.is(judge(full.filter((x) => x !== 'agent-connected')), 'no agent connected');
  t.is(judge(full, { scriptDone: false }), 'caller script cut short');
  t.is(judge(full, {}, true, 'dropped'), 'outcome dropped');
  t.is(judge(full, { error: 'originate: 500' }), 'originate: 500');
  t.is(desklineVerdict(observed(), { trail: [], recordingStored: false }).reason, 'no call record');
});

test('given dialplan calls, when judged, then a complete one needs answer, menu, queue, bridge, its own hang-up and a MixMonitor file with audio', (t) => {
  const complete = observed({ answeredAt: 1000, promptAt: 1020, queueAt: 2500, bridgedAt: 3010 });
  const v = dialplanVerdict(complete, 80_000);
  t.true(v.ok, v.reason);
  t.is(v.promptMs, 20);
  t.is(v.queueAssignMs, 510);
  t.is(dialplanVerdict(complete, 44).reason, 'no MixMonitor recording');
  t.is(dialplanVerdict(complete, undefined).reason, 'no MixMonitor recording');
  t.is(dialplanVerdict({ ...complete, bridgedAt: undefined }, 80_000).reason, 'no agent connected');
  t.is(dialplanVerdict({ ...complete, scriptDone: false }, 80_000).reason, 'caller script cut short');
  t.true(dialplanVerdict({ ...complete, via: 'sip', scriptDone: undefined }, 80_000).ok, 'a SIP caller\'s script is judged by its sipp run');
});

test('given a step where Deskline failed most calls, when compared, then the comparison says it did not hold the load and the table shows no latency it did not measure', (t) => {
  const failedCall = (i: number): CallVerdict => ({ id: `f${i}`, via: 'local', startedAt: 10_000, endedAt: 19_000, ok: false, reason: 'no agent connected' });
  const deskline = sideFigures([ok(10_000, 20_000), ...[1, 2, 3].map(failedCall)], readings());
  const dialplan = sideFigures([ok(10_000, 20_000)], readings());
  const c = compare(deskline, dialplan);
  t.false(c.desklineHeldTheLoad);
  t.regex(markdownTable([{ concurrency: 40, deskline, dialplan, comparison: c }]), /\| –\/– \|/);
});
