// The browser softphone: GET /softphone hands a logged-in user the SIP account that is theirs (an
// agent their own phone; people who test flows or listen in, the desk phone), and GET
// /softphone/sip is the SIP-over-WebSocket relay to Asterisk (src/softphone/sip-relay.ts). Like
// the listen socket, a cookie session must open the relay from a page on this host (Origin).
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { upgradeWebSocket } from '@hono/node-server';
import type { Principal } from '../../auth/auth-service.ts';
import { relaySip, type SipRelay } from '../../softphone/sip-relay.ts';
import { SOFTPHONE_REALM, type SoftphoneAccount, type SoftphoneAccounts } from '../../softphone/softphone-accounts.ts';
import { ApiError, errorBody } from './api-error.ts';
import type { ApiEnv } from './api-env.ts';
import { checkOrigin, incomingOf } from './listen-routes.ts';
import { ErrorResponse, json } from './schemas.ts';
import { secured } from './secured.ts';

export interface SoftphoneRouteDeps {
  /** Absent when Deskline does not define Asterisk's endpoints (an external Asterisk). */
  accounts: SoftphoneAccounts | undefined;
  /** Asterisk's SIP WebSocket, e.g. ws://127.0.0.1:8088/ws. */
  upstreamUrl: string | undefined;
  onProblem: (what: string, error?: Error) => void;
}

const Phone = z.object({
  purpose: z.enum(['agent', 'desk']), agentId: z.string().optional(),
  uri: z.string().openapi({ example: 'sip:webrtc-alice@deskline' }), username: z.string(), password: z.string(), realm: z.string(),
  socketPath: z.string().openapi({ description: 'Open as a WebSocket (subprotocol "sip") on this server' }),
}).openapi('Softphone');
const error = (description: string) => ({ description, content: { 'application/json': { schema: ErrorResponse } } });
const SOCKET_PATH = '/api/v1/softphone/sip';

/** The phones this user may use: an agent their own; those who test flows or listen in, the desk phone. */
export function phonesFor(accounts: SoftphoneAccounts, principal: Pick<Principal, 'agentId' | 'permissions'>): SoftphoneAccount[] {
  const own = principal.agentId ? accounts.forAgent(principal.agentId) : undefined;
  const desk = principal.permissions.has('flows.write') || principal.permissions.has('live.monitor') ? accounts.desk() : undefined;
  return [own, desk].filter((a): a is SoftphoneAccount => a !== undefined);
}

export function softphoneRoutes(deps: SoftphoneRouteDeps) {
  const app = new OpenAPIHono<ApiEnv>();

  app.openapi(secured('assist.use', createRoute({
    method: 'get', path: '/softphone', tags: ['softphone'],
    summary: 'Your browser softphone accounts (SIP over WebSocket, WebRTC)',
    description: 'An agent whose phone is "webrtc" gets their own account; users who may edit flows or listen to calls get the shared desk phone. Passwords change at every Asterisk start. Empty when this Asterisk is not Deskline\'s sandbox.',
    responses: { 200: json(z.object({ phones: z.array(Phone) }), 'Your phones') },
  })), (c) => {
    const accounts = deps.accounts;
    const phones = accounts ? phonesFor(accounts, c.get('principal')) : [];
    return c.json({
      phones: phones.map((a) => ({
        purpose: a.purpose, ...(a.agentId ? { agentId: a.agentId } : {}), uri: `sip:${a.name}@${SOFTPHONE_REALM}`, username: a.name, password: a.password, realm: SOFTPHONE_REALM, socketPath: SOCKET_PATH,
      })),
    }, 200);
  });

  app.openapi(secured('assist.use', createRoute({
    method: 'get', path: '/softphone/sip', tags: ['softphone'],
    summary: 'SIP over WebSocket to Asterisk (subprotocol "sip")',
    description: 'Open as a WebSocket with subprotocol "sip" (a session cookie needs an Origin on this host). SIP messages pass unchanged; REGISTER still needs the account\'s digest credentials. Without a WebSocket upgrade the checks run and the answer is 426.',
    responses: {
      101: { description: 'Switching Protocols: SIP messages both ways' },
      404: error('No browser softphones on this site (SOFTPHONE_UNAVAILABLE)'),
      426: error('Not a WebSocket handshake (UPGRADE_REQUIRED); everything else was in order'),
      503: error('This server was started without WebSocket support'),
    },
  })), (c) => {
    checkOrigin(c.get('principal'), c.req.header('origin'), c.req.header('host'));
    const upstreamUrl = deps.upstreamUrl;
    if (!deps.accounts || !upstreamUrl) throw new ApiError(404, 'SOFTPHONE_UNAVAILABLE', 'this site has no browser softphones (they need Deskline\'s sandbox Asterisk)');
    if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
      c.header('upgrade', 'websocket');
      throw new ApiError(426, 'UPGRADE_REQUIRED', 'open this URL as a WebSocket with subprotocol "sip" (everything else was in order)');
    }
    if (!incomingOf(c)) return c.json(errorBody('WEBSOCKET_UNAVAILABLE', 'this server was started without WebSocket support'), 503);
    let relay: SipRelay | undefined;
    return upgradeWebSocket(c, {
      onOpen: (_event, ws) => {
        relay = relaySip({ send: (data) => ws.send(typeof data === 'string' ? data : new Uint8Array(data)), close: (code, reason) => ws.close(code, reason) }, upstreamUrl, deps.onProblem);
      },
      onMessage: (event) => {
        const data = event.data;
        if (typeof data === 'string') relay?.fromBrowser(data);
        else if (Buffer.isBuffer(data)) relay?.fromBrowser(data);
        else if (data instanceof ArrayBuffer) relay?.fromBrowser(Buffer.from(data));
      },
      onClose: () => relay?.browserClosed(),
      onError: () => relay?.browserClosed(),
    }) as never;
  });

  return app;
}
