// Where each transcript line falls in a recording. Transcript times (startMs, endMs) count from the
// first audio of their transcription leg, which opens when transcription starts (on answer, or
// when the call joins a queue), while the recording starts when the agent is bridged, later, and
// leaves out paused spans. So a line's place in the file is:
//   (legAudioStart + startMs − recording.startedAt) − the paused seconds before it.
// legAudioStart is the entry's `audioStartedAt` when the trail has it; otherwise it is estimated
// from the trail: a final is noted (at) only after its audio was heard, so at − endMs ≥ the leg's
// start, and the smallest of these over the leg's lines is the closest bound.

export interface TranscriptEntry {
  /** Epoch ms the final was noted in the call's trail. */
  at: number;
  leg: string;
  text: string;
  startMs: number;
  endMs: number;
  /** Epoch ms of the leg's first audio sample, when the trail records it. */
  audioStartedAt?: number;
}

export interface RecordingSpan {
  /** Epoch ms the recording started. */
  startedAt: number;
  durationSeconds: number;
  paused: { at: number; seconds: number }[];
}

export interface TimedLine {
  leg: string;
  text: string;
  /** Seconds into the recording; undefined when the words were said while nothing was recorded. */
  start?: number;
  end?: number;
  /** Epoch ms the words began (for lines outside the recording). */
  saidAt: number;
  where: 'in' | 'before' | 'after' | 'paused';
}

/** The leg's first-audio time per leg: recorded (exact), else the tightest bound the trail gives. */
export function legAnchors(entries: readonly TranscriptEntry[]): Map<string, number> {
  const recorded = new Map<string, number>(), estimated = new Map<string, number>();
  for (const e of entries) {
    if (typeof e.audioStartedAt === 'number') recorded.set(e.leg, Math.min(recorded.get(e.leg) ?? Infinity, e.audioStartedAt));
    estimated.set(e.leg, Math.min(estimated.get(e.leg) ?? Infinity, e.at - e.endMs));
  }
  return new Map([...estimated, ...recorded]);
}

/** Seconds into the file for an epoch-ms moment, or where it falls when not recorded. */
export function positionOf(recording: RecordingSpan, epochMs: number): { seconds?: number; where: TimedLine['where'] } {
  if (epochMs < recording.startedAt) return { where: 'before' };
  let cut = 0;
  for (const p of [...recording.paused].sort((a, b) => a.at - b.at)) {
    const pauseEnd = p.at + p.seconds * 1000;
    if (epochMs >= pauseEnd) cut += p.seconds;
    else if (epochMs >= p.at) return { where: 'paused' };
  }
  const seconds = (epochMs - recording.startedAt) / 1000 - cut;
  // A little slack at the end: the last words and the file's end are measured by different clocks.
  if (seconds > recording.durationSeconds + 0.5) return { where: 'after' };
  return { seconds: Math.min(seconds, recording.durationSeconds), where: 'in' };
}

/** The transcript as lines placed in the recording, in the order they were said. */
export function placeLines(entries: readonly TranscriptEntry[], recording: RecordingSpan | undefined): TimedLine[] {
  const anchors = legAnchors(entries);
  return entries
    .map((e) => {
      const anchor = anchors.get(e.leg) ?? e.at - e.endMs;
      const saidAt = anchor + e.startMs;
      if (!recording) return { leg: e.leg, text: e.text, saidAt, where: 'before' as const };
      const start = positionOf(recording, saidAt);
      const end = positionOf(recording, anchor + e.endMs);
      return { leg: e.leg, text: e.text, saidAt, where: start.where, ...(start.seconds !== undefined ? { start: start.seconds, end: end.seconds ?? recording.durationSeconds } : {}) };
    })
    .sort((a, b) => a.saidAt - b.saidAt);
}

/** The line being heard at `seconds`: the last one that started at or before it (while within it or until the next). */
export function currentLine(lines: readonly TimedLine[], seconds: number): number {
  let found = -1;
  lines.forEach((line, i) => {
    if (line.start !== undefined && line.start <= seconds + 0.05) found = i;
  });
  return found;
}
