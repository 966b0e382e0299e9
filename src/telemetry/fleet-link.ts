// The running fleet link: status on connect, telemetry on the injected clock, events, commands,
// and the one loop that drains the outbox in seq order. New messages always go through the
// outbox too, so "flush what was buffered, then publish live" keeps its order by construction.
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../core/clock.ts';
import type { CommandLedger } from './command-ledger.ts';
import type { CommandResult, CommandRunner } from './command-runner.ts';
import type { Outbox, OutboxEntry } from './outbox.ts';
import type { BoxTopics } from './topics.ts';
import type { FleetTransport, IncomingMessage } from './transport.ts';

export interface FleetStatus {
  enabled: boolean;
  connected: boolean;
  /** Messages in the outbox, not yet acknowledged by the broker. */
  buffered: number;
  /** Telemetry messages dropped because the outbox was full (since the store was created). */
  dropped: number;
  /** Messages the broker acknowledged since this start. */
  published: number;
  lastError: string | undefined;
}

export interface FleetLinkDeps {
  transport: FleetTransport;
  topics: BoxTopics;
  outbox: Outbox;
  runner: CommandRunner;
  ledger: CommandLedger;
  clock: Clock;
  logger: Logger;
  version: string;
  startedAt: number;
  telemetry: () => Promise<object>;
  telemetryMs: number;
}

export function statusPayload(state: 'online' | 'offline', deps: Pick<FleetLinkDeps, 'version' | 'startedAt'>, now: number | undefined): string {
  return JSON.stringify({
    state,
    version: deps.version,
    startedAt: new Date(deps.startedAt).toISOString(),
    uptimeSeconds: now === undefined ? null : Math.round((now - deps.startedAt) / 1000),
  });
}

export class FleetLink {
  private connected = false;
  /** Bumped on every connect: callbacks of an older connection do not touch the current one. */
  private generation = 0;
  /** Last seq handed to the transport on this connection. */
  private cursor = 0;
  private inFlight = new Set<number>();
  private draining = false;
  private drainAgain = false;
  private stopped = false;
  private published = 0;
  private lastError: string | undefined;
  private telemetryTimer: TimerHandle | undefined;
  private telemetryChain: Promise<void> = Promise.resolve();
  private readonly commandWork = new Set<Promise<void>>();

  constructor(private readonly deps: FleetLinkDeps) {}

  start(): void {
    this.deps.transport.start({
      connect: () => this.onConnect(),
      close: () => this.onClose(),
      message: (message) => this.onMessage(message),
      error: (error) => this.noteError('broker connection', error),
    });
    this.scheduleTelemetry(this.deps.clock.now() + this.deps.telemetryMs);
  }

  status(): FleetStatus {
    return { enabled: true, connected: this.connected, buffered: this.deps.outbox.buffered, dropped: this.deps.outbox.dropped, published: this.published, lastError: this.lastError };
  }

  async event(kind: string, data: unknown): Promise<void> {
    if (this.stopped) return;
    await this.deps.outbox.append('event', this.deps.topics.events, (seq) => ({ seq, at: this.isoNow(), kind, data: data ?? null }), this.isBusy);
    void this.drain();
  }

  alarm(name: string, detail: unknown): Promise<void> {
    return this.event('alarm', { name, detail: detail ?? null });
  }

  /** Publishes the offline status, waits (briefly) for messages in flight, and disconnects cleanly. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.telemetryTimer?.cancel();
    await Promise.allSettled([this.telemetryChain, ...this.commandWork]);
    const { transport } = this.deps;
    if (transport.connected) {
      await withDeadline(transport.publish(this.deps.topics.status, statusPayload('offline', this.deps, this.deps.clock.now()), { retain: true }), 5000).catch((error) =>
        this.noteError('offline status', error),
      );
    }
    await transport.end().catch((error) => this.noteError('disconnect', error));
  }

  private readonly isBusy = (seq: number) => this.inFlight.has(seq);

  private isoNow(): string {
    return new Date(this.deps.clock.now()).toISOString();
  }

  private onConnect(): void {
    if (this.stopped) return;
    this.generation++;
    this.connected = true;
    this.cursor = 0;
    this.inFlight = new Set();
    this.lastError = undefined;
    const { transport, topics } = this.deps;
    this.deps.logger.info({ buffered: this.deps.outbox.buffered }, 'fleet broker connected');
    transport.publish(topics.status, statusPayload('online', this.deps, this.deps.clock.now()), { retain: true }).catch((error) => this.noteError('online status', error));
    // Subscribed even without a command key, so a command sent to this box gets CMD_DISABLED, not silence.
    transport.subscribe(topics.commandFilter).catch((error) => this.noteError('command subscription', error));
    void this.drain();
  }

  private onClose(): void {
    if (this.connected) this.deps.logger.warn({ buffered: this.deps.outbox.buffered }, 'fleet broker connection lost; buffering');
    this.connected = false;
  }

  private noteError(what: string, error: unknown): void {
    const text = `${what}: ${(error as Error).message ?? String(error)}`;
    // A broker that stays down fails each reconnect attempt the same way: logged once per outage
    // (lastError clears on connect), not every reconnectSeconds for as long as it lasts.
    if (text !== this.lastError) this.deps.logger.warn({ err: error }, `fleet link: ${text}`);
    this.lastError = text;
  }

  private scheduleTelemetry(at: number): void {
    if (this.stopped) return;
    // The next tick is armed before this one's async work, so time moved in one jump (a manual
    // clock, a suspended VM) still produces one message per period; the chain keeps them in order.
    this.telemetryTimer = this.deps.clock.at(at, () => {
      this.scheduleTelemetry(at + this.deps.telemetryMs);
      this.telemetryChain = this.telemetryChain.then(() => this.collectTelemetry(at));
    });
  }

  private async collectTelemetry(at: number): Promise<void> {
    let snapshot: object;
    try {
      snapshot = await this.deps.telemetry();
    } catch (error) {
      this.noteError('telemetry snapshot', error);
      snapshot = { snapshotError: (error as Error).message ?? String(error) };
    }
    try {
      await this.deps.outbox.append(
        'telemetry',
        this.deps.topics.telemetry,
        // The link's own fields last: a snapshot cannot shadow seq (consumers de-duplicate by it).
        (seq, dropped) => ({ ...snapshot, seq, at: new Date(at).toISOString(), dropped, buffered: this.deps.outbox.buffered }),
        this.isBusy,
      );
    } catch (error) {
      this.noteError('telemetry outbox', error);
    }
    void this.deps.ledger.prune(this.deps.clock.now()).catch((error) => this.noteError('command ledger prune', error));
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.draining) {
      this.drainAgain = true;
      return;
    }
    this.draining = true;
    try {
      do {
        this.drainAgain = false;
        while (this.connected && !this.stopped) {
          const room = this.deps.transport.maxInFlight - this.inFlight.size;
          if (room <= 0) break;
          const generation = this.generation;
          const entries = await this.deps.outbox.after(this.cursor, room);
          if (generation !== this.generation) {
            this.drainAgain = true; // reconnected while reading: start over from the head
            break;
          }
          if (entries.length === 0) break;
          for (const entry of entries) this.send(entry, generation);
        }
      } while (this.drainAgain && this.connected && !this.stopped);
    } catch (error) {
      this.noteError('outbox read', error);
    } finally {
      this.draining = false;
    }
  }

  private send(entry: OutboxEntry, generation: number): void {
    this.cursor = entry.seq;
    this.inFlight.add(entry.seq);
    this.deps.transport
      .publish(entry.topic, JSON.stringify(entry.payload))
      .then(
        async () => {
          this.published++;
          await this.deps.outbox.acknowledge(entry.seq);
        },
        // Stays in the outbox: the next connection sends it again, in its place.
        (error) => this.noteError(`publish ${entry.kind} ${entry.seq}`, error),
      )
      .catch((error) => this.noteError('outbox acknowledge', error))
      .finally(() => {
        if (generation !== this.generation) return;
        this.inFlight.delete(entry.seq);
        void this.drain();
      });
  }

  private onMessage(message: IncomingMessage): void {
    const name = this.deps.topics.commandName(message.topic);
    if (name === undefined || this.stopped) return;
    const work = this.deps.runner
      .handle(name, message.payload)
      .then((result) => this.publishResult(result))
      .catch((error) => this.noteError('command', error))
      .finally(() => this.commandWork.delete(work));
    this.commandWork.add(work);
  }

  private async publishResult(result: CommandResult): Promise<void> {
    const correlationData = result.id !== undefined ? Buffer.from(result.id, 'utf8') : undefined;
    // Not through the outbox: a result lost in an outage is sent again when the operator retries
    // the same id (the ledger holds it), and a stale result is worth less than a fresh retry.
    await this.deps.transport.publish(this.deps.topics.commandResult, JSON.stringify(result), correlationData ? { correlationData } : {});
  }
}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)));
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
