// What the fleet link needs from an MQTT connection. mqtt-transport.ts is the one implementation
// over mqtt.js; unit tests use a fake that acknowledges when told to.

export interface PublishOptions {
  retain?: boolean;
  correlationData?: Buffer;
}

export interface IncomingMessage {
  topic: string;
  payload: Buffer;
  correlationData?: Buffer;
}

export interface TransportEvents {
  connect(): void;
  close(): void;
  message(message: IncomingMessage): void;
  error(error: Error): void;
}

export interface FleetTransport {
  readonly connected: boolean;
  /** How many QoS 1 publishes may wait for their PUBACK at once (the broker's receive maximum). */
  readonly maxInFlight: number;
  start(events: TransportEvents): void;
  subscribe(filter: string): Promise<void>;
  /** QoS 1. Resolves on PUBACK; rejects when not connected, refused by the broker, or the connection closes first. */
  publish(topic: string, payload: string | Buffer, options?: PublishOptions): Promise<void>;
  /** Clean disconnect: the broker does not publish the last will. */
  end(): Promise<void>;
}

export interface TransportOptions {
  url: string;
  clientId: string;
  username?: string;
  password?: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  will: { topic: string; payload: string; retain: boolean };
  reconnectMs: number;
}

export type TransportFactory = (options: TransportOptions) => FleetTransport;
