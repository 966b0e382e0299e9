// Wiring only: the MQTT fleet link of one appliance. The appliance passes a telemetry snapshot
// function and the remote-command handlers; everything else is read from the site's `mqtt` section.
import { readFile, stat } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { Clock } from '../core/clock.ts';
import type { Store } from '../store/store.ts';
import { CommandLedger } from './command-ledger.ts';
import { CommandRunner, type CommandHandlers } from './command-runner.ts';
import { loadVerifyingKey, type VerifyingKey } from './command-signing.ts';
import { FleetError } from './errors.ts';
import type { FleetSettings } from './fleet-config.ts';
import { FleetLink, statusPayload, type FleetStatus } from './fleet-link.ts';
import { createMqttTransport } from './mqtt-transport.ts';
import { Outbox } from './outbox.ts';
import { boxTopics } from './topics.ts';
import type { TransportFactory } from './transport.ts';

export type { FleetStatus } from './fleet-link.ts';
export type { CommandHandler, CommandHandlers } from './command-runner.ts';

export interface FleetDeps {
  settings: FleetSettings;
  siteId: string;
  applianceId: string;
  version: string;
  store: Store;
  clock: Clock;
  logger: Logger;
  /** Called every telemetrySeconds; its object is published as the telemetry message's body. */
  telemetry: () => Promise<object>;
  commands: CommandHandlers;
  /** Tests only: another transport (a fake, or the mqtt transport kept to cut its socket). */
  transport?: TransportFactory;
}

export interface Fleet {
  /** Queues an event (e.g. 'call-ended' with its summary) durably; resolves once it is in the store. */
  event(kind: string, data: unknown): Promise<void>;
  /** An event of kind 'alarm': ARI disconnected, trunk unregistered, disk low, recording verify failed… */
  alarm(name: string, detail?: unknown): Promise<void>;
  status(): FleetStatus;
  stop(): Promise<void>;
}

const off: Fleet = {
  event: async () => {},
  alarm: async () => {},
  status: () => ({ enabled: false, connected: false, buffered: 0, dropped: 0, published: 0, lastError: undefined }),
  stop: async () => {},
};

/** A secret file: readable, and not readable by group or others (a copy on a shared box is a leak). */
async function readSecretFile(path: string, what: string): Promise<Buffer> {
  try {
    const mode = (await stat(path)).mode;
    if ((mode & 0o077) !== 0) throw new FleetError('FLEET_FILE_MODE', `mqtt.${what} ${path} is readable by group or others: chmod 600 ${path}`);
    return await readFile(path);
  } catch (error) {
    if (error instanceof FleetError) throw error;
    throw new FleetError('FLEET_FILE_UNREADABLE', `cannot read mqtt.${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
}

async function readPlainFile(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new FleetError('FLEET_FILE_UNREADABLE', `cannot read mqtt.${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
}

export async function startFleet(deps: FleetDeps): Promise<Fleet> {
  const { settings, clock, logger } = deps;
  if (settings.url === '') return off;
  const log = logger.child({ capability: 'fleet' });
  // Read every file first: a wrong path or mode stops the start with its name, not a later surprise.
  const password = settings.passwordFile ? (await readSecretFile(settings.passwordFile, 'passwordFile')).toString('utf8').trim() : undefined;
  const ca = settings.caFile ? await readPlainFile(settings.caFile, 'caFile') : undefined;
  const cert = settings.certFile ? await readPlainFile(settings.certFile, 'certFile') : undefined;
  const key = settings.keyFile ? await readSecretFile(settings.keyFile, 'keyFile') : undefined;
  const verifyingKey: VerifyingKey | undefined = settings.commandKey ? await loadVerifyingKey(settings.commandKey) : undefined;

  const section = deps.store.section('fleet');
  const outbox = await Outbox.open(section, settings.bufferMaxTelemetry);
  const ledger = new CommandLedger(section);
  const windowMs = settings.commandWindowSeconds * 1000;
  const runner = new CommandRunner({
    handlers: deps.commands,
    ledger,
    logger: log,
    context: () => ({ site: deps.siteId, appliance: deps.applianceId, key: verifyingKey, windowMs, now: clock.now() }),
  });
  const topics = boxTopics({ prefix: settings.topicPrefix, site: deps.siteId, appliance: deps.applianceId });
  const startedAt = clock.now();
  const transport = (deps.transport ?? createMqttTransport)({
    url: settings.url,
    clientId: `deskline-${deps.siteId}-${deps.applianceId}`.slice(0, 100),
    ...(settings.username ? { username: settings.username } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(ca ? { ca } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    will: { topic: topics.status, payload: statusPayload('offline', { version: deps.version, startedAt }, undefined), retain: true },
    reconnectMs: settings.reconnectSeconds * 1000,
  });
  const link = new FleetLink({ transport, topics, outbox, runner, ledger, clock, logger: log, version: deps.version, startedAt, telemetry: deps.telemetry, telemetryMs: settings.telemetrySeconds * 1000 });
  log.info({ url: settings.url, topics: topics.base, buffered: outbox.buffered, commands: verifyingKey ? verifyingKey.kind : 'off' }, 'fleet link starting');
  link.start();
  return {
    event: (kind, data) => link.event(kind, data),
    alarm: (name, detail) => link.alarm(name, detail),
    status: () => link.status(),
    stop: () => link.stop(),
  };
}
