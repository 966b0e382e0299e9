// Login, logout, who am I. The session id travels only in an HttpOnly cookie; the CSRF token is
// returned in the body for the UI to echo on changes.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AuthService, Principal } from '../../auth/auth-service.ts';
import { PERMISSIONS, ROLES } from '../../auth/roles.ts';
import { DEFAULT_SESSION_TIMES } from '../../auth/session-store.ts';
import type { ApiEnv } from './api-env.ts';
import { ErrorResponse, json, jsonBody } from './schemas.ts';
import { secured, SESSION_COOKIE } from './secured.ts';
import { ApiError } from './api-error.ts';
import type { Audit } from './user-routes.ts';

const Me = z.object({
  username: z.string(), role: z.enum(ROLES), locale: z.enum(['en', 'zh-CN']), agentId: z.string().optional(),
  permissions: z.array(z.enum(PERMISSIONS)), via: z.enum(['session', 'token', 'local']),
  csrfToken: z.string().optional().openapi({ description: 'Sessions: send it back in the x-csrf-token header on every change' }),
}).openapi('Me');

const Login = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024) }).openapi('Login');

export function authRoutes(deps: { auth: AuthService; secureCookies: () => boolean; audit: Audit }) {
  const app = new OpenAPIHono<ApiEnv>();
  const me = (p: Principal) => ({
    username: p.username, role: p.role, locale: p.locale, ...(p.agentId ? { agentId: p.agentId } : {}),
    permissions: [...p.permissions], via: p.kind, ...(p.csrf ? { csrfToken: p.csrf } : {}),
  });

  app.openapi(secured('public', createRoute({
    method: 'post', path: '/auth/login', tags: ['auth'], summary: 'Log in: sets the session cookie',
    request: jsonBody(Login),
    responses: { 200: json(Me, 'Logged in'), 429: { description: 'Locked out after too many failed logins', content: { 'application/json': { schema: ErrorResponse } } } },
  })), async (c) => {
    const { username, password } = c.req.valid('json');
    const { sessionId, session, user } = await deps.auth.login(username, password, c.get('address'));
    // Lax: links into the UI from e-mail still work; cross-site POSTs carry no cookie.
    setCookie(c, SESSION_COOKIE, sessionId, { httpOnly: true, sameSite: 'Lax', secure: deps.secureCookies(), path: '/', maxAge: Math.floor(DEFAULT_SESSION_TIMES.maxMs / 1000) });
    const principal = await deps.auth.fromSession(sessionId);
    return c.json(me(principal ?? { kind: 'session', username: user.username, role: user.role, locale: user.locale, permissions: new Set(), csrf: session.csrf }), 200);
  });

  app.openapi(secured('authenticated', createRoute({
    method: 'post', path: '/auth/logout', tags: ['auth'], summary: 'Log out: ends this session',
    responses: { 204: { description: 'Logged out' } },
  })), async (c) => {
    const id = getCookie(c, SESSION_COOKIE);
    if (id) await deps.auth.logout(id, c.get('principal').username);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.body(null, 204);
  });

  app.openapi(secured('authenticated', createRoute({
    method: 'get', path: '/auth/me', tags: ['auth'], summary: 'Who is calling, with what permissions',
    responses: { 200: json(Me, 'The caller') },
  })), (c) => c.json(me(c.get('principal')), 200));

  // Everyone chooses their own language (the UI follows it on every browser); nothing else of
  // one's account changes here.
  app.openapi(secured('authenticated', createRoute({
    method: 'patch', path: '/auth/me', tags: ['auth'], summary: 'Change your own language (en or zh-CN)',
    request: jsonBody(z.object({ locale: z.enum(['en', 'zh-CN']) }).strict().openapi('MyLocale')), responses: { 200: json(Me, 'The caller, changed') },
  })), async (c) => {
    const principal = c.get('principal');
    const { locale } = c.req.valid('json');
    const user = await deps.auth.users.get(principal.username);
    if (!user) throw new ApiError(400, 'NOT_A_USER', `${principal.username} is not a user account (the control socket's local admin has no language)`);
    await deps.auth.users.update(user.username, { locale });
    await deps.audit({ actor: principal.username, action: 'users.set-locale', target: user.username, detail: { before: user.locale, after: locale } });
    return c.json(me({ ...principal, locale }), 200);
  });

  return app;
}
