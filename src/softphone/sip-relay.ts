// SIP over WebSocket from a browser to Asterisk, relayed by Deskline: Asterisk's HTTP server
// (which carries /ws) stays on loopback, and only a logged-in user's page gets through. Messages
// pass unchanged in both directions (SIP digest authentication still happens end to end); what
// the browser sends before the Asterisk side is open waits, in order. Either side closing closes
// the other, so a registration never outlives the page or the login that opened it.
import WebSocket from 'ws';

export interface BrowserSocket {
  send(data: string | Buffer): void;
  close(code?: number, reason?: string): void;
}

export interface SipRelay {
  fromBrowser(data: string | Buffer): void;
  browserClosed(): void;
}

/** A SIP message is a few kilobytes; anything near this is not SIP. */
const MAX_MESSAGE = 64 * 1024;

export function relaySip(browser: BrowserSocket, upstreamUrl: string, onProblem: (what: string, error?: Error) => void): SipRelay {
  const upstream = new WebSocket(upstreamUrl, 'sip', { maxPayload: MAX_MESSAGE, handshakeTimeout: 5000 });
  const waiting: (string | Buffer)[] = [];
  let closed = false;
  const closeBoth = (code: number, reason: string) => {
    if (closed) return;
    closed = true;
    try { browser.close(code, reason); } catch { /* already gone */ }
    if (upstream.readyState === WebSocket.OPEN || upstream.readyState === WebSocket.CONNECTING) upstream.terminate();
  };
  upstream.on('open', () => {
    for (const data of waiting.splice(0)) upstream.send(data);
  });
  upstream.on('message', (data: Buffer, isBinary) => {
    if (!closed) browser.send(isBinary ? data : data.toString('utf8'));
  });
  upstream.on('error', (error) => {
    onProblem('the Asterisk SIP WebSocket failed', error);
    closeBoth(1011, 'SIP server unavailable');
  });
  upstream.on('close', () => closeBoth(1001, 'SIP server closed the connection'));
  return {
    fromBrowser(data) {
      if (closed) return;
      const size = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
      if (size > MAX_MESSAGE) {
        onProblem(`a ${size}-byte message from the browser is not SIP`);
        closeBoth(1009, 'message too big');
        return;
      }
      if (upstream.readyState === WebSocket.OPEN) upstream.send(data);
      else waiting.push(data);
    },
    browserClosed() {
      closeBoth(1000, 'closed');
    },
  };
}
