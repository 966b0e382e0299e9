import test from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LevelStore } from '../store/level-store.ts';
import { ManualClock } from '../core/clock.ts';
import { MemoryStore } from '../store/memory-store.ts';
import { AuditError, AuditLog } from './audit-log.ts';

const t0 = Date.UTC(2026, 10, 24, 8, 0, 0);

test('given entries appended as time moves, when listed, then newest first with the clock time', async (t) => {
  const clock = new ManualClock(t0);
  const audit = new AuditLog({ store: new MemoryStore(), clock });
  await audit.append({ actor: 'alice', action: 'recording.listen', target: 'r1', detail: { range: 'bytes=0-99' } });
  clock.advance(1000);
  await audit.append({ actor: 'bob', action: 'flow.publish', target: 'main' });
  const entries = await audit.list();
  t.deepEqual(entries.map((e) => [e.at, e.actor, e.action]), [
    [t0 + 1000, 'bob', 'flow.publish'],
    [t0, 'alice', 'recording.listen'],
  ]);
  t.deepEqual(entries[1]?.detail, { range: 'bytes=0-99' });
  t.is(entries[1]?.target, 'r1');
  t.false('detail' in entries[0]!);
});

test('given many entries in the same millisecond, appended concurrently, when listed, then all kept in append order (newest first)', async (t) => {
  const audit = new AuditLog({ store: new MemoryStore(), clock: new ManualClock(t0) });
  const appended = await Promise.all(Array.from({ length: 50 }, (_, i) => audit.append({ actor: 'alice', action: 'recording.listen', target: `r${i}` })));
  t.is(new Set(appended.map((e) => e.id)).size, 50);
  const listed = await audit.list({ limit: 1000 });
  t.deepEqual(listed.map((e) => e.target), appended.map((e) => e.target).reverse());
});

test('given a restart (a new AuditLog on the same store) in the same millisecond, when appending, then nothing is overwritten and order holds', async (t) => {
  const store = new MemoryStore();
  const clock = new ManualClock(t0);
  await new AuditLog({ store, clock }).append({ actor: 'alice', action: 'recording.listen', target: 'before' });
  await new AuditLog({ store, clock }).append({ actor: 'alice', action: 'recording.listen', target: 'after' });
  t.deepEqual((await new AuditLog({ store, clock }).list()).map((e) => e.target), ['after', 'before']);
});

test('given a mixed log, when filtered by time, actor, action and limit, then exactly the matching entries come back', async (t) => {
  const clock = new ManualClock(t0);
  const audit = new AuditLog({ store: new MemoryStore(), clock });
  const rows: [string, string][] = [
    ['alice', 'recording.listen'],
    ['bob', 'recording.listen'],
    ['alice', 'flow.publish'],
    ['carol', 'recording.listen'],
    ['alice', 'recording.listen'],
  ];
  for (const [actor, action] of rows) {
    await audit.append({ actor, action });
    clock.advance(100);
  }
  const who = async (query: Parameters<AuditLog['list']>[0]) => (await audit.list(query)).map((e) => `${e.actor}@${e.at - t0}`);
  t.deepEqual(await who({ from: t0 + 100, to: t0 + 300 }), ['alice@200', 'bob@100']); // from inclusive, to exclusive
  t.deepEqual(await who({ actor: 'alice' }), ['alice@400', 'alice@200', 'alice@0']);
  t.deepEqual(await who({ action: 'recording.listen' }), ['alice@400', 'carol@300', 'bob@100', 'alice@0']);
  t.deepEqual(await who({ actor: 'alice', action: 'recording.listen' }), ['alice@400', 'alice@0']);
  t.deepEqual(await who({ action: 'recording.listen', from: t0 + 100, limit: 2 }), ['alice@400', 'carol@300']);
  t.deepEqual(await who({ actor: 'nobody' }), []);
});

test('given actors whose names share a prefix or hold the key separator, when filtered by actor, then names match exactly', async (t) => {
  const audit = new AuditLog({ store: new MemoryStore(), clock: new ManualClock(t0) });
  await audit.append({ actor: 'a', action: 'recording.listen' });
  await audit.append({ actor: 'a!b', action: 'recording.listen' });
  await audit.append({ actor: 'ab', action: 'recording.listen' });
  t.deepEqual((await audit.list({ actor: 'a' })).map((e) => e.actor), ['a']);
  t.deepEqual((await audit.list({ actor: 'a!b' })).map((e) => e.actor), ['a!b']);
});

test('given malformed entries, when appended, then an AuditError names the field and nothing is written', async (t) => {
  const audit = new AuditLog({ store: new MemoryStore(), clock: new ManualClock(t0) });
  await t.throwsAsync(audit.append({ actor: '', action: 'recording.listen' }), { instanceOf: AuditError, message: /actor/ });
  await t.throwsAsync(audit.append({ actor: 'alice', action: 'listen' }), { instanceOf: AuditError, message: /action "listen"/ });
  await t.throwsAsync(audit.append({ actor: 'alice', action: 'recording.listen', detail: [] as never }), { instanceOf: AuditError, message: /detail/ });
  t.deepEqual(await audit.list(), []);
});

test('given the level store, when entries are appended concurrently and the store is reopened, then all are kept in order and the sequence continues', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'deskline-audit-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const clock = new ManualClock(t0);
  let store = await LevelStore.open(join(dir, 'db'));
  // Separate AuditLog objects over one store share its sequence.
  await Promise.all(Array.from({ length: 20 }, (_, i) => new AuditLog({ store, clock }).append({ actor: 'alice', action: 'recording.listen', target: `first-${i}` })));
  const audit = new AuditLog({ store, clock });
  await Promise.all(Array.from({ length: 20 }, (_, i) => audit.append({ actor: 'alice', action: 'recording.listen', target: `r${i}` })));
  await store.close();
  store = await LevelStore.open(join(dir, 'db'));
  t.teardown(() => store.close());
  await new AuditLog({ store, clock }).append({ actor: 'bob', action: 'recording.listen', target: 'after-restart' });
  const listed = await new AuditLog({ store, clock }).list({ from: t0, limit: 1000 });
  t.is(listed[0]?.target, 'after-restart');
  t.deepEqual(listed.slice(1, 21).map((e) => e.target), Array.from({ length: 20 }, (_, i) => `r${19 - i}`));
  t.deepEqual(listed.slice(21).map((e) => e.target), Array.from({ length: 20 }, (_, i) => `first-${19 - i}`));
});

test('given an actor with a lone surrogate (hostile input), when appended and listed by actor, then it is stored, not thrown', async (t) => {
  const log = new AuditLog({ store: new MemoryStore(), clock: new ManualClock(1) });
  await log.append({ actor: 'x\uD800y', action: 'auth.login-failed' });
  t.is((await log.list({ actor: 'x\uD800y' })).length, 1);
});
