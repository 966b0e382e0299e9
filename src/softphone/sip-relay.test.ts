import test from 'ava';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { relaySip, type BrowserSocket } from './sip-relay.ts';

/** A stand-in for Asterisk's /ws: records what arrives, answers what the test says. */
async function fakeAsterisk(t: import('ava').ExecutionContext) {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const received: string[] = [];
  const protocols: string[] = [];
  let peer: WebSocket | undefined;
  server.on('connection', (ws, req) => {
    peer = ws;
    protocols.push(String(req.headers['sec-websocket-protocol']));
    ws.on('message', (data) => received.push(data.toString()));
  });
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`, received, protocols, peer: () => peer };
}

function fakeBrowser() {
  const sent: string[] = [];
  const closes: number[] = [];
  const socket: BrowserSocket = { send: (d) => sent.push(d.toString()), close: (code) => closes.push(code ?? 0) };
  return { socket, sent, closes };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setImmediate(r));
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
};

test('given a browser that speaks before the Asterisk side is open, then its messages arrive in order with subprotocol sip, and answers come back', async (t) => {
  const asterisk = await fakeAsterisk(t);
  const browser = fakeBrowser();
  const relay = relaySip(browser.socket, asterisk.url, () => undefined);
  relay.fromBrowser('REGISTER sip:deskline SIP/2.0\r\n\r\n');
  relay.fromBrowser('OPTIONS sip:deskline SIP/2.0\r\n\r\n');
  await until(() => asterisk.received.length === 2);
  t.deepEqual(asterisk.received.map((m) => m.split(' ')[0]), ['REGISTER', 'OPTIONS']);
  t.deepEqual(asterisk.protocols, ['sip']);
  asterisk.peer()!.send('SIP/2.0 401 Unauthorized\r\n\r\n');
  await until(() => browser.sent.length === 1);
  t.true(browser.sent[0]!.startsWith('SIP/2.0 401'));
  relay.browserClosed();
  await until(() => browser.closes.length > 0);
  t.deepEqual(browser.closes, [1000]);
});

test('given Asterisk closing its side, then the browser socket closes too; given a huge message, then the relay closes with 1009', async (t) => {
  const asterisk = await fakeAsterisk(t);
  const browser = fakeBrowser();
  relaySip(browser.socket, asterisk.url, () => undefined).fromBrowser('x');
  await until(() => asterisk.peer() !== undefined);
  asterisk.peer()!.close();
  await until(() => browser.closes.length > 0);
  t.deepEqual(browser.closes, [1001]);

  const other = fakeBrowser();
  const problems: string[] = [];
  const relay = relaySip(other.socket, asterisk.url, (what) => problems.push(what));
  relay.fromBrowser('y'.repeat(70 * 1024));
  t.deepEqual(other.closes, [1009]);
  t.regex(problems[0]!, /not SIP/);
});

test('given no Asterisk listening, then the browser socket closes with 1011 and the problem is reported', async (t) => {
  const browser = fakeBrowser();
  const problems: string[] = [];
  relaySip(browser.socket, 'ws://127.0.0.1:9/ws', (what) => problems.push(what));
  await until(() => browser.closes.length > 0);
  t.deepEqual(browser.closes, [1011]);
  t.deepEqual(problems, ['the Asterisk SIP WebSocket failed']);
});
