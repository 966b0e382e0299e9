import test from 'ava';
import { agentConnected, answered, done, feedback, handoff, lowConfidence, queued } from '../knowledge/analytics/testing-trails.ts';
import { followupSettings } from './followup-settings.ts';
import { followupIdFor, followupsFromCall } from './followups-from-call.ts';
import { endedCall, HOUR, T0 } from './testing-followups.ts';

const settings = followupSettings({ skillsOfQueue: (queue) => (queue === 'billing-q' ? ['@agent-only', 'billing', 'en'] : []) });
const kinds = (entries: Parameters<typeof endedCall>[1], number?: string) => {
  const { call, trail } = endedCall('c1', entries, number);
  return followupsFromCall(call, trail, settings).map((d) => d.kind);
};

test('given a kept voicemail, when the call is read, then one voicemail follow-up linked to the call, recording and transcript, due in 4 h', (t) => {
  const { call, trail } = endedCall('c1', [
    { type: 'transcript', leg: 'caller', text: 'hello' },
    { type: 'voicemail', recording: 'vm-c1-1', durationSeconds: 34.6 },
  ]);
  const [vm, ...rest] = followupsFromCall(call, trail, settings);
  t.deepEqual(rest, []);
  t.like(vm, { id: followupIdFor('c1', 'voicemail'), kind: 'voicemail', title: 'Voicemail from +4930123456', priority: 'normal', dueAt: call.endedAt! + 4 * HOUR, assignee: null, callerNumber: '+4930123456' });
  t.deepEqual(vm!.links, { callId: 'c1', recordingIds: [], transcript: true, voicemail: { recording: 'vm-c1-1', durationSeconds: 34.6 } });
  t.regex(vm!.note, /A message of 35 s in total/);
});

test('given the same call read twice, when drafts are made, then their ids are the same (a replay creates nothing new)', (t) => {
  const { call, trail } = endedCall('c1', [{ type: 'voicemail', recording: 'r', durationSeconds: 3 }]);
  t.deepEqual(followupsFromCall(call, trail, settings).map((d) => d.id), followupsFromCall(call, trail, settings).map((d) => d.id));
  t.not(followupIdFor('c1', 'voicemail'), followupIdFor('c1', 'callback'));
  t.not(followupIdFor('c1', 'voicemail'), followupIdFor('c2', 'voicemail'));
});

test('given a caller in a queue, when they leave a voicemail, then the queue\'s first real skill gets it (not an agent-only skill)', (t) => {
  const { call, trail } = endedCall('c1', [queued('billing-q'), { type: 'queue-exit' }, { type: 'voicemail', recording: 'r', durationSeconds: 9 }]);
  t.like(followupsFromCall(call, trail, settings)[0], { assignee: { skill: 'billing' }, queue: 'billing-q' });
  t.like(followupsFromCall(call, trail, followupSettings({ voicemail: { priority: 'high', dueInMs: HOUR, skill: 'front' } }))[0], { assignee: { skill: 'front' }, priority: 'high' });
});

test('given a callback asked for in the IVR, when the call is read, then a high-priority callback follow-up to the number taken down', (t) => {
  const { call, trail } = endedCall('c1', [{ type: 'input', digit: '1' }, { type: 'callback', number: '+8613911112222' }], 'anonymous');
  const [cb] = followupsFromCall(call, trail, settings);
  t.like(cb, { kind: 'callback', title: 'Call back +8613911112222', callerNumber: '+8613911112222', priority: 'high', dueAt: call.endedAt! + HOUR });
});

test('given a queue callback kept, when the call ends, then nothing yet (the queue dials); when the ACD gives it up later, then a callback follow-up due from the failure', (t) => {
  const { call, trail } = endedCall('c1', [queued('billing-q'), { type: 'queue-callback-kept', queue: 'billing-q', number: '+4930123456' }]);
  t.deepEqual(followupsFromCall(call, trail, settings), []);
  const failedAt = T0 + 3 * HOUR;
  const [cb] = followupsFromCall(call, trail, settings, [{ type: 'callback-failed', at: failedAt, callId: 'c1', queueId: 'billing-q', reason: 'not answered' }]);
  t.like(cb, { kind: 'callback', callerNumber: '+4930123456', dueAt: failedAt + HOUR, assignee: { skill: 'billing' } });
  t.regex(cb!.note, /callback to \+4930123456 failed \(not answered\)/);
});

test('given faq-bot calls, when read, then only the unresolved one (not contained, not handed to people) is a bot failure, with its questions', (t) => {
  t.deepEqual(kinds([answered('opening hours', 'hours'), done()]), [], 'contained');
  t.deepEqual(kinds([answered('opening hours', 'hours'), feedback('hours', true)]), [], 'helped');
  t.deepEqual(kinds([lowConfidence('my bill'), handoff('low-confidence')]), [], 'handed off');
  t.deepEqual(kinds([lowConfidence('my bill'), queued(), agentConnected()]), [], 'reached an agent');
  t.deepEqual(kinds([{ type: 'node-enter', node: 'menu' }]), [], 'no bot at all');
  const { call, trail } = endedCall('c1', [lowConfidence('where is my parcel'), lowConfidence('parcel tracking number')]);
  const [bf] = followupsFromCall(call, trail, settings);
  t.like(bf, { kind: 'bot-failure', priority: 'low', title: 'Bot could not help +4930123456' });
  t.is(bf!.note, 'Questions the bot could not answer: “where is my parcel”; “parcel tracking number”');
});

test('given a bot failure and then a voicemail, when read, then one voicemail follow-up whose note carries the questions', (t) => {
  const { call, trail } = endedCall('c1', [lowConfidence('refund status'), { type: 'voicemail', recording: 'r', durationSeconds: 12 }]);
  const drafts = followupsFromCall(call, trail, settings);
  t.deepEqual(drafts.map((d) => d.kind), ['voicemail']);
  t.regex(drafts[0]!.note, /“refund status”/);
});

test('given recordings, a withheld number and a zh-CN site, when read, then recording ids are linked and the text is Chinese', (t) => {
  const { call, trail } = endedCall('c1', [{ type: 'recording-stored', recordingId: 'rec-1' }, { type: 'recording-stored', recordingId: 'rec-1' }, { type: 'voicemail', recording: 'r', durationSeconds: 5 }], 'anonymous');
  const [vm] = followupsFromCall(call, trail, followupSettings({ locale: 'zh-CN' }));
  t.deepEqual(vm!.links.recordingIds, ['rec-1']);
  t.is(vm!.title, '来自 隐藏号码 的语音留言');
  t.is(vm!.callerNumber, '');
});

test('given malformed entries from another version, when read, then they are skipped, never thrown', (t) => {
  t.deepEqual(kinds([{ type: 'voicemail', recording: 42 }, { type: 'callback' }, { type: 'faq-turn', outcome: 'maybe' }, { type: 'recording-stored' }]), []);
});
