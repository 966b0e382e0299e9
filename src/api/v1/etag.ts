// Optimistic concurrency: documents carry a revision, sent as a strong ETag ("3"); a change must
// come with If-Match naming the revision it was based on.
import { ApiError } from './api-error.ts';

/** The revision an If-Match header names; undefined when absent or "*". */
export function ifMatchRevision(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const m = /^\s*(?:W\/)?"(\d{1,12})"\s*$/.exec(header);
  if (!m) throw new ApiError(400, 'BAD_IF_MATCH', 'If-Match must be the ETag you read, e.g. "3"', { field: 'if-match' });
  return Number(m[1]);
}
