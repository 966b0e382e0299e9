// Authentication and authorization for /api/v1. `identify` (every request) finds who is calling:
// a session cookie or a bearer API token. Each route then declares what it needs with `secured`:
// the permission goes into the OpenAPI document (`x-deskline-permission`), which the RBAC test
// walks for every role, and into a middleware that answers 401/403 before the handler runs.
// Changes made with a session cookie must echo the session's CSRF token in `x-csrf-token`
// (browsers send cookies on their own; tokens and headers they do not).
import { timingSafeEqual } from 'node:crypto';
import type { RouteConfig } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AuthService, Principal } from '../../auth/auth-service.ts';
import type { Permission } from '../../auth/roles.ts';
import { ApiError } from './api-error.ts';
import type { ApiEnv } from './api-env.ts';
import { securedErrors } from './schemas.ts';

export const SESSION_COOKIE = 'deskline_session';
export const CSRF_HEADER = 'x-csrf-token';

/** What a route needs: a permission, any logged-in caller, or nothing (login, docs). */
export type Access = Permission | 'authenticated' | 'public';

/**
 * Who a request's credentials name now: a bearer token (undefined when it is unknown, expired or
 * revoked) or else the session cookie. Checked per request and again by long-lived streams.
 */
export async function principalOf(auth: AuthService, c: Context): Promise<{ principal: Principal | undefined; bearer: boolean }> {
  const header = c.req.header('authorization');
  if (header !== undefined) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    return { principal: m ? await auth.fromToken(m[1]!) : undefined, bearer: true };
  }
  const id = getCookie(c, SESSION_COOKIE);
  return { principal: id ? await auth.fromSession(id) : undefined, bearer: false };
}

export function identify(auth: AuthService, addressOf: (c: Parameters<MiddlewareHandler<ApiEnv>>[0]) => string): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    c.set('address', addressOf(c));
    const { principal, bearer } = await principalOf(auth, c);
    // A bad token is an error even if a cookie came along: integrations must hear it.
    if (bearer && !principal) throw new ApiError(401, 'UNAUTHENTICATED', 'the API token is unknown, expired or revoked');
    if (principal) c.set('principal', principal);
    await next();
  };
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a), y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function requireAccess(access: Access): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    if (access !== 'public') {
      const principal = c.get('principal');
      if (!principal) throw new ApiError(401, 'UNAUTHENTICATED', 'log in first (session cookie) or send an API token (Authorization: Bearer)');
      if (principal.kind === 'session' && !SAFE.has(c.req.method) && !sameToken(c.req.header(CSRF_HEADER) ?? '', principal.csrf ?? '')) {
        throw new ApiError(403, 'CSRF', `changes need the session's CSRF token in the ${CSRF_HEADER} header`);
      }
      if (access !== 'authenticated' && !principal.permissions.has(access)) {
        throw new ApiError(403, 'FORBIDDEN', `${principal.kind === 'token' ? 'this token' : `role ${principal.role}`} may not do this (needs ${access})`, { permission: access });
      }
    }
    await next();
  };
}

/** A route config with its access rule: documented, enforced, and with the shared error responses. */
export function secured<R extends RouteConfig>(access: Access, config: R): R & { responses: R['responses'] & typeof securedErrors } {
  const middleware = [requireAccess(access), ...(config.middleware === undefined ? [] : Array.isArray(config.middleware) ? config.middleware : [config.middleware])];
  return {
    ...config,
    middleware,
    responses: { ...securedErrors, ...config.responses },
    ...(access === 'public' ? { security: [] } : { security: [{ session: [] }, { token: [] }] }),
    'x-deskline-permission': access,
  } as R & { responses: R['responses'] & typeof securedErrors };
}
