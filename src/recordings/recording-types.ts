/** A stretch of the call left out of the recording (pause/resume, e.g. while a card number is read). */
export interface PausedSpan {
  /** Epoch ms when the pause began. */
  at: number;
  seconds: number;
}

/** What the caller of `ingest` knows about a file Asterisk has finished writing. */
export interface IngestMeta {
  callId: string;
  queueId?: string;
  agentId?: string;
  /** Caller number. */
  caller: string;
  /** Epoch ms when the recording started. */
  startedAt: number;
  /** The recording's name in Asterisk (ARI LiveRecording name). */
  name: string;
  paused?: PausedSpan[];
}

export interface Recording {
  /** Unique and URL-safe: [a-z0-9-]. */
  id: string;
  callId: string;
  queueId?: string;
  agentId?: string;
  caller: string;
  startedAt: number;
  /** When the store took the file in; retention counts from here. */
  createdAt: number;
  name: string;
  paused: PausedSpan[];
  format: 'wav';
  durationSeconds: number;
  sampleRate: number;
  channels: number;
  sha256: string;
  bytes: number;
  /** Relative to the recordings root, '/'-separated: YYYY/MM/DD/<id>.wav (UTC date of createdAt). */
  path: string;
}

export interface RecordingQuery {
  callId?: string;
  /** startedAt ≥ from (epoch ms). */
  from?: number;
  /** startedAt < to (epoch ms). */
  to?: number;
  limit?: number;
}

export interface OpenedRecording {
  /** Absolute path of the file. */
  path: string;
  bytes: number;
  sha256: string;
  contentType: 'audio/wav';
}

export const recordingIdPattern = /^[a-z0-9][a-z0-9-]{0,63}$/;
