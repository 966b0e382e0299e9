import test from 'ava';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { z } from 'zod';
import { ManualClock } from '../core/clock.ts';
import { MemoryStore } from '../store/memory-store.ts';
import { generateKeys, loadSigningKey, signCommand } from './command-signing.ts';
import { FakeTransport, settle } from './fake-transport.ts';
import { fleetSchema } from './fleet-config.ts';
import { startFleet } from './module.ts';

const start = Date.parse('2026-03-01T10:00:00.000Z');

async function setup(overrides: Record<string, unknown> = {}, store = new MemoryStore()) {
  const dir = await mkdtemp(join(tmpdir(), 'fleet-'));
  const keyFile = join(dir, 'hmac.key');
  await writeFile(keyFile, generateKeys('hmac').privateText, { mode: 0o600 });
  const settings = fleetSchema.parse({ url: 'mqtt://broker.test', telemetrySeconds: 10, commandKey: { kind: 'hmac', file: keyFile }, ...overrides });
  const clock = new ManualClock(start);
  let transport!: FakeTransport;
  let calls = 0;
  const ran: unknown[] = [];
  const fleet = await startFleet({
    settings, siteId: 'site1', applianceId: 'box-a', version: '1.2.3', store, clock, logger: pino({ level: 'silent' }),
    telemetry: async () => ({ activeCalls: ++calls }),
    commands: { 'logs.rotate': { args: z.object({ keep: z.number().int() }), run: (args) => (ran.push(args), { rotated: true }) } },
    transport: (options) => (transport = new FakeTransport(options)),
  });
  return { fleet, transport, clock, store, keyFile, ran };
}

test('given a connection, when it comes up, then the box publishes a retained online status and subscribes to its commands; the will is a retained offline status', async (t) => {
  const { transport, clock } = await setup();
  clock.advance(5000);
  transport.connect();
  await settle();
  const status = transport.published.find((p) => p.topic === 'deskline/site1/box-a/status')!;
  t.deepEqual(JSON.parse(status.payload), { state: 'online', version: '1.2.3', startedAt: '2026-03-01T10:00:00.000Z', uptimeSeconds: 5 });
  t.true(status.options.retain);
  t.deepEqual(transport.subscriptions, ['deskline/site1/box-a/cmd/+']);
  t.is(transport.options.will.topic, 'deskline/site1/box-a/status');
  t.true(transport.options.will.retain);
  t.is(JSON.parse(transport.options.will.payload).state, 'offline');
  t.is(transport.options.clientId, 'deskline-site1-box-a');
});

test('given the clock moving, when telemetry periods pass, then one telemetry message per period is published with its snapshot', async (t) => {
  const { transport, clock, fleet } = await setup();
  transport.connect();
  clock.advance(30_000);
  await settle();
  const telemetry = transport.on('/telemetry');
  t.deepEqual(telemetry.map((m) => [m.at, m.activeCalls, m.dropped]), [
    ['2026-03-01T10:00:10.000Z', 1, 0],
    ['2026-03-01T10:00:20.000Z', 2, 0],
    ['2026-03-01T10:00:30.000Z', 3, 0],
  ]);
  t.like(fleet.status(), { connected: true, buffered: 0, published: 3 });
});

test('given the broker down, when telemetry and events pile up, then they are flushed in order on reconnect, before live messages', async (t) => {
  const { transport, clock, fleet } = await setup();
  transport.connect();
  await settle();
  transport.disconnect();
  for (let i = 0; i < 5; i++) {
    clock.advance(10_000);
    await fleet.event('call-ended', { callId: `c${i}` });
  }
  await fleet.alarm('disk-low', { freePercent: 3 });
  await settle();
  t.like(fleet.status(), { connected: false, buffered: 11 });
  transport.connect();
  await fleet.event('call-ended', { callId: 'live' });
  await settle();
  const sent = transport.published.filter((p) => !p.topic.endsWith('/status')).map((p) => JSON.parse(p.payload) as { seq: number; kind?: string });
  t.deepEqual(sent.map((m) => m.seq), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  // An event takes its seq when raised; telemetry when its (async) snapshot is in.
  t.deepEqual(sent.map((m) => m.kind ?? 'telemetry'), ['call-ended', 'telemetry', 'call-ended', 'telemetry', 'call-ended', 'telemetry', 'call-ended', 'telemetry', 'call-ended', 'telemetry', 'alarm', 'call-ended']);
  t.like(sent[10], { kind: 'alarm', data: { name: 'disk-low', detail: { freePercent: 3 } } });
  t.like(fleet.status(), { buffered: 0, published: 12 });
});

test('given publishes not yet acknowledged, when the connection drops, then they stay in the outbox and are sent again first', async (t) => {
  const { transport, clock, fleet } = await setup();
  transport.autoAck = false;
  transport.connect();
  for (let i = 0; i < 8; i++) await fleet.event('e', { i });
  await settle();
  t.is(transport.published.filter((p) => p.topic.endsWith('/events')).length, 5, 'at most maxInFlight wait for their PUBACK');
  transport.published.filter((p) => p.topic.endsWith('/events'))[0]!.settle();
  await settle();
  transport.disconnect();
  transport.published.length = 0;
  transport.autoAck = true;
  transport.connect();
  clock.advance(10_000);
  await settle();
  const seqs = transport.published.filter((p) => !p.topic.endsWith('/status')).map((p) => (JSON.parse(p.payload) as { seq: number }).seq);
  t.deepEqual(seqs, [2, 3, 4, 5, 6, 7, 8, 9]);
  t.is(fleet.status().buffered, 0);
});

test('given the outbox over its bound while offline, when reconnected, then the oldest telemetry was dropped and the next telemetry says how many', async (t) => {
  const { transport, clock } = await setup({ bufferMaxTelemetry: 10 });
  clock.advance(150_000);
  await settle();
  transport.connect();
  await settle();
  const telemetry = transport.on('/telemetry');
  t.is(telemetry.length, 10);
  t.is(telemetry[0]!.activeCalls, 6);
  t.is(telemetry.at(-1)!.dropped, 5);
});

test('given buffered messages, when Deskline restarts on the same store, then the new start publishes them', async (t) => {
  const store = new MemoryStore();
  const first = await setup({}, store);
  first.clock.advance(20_000);
  await first.fleet.event('call-ended', { callId: 'c1' });
  await settle();
  await first.fleet.stop();
  const second = await setup({}, store);
  second.transport.connect();
  await settle();
  const sent = second.transport.published.filter((p) => !p.topic.endsWith('/status')).map((p) => JSON.parse(p.payload) as { seq: number });
  t.deepEqual(sent.map((m) => m.seq), [1, 2, 3]);
});

test('given a signed command, when it arrives, then the result goes to cmd-result with the id as correlation data', async (t) => {
  const { transport, clock, keyFile, ran } = await setup();
  transport.connect();
  const key = await loadSigningKey(keyFile);
  const command = signCommand({ id: 'k-1', name: 'logs.rotate', args: { keep: 3 }, issuedAt: new Date(clock.now()).toISOString(), site: 'site1', appliance: 'box-a' }, key);
  transport.deliver({ topic: 'deskline/site1/box-a/cmd/logs.rotate', payload: Buffer.from(JSON.stringify(command)) });
  await settle();
  transport.deliver({ topic: 'deskline/site1/box-a/cmd/logs.rotate', payload: Buffer.from(JSON.stringify({ ...command, signature: 'AAAA' })) });
  await settle();
  const results = transport.published.filter((p) => p.topic === 'deskline/site1/box-a/cmd-result');
  t.is(results.length, 2);
  t.is(results[0]!.options.correlationData?.toString(), 'k-1');
  t.like(JSON.parse(results[0]!.payload), { id: 'k-1', ok: true, result: { rotated: true } });
  t.like(JSON.parse(results[1]!.payload), { id: 'k-1', ok: false, error: { code: 'CMD_BAD_SIGNATURE' } });
  t.deepEqual(ran, [{ keep: 3 }]);
});

test('given a running link, when stopped, then it publishes a retained offline status, disconnects cleanly and stops telemetry', async (t) => {
  const { transport, clock, fleet } = await setup();
  transport.connect();
  clock.advance(7000);
  await fleet.stop();
  const last = transport.published.at(-1)!;
  t.is(last.topic, 'deskline/site1/box-a/status');
  t.like(JSON.parse(last.payload), { state: 'offline', uptimeSeconds: 7 });
  t.true(last.options.retain);
  t.true(transport.ended);
  const before = transport.published.length;
  clock.advance(60_000);
  await settle();
  t.is(transport.published.length, before);
});

test('given an empty url, when started, then the link is off and events are ignored', async (t) => {
  const fleet = await startFleet({
    settings: fleetSchema.parse({}), siteId: 's', applianceId: 'a', version: '1', store: new MemoryStore(), clock: new ManualClock(0), logger: pino({ level: 'silent' }),
    telemetry: async () => ({}), commands: {}, transport: () => t.fail('no transport when off') as never,
  });
  await fleet.event('x', {});
  t.like(fleet.status(), { enabled: false, connected: false });
});

test('given a password file readable by others, when started, then the start fails naming the file and the fix', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'fleet-'));
  await writeFile(join(dir, 'pw'), 'secret', { mode: 0o644 });
  const error = await t.throwsAsync(setup({ username: 'box-a', passwordFile: join(dir, 'pw') }));
  t.is((error as { code?: string }).code, 'FLEET_FILE_MODE');
  t.regex(error!.message, /mqtt\.passwordFile .*chmod 600/);
});
