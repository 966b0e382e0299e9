/** Errors of the follow-up capability. Codes are stable: the API, the CLI and logs match on them. */
export type FollowupErrorCode =
  | 'FOLLOWUP_INVALID'
  | 'FOLLOWUP_NOT_FOUND'
  | 'FOLLOWUP_BAD_TRANSITION'
  | 'FOLLOWUP_CLOSED'
  | 'FOLLOWUP_TOO_MANY_COMMENTS'
  | 'FOLLOWUP_CONFLICT'
  | 'FOLLOWUP_PRECONDITION_FAILED'
  | 'FOLLOWUP_REVISION_REQUIRED'
  | 'FOLLOWUP_STOPPED';

/**
 * The HTTP status of each code (for the admin API's one onError). Exhaustive on purpose: a new
 * code fails the type check until it has a status.
 */
export const FOLLOWUP_ERROR_STATUS: Record<FollowupErrorCode, 400 | 404 | 409 | 412 | 428 | 503> = {
  FOLLOWUP_INVALID: 400,
  FOLLOWUP_NOT_FOUND: 404,
  // The item's state refuses the step (closing a cancelled one): reload and decide again.
  FOLLOWUP_BAD_TRANSITION: 409,
  FOLLOWUP_CLOSED: 409,
  FOLLOWUP_TOO_MANY_COMMENTS: 409,
  // `revision` in the body is stale: someone else changed it since it was read.
  FOLLOWUP_CONFLICT: 409,
  // If-Match names a stale ETag.
  FOLLOWUP_PRECONDITION_FAILED: 412,
  // An edit without If-Match or revision: it would overwrite blindly.
  FOLLOWUP_REVISION_REQUIRED: 428,
  FOLLOWUP_STOPPED: 503,
};

/** One problem with one field of the input, e.g. `{ field: 'title', message: 'must not be empty' }`. */
export interface FieldIssue {
  field: string;
  message: string;
}

export class FollowupError extends Error {
  override readonly name = 'FollowupError';
  constructor(
    readonly code: FollowupErrorCode,
    message: string,
    readonly details?: FieldIssue[] | Record<string, unknown>,
  ) {
    super(message);
  }
}

/** A validation error whose message names every bad field: "bad follow-up: title: …; dueAt: …". */
export function invalid(issues: FieldIssue[]): FollowupError {
  return new FollowupError('FOLLOWUP_INVALID', `bad follow-up: ${issues.map((i) => `${i.field || '(body)'}: ${i.message}`).join('; ')}`.slice(0, 2000), issues);
}
