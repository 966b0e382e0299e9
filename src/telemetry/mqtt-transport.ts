// The fleet link's only door to mqtt.js. mqtt.js keeps unacknowledged QoS 1 publishes in its own
// memory and resends them after a reconnect; the durable outbox already does that (and survives a
// restart), so on every close this transport fails its pending publishes and makes mqtt.js forget
// them, and it never publishes while disconnected: the outbox is the only queue.
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import type { FleetTransport, IncomingMessage, PublishOptions, TransportEvents, TransportOptions } from './transport.ts';

/** In-flight QoS 1 publishes when the broker does not say (Mosquitto's default max_inflight_messages). */
const defaultInFlight = 20;

export class MqttTransport implements FleetTransport {
  private client: MqttClient | undefined;
  private readonly pending = new Map<number, (error: Error) => void>();
  private nextToken = 0;
  maxInFlight = defaultInFlight;

  constructor(private readonly options: TransportOptions) {}

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  start(events: TransportEvents): void {
    const o = this.options;
    const clientOptions: IClientOptions = {
      protocolVersion: 5,
      clientId: o.clientId,
      clean: true,
      // The link subscribes on every connect itself; and QoS 0 is never queued offline.
      resubscribe: false,
      queueQoSZero: false,
      reconnectPeriod: o.reconnectMs,
      connectTimeout: 10_000,
      keepalive: 30,
      will: { topic: o.will.topic, payload: Buffer.from(o.will.payload), qos: 1, retain: o.will.retain },
      ...(o.username ? { username: o.username } : {}),
      ...(o.password !== undefined ? { password: o.password } : {}),
      ...(o.ca ? { ca: o.ca } : {}),
      ...(o.cert ? { cert: o.cert } : {}),
      ...(o.key ? { key: o.key } : {}),
    };
    const client = connect(o.url, clientOptions);
    this.client = client;
    client.on('connect', (connack) => {
      const brokerMax = connack.properties?.receiveMaximum;
      this.maxInFlight = Math.max(1, Math.min(defaultInFlight, brokerMax ?? defaultInFlight));
      events.connect();
    });
    client.on('close', () => {
      this.abandonPending();
      events.close();
    });
    client.on('message', (topic, payload, packet) => {
      const message: IncomingMessage = { topic, payload, ...(packet.properties?.correlationData ? { correlationData: packet.properties.correlationData } : {}) };
      events.message(message);
    });
    client.on('error', (error) => events.error(error));
  }

  subscribe(filter: string): Promise<void> {
    const client = this.client;
    if (!client?.connected) return Promise.reject(new Error('not connected to the broker'));
    return new Promise((resolve, reject) => {
      client.subscribe(filter, { qos: 1 }, (error, granted) => {
        if (error) return reject(error);
        const refused = granted?.find((g) => g.qos > 2);
        if (refused) return reject(new Error(`the broker refused the subscription to ${filter} (reason ${refused.qos})`));
        resolve();
      });
    });
  }

  publish(topic: string, payload: string | Buffer, options: PublishOptions = {}): Promise<void> {
    const client = this.client;
    if (!client?.connected) return Promise.reject(new Error('not connected to the broker'));
    return new Promise((resolve, reject) => {
      const token = ++this.nextToken;
      this.pending.set(token, reject);
      client.publish(
        topic,
        payload,
        { qos: 1, retain: options.retain ?? false, ...(options.correlationData ? { properties: { correlationData: options.correlationData } } : {}) },
        (error) => {
          if (!this.pending.delete(token)) return; // already failed by abandonPending
          if (error) reject(error);
          else resolve();
        },
      );
    });
  }

  async end(): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.client = undefined;
    // Not connected (broker down, reconnecting): nothing to say goodbye to; a polite end would wait.
    await client.endAsync(!client.connected);
    this.abandonPending();
  }

  /** Tests: cut the socket without a DISCONNECT, as a crash or a pulled cable would (the broker sends the will). */
  dropConnection(): void {
    this.client?.stream.destroy();
  }

  private abandonPending(): void {
    const client = this.client;
    if (client) {
      for (const messageId of Object.keys(client.outgoing)) client.removeOutgoingMessage(Number(messageId));
    }
    const rejects = [...this.pending.values()];
    this.pending.clear();
    for (const reject of rejects) reject(new Error('the connection to the broker closed before the PUBACK'));
  }
}

export const createMqttTransport = (options: TransportOptions): MqttTransport => new MqttTransport(options);
