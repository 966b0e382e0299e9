import test, { type ExecutionContext } from 'ava';
import dgram from 'node:dgram';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { WebSocket, WebSocketServer } from 'ws';
import { FRAME_SAMPLES, LISTEN_FORMAT } from '../../supervisor/listen-frames.ts';
import { ListenHub, openRtpSource } from '../../supervisor/listen-socket.ts';
import { listenWorld } from '../../supervisor/testing-listen.ts';
import { listenRoutes } from './listen-routes.ts';
import { SESSION_COOKIE } from './secured.ts';
import { apiHarness } from './testing-api.ts';

const live = new Set(['c1', 'c2']);

async function harness(options: { limits?: { perUser: number; total: number }; rtp?: boolean; noQueues?: boolean } = {}) {
  const world = listenWorld(options.limits);
  const hub = new ListenHub({ ...world.deps, ...(options.rtp ? { openSource: openRtpSource } : {}) });
  world.conversations.connect('c1');
  const h = await apiHarness({ extraRoutes: [(api) => api.route('/', listenRoutes({ hub: options.noQueues ? undefined : hub, isLive: (id) => live.has(id) }))] });
  return { ...world, hub, ...h };
}

const browser = { host: 'deskline.test', origin: 'http://deskline.test' };

async function refusal(res: Response) {
  const body = (await res.json()) as { error: { code: string; message: string } };
  return [res.status, body.error.code] as const;
}

test('given someone without live.monitor, when they open a listen, then 401 or 403 naming the permission, before anything else', async (t) => {
  const { request, login } = await harness();
  t.deepEqual(await refusal(await request('/calls/c1/listen', { headers: browser })), [401, 'UNAUTHENTICATED']);
  for (const role of ['agent', 'technician']) {
    const res = await request('/calls/c1/listen', { as: await login(role), headers: browser });
    t.is(res.status, 403);
    t.like(await res.json(), { error: { code: 'FORBIDDEN', details: { permission: 'live.monitor' } } });
  }
});

test('given a supervisor\'s cookie, when the page is on another host or sends no Origin, then 403 CSRF; from its own host a plain GET passes every check and gets 426', async (t) => {
  const { request, login } = await harness();
  const sup = await login('supervisor');
  t.deepEqual(await refusal(await request('/calls/c1/listen', { as: sup, headers: { host: 'deskline.test', origin: 'http://evil.test' } })), [403, 'CSRF']);
  t.deepEqual(await refusal(await request('/calls/c1/listen', { as: sup, headers: { host: 'deskline.test', origin: 'http://deskline.test:8443' } })), [403, 'CSRF'], 'another port is another origin');
  t.deepEqual(await refusal(await request('/calls/c1/listen', { as: sup, headers: { host: 'deskline.test' } })), [403, 'CSRF']);
  t.deepEqual(await refusal(await request('/calls/c1/listen', { as: sup, headers: { host: 'deskline.test', origin: 'null' } })), [403, 'CSRF']);
  const ok = await request('/calls/c1/listen', { as: sup, headers: { host: 'Deskline.TEST', origin: 'http://deskline.test' } });
  t.is(ok.headers.get('upgrade'), 'websocket');
  t.deepEqual(await refusal(ok), [426, 'UPGRADE_REQUIRED']);
});

test('given an API token with live.monitor, when it opens a listen without an Origin, then no CSRF check applies (tokens are not ambient)', async (t) => {
  const { request, auth, clock } = await harness();
  const { token } = await auth.tokens.create({ name: 'wallboard', scopes: ['live.monitor'], owner: 'admin' }, clock.now());
  t.deepEqual(await refusal(await request('/calls/c1/listen', { headers: { authorization: `Bearer ${token}` } })), [426, 'UPGRADE_REQUIRED']);
});

test('given calls that are not live or not with an agent, a site without queues, or a server without WebSocket support, then 404, 409, 404 and 503 in the error shape', async (t) => {
  const { request, login } = await harness();
  const sup = await login('supervisor');
  t.deepEqual(await refusal(await request('/calls/nope/listen', { as: sup, headers: browser })), [404, 'CALL_NOT_FOUND']);
  t.deepEqual(await refusal(await request('/calls/c2/listen', { as: sup, headers: browser })), [409, 'NOT_CONNECTED']);
  t.deepEqual(await refusal(await request('/calls/c1/listen', { as: sup, headers: { ...browser, upgrade: 'websocket', connection: 'upgrade' } })), [503, 'WEBSOCKET_UNAVAILABLE']);
  const bare = await harness({ noQueues: true });
  t.deepEqual(await refusal(await bare.request('/calls/c1/listen', { as: await bare.login('supervisor'), headers: browser })), [404, 'QUEUES_NOT_CONFIGURED']);
});

test('given the listen limits, when a user or the site is at them, then 429 LISTEN_LIMIT_USER or 409 LISTEN_LIMIT_SITE before upgrading', async (t) => {
  const { request, login, hub } = await harness({ limits: { perUser: 1, total: 2 } });
  hub.reserve('c1', 'supervisor');
  t.deepEqual(await refusal(await request('/calls/c1/listen', { as: await login('supervisor'), headers: browser })), [429, 'LISTEN_LIMIT_USER']);
  hub.reserve('c1', 'someone');
  t.deepEqual(await refusal(await request('/calls/c1/listen', { as: await login('admin'), headers: browser })), [409, 'LISTEN_LIMIT_SITE']);
});

test('given the route, then the OpenAPI document lists it with its permission and its refusals', async (t) => {
  const { request } = await harness();
  const doc = (await (await request('/openapi.json')).json()) as { paths: Record<string, { get: { 'x-deskline-permission': string; responses: Record<string, unknown> } }> };
  const op = doc.paths['/calls/{id}/listen']!.get;
  t.is(op['x-deskline-permission'], 'live.monitor');
  t.true(['101', '401', '403', '404', '409', '426', '429'].every((s) => s in op.responses));
});

/** The API on a real port with WebSocket support, as the appliance starts it. */
async function served(t: ExecutionContext, h: Awaited<ReturnType<typeof harness>>) {
  const websockets = new WebSocketServer({ noServer: true });
  const server = createAdaptorServer({ fetch: new Hono().route('/api/v1', h.api).fetch, websocket: { server: websockets } }) as Server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  t.teardown(async () => {
    for (const ws of websockets.clients) ws.terminate();
    await new Promise((resolve) => server.close(resolve));
  });
  return { url: `ws://127.0.0.1:${port}/api/v1/calls/c1/listen`, origin: `http://127.0.0.1:${port}` };
}

/** slin16 RTP (payload type 118, big-endian L16) as Asterisk's External Media sends it. */
function slin16Packets(samples: Int16Array): Buffer[] {
  const packets: Buffer[] = [];
  for (let i = 0; i * FRAME_SAMPLES < samples.length; i++) {
    const b = Buffer.alloc(12 + FRAME_SAMPLES * 2);
    b[0] = 0x80;
    b[1] = 118;
    b.writeUInt16BE((7000 + i) & 0xffff, 2);
    b.writeUInt32BE(123456 + i * FRAME_SAMPLES, 4);
    b.writeUInt32BE(0xabcdef, 8);
    for (let s = 0; s < FRAME_SAMPLES; s++) b.writeInt16BE(samples[i * FRAME_SAMPLES + s]!, 12 + s * 2);
    packets.push(b);
  }
  return packets;
}

const until = async (done: () => boolean) => {
  while (!done()) await new Promise((resolve) => setImmediate(resolve));
};

test('given a supervisor\'s browser on a real socket, when RTP reaches the listen\'s port, then the format and then the same audio arrive as 20 ms frames; closing stops the monitor as that user', async (t) => {
  const h = await harness({ rtp: true });
  const { url, origin } = await served(t, h);
  const sup = await h.login('supervisor');
  const sent = Int16Array.from({ length: 40 * FRAME_SAMPLES }, (_, i) => Math.round(9000 * Math.sin((2 * Math.PI * 440 * i) / 16000)));
  const udp = dgram.createSocket('udp4');
  t.teardown(() => udp.close());
  let sink: { host: string; port: number } | undefined;
  h.monitors.onStart = (_callId, s) => {
    if (s.kind !== 'rtp') throw new Error('expected an RTP sink');
    sink = s;
  };
  const ws = new WebSocket(url, { headers: { cookie: `${SESSION_COOKIE}=${sup.cookie}`, origin } });
  const messages: (string | Buffer)[] = [];
  ws.on('message', (data: Buffer, isBinary) => messages.push(isBinary ? data : data.toString()));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  await until(() => sink !== undefined);
  // Sent in bursts of 200 ms, each once the previous one came through (a burst longer than the
  // framer's backlog would be dropped as late). The receiver holds one packet back for
  // reordering: 40 packets in, 39 frames out (after the format message).
  const packets = slin16Packets(sent);
  for (let at = 0; at < packets.length; at += 10) {
    for (const p of packets.slice(at, at + 10)) udp.send(p, sink!.port, sink!.host);
    await until(() => messages.length >= at + 10);
  }
  t.deepEqual(JSON.parse(messages[0] as string), { ...LISTEN_FORMAT, callId: 'c1' });
  const got = Buffer.concat(messages.slice(1) as Buffer[]);
  const samples = Array.from({ length: got.length / 2 }, (_, i) => got.readInt16LE(i * 2));
  t.deepEqual(samples, [...sent.subarray(0, samples.length)], 'bit-exact: L16 in, s16le out');
  t.is(h.monitors.log[0], `start listen c1 by supervisor → 127.0.0.1:${sink!.port} slin16`, 'a listen as the logged-in user, to the port that received the audio');
  ws.close();
  await until(() => h.hub.sessions().length === 0);
  t.deepEqual(h.monitors.log.slice(1), ['stop c1-mon1 by supervisor']);
});

test('given a page on another origin, when it opens the socket with the supervisor\'s cookie, then the handshake is refused with 403 and no monitor starts', async (t) => {
  const h = await harness();
  const { url } = await served(t, h);
  const sup = await h.login('supervisor');
  const ws = new WebSocket(url, { headers: { cookie: `${SESSION_COOKIE}=${sup.cookie}`, origin: 'http://evil.test' } });
  const refused = await new Promise<Error>((resolve, reject) => {
    ws.once('error', resolve);
    ws.once('open', () => reject(new Error('opened')));
  });
  t.regex(refused.message, /Unexpected server response: 403/);
  t.deepEqual(h.monitors.log, []);
  t.is(h.hub.sessions().length, 0);
});
