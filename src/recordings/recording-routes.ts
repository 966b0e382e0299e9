// HTTP face of the recording store. Audio is served by hand rather than with serveStatic, which
// sends .wav as application/octet-stream and writes no audit entry. Every request for audio of a
// known recording is audit-logged before a byte is sent; if the audit log cannot be written the
// audio is not served. Auth and RBAC are put in front of these routes by the admin API.
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { Hono, type Context } from 'hono';
import type { AuditLog } from '../audit/audit-log.ts';
import { RecordingError } from './errors.ts';
import { decideRange } from './http-range.ts';
import type { RecordingStore } from './recording-store.ts';

export interface RecordingRoutesDeps {
  recordings: Pick<RecordingStore, 'get' | 'list' | 'open'>;
  audit: Pick<AuditLog, 'append'>;
  /** Who is asking, for the audit log (the admin API's authenticated user). */
  actor: (c: Context) => string;
}


const errorBody = (code: string, message: string, details?: unknown) => ({ error: { code, message, ...(details !== undefined && { details }) } });

function notFound(c: Context, error: RecordingError) {
  const code = error.code === 'DESKLINE_RECORDING_FILE_MISSING' ? 'RECORDING_FILE_MISSING' : 'RECORDING_NOT_FOUND';
  return c.json(errorBody(code, error.message), 404);
}

const isNotFound = (error: unknown): error is RecordingError =>
  error instanceof RecordingError && (error.code === 'DESKLINE_RECORDING_NOT_FOUND' || error.code === 'DESKLINE_RECORDING_FILE_MISSING');

/** The audio route alone (its tests; the admin API mounts `serveRecordingAudio` behind login). */
export function recordingRoutes(deps: RecordingRoutesDeps): Hono {
  return new Hono().get('/recordings/:id/audio', (c) => serveRecordingAudio(c, deps, c.req.param('id')));
}

/**
 * The audio of one recording with Range support, audited as a listen before a byte is sent (the
 * admin API's route calls this too). 404 in the error shape for unknown ids and missing files.
 */
export async function serveRecordingAudio(c: Context, deps: RecordingRoutesDeps, id: string): Promise<Response> {
  let handle: FileHandle;
  let sha256: string;
  try {
    const opened = await deps.recordings.open(id);
    sha256 = opened.sha256;
    // Open before answering: retention may unlink the file, but an open handle keeps it readable.
    handle = await open(opened.path, 'r').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw new RecordingError('DESKLINE_RECORDING_FILE_MISSING', `the file of recording ${id} is missing`);
      throw error;
    });
  } catch (error) {
    if (isNotFound(error)) return notFound(c, error);
    throw error;
  }
  try {
    return await answerAudio(c, deps, id, handle, sha256);
  } catch (error) {
    await handle.close();
    throw error;
  }
}

async function answerAudio(c: Context, deps: RecordingRoutesDeps, id: string, handle: FileHandle, sha256: string): Promise<Response> {
  const size = (await handle.stat()).size;
  const etag = `"${sha256}"`;
  const rangeHeader = c.req.header('range');
  // If-Range: serve the range only if the client's copy is this very file; else all of it.
  const ifRange = c.req.header('if-range');
  const decision = ifRange !== undefined && ifRange.trim() !== etag ? { kind: 'full' as const } : decideRange(rangeHeader, size);
  const status = decision.kind === 'partial' ? 206 : decision.kind === 'unsatisfiable' ? 416 : 200;

  const isHead = c.req.method === 'HEAD';
  if (!isHead) {
    await deps.audit.append({ actor: deps.actor(c), action: 'recording.listen', target: id, detail: { range: rangeHeader ?? null, status } });
  }

  const headers: Record<string, string> = {
    'Accept-Ranges': 'bytes',
    ETag: etag,
    'Cache-Control': 'private, no-store',
    'X-Content-Type-Options': 'nosniff',
  };
  if (decision.kind === 'unsatisfiable') {
    await handle.close();
    return c.body(null, 416, { ...headers, 'Content-Range': `bytes */${size}` });
  }
  const { start, end } = decision.kind === 'partial' ? decision : { start: 0, end: size - 1 };
  Object.assign(headers, {
    'Content-Type': 'audio/wav',
    'Content-Length': String(end - start + 1),
    'Content-Disposition': `inline; filename="${id}.wav"`,
    ...(decision.kind === 'partial' && { 'Content-Range': `bytes ${start}-${end}/${size}` }),
  });
  if (isHead || size === 0) {
    await handle.close();
    return c.body(null, status, headers);
  }
  // The stream closes the handle when it ends or when the client goes away.
  const stream = Readable.toWeb(handle.createReadStream({ start, end })) as unknown as ReadableStream;
  return c.body(stream, status, headers);
}
