// GET /calls/{id}/listen: a supervisor hears a live call in the browser, over a WebSocket
// (src/supervisor/listen-socket.ts does the listening). Everything that can be refused is refused
// before the upgrade, as an ordinary response in the error shape: 401/403 (login, live.monitor),
// 403 CSRF for a cross-site page, 404/409 for a call that is not live or not with an agent,
// 429/409 over the listen limits, and 426 UPGRADE_REQUIRED for a plain GET that passed all of
// that (so a plain GET is a dry run of the checks).
//
// CSRF: browsers cannot set headers on a WebSocket, so a session cookie is accepted on its own,
// and a cross-site page must not be able to ride on it (cross-site WebSocket hijacking). Browsers
// always send Origin on a WebSocket handshake: for a cookie session it must name the host the
// request was sent to (Host). API tokens are not ambient credentials and skip this check.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { upgradeWebSocket } from '@hono/node-server';
import type { Context } from 'hono';
import type { IncomingMessage } from 'node:http';
import type { Principal } from '../../auth/auth-service.ts';
import { LISTEN_FORMAT } from '../../supervisor/listen-frames.ts';
import { ListenError, type ListenHub, type ListenSocket } from '../../supervisor/listen-socket.ts';
import { ApiError, errorBody } from './api-error.ts';
import type { ApiEnv } from './api-env.ts';
import { ErrorResponse, notFound } from './schemas.ts';
import { secured } from './secured.ts';

export interface ListenRouteDeps {
  /** Absent on sites without queues (no agent conversations to listen to). */
  hub: ListenHub | undefined;
  isLive: (callId: string) => boolean;
}

const IdParam = z.object({ id: z.string().max(256).openapi({ param: { name: 'id', in: 'path' } }) });
const error = (description: string) => ({ description, content: { 'application/json': { schema: ErrorResponse } } });

/** For a cookie session: the page that opens the socket must be on the host it talks to. */
export function checkOrigin(principal: Principal, origin: string | undefined, host: string | undefined): void {
  if (principal.kind !== 'session') return;
  let originHost: string | undefined;
  try {
    originHost = origin ? new URL(origin).host.toLowerCase() : undefined;
  } catch {
    originHost = undefined;
  }
  if (!originHost || !host || originHost !== host.toLowerCase()) {
    throw new ApiError(403, 'CSRF', `a listen with a session cookie must come from a page on ${host ?? 'this host'} (Origin ${origin ?? 'missing'})`, { origin: origin ?? null });
  }
}

/** The node server's request, when it was started with WebSocket support (absent under app.request()). */
export function incomingOf(c: Context): IncomingMessage | undefined {
  const env = c.env as { incoming?: IncomingMessage; wss?: unknown } | undefined;
  return env?.incoming && env.wss ? env.incoming : undefined;
}

export function listenRoutes(deps: ListenRouteDeps) {
  const app = new OpenAPIHono<ApiEnv>();

  app.openapi(secured('live.monitor', createRoute({
    method: 'get', path: '/calls/{id}/listen', tags: ['calls'],
    summary: 'Listen to a live call in the browser (WebSocket; audited)',
    description: `Open as a WebSocket (a session cookie needs an Origin on this host; or a bearer token). The first message is text, ${JSON.stringify(LISTEN_FORMAT)}; then every binary message is ${LISTEN_FORMAT.frameMs} ms of mono 16-bit little-endian PCM at ${LISTEN_FORMAT.sampleRate} Hz. The socket closes with 1000 when the call ends or leaves the agent, 1011 when the listen could not start; closing it stops the listen. Messages from the browser are ignored. Without a WebSocket upgrade the checks run and the answer is 426.`,
    request: { params: IdParam },
    responses: {
      101: { description: 'Switching Protocols: the audio stream' },
      ...notFound,
      409: error('The call is not connected to an agent (NOT_CONNECTED), or the site is at its listen limit (LISTEN_LIMIT_SITE)'),
      426: error('Not a WebSocket handshake (UPGRADE_REQUIRED); everything else was in order'),
      429: error('You are at your own listen limit (LISTEN_LIMIT_USER)'),
      503: error('This server was started without WebSocket support'),
    },
  })), async (c) => {
    const principal = c.get('principal');
    checkOrigin(principal, c.req.header('origin'), c.req.header('host'));
    const hub = deps.hub;
    if (!hub) throw new ApiError(404, 'QUEUES_NOT_CONFIGURED', 'this site has no queues configured');
    const { id } = c.req.valid('param');
    if (!deps.isLive(id)) throw new ApiError(404, 'CALL_NOT_FOUND', `no live call ${id}`);
    if (!hub.deps.conversations.conversation(id)) throw new ApiError(409, 'NOT_CONNECTED', `call ${id} is not connected to an agent`);
    const limited = (work: () => void) => {
      try {
        work();
      } catch (error) {
        if (error instanceof ListenError) throw new ApiError(error.code === 'LISTEN_LIMIT_USER' ? 429 : 409, error.code, error.message, error.details);
        throw error;
      }
    };
    limited(() => hub.checkLimits(principal.username));
    if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
      c.header('upgrade', 'websocket');
      throw new ApiError(426, 'UPGRADE_REQUIRED', 'open this URL as a WebSocket (everything else was in order)');
    }
    const incoming = incomingOf(c);
    if (!incoming) return c.json(errorBody('WEBSOCKET_UNAVAILABLE', 'this server was started without WebSocket support'), 503);

    let session!: ReturnType<ListenHub['reserve']>;
    limited(() => (session = hub.reserve(id, principal.username)));
    // The TCP connection going away ends the listen whatever stage it reached: a handshake that
    // never completes gives no WebSocket close event, and the slot must not leak.
    incoming.socket.once('close', () => void session.end('closed'));
    return upgradeWebSocket(c, {
      onOpen: (_event, ws) => {
        const raw = ws.raw as { bufferedAmount?: number } | undefined;
        const socket: ListenSocket = {
          send: (data) => ws.send(data),
          close: (code, reason) => ws.close(code, reason),
          get bufferedAmount() {
            return raw?.bufferedAmount ?? 0;
          },
        };
        void session.open(socket);
      },
      onClose: () => void session.end('closed'),
      onError: () => void session.end('closed'),
    }, { onError: () => void session.end('closed') });
  });

  return app;
}
