// The connection against a fake ARI (HTTP + WebSocket on a local port): after a working link is
// lost it probes every fastRetryMs, so it is back within one probe of Asterisk answering, instead
// of after an exponential backoff that has grown while Asterisk restarted.
import test from 'ava';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { WebSocketServer } from 'ws';
import { AriConnection } from './ari-connection.ts';
import { AriRest } from './ari-rest.ts';

/** A fake ARI: /ari/asterisk/info answers 200 while `up`, 503 while "restarting"; /ari/events upgrades. */
async function fakeAri() {
  const state = { up: true, probes: 0, startup: 't1' };
  const server: Server = createServer((req, res) => {
    if (req.url?.startsWith('/ari/asterisk/info')) {
      state.probes++;
      res.writeHead(state.up ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify(state.up ? { system: { version: 'fake' }, status: { startup_time: state.startup } } : { message: 'starting' }));
      return;
    }
    res.writeHead(404).end();
  });
  const sockets = new WebSocketServer({ server, path: '/ari/events' });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ari`;
  return {
    state,
    url,
    /** Asterisk dies: every event socket drops without a close frame, info answers 503. */
    crash() {
      state.up = false;
      for (const client of sockets.clients) client.terminate();
    },
    close: () => new Promise<void>((resolve) => {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.close(() => resolve());
    }),
  };
}

const until = async (what: string, condition: () => boolean, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

test('given a working link, when Asterisk goes away and answers again, then the connection probes every fastRetryMs and is back within one probe of the answer', async (t) => {
  const ari = await fakeAri();
  t.teardown(() => ari.close());
  const connection = new AriConnection(new AriRest({ url: ari.url, user: 'u', password: 'p' }), { app: 'test', logger: pino({ level: 'silent' }), reconnectMaxMs: 10_000, fastRetryMs: 100 });
  t.teardown(() => connection.stop());
  const connects: { reconnect: boolean; at: number }[] = [];
  const drops: string[] = [];
  connection.on('connected', (info) => connects.push({ reconnect: info.reconnect, at: Date.now() }));
  connection.on('disconnected', (reason) => drops.push(reason));
  connection.start();
  await connection.whenConnected(5000);

  ari.crash();
  const lostAt = Date.now();
  // Eight refused probes: with the old exponential backoff (250 ms doubling) that is ~60 s away.
  const probesBefore = ari.state.probes;
  await until('eight probes while Asterisk is down', () => ari.state.probes >= probesBefore + 8, 5000);
  const probing = Date.now() - lostAt;
  ari.state.up = true;
  const answeredAt = Date.now();
  await until('reconnected', () => connects.length === 2);
  t.log(`8 probes in ${probing} ms; back ${connects[1]!.at - answeredAt} ms after ARI answered`);
  // Bounds loose enough for a loaded CI box, far below the backoff's: 8 backed-off probes take
  // over 40 s, and its next probe after them would be 7.5-12.5 s away.
  t.true(probing < 5000, `probes come every ~100 ms, not with a growing backoff (${probing} ms for 8)`);
  t.true(connects[1]!.at - answeredAt < 3000, 'back within a probe interval or so, not a backoff interval');
  t.true(connects[1]!.reconnect);
  t.is(drops.length, 1, 'the loss is reported once');
});

test('given Asterisk never answered yet (first start), when it is down, then the connection backs off exponentially', async (t) => {
  const ari = await fakeAri();
  t.teardown(() => ari.close());
  ari.state.up = false;
  const connection = new AriConnection(new AriRest({ url: ari.url, user: 'u', password: 'p' }), { app: 'test', logger: pino({ level: 'silent' }), reconnectMaxMs: 10_000, fastRetryMs: 100 });
  t.teardown(() => connection.stop());
  connection.start();
  const started = Date.now();
  // 250, 500, 1000 ms (±25 %) between the first four probes: at least ~1.3 s in all.
  await until('four probes', () => ari.state.probes >= 4, 5000);
  t.true(Date.now() - started >= 1200, `${Date.now() - started} ms for four probes`);
});
