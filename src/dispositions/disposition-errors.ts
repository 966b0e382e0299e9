// Errors of the call-classification capability. Codes are stable: the API, the web UI and logs
// match on them.

export type DispositionErrorCode =
  | 'DISPOSITION_INVALID'
  | 'DISPOSITION_NOT_FOUND'
  | 'DISPOSITION_CALL_NOT_FOUND'
  | 'DISPOSITION_CONFLICT'
  | 'DISPOSITION_RETIRED'
  | 'DISPOSITION_IN_USE';

/** HTTP status of each code. Exhaustive on purpose: a new code fails the type check until it has one. */
export const DISPOSITION_ERROR_STATUS: Record<DispositionErrorCode, 400 | 404 | 409> = {
  DISPOSITION_INVALID: 400,
  DISPOSITION_NOT_FOUND: 404,
  DISPOSITION_CALL_NOT_FOUND: 404,
  // The If-Match revision is stale: someone else saved since it was read.
  DISPOSITION_CONFLICT: 409,
  // A retired category stays readable on old calls but cannot be chosen for a new one.
  DISPOSITION_RETIRED: 409,
  // A category that calls or child categories use is retired, never deleted.
  DISPOSITION_IN_USE: 409,
};

export interface DispositionIssue {
  path: (string | number)[];
  message: string;
}

export class DispositionError extends Error {
  override readonly name = 'DispositionError';
  constructor(readonly code: DispositionErrorCode, message: string, readonly issues: DispositionIssue[] = []) {
    super(message);
  }
}
