// The recordings disk guard: a reading per probe, listeners told of changes only, unreadable
// folders neither stop nor allow recordings on their own.
import test from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { ManualClock } from '../core/clock.ts';
import { DiskGuard, describeReading, statfsFreeBytes } from './disk-guard.ts';

const GB = 1024 ** 3;
const logger = pino({ level: 'silent' });

test('given two folders, when probed every 5 s, then the fuller disk decides and listeners hear low once and the return once', async (t) => {
  const clock = new ManualClock(0);
  const free: Record<string, number> = { '/a': 40 * GB, '/b': 30 * GB };
  const guard = new DiskGuard({ dirs: ['/a', '/b'], minFreeGb: () => 2, clock, logger, freeBytes: async (dir) => free[dir]! });
  const heard: boolean[] = [];
  guard.onChange((r) => heard.push(r.low));
  guard.start();
  await new Promise((r) => setImmediate(r));
  t.like(guard.current(), { low: false, dir: '/b', freeBytes: 30 * GB, minFreeBytes: 2 * GB });
  free['/a'] = 1 * GB;
  clock.advance(5_000);
  await new Promise((r) => setImmediate(r));
  t.like(guard.current(), { low: true, dir: '/a' });
  t.deepEqual(describeReading(guard.current()!), { freeGb: 1, minFreeGb: 2, dir: '/a' });
  clock.advance(5_000);
  await new Promise((r) => setImmediate(r));
  free['/a'] = 3 * GB;
  t.false((await guard.check()).low);
  t.deepEqual(heard, [true, false]);
  guard.stop();
});

test('given a folder that cannot be read, then the other decides; when none can be read, the last verdict stays', async (t) => {
  const clock = new ManualClock(0);
  let broken = false;
  const guard = new DiskGuard({ dirs: ['/a', '/b'], minFreeGb: () => 2, clock, logger, freeBytes: async (dir) => {
    if (dir === '/a' || broken) throw new Error('EIO');
    return 1 * GB;
  } });
  t.true((await guard.check()).low);
  broken = true;
  t.true((await guard.check()).low);
});

test('given the real statfs, when the folder does not exist yet, then its nearest existing parent is measured', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'disk-guard-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const free = await statfsFreeBytes(join(dir, 'not', 'yet'));
  t.true(free > 0);
  const guard = new DiskGuard({ dirs: [dir], minFreeGb: () => free / GB + 1, clock: new ManualClock(0), logger });
  t.true((await guard.check()).low, 'a minimum above the real free space is a nearly full disk');
});
