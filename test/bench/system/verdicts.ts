// Did a bench call do everything the scenario asks? Each side is judged by its own evidence:
// Deskline by the call record it wrote (trail, stored recording, transcript), the dialplan
// reference by Asterisk's events and MixMonitor's file. Latencies come from the same evidence.
import type { TrailEntry } from '../../../src/calls/call-types.ts';
import type { CallVerdict } from './figures.ts';
import type { ObservedCall } from './driver-protocol.ts';

export interface DesklineEvidence {
  record?: { outcome?: string; answeredAt?: number };
  trail: TrailEntry[];
  recordingStored: boolean;
}

const cutShort = (call: ObservedCall) => call.via === 'local' && !call.scriptDone;

export function desklineVerdict(call: ObservedCall, evidence: DesklineEvidence): CallVerdict {
  const at = (type: string) => evidence.trail.find((e) => e.type === type)?.at;
  const answered = at('answered');
  const prompt = at('prompt-started');
  const queued = at('queue');
  const connected = at('agent-connected');
  const base = {
    id: call.id, via: call.via, startedAt: call.originatedAt, endedAt: call.endedAt, transcribed: call.transcribed,
    promptMs: answered !== undefined && prompt !== undefined ? prompt - answered : undefined,
    queueAssignMs: queued !== undefined && connected !== undefined ? connected - queued : undefined,
  };
  const missing =
    call.error ??
    (!evidence.record ? 'no call record' :
      evidence.record.answeredAt === undefined ? 'not answered' :
      prompt === undefined ? 'no prompt started' :
      !evidence.trail.some((e) => e.type === 'dtmf') ? 'menu key not heard' :
      queued === undefined ? 'never queued' :
      connected === undefined ? 'no agent connected' :
      cutShort(call) ? 'caller script cut short' :
      evidence.record.outcome !== 'completed' ? `outcome ${evidence.record.outcome ?? 'none (still up)'}` :
      !evidence.trail.some((e) => e.type === 'recording-started') ? 'recording not started' :
      !evidence.recordingStored ? 'recording not stored' :
      call.transcribed && !evidence.trail.some((e) => e.type === 'transcript') ? 'no transcript' :
      undefined);
  return { ...base, ok: missing === undefined, ...(missing ? { reason: missing } : {}) };
}

export function dialplanVerdict(call: ObservedCall, monitorFileBytes: number | undefined): CallVerdict {
  const base = {
    id: call.id, via: call.via, startedAt: call.originatedAt, endedAt: call.endedAt,
    promptMs: call.answeredAt !== undefined && call.promptAt !== undefined ? call.promptAt - call.answeredAt : undefined,
    queueAssignMs: call.queueAt !== undefined && call.bridgedAt !== undefined ? call.bridgedAt - call.queueAt : undefined,
  };
  const missing =
    call.error ??
    (call.answeredAt === undefined ? 'not answered' :
      call.promptAt === undefined ? 'no prompt started' :
      call.queueAt === undefined ? 'never queued' :
      call.bridgedAt === undefined ? 'no agent connected' :
      call.endedAt === undefined ? 'did not end' :
      cutShort(call) ? 'caller script cut short' :
      // A WAV header alone (44 bytes) is a recording of nothing.
      (monitorFileBytes ?? 0) <= 44 ? 'no MixMonitor recording' :
      undefined);
  return { ...base, ok: missing === undefined, ...(missing ? { reason: missing } : {}) };
}
