// Unit tests' broker: records publishes and acknowledges them when the test says so, so a test
// can hold the link "connected but unacknowledged", cut the connection, or deliver a command.
import type { FleetTransport, IncomingMessage, PublishOptions, TransportEvents, TransportOptions } from './transport.ts';

export interface FakePublish {
  topic: string;
  payload: string;
  options: PublishOptions;
  settle(error?: Error): void;
  settled: boolean;
}

export class FakeTransport implements FleetTransport {
  connected = false;
  maxInFlight = 5;
  autoAck = true;
  readonly published: FakePublish[] = [];
  readonly subscriptions: string[] = [];
  ended = false;
  private events: TransportEvents | undefined;

  constructor(readonly options: TransportOptions) {}

  start(events: TransportEvents): void {
    this.events = events;
  }

  connect(): void {
    this.connected = true;
    this.events!.connect();
  }

  /** The connection drops: pending publishes fail, as the mqtt transport does. */
  disconnect(): void {
    this.connected = false;
    for (const p of this.published) if (!p.settled) p.settle(new Error('connection closed'));
    this.events!.close();
  }

  deliver(message: IncomingMessage): void {
    this.events!.message(message);
  }

  async subscribe(filter: string): Promise<void> {
    this.subscriptions.push(filter);
  }

  publish(topic: string, payload: string | Buffer, options: PublishOptions = {}): Promise<void> {
    if (!this.connected) return Promise.reject(new Error('not connected'));
    return new Promise((resolve, reject) => {
      const record: FakePublish = {
        topic,
        payload: payload.toString(),
        options,
        settled: false,
        settle: (error) => {
          if (record.settled) return;
          record.settled = true;
          if (error) reject(error);
          else resolve();
        },
      };
      this.published.push(record);
      if (this.autoAck) queueMicrotask(() => record.settle());
    });
  }

  async end(): Promise<void> {
    this.ended = true;
    this.connected = false;
  }

  /** Payloads published on topics ending with `suffix`, parsed. */
  on(suffix: string): Record<string, unknown>[] {
    return this.published.filter((p) => p.topic.endsWith(suffix)).map((p) => JSON.parse(p.payload) as Record<string, unknown>);
  }
}

/** Lets pending promise callbacks (store writes, acks) run. */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}
