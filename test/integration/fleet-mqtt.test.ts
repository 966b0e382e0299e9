// The fleet link against a real Mosquitto (Debian's) with password auth and an ACL: retained
// status and last will, telemetry, signed commands (bad signature and replays refused), the ACL,
// and a broker killed for 30 s of telemetry with nothing lost. Time for telemetry and the command
// window is a ManualClock; only the network (and mqtt.js's reconnect timer) runs on wall time.
import test from 'ava';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { z } from 'zod';
import { ManualClock } from '../../src/core/clock.ts';
import { LevelStore } from '../../src/store/level-store.ts';
import { generateKeys, loadSigningKey, signCommand, type SigningKey } from '../../src/telemetry/command-signing.ts';
import { fleetSchema } from '../../src/telemetry/fleet-config.ts';
import { FleetClient, type FleetMessage } from '../../src/telemetry/mqtt-fleet-client.ts';
import { MqttTransport } from '../../src/telemetry/mqtt-transport.ts';
import { startFleet, type Fleet } from '../../src/telemetry/module.ts';
import { fleetKeygenCommand, fleetSendCommand, fleetWatchCommand } from '../../src/cli/commands/fleet.ts';
import { boxAcl, fleetAcl, startMosquitto, type Mosquitto } from '../helpers/mosquitto.ts';

const site = 'site1';
const appliance = 'box-a';
const base = `deskline/${site}/${appliance}`;
const boxPassword = randomUUID();
const fleetPassword = randomUUID();

interface World {
  broker: Mosquitto;
  dir: string;
  store: LevelStore;
  clock: ManualClock;
  fleet: Fleet;
  transport: MqttTransport;
  key: SigningKey;
  runs: unknown[];
  start(): Promise<void>;
}

let world: World;

/** Every message a client receives, and a deadline-bound wait for the one (or ones) a test expects. */
function recorder(client: FleetClient) {
  const messages: FleetMessage[] = [];
  const waiters = new Set<() => void>();
  client.onMessage((message) => {
    messages.push(message);
    for (const wake of waiters) wake();
  });
  return {
    messages,
    until<T>(what: string, check: () => T | undefined, timeoutMs = 15_000): Promise<T> {
      return new Promise((resolve, reject) => {
        const wake = () => {
          const value = check();
          if (value === undefined) return;
          waiters.delete(wake);
          clearTimeout(timer);
          resolve(value);
        };
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`${what}: not within ${timeoutMs} ms (got ${messages.length} messages)`));
        }, timeoutMs);
        waiters.add(wake);
        wake();
      });
    },
  };
}

const json = (message: FleetMessage) => JSON.parse(message.payload.toString()) as Record<string, unknown>;

/** Polls a condition of the box itself (its status); the deadline makes a failure a failure. */
async function eventually(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const openClients = new Set<FleetClient>();
const fleetClient = async (options: { clientId?: string; clean?: boolean } = {}) => {
  const client = await FleetClient.connect({ url: world.broker.url, username: 'fleet', password: fleetPassword, reconnectMs: 200, ...(options.clean === false ? { clean: false, sessionExpirySeconds: 600 } : {}), ...(options.clientId ? { clientId: options.clientId } : {}) });
  openClients.add(client);
  return client;
};

const command = (id: string, name: string, args: unknown, issuedAt = world.clock.now()) =>
  signCommand({ id, name, args, issuedAt: new Date(issuedAt).toISOString(), site, appliance }, world.key);

test.before(async () => {
  const broker = await startMosquitto([
    { name: appliance, password: boxPassword, acl: boxAcl('deskline', site, appliance) },
    { name: 'fleet', password: fleetPassword, acl: fleetAcl('deskline') },
  ]);
  const dir = await mkdtemp(join(tmpdir(), 'deskline-fleet-'));
  await writeFile(join(dir, 'password'), boxPassword, { mode: 0o600 });
  await writeFile(join(dir, 'hmac.key'), generateKeys('hmac').privateText, { mode: 0o600 });
  const settings = fleetSchema.parse({
    url: broker.url, username: appliance, passwordFile: join(dir, 'password'),
    commandKey: { kind: 'hmac', file: join(dir, 'hmac.key') }, telemetrySeconds: 1, reconnectSeconds: 0.2, commandWindowSeconds: 300,
  });
  const runs: unknown[] = [];
  world = {
    broker, dir, runs, clock: new ManualClock(Date.now()), key: await loadSigningKey(join(dir, 'hmac.key')),
    store: undefined as never, fleet: undefined as never, transport: undefined as never,
    async start() {
      world.store = await LevelStore.open(join(dir, 'db'));
      let calls = 0;
      world.fleet = await startFleet({
        settings, siteId: site, applianceId: appliance, version: '9.9.9', store: world.store, clock: world.clock, logger: pino({ level: 'silent' }),
        telemetry: async () => ({ activeCalls: ++calls }),
        commands: {
          'agent.state': {
            args: z.object({ agentId: z.string(), state: z.enum(['ready', 'paused']) }).strict(),
            run: (args) => {
              runs.push(args);
              return { agentId: args.agentId, state: args.state };
            },
          },
        },
        transport: (options) => (world.transport = new MqttTransport(options)),
      });
    },
  };
  await world.start();
  await eventually('the box connects', () => world.fleet.status().connected);
});

test.after.always(async () => {
  // A client left reconnecting (a failed test) would keep the process alive.
  for (const client of openClients) await client.close().catch(() => {});
  await world?.fleet?.stop();
  await world?.store?.close();
  await world?.broker?.close();
  if (world?.dir) await rm(world.dir, { recursive: true, force: true });
});

test.serial('given a connected box, when the fleet subscribes to its status, then it gets the retained online status; a dropped socket makes the broker publish the offline will, and the reconnect publishes online again', async (t) => {
  const client = await fleetClient();
  const seen = recorder(client);
  await client.subscribe(`${base}/status`);
  const retained = await seen.until('retained online status', () => seen.messages.find((m) => m.retain));
  t.like(json(retained), { state: 'online', version: '9.9.9' });
  t.is(typeof json(retained).uptimeSeconds, 'number');

  world.transport.dropConnection();
  const offline = await seen.until('last will', () => seen.messages.find((m) => json(m).state === 'offline'));
  t.like(json(offline), { state: 'offline', version: '9.9.9', uptimeSeconds: null });
  await seen.until('online after the reconnect', () => seen.messages.slice(seen.messages.indexOf(offline)).find((m) => json(m).state === 'online'));
  await client.close();

  // The will was retained: a fleet dashboard that connects later sees the latest state (online again now).
  const later = await fleetClient();
  const laterSeen = recorder(later);
  await later.subscribe(`${base}/status`);
  t.like(json(await laterSeen.until('retained status', () => laterSeen.messages[0])), { state: 'online' });
  await later.close();
});

test.serial('given telemetry periods passing on the injected clock, when they pass, then telemetry arrives with seq and the snapshot', async (t) => {
  const client = await fleetClient();
  const seen = recorder(client);
  await client.subscribe(`${base}/telemetry`);
  world.clock.advance(3000);
  const three = await seen.until('three telemetry messages', () => (seen.messages.length >= 3 ? seen.messages.slice(0, 3) : undefined));
  const bodies = three.map(json);
  t.true(bodies.every((b) => typeof b.activeCalls === 'number' && b.dropped === 0));
  t.deepEqual(bodies.map((b) => (b.seq as number) - (bodies[0]!.seq as number)), [0, 1, 2]);
  await client.close();
});

/** Runs a CLI command in-process, capturing what it prints. */
async function runCli(command: { run(argv: string[]): Promise<number> }, argv: string[]): Promise<{ code: number; out: string }> {
  const original = { log: console.log, error: console.error };
  let out = '';
  console.log = (...args: unknown[]) => (out += `${args.join(' ')}\n`);
  console.error = (...args: unknown[]) => (out += `${args.join(' ')}\n`);
  try {
    return { code: await command.run(argv), out };
  } finally {
    Object.assign(console, original);
  }
}

test.serial('given the technician CLI, when it makes keys, sends a command and watches, then the box answers through the broker', async (t) => {
  const keyDir = await mkdtemp(join(tmpdir(), 'deskline-fleet-cli-'));
  t.teardown(() => rm(keyDir, { recursive: true, force: true }));
  const made = await runCli(fleetKeygenCommand, ['--out', join(keyDir, 'operator')]);
  t.is(made.code, 0);
  t.is((await stat(join(keyDir, 'operator'))).mode & 0o777, 0o600);
  t.is((await loadSigningKey(join(keyDir, 'operator'))).kind, 'ed25519');
  await t.throwsAsync(runCli(fleetKeygenCommand, ['--out', join(keyDir, 'operator')]), { message: /exists; not overwriting/ });

  await writeFile(join(keyDir, 'fleet-password'), fleetPassword, { mode: 0o600 });
  const broker = ['--broker', world.broker.url, '--username', 'fleet', '--password-file', join(keyDir, 'fleet-password')];
  const sent = await runCli(fleetSendCommand, [...broker, '--site', site, '--appliance', appliance, '--key', join(world.dir, 'hmac.key'), '--id', 'cli-1', '--timeout', '15', 'agent.state', '{"agentId":"a1","state":"ready"}']);
  t.is(sent.code, 0, sent.out);
  t.like(JSON.parse(sent.out), { id: 'cli-1', ok: true, result: { agentId: 'a1', state: 'ready' } });
  const refused = await runCli(fleetSendCommand, [...broker, '--site', site, '--appliance', appliance, '--key', join(keyDir, 'operator'), '--id', 'cli-2', '--timeout', '15', 'agent.state', '{}']);
  t.is(refused.code, 1, 'an Ed25519 signature on an HMAC box is refused');
  t.like(JSON.parse(refused.out), { id: 'cli-2', ok: false, error: { code: 'CMD_BAD_SIGNATURE' } });
  const nobody = await runCli(fleetSendCommand, [...broker, '--site', site, '--appliance', 'box-z', '--key', join(world.dir, 'hmac.key'), '--timeout', '0.5', 'doctor']);
  t.is(nobody.code, 3);
  t.regex(nobody.out, /no result for command .* within 0.5 s/);

  const watched = await runCli(fleetWatchCommand, [...broker, '--site', site, '--appliance', appliance, '--count', '1']);
  t.is(watched.code, 0);
  t.regex(watched.out, new RegExp(`${base}/status \\(retained\\) \\{"state":"online"`));
  world.runs.splice(0);
});

test.serial('given a signed command, when sent through the broker, then it runs and its result comes back with the id as correlation; a bad signature and replays are refused', async (t) => {
  const client = await fleetClient();
  const signed = command('cmd-1', 'agent.state', { agentId: 'a7', state: 'paused' });
  const result = await client.send('deskline', signed, 15_000);
  t.like(result, { id: 'cmd-1', ok: true, result: { agentId: 'a7', state: 'paused' } });
  t.deepEqual(world.runs, [{ agentId: 'a7', state: 'paused' }]);

  const forged = await client.send('deskline', { ...command('cmd-2', 'agent.state', { agentId: 'a7', state: 'ready' }), signature: signed.signature }, 15_000);
  t.like(forged, { id: 'cmd-2', ok: false, error: { code: 'CMD_BAD_SIGNATURE' } });

  const inside = await client.send('deskline', signed, 15_000);
  t.like(inside, { id: 'cmd-1', ok: true, duplicate: true });
  t.is(world.runs.length, 1, 'a replay inside the window does not run again');

  world.clock.advance(301_000);
  const outside = await client.send('deskline', signed, 15_000);
  t.like(outside, { id: 'cmd-1', ok: false, error: { code: 'CMD_EXPIRED' } });

  const bad = await client.send('deskline', command('cmd-3', 'agent.state', { agentId: 'a7', state: 'asleep' }), 15_000);
  t.like(bad, { ok: false, error: { code: 'CMD_BAD_ARGS', details: { field: 'args.state' } } });
  t.is(world.runs.length, 1);
  await client.close();
});

test.serial('given the box credentials, when they publish outside the box\'s own topics, then the broker refuses (ACL) and the fleet never sees it', async (t) => {
  const client = await fleetClient();
  const seen = recorder(client);
  await client.subscribe('deskline/#');
  const intruder = new MqttTransport({ url: world.broker.url, clientId: 'intruder', username: appliance, password: boxPassword, will: { topic: `${base}/status`, payload: '{}', retain: false }, reconnectMs: 0 });
  let connected!: () => void;
  const up = new Promise<void>((resolve) => (connected = resolve));
  intruder.start({ connect: () => connected(), close: () => {}, message: () => {}, error: () => {} });
  await up;
  const other = await intruder.publish(`deskline/${site}/box-b/events`, '{"forged":true}').then(() => 'accepted', (error: { code?: number }) => error.code);
  t.is(other, 135, 'PUBACK reason 135: not authorized');
  const ownCommand = await intruder.publish(`${base}/cmd/agent.state`, '{"forged":true}').then(() => 'accepted', (error: { code?: number }) => error.code);
  t.is(ownCommand, 135, 'a box cannot command itself either');
  await intruder.publish(`${base}/events`, '{"marker":true}');
  await seen.until('the allowed marker', () => seen.messages.find((m) => m.topic === `${base}/events` && json(m).marker));
  t.false(seen.messages.some((m) => m.payload.toString().includes('forged')));
  await intruder.end();
  await client.close();
});

test.serial('given the broker killed for 30 s of telemetry while events are raised, when it is back, then every telemetry and event message arrives, in order, nothing lost', async (t) => {
  // A persistent session, saved by the broker before the kill: it survives the outage, so the
  // subscriber receives the flush no matter who reconnects first.
  const watcher = await fleetClient({ clientId: 'fleet-watch', clean: false });
  const seen = recorder(watcher);
  await watcher.subscribe(`${base}/telemetry`);
  await watcher.subscribe(`${base}/events`);
  // Start from a quiet box: the telemetry of earlier tests' clock jumps is all out.
  world.clock.advance(1000);
  const lastTick = new Date(world.clock.now()).toISOString();
  await seen.until('the box is caught up', () => seen.messages.find((m) => m.topic.endsWith('/telemetry') && json(m).at === lastTick));
  await eventually('the outbox is empty', () => world.fleet.status().buffered === 0);
  seen.messages.splice(0);
  await world.broker.save();
  await world.broker.kill();
  await eventually('the box notices the outage', () => !world.fleet.status().connected);

  const publishedBefore = world.fleet.status().published;
  const bufferedBefore = world.fleet.status().buffered;
  for (let second = 1; second <= 30; second++) {
    world.clock.advance(1000);
    if (second % 3 === 0) await world.fleet.event('call-ended', { callId: `call-${second}` });
  }
  await world.fleet.alarm('ari-disconnected', { since: new Date(world.clock.now()).toISOString() });
  await eventually('41 more messages buffered', () => world.fleet.status().buffered === bufferedBefore + 41, 15_000).catch((error) => {
    throw new Error(`${error.message}: ${JSON.stringify({ bufferedBefore, now: world.fleet.status() })}`);
  });
  t.is(world.fleet.status().published, publishedBefore, 'nothing published while the broker is down');

  const restartedAt = Date.now();
  await world.broker.start();
  await eventually('the box reconnects', () => world.fleet.status().connected);
  const reconnectedAt = Date.now();
  world.clock.advance(1000); // one live telemetry message after the flush
  const bySeq = new Map<number, Record<string, unknown>>();
  const firstArrival: number[] = [];
  await seen.until('41 buffered + 1 live messages', () => {
    for (const message of seen.messages.splice(0)) {
      const body = json(message);
      const seq = body.seq as number;
      if (!bySeq.has(seq)) firstArrival.push(seq);
      bySeq.set(seq, { ...body, topic: message.topic });
    }
    return bySeq.size >= 42 ? true : undefined;
  }, 30_000).catch((error) => {
    throw new Error(`${error.message}: received ${bySeq.size} distinct, box ${JSON.stringify(world.fleet.status())}, watcher connected ${watcher.mqtt.connected}`);
  });
  const flushedAt = Date.now();
  await eventually('the outbox empties (every PUBACK in)', () => world.fleet.status().buffered === 0);
  t.deepEqual(firstArrival, [...firstArrival].sort((a, b) => a - b), 'first arrivals in seq order');
  const seqs = [...bySeq.keys()].sort((a, b) => a - b);
  t.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => seqs[0]! + i), 'no gaps');
  const bodies = seqs.map((s) => bySeq.get(s)!);
  t.is(bodies.filter((b) => (b.topic as string).endsWith('/telemetry')).length, 31);
  t.deepEqual(bodies.filter((b) => b.kind === 'call-ended').map((b) => (b.data as { callId: string }).callId), Array.from({ length: 10 }, (_, i) => `call-${(i + 1) * 3}`));
  t.is(bodies.filter((b) => b.kind === 'alarm').length, 1);
  t.true(bodies.every((b) => b.dropped === undefined || b.dropped === 0));
  t.log(`broker restart → box reconnected: ${reconnectedAt - restartedAt} ms; 42 messages flushed and received in ${flushedAt - reconnectedAt} ms`);
  await watcher.close();
});

test.serial('given messages buffered during an outage, when Deskline restarts before the broker is back, then the new process flushes them (the outbox is in the store)', async (t) => {
  const watcher = await fleetClient({ clientId: 'fleet-watch-restart', clean: false });
  const seen = recorder(watcher);
  await watcher.subscribe(`${base}/events`);
  await world.broker.save();
  await world.broker.kill();
  await eventually('the box notices the outage', () => !world.fleet.status().connected);
  for (let i = 0; i < 5; i++) await world.fleet.event('call-ended', { callId: `before-restart-${i}` });
  await world.fleet.stop();
  await world.store.close();

  await world.start();
  t.is(world.fleet.status().buffered >= 5, true, 'the new process found the buffered events');
  await world.broker.start();
  const received = await seen.until('the five events', () => {
    const ids = seen.messages.map((m) => (json(m).data as { callId?: string } | null)?.callId).filter((id) => id?.startsWith('before-restart-'));
    return new Set(ids).size === 5 ? ids : undefined;
  });
  t.deepEqual([...new Set(received)], [0, 1, 2, 3, 4].map((i) => `before-restart-${i}`));
  await eventually('the outbox empties', () => world.fleet.status().buffered === 0);
  await watcher.close();
});

test.serial('measure: a long outage (1000 telemetry, 200 events) is flushed completely and in order', async (t) => {
  const watcher = await fleetClient({ clientId: 'fleet-watch-long', clean: false });
  const seen = recorder(watcher);
  await watcher.subscribe(`${base}/telemetry`);
  await watcher.subscribe(`${base}/events`);
  await world.broker.save();
  await world.broker.kill();
  await eventually('the box notices the outage', () => !world.fleet.status().connected);
  const before = world.fleet.status().buffered;
  const producing = Date.now();
  for (let second = 1; second <= 1000; second++) {
    world.clock.advance(1000);
    if (second % 5 === 0) void world.fleet.event('call-ended', { callId: `long-${second}` });
  }
  await eventually('1200 buffered', () => world.fleet.status().buffered === before + 1200, 60_000);
  const produced = Date.now();
  await world.broker.start();
  await eventually('the box reconnects', () => world.fleet.status().connected);
  const reconnected = Date.now();
  const bySeq = new Map<number, string>();
  const firstArrival: number[] = [];
  await seen.until('1200 messages', () => {
    for (const message of seen.messages.splice(0)) {
      const seq = json(message).seq as number;
      if (!bySeq.has(seq)) firstArrival.push(seq);
      bySeq.set(seq, message.topic);
    }
    return bySeq.size >= before + 1200 ? true : undefined;
  }, 60_000);
  const flushed = Date.now();
  t.deepEqual(firstArrival, [...firstArrival].sort((a, b) => a - b));
  const seqs = [...bySeq.keys()].sort((a, b) => a - b);
  t.is(seqs.at(-1)! - seqs[0]! + 1, seqs.length, 'no gaps');
  t.log(`buffering 1200 messages (LevelStore): ${produced - producing} ms; flush of ${bySeq.size} after reconnect: ${flushed - reconnected} ms (${Math.round(bySeq.size / ((flushed - reconnected) / 1000))} msg/s)`);
  await watcher.close();
});
