// A supervisor listening to a live call from the browser: one WebSocket per listen. On open the
// call gets a 'listen' monitor (snoop + External Media) whose RTP goes to a fresh loopback UDP
// port read by the speech layer's RTP receiver; its PCM goes to the socket as 20 ms binary frames
// after a first text message naming the format. When the socket closes, the call ends or the
// monitor goes away, the monitor is stopped (snoop, External Media channel and bridge hung up) and
// the stop is audited as the user who listened. The hub holds the limits: a few listens per user,
// a few more for the whole site (each one is two Asterisk channels and a UDP port).
import { RtpReceiver } from '../speech/rtp-receiver.ts';
import { LISTEN_FORMAT, ListenFramer, type FramerStats } from './listen-frames.ts';
import { MonitorError, type LiveConversation, type MonitorService, type Monitoring } from './monitor-service.ts';

/** The part of a WebSocket a listen uses (Hono's WSContext plus the raw socket's send buffer). */
export interface ListenSocket {
  send(data: string | Uint8Array<ArrayBuffer>): void;
  close(code: number, reason: string): void;
  /** Bytes sent but not yet written to the network. */
  readonly bufferedAmount: number;
}

/** Where the monitor's RTP arrives: a UDP port on loopback and a way to stop reading it. */
export interface AudioSource {
  readonly port: number;
  close(): Promise<void>;
}
export type OpenAudioSource = (onAudio: (pcm16k: Int16Array) => void) => Promise<AudioSource>;

/** The monitor sends slin16 (16 kHz L16): wideband stays wideband for WebRTC callers. */
export const SINK_FORMAT = 'slin16' as const;
export const openRtpSource: OpenAudioSource = (onAudio) => RtpReceiver.open({ host: '127.0.0.1', codec: SINK_FORMAT, onAudio });

/** The queue service, as far as a listen needs it: who is talking, and word when that changes. */
export interface ConversationSource {
  conversation(callId: string): LiveConversation | undefined;
  on(event: 'changed', listener: () => void): unknown;
  off(event: 'changed', listener: () => void): unknown;
}

export type ListenEnd = 'closed' | 'call-ended' | 'failed' | 'shutdown';

/** Close codes the browser sees (1000 normal; 4xxx ours, mirroring HTTP where one fits). */
export const CLOSE_CODES: Record<Exclude<ListenEnd, 'closed'>, number> = { 'call-ended': 1000, failed: 1011, shutdown: 1001 };

export interface ListenLimits {
  perUser: number;
  total: number;
}
export const DEFAULT_LISTEN_LIMITS: ListenLimits = { perUser: 3, total: 20 };

export class ListenError extends Error {
  constructor(readonly code: 'LISTEN_LIMIT_USER' | 'LISTEN_LIMIT_SITE', message: string, readonly details: Record<string, unknown>) {
    super(message);
  }
}

export interface ListenHubDeps {
  monitors: Pick<MonitorService, 'start' | 'stop' | 'list'>;
  conversations: ConversationSource;
  audit(entry: { actor: string; action: string; target?: string; detail?: Record<string, unknown> }): Promise<unknown>;
  openSource?: OpenAudioSource;
  limits?: Partial<ListenLimits>;
  /** Audio allowed to queue for a slow browser before frames are dropped. */
  maxBufferedMs?: number;
  logger?: { warn(obj: object, msg: string): void };
}

export class ListenHub {
  readonly limits: ListenLimits;
  readonly #sessions = new Set<ListenSession>();
  readonly #onChanged = () => this.#checkConversations();

  constructor(readonly deps: ListenHubDeps) {
    this.limits = { ...DEFAULT_LISTEN_LIMITS, ...deps.limits };
  }

  /** Live listens (reserved ones included). */
  sessions(): readonly ListenSession[] {
    return [...this.#sessions];
  }

  /** Throws ListenError when the user or the site is at its limit. */
  checkLimits(username: string): void {
    const mine = [...this.#sessions].filter((s) => s.username === username).length;
    if (mine >= this.limits.perUser) throw new ListenError('LISTEN_LIMIT_USER', `you are already listening to ${mine} calls (at most ${this.limits.perUser} at a time)`, { limit: this.limits.perUser });
    if (this.#sessions.size >= this.limits.total) throw new ListenError('LISTEN_LIMIT_SITE', `${this.#sessions.size} listens are running on this site (at most ${this.limits.total})`, { limit: this.limits.total });
  }

  /** Takes a slot for a listen (before the WebSocket handshake, so limits hold under races). */
  reserve(callId: string, username: string): ListenSession {
    this.checkLimits(username);
    const session = new ListenSession(this, callId, username);
    if (this.#sessions.size === 0) this.deps.conversations.on('changed', this.#onChanged);
    this.#sessions.add(session);
    return session;
  }

  /** Ends every listen and waits for their monitors to be stopped (appliance shutdown). */
  async closeAll(): Promise<void> {
    await Promise.all([...this.#sessions].map((s) => s.end('shutdown')));
  }

  /** @internal */
  release(session: ListenSession): void {
    if (this.#sessions.delete(session) && this.#sessions.size === 0) this.deps.conversations.off('changed', this.#onChanged);
  }

  // The call ended, went back to the queue or was transferred away from the agent; or the monitor
  // service tore the monitor down itself (its snoop left): nothing more to hear.
  #checkConversations(): void {
    const monitors = new Set(this.deps.monitors.list().map((m) => m.id));
    for (const session of this.#sessions) {
      const monitorGone = session.monitorId !== undefined && !monitors.has(session.monitorId);
      if (!this.deps.conversations.conversation(session.callId) || monitorGone) void session.end('call-ended');
    }
  }
}

export class ListenSession {
  #socket: ListenSocket | undefined;
  #source: AudioSource | undefined;
  #monitoring: Monitoring | undefined;
  #starting: Promise<void> | undefined;
  #ending: Promise<void> | undefined;
  readonly #framer: ListenFramer;

  constructor(private readonly hub: ListenHub, readonly callId: string, readonly username: string) {
    this.#framer = new ListenFramer(hub.deps.maxBufferedMs !== undefined ? { maxBufferedMs: hub.deps.maxBufferedMs } : {});
  }

  get monitorId(): string | undefined {
    return this.#monitoring?.id;
  }

  get ended(): boolean {
    return this.#ending !== undefined;
  }

  stats(): FramerStats {
    return this.#framer.stats();
  }

  /** The socket is open: announce the format, then start the monitor towards a fresh UDP port. */
  open(socket: ListenSocket): Promise<void> {
    if (this.ended || this.#starting) return this.#starting ?? Promise.resolve();
    this.#socket = socket;
    this.#starting = this.#start(socket);
    return this.#starting;
  }

  async #start(socket: ListenSocket): Promise<void> {
    const { deps } = this.hub;
    try {
      socket.send(JSON.stringify({ ...LISTEN_FORMAT, callId: this.callId }));
      this.#source = await (deps.openSource ?? openRtpSource)((pcm) => this.#audio(pcm));
      if (this.ended) return;
      this.#monitoring = await deps.monitors.start(this.callId, 'listen', { kind: 'rtp', host: '127.0.0.1', port: this.#source.port, format: SINK_FORMAT }, this.username);
    } catch (error) {
      const reason = error instanceof MonitorError ? `${error.code}: ${error.message}` : `could not listen: ${(error as Error).message}`;
      deps.logger?.warn({ err: error, callId: this.callId }, 'browser listen could not start');
      // Not awaited here: end() waits for this start to settle first.
      void this.end('failed', reason);
    }
  }

  #audio(pcm: Int16Array): void {
    const socket = this.#socket;
    if (!socket || this.ended) return;
    for (const frame of this.#framer.push(pcm, socket.bufferedAmount).frames) socket.send(frame);
  }

  /**
   * Stops everything this listen holds, once (later calls get the same promise): the RTP port,
   * the monitor (audited as the listener by the monitor service; when the service already tore
   * it down because the call ended, the stop is audited here) and, unless the browser closed it,
   * the socket.
   */
  end(why: ListenEnd, detail?: string): Promise<void> {
    this.#ending ??= (async () => {
      await this.#starting?.catch(() => undefined);
      const { deps } = this.hub;
      const monitoring = this.#monitoring;
      if (monitoring) {
        await deps.monitors.stop(monitoring.id, this.username).catch(async (error: unknown) => {
          if (!(error instanceof MonitorError && error.code === 'UNKNOWN_MONITOR')) throw error;
          await deps.audit({ actor: this.username, action: 'call.monitor-stop', target: this.callId, detail: { monitorId: monitoring.id, reason: why } });
        }).catch((error: unknown) => deps.logger?.warn({ err: error, callId: this.callId }, 'browser listen: monitor stop failed'));
      }
      await this.#source?.close().catch(() => undefined);
      if (why !== 'closed' && this.#socket) {
        try {
          this.#socket.close(CLOSE_CODES[why], (detail ?? why).slice(0, 120));
        } catch {
          // already closed by the peer
        }
      }
      this.hub.release(this);
    })();
    return this.#ending;
  }
}
