import test from 'ava';
import { MemoryStore } from '../store/memory-store.ts';
import { Outbox } from './outbox.ts';

const telemetry = (outbox: Outbox, busy?: (seq: number) => boolean) => outbox.append('telemetry', 't', (seq, dropped) => ({ seq, dropped }), busy);
const event = (outbox: Outbox, n: number) => outbox.append('event', 'e', (seq) => ({ seq, n }));

test('given mixed messages, when read back, then they come in append order and acknowledged ones are gone', async (t) => {
  const outbox = await Outbox.open(new MemoryStore().section('fleet'), 100);
  await Promise.all([telemetry(outbox), event(outbox, 1), telemetry(outbox), event(outbox, 2)]);
  t.deepEqual((await outbox.after(0, 10)).map((e) => [e.seq, e.kind]), [[1, 'telemetry'], [2, 'event'], [3, 'telemetry'], [4, 'event']]);
  await outbox.acknowledge(1);
  await outbox.acknowledge(2);
  await outbox.acknowledge(2);
  t.is(outbox.buffered, 2);
  t.deepEqual((await outbox.after(0, 10)).map((e) => e.seq), [3, 4]);
  t.deepEqual((await outbox.after(3, 10)).map((e) => e.seq), [4]);
});

test('given more telemetry than the bound, when appended, then the oldest telemetry is dropped and counted, events never', async (t) => {
  const outbox = await Outbox.open(new MemoryStore().section('fleet'), 10);
  for (let i = 0; i < 30; i++) {
    await telemetry(outbox);
    await event(outbox, i);
  }
  const entries = await outbox.after(0, 1000);
  t.is(entries.filter((e) => e.kind === 'event').length, 30);
  const kept = entries.filter((e) => e.kind === 'telemetry');
  t.is(kept.length, 10);
  t.deepEqual(kept.map((e) => e.seq), [41, 43, 45, 47, 49, 51, 53, 55, 57, 59], 'the newest ten');
  t.is(outbox.dropped, 20);
  t.is(kept.at(-1)!.payload.dropped, 20, 'telemetry reports the count');
  t.is(outbox.buffered, 40);
});

test('given telemetry being published, when the bound is hit, then that message is not dropped (it may be at the broker already)', async (t) => {
  const outbox = await Outbox.open(new MemoryStore().section('fleet'), 10);
  for (let i = 0; i < 10; i++) await telemetry(outbox);
  await telemetry(outbox, (seq) => seq === 1);
  t.deepEqual((await outbox.after(0, 100)).map((e) => e.seq), [1, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
});

test('given a restart, when the outbox is opened again, then buffered messages, seq and dropped count are back', async (t) => {
  const store = new MemoryStore();
  const first = await Outbox.open(store.section('fleet'), 3);
  for (let i = 0; i < 5; i++) await telemetry(first);
  await event(first, 1);
  const again = await Outbox.open(store.section('fleet'), 3);
  t.is(again.buffered, 4);
  t.is(again.dropped, 2);
  const next = await telemetry(again);
  t.is(next.seq, 7, 'seq continues, so subscribers can de-duplicate across restarts');
  t.is(again.dropped, 3);
  t.deepEqual((await again.after(0, 100)).map((e) => e.seq), [4, 5, 6, 7]);
});
