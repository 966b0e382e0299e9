// The admin API, /api/v1: one OpenAPIHono app whose routes each declare their schemas and their
// permission. Everything around the routes is here: who is calling (identify), body size limits,
// the error shape for validation errors, unknown routes and thrown errors, the OpenAPI document
// and the docs page.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Logger } from 'pino';
import type { AuditLog } from '../../audit/audit-log.ts';
import type { AuthService, Principal } from '../../auth/auth-service.ts';
import { permissionsOf } from '../../auth/roles.ts';
import type { LiveEvents } from '../../events/live-events.ts';
import type { Health } from '../health-routes.ts';
import type { ApiEnv } from './api-env.ts';
import { errorBody, toHttpError } from './api-error.ts';
import { auditRoutes } from './audit-routes.ts';
import { authRoutes } from './auth-routes.ts';
import { DOCS_HTML } from './docs-page.ts';
import { eventRoutes } from './event-routes.ts';
import { identify, principalOf, SESSION_COOKIE } from './secured.ts';
import { systemRoutes } from './system-routes.ts';
import { userRoutes } from './user-routes.ts';
import { isPromptUpload, PROMPT_UPLOAD_MAX_BYTES } from './prompt-routes.ts';

export interface ApiDeps {
  auth: AuthService;
  audit: AuditLog;
  events: LiveEvents;
  health: () => Health;
  version: string;
  now: () => number;
  logger: Pick<Logger, 'error'>;
  /** Secure cookies when the UI is served over TLS. */
  secureCookies?: boolean;
  /** The client's address (the node server's socket); tests have none. */
  addressOf?: (c: Context<ApiEnv>) => string;
  /** Capabilities add their routes here (knowledge, calls, recordings, …). */
  extraRoutes?: ((api: OpenAPIHono<ApiEnv>) => void)[];
  heartbeatMs?: number;
  /**
   * The control socket: every request is this caller (an admin), no login. Only root and the
   * service user can open the socket (mode 0600), so the CLI needs no password.
   */
  local?: { username: string };
}

export const MAX_BODY_BYTES = 1024 * 1024;
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

export function createApi(deps: ApiDeps): OpenAPIHono<ApiEnv> {
  const api = new OpenAPIHono<ApiEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      const details = result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
      return c.json(errorBody('BAD_REQUEST', `bad request: ${details.map((d) => `${d.path || '(body)'}: ${d.message}`).join('; ')}`.slice(0, 2000), details), 400);
    },
  });
  const audit = (entry: Parameters<AuditLog['append']>[0]) => deps.audit.append(entry);

  api.onError((error, c) => {
    const { status, body, internal } = toHttpError(error);
    if (internal) deps.logger.error({ err: error, path: c.req.path, method: c.req.method }, 'admin API request failed');
    if (status === 429 && typeof (body.error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds === 'number') c.header('retry-after', String((body.error.details as { retryAfterSeconds: number }).retryAfterSeconds));
    return c.json(body, status);
  });
  api.notFound((c) => c.json(errorBody('NOT_FOUND', `no route ${c.req.method} ${c.req.path} (see /api/v1/docs)`), 404));

  // Imports and prompt audio may be large; everything else is small. Over the limit: 413 in the error shape.
  const limit = (maxSize: number) => bodyLimit({ maxSize, onError: (c) => c.json(errorBody('PAYLOAD_TOO_LARGE', `the body must be at most ${maxSize / 1024 / 1024} MB`), 413) });
  const small = limit(MAX_BODY_BYTES), large = limit(MAX_IMPORT_BYTES), promptUpload = limit(PROMPT_UPLOAD_MAX_BYTES);
  const answerUpload = (method: string, path: string) => method === 'PUT' && /\/knowledge\/articles\/[^/]+\/audio\/[^/]+$/.test(path);
  api.use('*', (c, next) => (c.req.path.endsWith('/knowledge/import') ? large(c, next) : isPromptUpload(c.req.method, c.req.path) || answerUpload(c.req.method, c.req.path) ? promptUpload(c, next) : small(c, next)));
  if (deps.local) {
    const principal: Principal = { kind: 'local', username: deps.local.username, role: 'admin', locale: 'en', permissions: permissionsOf('admin') };
    api.use('*', async (c, next) => {
      c.set('address', 'control-socket');
      c.set('principal', principal);
      await next();
    });
  } else {
    api.use('*', identify(deps.auth, deps.addressOf ?? (() => 'unknown')));
  }

  api.route('/', authRoutes({ auth: deps.auth, secureCookies: () => deps.secureCookies ?? false, audit }));
  api.route('/', userRoutes({ auth: deps.auth, audit, now: deps.now }));
  api.route('/', auditRoutes({ audit: deps.audit }));
  api.route('/', systemRoutes({ health: deps.health, version: deps.version }));
  api.route('/', eventRoutes({
    events: deps.events, ...(deps.heartbeatMs ? { heartbeatMs: deps.heartbeatMs } : {}),
    recheck: async (c) => (await principalOf(deps.auth, c)).principal,
  }));
  for (const add of deps.extraRoutes ?? []) add(api);

  api.openAPIRegistry.registerComponent('securitySchemes', 'session', { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'From POST /auth/login; changes also need x-csrf-token' });
  api.openAPIRegistry.registerComponent('securitySchemes', 'token', { type: 'http', scheme: 'bearer', description: 'An API token, dkl_…' });
  api.get('/openapi.json', (c) => c.json(openApiDocument(api, deps.version)));
  api.get('/docs', (c) => c.html(DOCS_HTML));
  return api;
}

export function openApiDocument(api: OpenAPIHono<ApiEnv>, version: string) {
  return api.getOpenAPI31Document({
    openapi: '3.1.0',
    info: { title: 'Deskline admin API', version, description: 'On-prem contact-center appliance: IVR, queues, recordings, speech and knowledge. Errors: {error:{code,message,details}}.', license: { name: 'Apache-2.0' } },
    servers: [{ url: '/api/v1' }],
  });
}
