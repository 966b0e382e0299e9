// The webhook events one finished call gives: call.ended always, voicemail.left for each message
// kept, survey.result for each question answered. Pure: the call record and its trail in. Each
// carries a once-key naming its occurrence, so replaying a call (after a crash) sends nothing twice.
import type { CallState, TrailEntry } from '../calls/call-types.ts';
import type { PublishInput } from './webhook-types.ts';

export function callWebhookEvents(call: CallState, trail: readonly TrailEntry[]): PublishInput[] {
  const base = { callId: call.callId, caller: call.caller.number, dialed: call.dialed, flowId: call.flow?.flowId ?? null };
  const events: PublishInput[] = [{
    type: 'call.ended', once: `call.ended:${call.callId}`, ...(call.endedAt !== undefined && { occurredAt: call.endedAt }),
    data: { ...base, startedAt: call.startedAt, answeredAt: call.answeredAt ?? null, endedAt: call.endedAt ?? null, outcome: call.outcome ?? null, endedBy: call.endedBy ?? null, endReason: call.endReason ?? null },
  }];
  trail.forEach((entry, i) => {
    if (entry.type === 'voicemail' && typeof entry.recording === 'string' && entry.recording) {
      events.push({ type: 'voicemail.left', once: `voicemail.left:${call.callId}:${i}`, occurredAt: entry.at, data: { ...base, recording: entry.recording, durationSeconds: typeof entry.durationSeconds === 'number' ? entry.durationSeconds : null } });
    } else if (entry.type === 'survey' && typeof entry.score === 'number') {
      events.push({ type: 'survey.result', once: `survey.result:${call.callId}:${i}`, occurredAt: entry.at, data: { ...base, question: typeof entry.question === 'string' ? entry.question : 'csat', score: entry.score } });
    }
  });
  return events;
}
