/** A recording store over a MemoryStore and real temp folders, on a manual clock. */
import type { ExecutionContext } from 'ava';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ManualClock } from '../../core/clock.ts';
import { MemoryStore } from '../../store/memory-store.ts';
import { RecordingStore } from '../recording-store.ts';
import type { IngestMeta, Recording } from '../recording-types.ts';
import { capturedLogger, soxWav, tempDir } from './fixtures.ts';

export const t0 = Date.UTC(2026, 10, 24, 8, 30, 0);
export const dayMs = 86_400_000;

export async function recordingSetup(t: ExecutionContext) {
  const base = await tempDir(t);
  const incoming = join(base, 'asterisk-spool');
  await mkdir(incoming);
  const dir = join(base, 'recordings');
  const clock = new ManualClock(t0);
  const store = new MemoryStore();
  const { logger, lines } = capturedLogger();
  const recordings = new RecordingStore({ store, dir, clock, logger });
  let n = 0;
  /** Writes a sox tone where Asterisk would, and ingests it. */
  const record = async (meta: Partial<IngestMeta> = {}, audio: { seconds?: number; rate?: number } = {}): Promise<Recording> => {
    const name = `call-${++n}`;
    const source = soxWav(join(incoming, `${name}.wav`), { seconds: audio.seconds ?? 0.5, rate: audio.rate ?? 8000 });
    return recordings.ingest(source, { callId: `c${n}`, caller: '5550100', startedAt: clock.now() - 1000, name, ...meta });
  };
  return { base, incoming, dir, clock, store, recordings, logs: lines, record };
}
