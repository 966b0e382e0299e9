// The fleet operator's side of the link (the technician's `deskline fleet send/watch`, and the
// tests' subscriber): connect as a fleet user, send a signed command and wait for its result,
// or watch a box's topics. The one other file that imports mqtt.
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import type { CommandResult } from './command-runner.ts';
import type { SignedCommand } from './command-signing.ts';
import { FleetError } from './errors.ts';
import { boxTopics } from './topics.ts';

export interface FleetClientOptions {
  url: string;
  username?: string;
  password?: string;
  ca?: Buffer;
  clientId?: string;
  /** false keeps the broker-side session (subscriptions, queued QoS 1 messages) across disconnects. */
  clean?: boolean;
  sessionExpirySeconds?: number;
  /** 0: fail instead of reconnecting (the CLI). */
  reconnectMs?: number;
  connectTimeoutMs?: number;
}

export interface FleetMessage {
  topic: string;
  payload: Buffer;
  correlationData?: Buffer;
  retain: boolean;
}

export class FleetClient {
  private readonly listeners = new Set<(message: FleetMessage) => void>();

  private constructor(readonly mqtt: MqttClient) {
    mqtt.on('message', (topic, payload, packet) => {
      const message: FleetMessage = { topic, payload, retain: packet.retain, ...(packet.properties?.correlationData ? { correlationData: packet.properties.correlationData } : {}) };
      for (const listener of this.listeners) listener(message);
    });
  }

  static connect(options: FleetClientOptions): Promise<FleetClient> {
    const timeoutMs = options.connectTimeoutMs ?? 10_000;
    const clientOptions: IClientOptions = {
      protocolVersion: 5,
      clientId: options.clientId ?? `deskline-fleet-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
      clean: options.clean ?? true,
      reconnectPeriod: options.reconnectMs ?? 0,
      connectTimeout: timeoutMs,
      ...(options.sessionExpirySeconds ? { properties: { sessionExpiryInterval: options.sessionExpirySeconds } } : {}),
      ...(options.username ? { username: options.username } : {}),
      ...(options.password !== undefined ? { password: options.password } : {}),
      ...(options.ca ? { ca: options.ca } : {}),
    };
    const mqtt = connect(options.url, clientOptions);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`no connection to ${options.url} within ${timeoutMs} ms`)), timeoutMs);
      const fail = (error: Error) => {
        clearTimeout(timer);
        mqtt.end(true);
        reject(new FleetError('FLEET_CONNECT_FAILED', `cannot connect to ${options.url}: ${error.message}`, { cause: error }));
      };
      mqtt.once('error', fail);
      mqtt.once('connect', () => {
        clearTimeout(timer);
        mqtt.removeListener('error', fail);
        mqtt.on('error', () => {}); // later errors show as reconnects; an unhandled 'error' would throw
        resolve(new FleetClient(mqtt));
      });
    });
  }

  onMessage(listener: (message: FleetMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async subscribe(filter: string): Promise<void> {
    const granted = await this.mqtt.subscribeAsync(filter, { qos: 1 });
    const refused = granted.find((g) => g.qos > 2);
    if (refused) throw new Error(`the broker refused the subscription to ${filter} (reason ${refused.qos})`);
  }

  async publish(topic: string, payload: string | Buffer): Promise<void> {
    await this.mqtt.publishAsync(topic, payload, { qos: 1 });
  }

  /** Publishes a signed command to its box and resolves with the box's cmd-result for that id. */
  async send(prefix: string, command: SignedCommand, timeoutMs = 30_000): Promise<CommandResult> {
    const topics = boxTopics({ prefix, site: command.site, appliance: command.appliance });
    await this.subscribe(topics.commandResult);
    let stop = () => {};
    const answer = new Promise<CommandResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        stop();
        reject(new FleetError('FLEET_TIMEOUT', `no result for command ${command.id} from ${topics.base} within ${timeoutMs / 1000} s (is the box online? see its retained status)`));
      }, timeoutMs);
      const off = this.onMessage((message) => {
        if (message.topic !== topics.commandResult || message.correlationData?.toString('utf8') !== command.id) return;
        stop();
        try {
          resolve(JSON.parse(message.payload.toString()) as CommandResult);
        } catch (error) {
          reject(error as Error);
        }
      });
      stop = () => {
        clearTimeout(timer);
        off();
      };
    });
    try {
      await this.publish(topics.command(command.name), JSON.stringify(command));
    } catch (error) {
      stop();
      throw error;
    }
    return answer;
  }

  async close(): Promise<void> {
    await this.mqtt.endAsync(!this.mqtt.connected);
  }
}
