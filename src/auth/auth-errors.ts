// Errors of the auth capability, with stable codes the API maps to HTTP in one place.
export type AuthErrorCode =
  | 'UNAUTHENTICATED'      // no or bad credentials → 401
  | 'LOCKED_OUT'           // too many failed logins → 429
  | 'FORBIDDEN'            // authenticated, not allowed → 403
  | 'CSRF'                 // cookie session without a matching CSRF header → 403
  | 'USER_EXISTS'          // → 409
  | 'NOT_FOUND'            // → 404
  | 'REVISION_MISMATCH'    // optimistic concurrency → 412
  | 'BAD_INPUT';           // → 400

export class AuthError extends Error {
  override readonly name = 'AuthError';
  constructor(readonly code: AuthErrorCode, message: string, readonly details?: unknown) {
    super(message);
  }
}
