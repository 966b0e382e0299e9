// Voicemail messages into the recording store, once their call has ended: Asterisk wrote each as
// <recordingsDir>/<name>.wav (the IVR voicemail node's 'voicemail' note names it). Stored like
// call recordings (checksummed, retention, audited listens), so a follow-up can link and play it.
// Safe to run again for the same call (a replay after a crash): a message already stored is not
// taken twice, and a file that is gone is logged, not retried forever.
import type { CallState, TrailEntry } from '../calls/call-types.ts';
import { RecordingError } from './errors.ts';
import type { RecordingStore } from './recording-store.ts';

export interface VoicemailSources {
  recordings: Pick<RecordingStore, 'ingest' | 'list'>;
  /** Where Asterisk writes recordings, as this process sees it. */
  sourceDir: () => string;
  logger: { warn(details: object, message: string): void };
}

/**
 * Stores the call's voicemail messages; answers a 'recording-stored' entry for each one in the
 * store, and which of them were stored just now (to note on the call once).
 */
export async function storeVoicemails(call: CallState, trail: readonly TrailEntry[], deps: VoicemailSources): Promise<{ entries: TrailEntry[]; storedNow: TrailEntry[] }> {
  const names = trail.filter((e) => e.type === 'voicemail' && typeof e.recording === 'string' && e.recording).map((e) => ({ name: e.recording as string, at: e.at }));
  if (!names.length) return { entries: [], storedNow: [] };
  const stored = new Map((await deps.recordings.list({ callId: call.callId, limit: 1000 })).map((r) => [r.name, r]));
  const entries: TrailEntry[] = [];
  const storedNow: TrailEntry[] = [];
  for (const { name, at } of names) {
    let recording = stored.get(name);
    const isNew = !recording;
    if (!recording) {
      try {
        recording = await deps.recordings.ingest(`${deps.sourceDir()}/${name}.wav`, { callId: call.callId, caller: call.caller.number, startedAt: at, name });
      } catch (error) {
        if (!(error instanceof RecordingError)) throw error;
        deps.logger.warn({ err: error, callId: call.callId, name }, 'voicemail not stored');
        continue;
      }
    }
    const entry: TrailEntry = { type: 'recording-stored', at, recordingId: recording.id, durationSeconds: recording.durationSeconds, sha256: recording.sha256, voicemail: name };
    entries.push(entry);
    if (isNew) storedNow.push(entry);
  }
  return { entries, storedNow };
}
