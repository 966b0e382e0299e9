import test from 'ava';
import { useDeskline } from '../helpers/sandbox.ts';
import { runSipp, sippScenario } from '../helpers/sipp.ts';

const { sandbox, appliance: deskline } = useDeskline(test);

test('given a SIP phone (sipp), when it calls, hears the greeting and presses 1 then 2, then the record has it all in order', async (t) => {
  const appliance = deskline();
  const ended = new Promise<string>((resolve) => appliance.calls.once('ended', (state) => resolve(state.callId)));
  const sipp = await runSipp(sippScenario('caller-dtmf.xml'), sandbox().sipPort);
  t.is(sipp.code, 0, sipp.output.slice(-2000));
  const callId = await ended;
  const call = await appliance.records.get(callId);
  const trail = await appliance.records.trail(callId);
  t.log(trail.map((e) => `${e.type}${e.digit ? ` ${e.digit}` : ''}`).join(' → '));
  t.truthy(call);
  t.like(call, { phase: 'ended', outcome: 'completed', endedBy: 'caller', hangupCause: 16, digits: '12', dialed: '4000' });
  t.regex(call!.channelName, /^PJSIP\/caller-/);
  t.is(call!.caller.number, '5550100');
  const types = trail.map((e) => e.type);
  const index = (type: string, from = 0) => types.indexOf(type, from);
  t.deepEqual(trail.filter((e) => e.type === 'dtmf').map((e) => e.digit), ['1', '2']);
  const finished = trail.find((e) => e.type === 'prompt-finished');
  t.like(finished, { promptId: 'greeting', failed: false }, 'PlaybackFinished observed for the greeting');
  // order: entered < answered < prompt started < prompt finished < dtmf 1 < dtmf 2 < hangup < ended
  const order = ['entered', 'answered', 'prompt-started', 'prompt-finished', 'dtmf', 'hangup', 'ended'].map((type) => index(type));
  t.true(order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1]!)), `trail order: ${types.join(',')}`);
  t.true(trail.every((e, i) => i === 0 || e.at >= trail[i - 1]!.at), 'timestamps never go backwards');
  t.true(call!.startedAt <= call!.answeredAt! && call!.answeredAt! < call!.endedAt!);
});
