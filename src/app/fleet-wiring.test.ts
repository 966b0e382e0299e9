import test from 'ava';
import { ManualClock } from '../core/clock.ts';
import type { Fleet } from '../telemetry/module.ts';
import { redact } from './diagnostics.ts';
import { DiskGuard } from '../recordings/disk-guard.ts';
import { diskLowAlarm, watchAlarms } from './fleet-wiring.ts';
import { pino } from 'pino';

const flush = () => new Promise((resolve) => setImmediate(resolve));

function fakeFleet() {
  const alarms: { name: string; detail: unknown }[] = [];
  const fleet: Fleet = {
    event: async () => undefined,
    alarm: async (name, detail) => void alarms.push({ name, detail }),
    status: () => ({ enabled: true, connected: true, buffered: 0, dropped: 0, published: 0, lastError: undefined }),
    stop: async () => undefined,
  };
  return { fleet, alarms };
}

test('given a condition that comes and goes, when watched, then it is raised once and cleared once', async (t) => {
  const clock = new ManualClock(0);
  const { fleet, alarms } = fakeFleet();
  let connected = true;
  const watch = watchAlarms({ clock, everyMs: 30_000, fleet, conditions: { 'ari-disconnected': async () => ({ on: !connected, detail: 'link' }) } });
  await flush();
  t.deepEqual(alarms, [], 'nothing while healthy');
  connected = false;
  for (let i = 0; i < 3; i++) {
    clock.advance(30_000);
    await flush();
  }
  t.deepEqual(alarms, [{ name: 'ari-disconnected', detail: { state: 'raised', detail: 'link' } }], 'raised once, not every tick');
  connected = true;
  clock.advance(30_000);
  await flush();
  t.deepEqual(alarms.map((a) => (a.detail as { state: string }).state), ['raised', 'cleared']);
  watch.stop();
  connected = false;
  clock.advance(90_000);
  await flush();
  t.is(alarms.length, 2, 'stopped: no more checks');
});

test('given a condition whose check throws, when watched, then it counts as not raised and the others still run', async (t) => {
  const clock = new ManualClock(0);
  const { fleet, alarms } = fakeFleet();
  watchAlarms({ clock, everyMs: 1000, fleet, conditions: { broken: async () => Promise.reject(new Error('no ARI')), 'disk-low': async () => ({ on: true, detail: { freeGb: 1 } }) } }).stop();
  await flush();
  t.deepEqual(alarms.map((a) => a.name), ['disk-low']);
});

test('given the recordings disk guard, when the disk falls below minFreeGb and recovers, then disk-low is raised at once with the figures and cleared once', async (t) => {
  const { fleet, alarms } = fakeFleet();
  let freeGb = 10;
  const guard = new DiskGuard({ dirs: ['/rec'], minFreeGb: () => 2, clock: new ManualClock(0), logger: pino({ level: 'silent' }), freeBytes: async () => freeGb * 1024 ** 3 });
  const stop = diskLowAlarm(guard, fleet);
  await guard.check();
  t.deepEqual(alarms, []);
  freeGb = 1.5;
  await guard.check();
  await guard.check();
  t.deepEqual(alarms, [{ name: 'disk-low', detail: { state: 'raised', detail: { freeGb: 1.5, minFreeGb: 2, dir: '/rec', recordings: 'stopped' } } }]);
  freeGb = 5;
  await guard.check();
  t.deepEqual(alarms.map((a) => (a.detail as { state: string }).state), ['raised', 'cleared']);
  stop();
  freeGb = 1;
  await guard.check();
  t.is(alarms.length, 2);
});

test('given settings with inline secrets, when redacted, then values of password/secret/token keys are hidden and paths are kept', (t) => {
  const out = redact({ asterisk: { ariPassword: 'p1', ariPasswordFile: '/etc/x' }, mqtt: { passwordFile: '/etc/m', username: 'box' }, hooks: [{ secret: 's' }], token: '' }) as Record<string, any>;
  t.is(out.asterisk.ariPassword, '(secret)');
  t.is(out.asterisk.ariPasswordFile, '/etc/x');
  t.is(out.mqtt.passwordFile, '/etc/m');
  t.is(out.hooks[0].secret, '(secret)');
  t.is(out.token, '', 'an empty value hides nothing');
});
