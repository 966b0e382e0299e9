import test from 'ava';
import { ManualClock } from '../core/clock.ts';
import { EVENT_ID_PATTERN, eventIds, eventIdTime } from './event-id.ts';

test('given a clock, when ids are made, then they are 26 Crockford characters carrying the time', (t) => {
  const clock = new ManualClock(Date.UTC(2025, 0, 6));
  const id = eventIds(clock).next();
  t.regex(id, EVENT_ID_PATTERN);
  t.is(eventIdTime(id), Date.UTC(2025, 0, 6));
});

test('given many ids in one millisecond and across milliseconds, when sorted as strings, then the order is the order made', (t) => {
  const clock = new ManualClock(1_000);
  const ids = eventIds(clock);
  const made: string[] = [];
  for (let i = 0; i < 2_000; i++) {
    made.push(ids.next());
    if (i % 300 === 0) clock.advance(1);
  }
  t.deepEqual([...made].sort(), made);
  t.is(new Set(made).size, made.length);
});

test('given the randomness at its top within one millisecond, when the next id is made, then it still sorts after', (t) => {
  const clock = new ManualClock(5);
  const ids = eventIds(clock, (n) => new Uint8Array(n).fill(0xff));
  const first = ids.next();
  const second = ids.next();
  t.true(second > first);
  t.is(eventIdTime(second), 6);
});

test('given a floor from the outbox and a clock that stepped back, when ids are made, then they sort after the floor', (t) => {
  const later = eventIds(new ManualClock(10_000)).next();
  const ids = eventIds(new ManualClock(2_000));
  ids.floor(later);
  const next = ids.next();
  t.true(next > later);
  ids.floor('not an id');
  t.true(ids.next() > next);
});
