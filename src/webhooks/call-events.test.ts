import test from 'ava';
import { scriptedCall } from '../reports/testing/scripted-call.ts';
import { callWebhookEvents } from './call-events.ts';
import type { TrailEntry } from '../calls/call-types.ts';

test('given a call that left a voicemail and answered the survey, when reduced, then call.ended, voicemail.left and survey.result come with once-keys', (t) => {
  const { call, trail } = scriptedCall({ id: 'c1', startedAt: 1_000, caller: '+8613800000001', flow: 'main', steps: [{ survey: 4 }] });
  const withVoicemail: TrailEntry[] = [...trail, { type: 'voicemail', recording: 'vm-c1-1', durationSeconds: 12, at: 5_000 }, { type: 'survey', question: 'nps', score: null, at: 6_000 }];
  const events = callWebhookEvents(call, withVoicemail);
  t.deepEqual(events.map((e) => e.type), ['call.ended', 'survey.result', 'voicemail.left']);
  t.like(events[0], { once: 'call.ended:c1', data: { callId: 'c1', caller: '+8613800000001', flowId: 'main' } });
  t.like(events[1], { data: { question: 'csat', score: 4 } });
  t.like(events[2], { occurredAt: 5_000, data: { recording: 'vm-c1-1', durationSeconds: 12 } });
  t.is(new Set(events.map((e) => e.once)).size, 3);
  // Same call again (a replay): the same keys.
  t.deepEqual(callWebhookEvents(call, withVoicemail).map((e) => e.once), events.map((e) => e.once));
});
