// Wiring only: how follow-ups meet the rest of the appliance. Each ended call (through the
// durable call-endings feed) first has its voicemails stored, then leaves its follow-ups; queue
// callbacks given up later add theirs; follow-ups created or closed go out as webhooks.
import type { Logger } from 'pino';
import type { CallEndings } from '../calls/call-endings.ts';
import type { CallRecords } from '../calls/call-records.ts';
import type { CallService } from '../calls/call-service.ts';
import type { TrailEntry } from '../calls/call-types.ts';
import { webhookData } from '../followups/followup-events.ts';
import type { FollowupService } from '../followups/followup-service.ts';
import type { Followup } from '../followups/followup-types.ts';
import type { QueueService } from '../queue/queue-service.ts';
import type { RecordingStore } from '../recordings/recording-store.ts';
import { storeVoicemails } from '../recordings/voicemails.ts';
import type { WebhookService } from '../webhooks/webhook-service.ts';

export interface FollowupWiring {
  followups: FollowupService;
  endings: CallEndings;
  records: CallRecords;
  calls: Pick<CallService, 'note' | 'on'>;
  queues: Pick<QueueService, 'on'> | undefined;
  recordings: RecordingStore;
  /** Where Asterisk writes recordings (the sandbox's folder once it runs). */
  recordingsSource: () => string;
  webhooks: WebhookService;
  logger: Logger;
}

// The keys name each occurrence: a close after a reopen is another event.
const created = (f: Followup) => ({ type: 'followup.created' as const, once: `followup.created:${f.id}`, data: webhookData(f) });
const closed = (f: Followup) => ({ type: 'followup.closed' as const, once: `followup.closed:${f.id}:${f.revision}`, data: webhookData(f) });

export function wireFollowups(w: FollowupWiring): void {
  const { followups, webhooks, logger } = w;
  w.endings.register('followups', async (callId) => {
    const call = await w.records.get(callId);
    if (!call) return;
    const trail = await w.records.trail(callId);
    // Voicemails stored first, so the follow-up links a recording people can play.
    const voicemails = await storeVoicemails(call, trail, { recordings: w.recordings, sourceDir: w.recordingsSource, logger });
    for (const entry of voicemails.storedNow) w.calls.note(callId, entry);
    await followups.fromCall(call, trail, voicemails.entries);
    // Published here too (once-keys dedupe): a crash after creating but before the 'created'
    // event's publish would otherwise lose the webhook, as a replay creates nothing new.
    for (const f of await followups.list({ callId })) await webhooks.publish(created(f));
  });
  // A queue callback given up after its call ended: on the ACD's trail (customer-first), or as a
  // late note on the call (agent-first).
  const callbackFailed = (callId: string, entry: TrailEntry) => void followups.fromEndedCall(callId, [entry]).catch((err: unknown) => logger.warn({ err, callId }, 'callback follow-up not created'));
  w.queues?.on('trail', (entry) => {
    if (entry.type === 'callback-failed' && typeof entry.callId === 'string') callbackFailed(entry.callId, entry);
  });
  w.calls.on('late-note', (state, entry) => {
    if (entry.type === 'callback-failed') callbackFailed(state.callId, entry);
  });
  const publish = (event: ReturnType<typeof created | typeof closed>, f: Followup) => void webhooks.publish(event).catch((err: unknown) => logger.error({ err, followupId: f.id }, `${event.type} webhook not queued`));
  followups.on('created', (f) => publish(created(f), f));
  followups.on('closed', (f) => publish(closed(f), f));
}
