// The API's one error shape, `{error: {code, message, details?}}`, and the one place where every
// error of every capability becomes an HTTP status. Codes are stable: clients branch on them.
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AuthError, type AuthErrorCode } from '../../auth/auth-errors.ts';
import { KnowledgeBaseError, type KnowledgeBaseErrorCode } from '../../knowledge/base/index.ts';
import { WEBHOOK_ERROR_STATUS, WebhookError } from '../../webhooks/errors.ts';
import { CAMPAIGN_ERROR_STATUS, CampaignError } from '../../campaigns/campaign-service.ts';
import { DISPOSITION_ERROR_STATUS, DispositionError } from '../../dispositions/disposition-errors.ts';
import { FlowError } from '../../ivr/flow-store.ts';
import { QueueSettingsError } from '../../queue/queue-settings-store.ts';
import { SettingsError } from '../../config/settings-overrides.ts';
import { FOLLOWUP_ERROR_STATUS, FollowupError } from '../../followups/errors.ts';
import { PROMPT_ERROR_STATUS, PromptError } from '../../prompts/prompt-errors.ts';
import { ReportError } from '../../reports/report-errors.ts';
import { SnapshotBuildError } from '../../knowledge/service/snapshot-worker.ts';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(readonly status: ContentfulStatusCode, readonly code: string, message: string, readonly details?: unknown) {
    super(message);
  }
}

export const errorBody = (code: string, message: string, details?: unknown) => ({ error: { code, message, ...(details !== undefined ? { details } : {}) } });

// Exhaustive on purpose: a new error code fails the type check until it has a status.
const AUTH_STATUS: Record<AuthErrorCode, ContentfulStatusCode> = {
  UNAUTHENTICATED: 401, LOCKED_OUT: 429, FORBIDDEN: 403, CSRF: 403, USER_EXISTS: 409, NOT_FOUND: 404, REVISION_MISMATCH: 412, BAD_INPUT: 400,
};
const KB_STATUS: Record<KnowledgeBaseErrorCode, ContentfulStatusCode> = {
  KB_INVALID_ARTICLE: 400, KB_INVALID_LEXICON: 400, KB_NOT_FOUND: 404, KB_NO_SUCH_VERSION: 404, KB_VERSION_MISMATCH: 412,
  // Times come from the service's clock, never from the request: a bad one is our bug.
  KB_BAD_TIME: 500,
};

/** The status and body for any thrown value; unknown errors are 500 INTERNAL without internals. */
export function toHttpError(error: unknown): { status: ContentfulStatusCode; body: ReturnType<typeof errorBody>; internal: boolean } {
  if (error instanceof ApiError) return { status: error.status, body: errorBody(error.code, error.message, error.details), internal: false };
  if (error instanceof AuthError) return { status: AUTH_STATUS[error.code], body: errorBody(error.code, error.message, error.details), internal: false };
  if (error instanceof KnowledgeBaseError) {
    const status = KB_STATUS[error.code];
    return { status, body: errorBody(error.code, error.message, error.issues.length ? error.issues : undefined), internal: status >= 500 };
  }
  if (error instanceof FlowError) {
    const status = ({ FLOW_CONFLICT: 409, FLOW_NOT_FOUND: 404, FLOW_INVALID: 400 } as const)[error.code];
    return { status, body: errorBody(error.code, error.message, error.problems.length ? error.problems : undefined), internal: false };
  }
  // The knowledge base could not be built (worker died, out of memory): the last publish stays live.
  if (error instanceof SnapshotBuildError) return { status: 503, body: errorBody(error.code, `${error.message}; the previously published knowledge base is still in use`), internal: true };
  if (error instanceof QueueSettingsError) {
    const status = ({ QUEUE_SETTINGS_INVALID: 400, QUEUE_SETTINGS_CONFLICT: 409, QUEUE_SETTINGS_NOT_FOUND: 404 } as const)[error.code];
    return { status, body: errorBody(error.code, error.message, error.issues.length ? error.issues : undefined), internal: false };
  }
  if (error instanceof SettingsError) return { status: error.code === 'SETTINGS_CONFLICT' ? 409 : 400, body: errorBody(error.code, error.message, error.issues.length ? error.issues : undefined), internal: false };
  if (error instanceof FollowupError) return { status: FOLLOWUP_ERROR_STATUS[error.code], body: errorBody(error.code, error.message, error.details), internal: FOLLOWUP_ERROR_STATUS[error.code] >= 500 };
  if (error instanceof ReportError) return { status: 400, body: errorBody(error.code, error.message), internal: false };
  if (error instanceof PromptError) return { status: PROMPT_ERROR_STATUS[error.code], body: errorBody(error.code, error.message, error.details), internal: PROMPT_ERROR_STATUS[error.code] >= 500 };
  if (error instanceof DispositionError) return { status: DISPOSITION_ERROR_STATUS[error.code], body: errorBody(error.code, error.message, error.issues.length ? error.issues : undefined), internal: false };
  if (error instanceof CampaignError) return { status: CAMPAIGN_ERROR_STATUS[error.code], body: errorBody(error.code, error.message, error.details), internal: false };
  if (error instanceof WebhookError) return { status: WEBHOOK_ERROR_STATUS[error.code], body: errorBody(error.code, error.message, error.issues.length ? error.issues : undefined), internal: false };
  const status = (error as { status?: unknown })?.status;
  // Hono's own HTTPExceptions (e.g. a malformed body) are the client's doing.
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code = ({ 404: 'NOT_FOUND', 405: 'METHOD_NOT_ALLOWED', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE' } as Record<number, string>)[status] ?? 'BAD_REQUEST';
    return { status: status as ContentfulStatusCode, body: errorBody(code, (error as Error).message || 'bad request'), internal: false };
  }
  return { status: 500, body: errorBody('INTERNAL', 'internal error: the server log has the details'), internal: true };
}
