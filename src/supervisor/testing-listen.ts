// Stand-ins for a browser listen's surroundings: the monitor service, the queue service's
// conversations, a WebSocket and an RTP port (used by listen-socket and listen-routes tests).
import { EventEmitter } from 'node:events';
import type { AudioSource, ConversationSource, ListenHubDeps, ListenSocket } from './listen-socket.ts';
import { MonitorError, type LiveConversation, type MonitorMode, type MonitorSink, type Monitoring } from './monitor-service.ts';

export class FakeConversations extends EventEmitter<{ changed: [] }> implements ConversationSource {
  readonly calls = new Map<string, LiveConversation>();
  connect(callId: string): void {
    this.calls.set(callId, { callId, customerChannelId: `${callId}-customer`, agentChannelId: `${callId}-agent` });
    this.emit('changed');
  }
  end(callId: string): void {
    this.calls.delete(callId);
    this.emit('changed');
  }
  conversation(callId: string): LiveConversation | undefined {
    return this.calls.get(callId);
  }
}

/** Records starts and stops like the monitor service (stop of an unknown monitor throws UNKNOWN_MONITOR). */
export class FakeMonitors {
  readonly active = new Map<string, Monitoring>();
  readonly log: string[] = [];
  count = 0;
  /** Runs inside start (e.g. to send RTP to the sink, or to fail). */
  onStart: (callId: string, sink: MonitorSink) => Promise<void> | void = () => undefined;

  constructor(private readonly conversations: FakeConversations) {}

  list(): Monitoring[] {
    return [...this.active.values()];
  }

  async start(callId: string, mode: MonitorMode, sink: MonitorSink, supervisor: string): Promise<Monitoring> {
    if (!this.conversations.conversation(callId)) throw new MonitorError('NOT_CONNECTED', `call ${callId} is not connected to an agent`);
    await this.onStart(callId, sink);
    const id = `${callId}-mon${++this.count}`;
    const monitoring: Monitoring = { id, callId, mode, supervisor, startedAt: 0, snoopId: `${id}-snoop`, sinkId: `${id}-sink`, bridgeId: `${id}-bridge` };
    this.active.set(id, monitoring);
    this.log.push(`start ${mode} ${callId} by ${supervisor} → ${sink.kind === 'rtp' ? `${sink.host}:${sink.port} ${sink.format}` : sink.endpoint}`);
    return monitoring;
  }

  async stop(id: string, by: string): Promise<void> {
    if (!this.active.delete(id)) throw new MonitorError('UNKNOWN_MONITOR', `no monitoring ${id}`);
    this.log.push(`stop ${id} by ${by}`);
  }

  /** What the monitor service does when the snoop leaves (the call ended): no stop, no audit. */
  tearDown(id: string): void {
    this.active.delete(id);
  }
}

export class FakeSocket implements ListenSocket {
  readonly sent: (string | Uint8Array)[] = [];
  closed: { code: number; reason: string } | undefined;
  bufferedAmount = 0;
  send(data: string | Uint8Array<ArrayBuffer>): void {
    if (this.closed) throw new Error('socket closed');
    this.sent.push(data);
  }
  close(code: number, reason: string): void {
    this.closed = { code, reason };
  }
  get text(): string[] {
    return this.sent.filter((d): d is string => typeof d === 'string');
  }
  get binary(): Uint8Array[] {
    return this.sent.filter((d): d is Uint8Array => typeof d !== 'string');
  }
}

/** An RTP port the test feeds by hand. */
export class FakeSources {
  readonly opened: { port: number; closed: boolean; feed: (pcm: Int16Array) => void }[] = [];
  open = async (onAudio: (pcm: Int16Array) => void): Promise<AudioSource> => {
    const entry = { port: 40000 + this.opened.length, closed: false, feed: onAudio };
    this.opened.push(entry);
    return { port: entry.port, close: async () => void (entry.closed = true) };
  };
}

export function listenWorld(limits?: ListenHubDeps['limits']) {
  const conversations = new FakeConversations();
  const monitors = new FakeMonitors(conversations);
  const sources = new FakeSources();
  const audits: { actor: string; action: string; target?: string; detail?: Record<string, unknown> }[] = [];
  const deps: ListenHubDeps = { monitors, conversations, audit: async (e) => void audits.push(e), openSource: sources.open, ...(limits ? { limits } : {}) };
  return { conversations, monitors, sources, audits, deps };
}
