/** Errors of the QA capability. Codes are stable: the API and clients match on them. */
export type QaErrorCode = 'QA_INVALID' | 'QA_CONFLICT' | 'QA_CALL_NOT_FOUND' | 'QA_TOO_MANY_COMMENTS';

/** The HTTP status of each code. Exhaustive on purpose: a new code fails the type check until it has one. */
export const QA_ERROR_STATUS: Record<QaErrorCode, 400 | 404 | 409> = {
  QA_INVALID: 400,
  // `revision` is stale: someone else changed the criteria since they were read.
  QA_CONFLICT: 409,
  QA_CALL_NOT_FOUND: 404,
  QA_TOO_MANY_COMMENTS: 409,
};

/** One problem with one field, e.g. `{ field: 'scores.greeting', message: 'must be 0 to 5' }`. */
export interface QaIssue {
  field: string;
  message: string;
}

export class QaError extends Error {
  override readonly name = 'QaError';
  constructor(readonly code: QaErrorCode, message: string, readonly issues: QaIssue[] = []) {
    super(message);
  }
}

export const invalid = (issues: QaIssue[]) => new QaError('QA_INVALID', `invalid: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`, issues);
