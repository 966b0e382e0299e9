/** Errors of the webhook capability. Codes are stable: routes, the CLI and logs match on them. */
export type WebhookErrorCode =
  | 'WEBHOOK_INVALID_SUBSCRIPTION'
  | 'WEBHOOK_INVALID_EVENT'
  | 'WEBHOOK_EVENT_TOO_LARGE'
  | 'WEBHOOK_NOT_FOUND'
  | 'WEBHOOK_CLOSED';

/**
 * The HTTP status of each code, for every API that serves webhooks (the control routes here, the
 * admin API's one onError). Exhaustive on purpose: a new code fails the type check until mapped.
 */
export const WEBHOOK_ERROR_STATUS: Record<WebhookErrorCode, 400 | 404 | 413 | 503> = {
  WEBHOOK_INVALID_SUBSCRIPTION: 400,
  WEBHOOK_INVALID_EVENT: 400,
  WEBHOOK_EVENT_TOO_LARGE: 413,
  WEBHOOK_NOT_FOUND: 404,
  WEBHOOK_CLOSED: 503,
};

/** One problem with one field of the input, e.g. `{ field: 'url', message: 'must use http or https' }`. */
export interface FieldIssue {
  field: string;
  message: string;
}

export class WebhookError extends Error {
  override readonly name = 'WebhookError';
  constructor(
    readonly code: WebhookErrorCode,
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
  }
}

/** A validation error whose message names every bad field: "bad subscription: url: …; events: …". */
export function invalid(code: 'WEBHOOK_INVALID_SUBSCRIPTION' | 'WEBHOOK_INVALID_EVENT', what: string, issues: FieldIssue[]): WebhookError {
  return new WebhookError(code, `${what}: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`, issues);
}
