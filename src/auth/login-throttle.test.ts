import test from 'ava';
import { DEFAULT_THROTTLE, LoginThrottle } from './login-throttle.ts';

const MIN = 60_000;

test('given maxFailures wrong passwords for one name, when the next attempt comes, then the name is locked for lockMs and another name from another address is not', (t) => {
  const throttle = new LoginThrottle();
  for (let i = 0; i < 4; i++) t.false(throttle.failed('alice', '10.0.0.1', i));
  t.is(throttle.lockedUntil('alice', '10.0.0.1', 4), undefined);
  t.true(throttle.failed('alice', '10.0.0.1', 4), 'the fifth failure locks');
  t.is(throttle.lockedUntil('alice', '10.0.0.9', 5), 4 + DEFAULT_THROTTLE.lockMs, 'the name is locked from any address');
  t.is(throttle.lockedUntil('bob', '10.0.0.2', 5), undefined);
  t.is(throttle.lockedUntil('alice', '10.0.0.1', 4 + DEFAULT_THROTTLE.lockMs), undefined, 'the lock ends');
});

test('given one address trying many names, when it passes maxFailuresPerAddress, then the address is locked for every name', (t) => {
  const throttle = new LoginThrottle();
  for (let i = 0; i < 19; i++) t.false(throttle.failed(`user${i}`, '10.0.0.1', i));
  t.true(throttle.failed('user19', '10.0.0.1', 19));
  t.truthy(throttle.lockedUntil('someone-else', '10.0.0.1', 20));
  t.is(throttle.lockedUntil('someone-else', '10.0.0.2', 20), undefined);
});

test('given failures spread beyond the window, when counted, then only those inside the window count; a success clears the name', (t) => {
  const throttle = new LoginThrottle();
  for (let i = 0; i < 4; i++) throttle.failed('alice', `10.0.0.${i}`, i * 5 * MIN);
  t.false(throttle.failed('alice', '10.0.0.9', 20 * MIN), 'the first two fell out of the 15-minute window');
  throttle.succeeded('alice');
  for (let i = 0; i < 4; i++) t.false(throttle.failed('alice', `10.0.1.${i}`, 21 * MIN + i));
});

test('given a spray of a million attempts on 125 000 made-up names (each tried 8 times in a row) from 5000 addresses, when recorded, then the bookkeeping stays within maxTracked and the evictions are counted', (t) => {
  const throttle = new LoginThrottle({ ...DEFAULT_THROTTLE, maxTracked: 1000 });
  let now = 0;
  for (let i = 0; i < 1_000_000; i++) throttle.failed(`spray${i >> 3}`, `10.0.${(i % 5000) >> 8}.${(i % 5000) & 255}`, (now += 1));
  const stats = throttle.stats();
  t.true(stats.tracked <= 1000, JSON.stringify(stats));
  t.true(stats.locked <= 1000, JSON.stringify(stats));
  t.true(stats.evictedFailures > 0 && stats.evictedLocks > 0, JSON.stringify(stats));
});

test('given a full map, when a fresh brute force on one name runs, then it is still locked (a spray cannot hide it)', (t) => {
  const throttle = new LoginThrottle({ ...DEFAULT_THROTTLE, maxTracked: 100 });
  let now = 0;
  for (let i = 0; i < 10_000; i++) throttle.failed(`spray${i}`, `10.1.${i % 250}.${i % 7}`, (now += 1));
  for (let i = 0; i < 4; i++) t.false(throttle.failed('admin', '192.0.2.1', (now += 1)));
  t.true(throttle.failed('admin', '192.0.2.1', (now += 1)));
  t.truthy(throttle.lockedUntil('admin', '192.0.2.7', now + 1));
});

test('given time passing, when failures and locks expire, then they are swept and the maps empty', (t) => {
  const throttle = new LoginThrottle();
  for (let i = 0; i < 500; i++) throttle.failed(`name${i % 100}`, `10.0.${i % 50}.1`, i);
  t.true(throttle.stats().tracked > 0 && throttle.stats().locked > 0);
  throttle.failed('late', '10.9.9.9', 60 * MIN);
  t.deepEqual(throttle.stats(), { tracked: 2, locked: 0, evictedFailures: 0, evictedLocks: 0 });
});

test('given a bad maxTracked, when constructed, then it throws', (t) => {
  t.throws(() => new LoginThrottle({ ...DEFAULT_THROTTLE, maxTracked: 0 }), { instanceOf: RangeError });
});
