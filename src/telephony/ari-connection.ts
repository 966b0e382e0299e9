// Owns the ARI event WebSocket: connect with backoff, forever (ari-client gives up after 10 tries),
// detect dead sockets with pings (Asterisk sends none), and tell the app each time it (re)connects
// so calls can be reconciled. One clear log line per state change, never a crash.
import { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import type { Logger } from 'pino';
import { AriError, type AriRest } from './ari-rest.ts';
import type { AriAsteriskInfo, AriEvent } from './ari-types.ts';

export type AriStatus = 'connecting' | 'connected' | 'unreachable' | 'auth-failed' | 'stopped';

export interface AriConnectedInfo {
  version: string;
  startupTime: string;
  /** True on every connect after the first. */
  reconnect: boolean;
}

export interface AriConnectionOptions {
  app: string;
  logger: Logger;
  reconnectMaxMs?: number;
  pingIntervalMs?: number;
  subscribeAll?: boolean;
  /**
   * After a working link is lost: try again every this many ms (default 250) for
   * `fastRetryWindowMs` (default 60 s) before backing off. An Asterisk restart takes seconds, and
   * while we wait with a long backoff, callers are refused (no app socket: 603); a probe that
   * finds nothing listening costs one refused connect.
   */
  fastRetryMs?: number;
  fastRetryWindowMs?: number;
}

export class AriConnection extends EventEmitter<{
  event: [AriEvent];
  connected: [AriConnectedInfo];
  disconnected: [string];
  status: [AriStatus, string];
}> {
  status: AriStatus = 'stopped';
  lastError = '';
  asterisk: { version: string; startupTime: string } | undefined;
  private socket: WebSocket | undefined;
  private timer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private connectedOnce = false;
  private stopped = true;
  /** When a working link was lost (undefined while connected, and before the first connect). */
  private lostAt: number | undefined;

  constructor(
    private readonly rest: AriRest,
    private readonly options: AriConnectionOptions,
  ) {
    super();
  }

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.pingTimer);
    const socket = this.socket;
    this.socket = undefined;
    if (socket && socket.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.terminate();
      });
    }
    this.setStatus('stopped', '');
  }

  /** Resolves at the next 'connected' (at once if connected now); rejects after timeoutMs. */
  whenConnected(timeoutMs: number): Promise<void> {
    if (this.status === 'connected') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('connected', onConnected);
        reject(new Error(`ARI not connected within ${timeoutMs} ms (${this.status}: ${this.lastError})`));
      }, timeoutMs);
      const onConnected = () => {
        clearTimeout(timer);
        resolve();
      };
      this.once('connected', onConnected);
    });
  }

  /** Cuts the socket as a network fault would (fault tests, `deskline doctor --reconnect`). */
  dropSocket(): void {
    this.socket?.terminate();
  }

  private setStatus(status: AriStatus, detail: string): void {
    if (status === this.status && detail === this.lastError) return;
    this.status = status;
    this.lastError = detail;
    const log = this.options.logger;
    if (status === 'connected') log.info({ version: this.asterisk?.version }, 'ARI connected');
    else if (status === 'auth-failed') log.error(`ARI login refused for ${this.rest.baseUrl}: check asterisk.ariUser and the ARI password (${detail})`);
    else if (status === 'unreachable') log.warn(`Asterisk ARI not reachable at ${this.rest.baseUrl}: ${detail}; retrying`);
    this.emit('status', status, detail);
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const max = this.options.reconnectMaxMs ?? 10_000;
    const fast = this.options.fastRetryMs ?? 250;
    // A refused login is not a restart: it backs off as usual (no burst of failed logins).
    const recentlyLost = this.lostAt !== undefined && this.status !== 'auth-failed' && Date.now() - this.lostAt < (this.options.fastRetryWindowMs ?? 60_000);
    const delay = recentlyLost ? Math.min(max, fast) : Math.min(max, 250 * 2 ** Math.min(this.attempt, 10)) * (0.75 + Math.random() * 0.5);
    this.attempt++;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.connect(), delay);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    if (this.status !== 'unreachable' && this.status !== 'auth-failed') this.setStatus('connecting', '');
    let info: AriAsteriskInfo;
    try {
      info = await this.rest.request<AriAsteriskInfo>('GET', '/asterisk/info');
    } catch (error) {
      const status = error instanceof AriError && error.status === 401 ? 'auth-failed' : 'unreachable';
      this.setStatus(status, (error as Error).message);
      return this.scheduleReconnect();
    }
    const url = `${this.rest.baseUrl.replace(/^http/, 'ws')}/events?app=${encodeURIComponent(this.options.app)}&subscribeAll=${this.options.subscribeAll ? 'true' : 'false'}`;
    const socket = new WebSocket(url, { headers: { authorization: this.rest.authHeader }, handshakeTimeout: 5000 });
    this.socket = socket;
    let opened = false;
    socket.on('unexpected-response', (_req, res) => {
      // e.g. 404 while Asterisk is still starting, 401 when the password changed under us
      this.setStatus(res.statusCode === 401 ? 'auth-failed' : 'unreachable', `events socket answered HTTP ${res.statusCode}`);
      socket.terminate();
    });
    socket.on('error', (error) => {
      if (!opened) this.setStatus('unreachable', error.message);
    });
    socket.on('open', () => {
      opened = true;
      this.attempt = 0;
      this.lostAt = undefined;
      this.asterisk = { version: info.system?.version ?? 'unknown', startupTime: info.status?.startup_time ?? '' };
      this.setStatus('connected', '');
      this.startPings(socket);
      const reconnect = this.connectedOnce;
      this.connectedOnce = true;
      this.safeEmit('connected', { ...this.asterisk, reconnect });
    });
    socket.on('message', (data) => {
      let event: AriEvent;
      try {
        event = JSON.parse(data.toString()) as AriEvent;
      } catch {
        this.options.logger.warn('ARI sent a message that is not JSON; ignored');
        return;
      }
      this.safeEmit('event', event);
    });
    socket.on('close', (code) => {
      clearInterval(this.pingTimer);
      if (this.socket === socket) this.socket = undefined;
      if (this.stopped) return;
      if (opened) {
        this.lostAt = Date.now();
        this.options.logger.warn({ code }, 'ARI event socket closed; reconnecting');
        this.setStatus('unreachable', `event socket closed (${code})`);
        this.safeEmit('disconnected', `closed ${code}`);
      }
      this.scheduleReconnect();
    });
  }

  private startPings(socket: WebSocket): void {
    let awaitingPong = false;
    socket.on('pong', () => (awaitingPong = false));
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => {
      if (awaitingPong) {
        this.options.logger.warn('ARI event socket missed a pong; treating it as dead');
        socket.terminate();
        return;
      }
      awaitingPong = true;
      socket.ping();
    }, this.options.pingIntervalMs ?? 5000);
  }

  private safeEmit<K extends 'event' | 'connected' | 'disconnected'>(name: K, value: K extends 'event' ? AriEvent : K extends 'connected' ? AriConnectedInfo : string): void {
    try {
      (this.emit as (n: string, v: unknown) => boolean)(name, value);
    } catch (error) {
      this.options.logger.error({ err: error }, `handler for ARI ${name} threw; connection kept`);
    }
  }
}
