// What a follow-up event carries outside the service. Live events reach every holder of
// followups.read, agents included, while an agent may only see some follow-ups: the live signal
// says which one changed and how, without the caller's number or the text; the UI fetches the rest
// through GET /followups/{id}, which checks access. Webhooks go to a platform an admin chose:
// they carry the work order itself (not the comment thread).
import type { Followup } from './followup-types.ts';

export function liveSignal(f: Followup): Record<string, unknown> {
  return { followupId: f.id, kind: f.kind, status: f.status, priority: f.priority, dueAt: f.dueAt, assignee: f.assignee, revision: f.revision };
}

export function webhookData(f: Followup): Record<string, unknown> {
  const last = f.statusTrail.at(-1);
  return {
    followupId: f.id, kind: f.kind, title: f.title, note: f.note, status: f.status, priority: f.priority, dueAt: f.dueAt, assignee: f.assignee,
    callerNumber: f.callerNumber, callId: f.links.callId ?? null, recordingIds: f.links.recordingIds, voicemail: f.links.voicemail ?? null,
    transcript: f.links.transcript, createdAt: f.createdAt, createdBy: f.createdBy, revision: f.revision,
    ...(last ? { statusChangedBy: last.by, statusChangedAt: last.at, ...(last.reason ? { reason: last.reason } : {}) } : {}),
  };
}
