// Users and API tokens (admins). Users carry a revision: PATCH needs If-Match with it (412 when
// someone else changed the user since). Every change is audited with before/after (no hashes).
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AuthService } from '../../auth/auth-service.ts';
import { publicToken } from '../../auth/api-tokens.ts';
import { PERMISSIONS, ROLES } from '../../auth/roles.ts';
import { publicUser, USERNAME_PATTERN } from '../../auth/user-store.ts';
import { ApiError } from './api-error.ts';
import type { ApiEnv } from './api-env.ts';
import { ifMatchRevision } from './etag.ts';
import { paginate } from './paging.ts';
import { conflict, json, jsonBody, notFound, PageQuery, pageOf, preconditionFailed } from './schemas.ts';
import { secured } from './secured.ts';

export type Audit = (entry: { actor: string; action: string; target?: string; detail?: Record<string, unknown> }) => Promise<unknown>;

const Locale = z.enum(['en', 'zh-CN']);
const User = z.object({
  username: z.string(), displayName: z.string(), role: z.enum(ROLES), agentId: z.string().optional(), locale: Locale,
  disabled: z.boolean(), revision: z.number().int(), createdAt: z.number(), updatedAt: z.number(), passwordChangedAt: z.number(),
}).openapi('User');
const NewUser = z.object({
  username: z.string().regex(USERNAME_PATTERN, 'username: 2–64 of a–z, 0–9, ".", "_", "-"'), password: z.string().min(1).max(1024),
  role: z.enum(ROLES), displayName: z.string().min(1).max(100).optional(), agentId: z.string().min(1).max(64).optional(), locale: Locale.optional(),
}).strict().openapi('NewUser');
const UserChange = z.object({
  displayName: z.string().min(1).max(100).optional(), role: z.enum(ROLES).optional(), agentId: z.string().min(1).max(64).optional(),
  locale: Locale.optional(), disabled: z.boolean().optional(), password: z.string().min(1).max(1024).optional(),
}).strict().openapi('UserChange');
const UserParam = z.object({ username: z.string().max(64).openapi({ param: { name: 'username', in: 'path' } }) });
const UserList = PageQuery.extend({ role: z.enum(ROLES).optional(), sort: z.string().max(40).optional().openapi({ description: 'username, role, createdAt; "-" for descending' }) });

const Token = z.object({
  id: z.string(), name: z.string(), scopes: z.array(z.enum(PERMISSIONS)), owner: z.string(), createdAt: z.number(),
  expiresAt: z.number().optional(), revokedAt: z.number().optional(), lastUsedAt: z.number().optional(),
}).openapi('ApiToken');
const NewToken = z.object({ name: z.string().min(1).max(100), scopes: z.array(z.enum(PERMISSIONS)).min(1).max(PERMISSIONS.length), expiresAt: z.number().int().optional() }).strict().openapi('NewApiToken');
const TokenParam = z.object({ id: z.string().max(20).openapi({ param: { name: 'id', in: 'path' } }) });

export function userRoutes(deps: { auth: AuthService; audit: Audit; now: () => number }) {
  const { auth } = deps;
  const app = new OpenAPIHono<ApiEnv>();

  app.openapi(secured('users.read', createRoute({ method: 'get', path: '/users', tags: ['users'], summary: 'List users', request: { query: UserList }, responses: { 200: json(pageOf(User), 'Users') } })), async (c) => {
    const q = c.req.valid('query');
    const users = (await auth.users.list()).filter((u) => !q.role || u.role === q.role).map(publicUser);
    return c.json(paginate(users, q, ['username', 'role', 'createdAt']), 200);
  });

  app.openapi(secured('users.write', createRoute({ method: 'post', path: '/users', tags: ['users'], summary: 'Create a user', request: jsonBody(NewUser), responses: { 201: json(User, 'Created'), ...conflict } })), async (c) => {
    const user = await auth.users.create(c.req.valid('json'));
    await deps.audit({ actor: c.get('principal').username, action: 'users.create', target: user.username, detail: { after: publicUser(user) } });
    c.header('etag', `"${user.revision}"`);
    return c.json(publicUser(user), 201);
  });

  app.openapi(secured('users.read', createRoute({ method: 'get', path: '/users/{username}', tags: ['users'], summary: 'One user', request: { params: UserParam }, responses: { 200: json(User, 'The user'), ...notFound } })), async (c) => {
    const user = await auth.users.get(c.req.valid('param').username);
    if (!user) throw new ApiError(404, 'NOT_FOUND', `no user ${c.req.valid('param').username}`);
    c.header('etag', `"${user.revision}"`);
    return c.json(publicUser(user), 200);
  });

  app.openapi(secured('users.write', createRoute({
    method: 'patch', path: '/users/{username}', tags: ['users'], summary: 'Change a user (If-Match: the revision you read)',
    request: { params: UserParam, ...jsonBody(UserChange), headers: z.object({ 'if-match': z.string().max(40).optional() }) },
    responses: { 200: json(User, 'Changed'), ...notFound, ...preconditionFailed },
  })), async (c) => {
    const { username } = c.req.valid('param');
    const change = c.req.valid('json');
    const before = await auth.users.get(username);
    if (!before) throw new ApiError(404, 'NOT_FOUND', `no user ${username}`);
    const actor = c.get('principal').username;
    if (username === actor && (change.disabled === true || (change.role !== undefined && change.role !== 'admin'))) {
      throw new ApiError(400, 'BAD_REQUEST', 'you cannot disable yourself or take your own admin role (another admin can)');
    }
    const after = await auth.users.update(username, change, ifMatchRevision(c.req.header('if-match')));
    // A new password or a disabled account ends the user's sessions at once.
    if (change.password !== undefined || change.disabled) await auth.sessions.endAllOf(username);
    await deps.audit({ actor, action: 'users.update', target: username, detail: { before: publicUser(before), after: publicUser(after), passwordChanged: change.password !== undefined } });
    c.header('etag', `"${after.revision}"`);
    return c.json(publicUser(after), 200);
  });

  app.openapi(secured('tokens.read', createRoute({ method: 'get', path: '/tokens', tags: ['tokens'], summary: 'List API tokens (never their secrets)', request: { query: PageQuery }, responses: { 200: json(pageOf(Token), 'Tokens') } })), async (c) => {
    return c.json(paginate((await auth.tokens.list()).map(publicToken), c.req.valid('query')), 200);
  });

  app.openapi(secured('tokens.write', createRoute({
    method: 'post', path: '/tokens', tags: ['tokens'], summary: 'Create an API token: the secret is in this answer only',
    request: jsonBody(NewToken), responses: { 201: json(z.object({ token: z.string(), info: Token }), 'Created') },
  })), async (c) => {
    const principal = c.get('principal');
    const body = c.req.valid('json');
    const beyond = body.scopes.filter((s) => !principal.permissions.has(s));
    if (beyond.length) throw new ApiError(403, 'FORBIDDEN', `a token cannot hold what its creator does not: ${beyond.join(', ')}`, { scopes: beyond });
    const { token, stored } = await auth.tokens.create({ ...body, owner: principal.username }, deps.now());
    await deps.audit({ actor: principal.username, action: 'tokens.create', target: stored.id, detail: { after: publicToken(stored) } });
    return c.json({ token, info: publicToken(stored) }, 201);
  });

  app.openapi(secured('tokens.write', createRoute({ method: 'delete', path: '/tokens/{id}', tags: ['tokens'], summary: 'Revoke an API token (at once)', request: { params: TokenParam }, responses: { 200: json(Token, 'Revoked'), ...notFound } })), async (c) => {
    const revoked = await auth.tokens.revoke(c.req.valid('param').id, deps.now());
    await deps.audit({ actor: c.get('principal').username, action: 'tokens.revoke', target: revoked.id });
    return c.json(publicToken(revoked), 200);
  });

  return app;
}
