// What every /api/v1 handler can read from its context.
import type { Principal } from '../../auth/auth-service.ts';

export interface ApiEnv {
  Variables: {
    /** Set by authenticate for every route but the public ones. */
    principal: Principal;
    /** The client's address (for login throttling and the audit log). */
    address: string;
  };
}
