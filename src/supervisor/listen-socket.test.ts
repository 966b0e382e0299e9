import test from 'ava';
import { FRAME_SAMPLES, LISTEN_FORMAT } from './listen-frames.ts';
import { ListenError, ListenHub } from './listen-socket.ts';
import { FakeSocket, listenWorld } from './testing-listen.ts';

/** A supervisor 'sup' listening to connected call c1. */
async function openListen() {
  const world = listenWorld();
  world.conversations.connect('c1');
  const hub = new ListenHub(world.deps);
  const socket = new FakeSocket();
  const session = hub.reserve('c1', 'sup');
  await session.open(socket);
  return { world, hub, socket, session };
}

const loud = (n: number) => Int16Array.from({ length: n }, (_, i) => (i % 2 ? 8000 : -8000));

test('given a supervisor who opens a listen, then the format comes first, a listen monitor streams slin16 to the fresh port, and audio arrives as 20 ms frames', async (t) => {
  const { world, hub, socket, session } = await openListen();
  t.deepEqual(JSON.parse(socket.text[0]!), { ...LISTEN_FORMAT, callId: 'c1' });
  t.deepEqual(world.monitors.log, ['start listen c1 by sup → 127.0.0.1:40000 slin16']);
  world.sources.opened[0]!.feed(loud(FRAME_SAMPLES * 2 + 10));
  t.is(socket.binary.length, 2);
  t.is(socket.binary[0]!.length, FRAME_SAMPLES * 2);
  t.deepEqual([...socket.binary[0]!.subarray(0, 4)], [0xc0, 0xe0, 0x40, 0x1f], '-8000, 8000 little-endian');
});

test('given an open listen, when the browser closes the socket, then the monitor is stopped by the listener, the port closed and the slot freed', async (t) => {
  const { world, hub, socket, session } = await openListen();
  await session.end('closed');
  t.deepEqual(world.monitors.log.slice(1), ['stop c1-mon1 by sup']);
  t.true(world.sources.opened[0]!.closed);
  t.is(socket.closed, undefined, 'the browser closed it; nothing to close');
  t.is(hub.sessions().length, 0);
  t.is(world.conversations.listenerCount('changed'), 0, 'no listener left on the queue service');
  world.sources.opened[0]!.feed(loud(FRAME_SAMPLES));
  t.is(socket.binary.length, 0, 'nothing sent after the end');
});

test('given an open listen, when the call leaves the agent, then the socket closes with 1000 and the monitor is stopped', async (t) => {
  const world = listenWorld();
  world.conversations.connect('c1');
  world.conversations.connect('c2');
  const hub = new ListenHub(world.deps);
  const [one, two] = [new FakeSocket(), new FakeSocket()];
  const s1 = hub.reserve('c1', 'sup');
  const s2 = hub.reserve('c2', 'sup');
  await s1.open(one);
  await s2.open(two);
  world.conversations.end('c1');
  await s1.end('closed');  // the same promise as the one the hub started
  t.deepEqual(one.closed, { code: 1000, reason: 'call-ended' });
  t.deepEqual(world.monitors.log.slice(2), ['stop c1-mon1 by sup']);
  t.is(two.closed, undefined, 'the other call goes on');
  t.deepEqual(hub.sessions().map((s) => s.callId), ['c2']);
});

test('given the monitor service tore the monitor down itself (the snoop left), then the listen ends and the stop is still audited as the listener', async (t) => {
  const { world, hub, socket, session } = await openListen();
  world.monitors.tearDown('c1-mon1');
  world.conversations.emit('changed');
  await session.end('closed');
  t.deepEqual(socket.closed, { code: 1000, reason: 'call-ended' });
  t.deepEqual(world.audits, [{ actor: 'sup', action: 'call.monitor-stop', target: 'c1', detail: { monitorId: 'c1-mon1', reason: 'call-ended' } }]);
});

test('given the socket closes while the monitor is still starting, then the monitor is stopped once it has started (no channels left behind)', async (t) => {
  const world = listenWorld();
  world.conversations.connect('c1');
  let release!: () => void;
  world.monitors.onStart = () => new Promise<void>((resolve) => (release = resolve));
  const hub = new ListenHub(world.deps);
  const session = hub.reserve('c1', 'sup');
  const opening = session.open(new FakeSocket());
  while (!release) await new Promise((resolve) => setImmediate(resolve));
  const ending = session.end('closed');
  release();
  await Promise.all([opening, ending]);
  t.deepEqual(world.monitors.log, ['start listen c1 by sup → 127.0.0.1:40000 slin16', 'stop c1-mon1 by sup']);
  t.true(world.sources.opened[0]!.closed);
});

test('given the monitor cannot start (the call left the agent meanwhile), then the socket closes with 1011 naming why, and the slot is freed', async (t) => {
  const world = listenWorld();
  world.conversations.connect('c1');
  const hub = new ListenHub(world.deps);
  const session = hub.reserve('c1', 'sup');
  world.conversations.calls.delete('c1');
  const socket = new FakeSocket();
  await session.open(socket);
  await session.end('closed');
  t.is(socket.closed?.code, 1011);
  t.regex(socket.closed!.reason, /NOT_CONNECTED/);
  t.true(world.sources.opened[0]!.closed, 'the RTP port is closed');
  t.is(hub.sessions().length, 0);
});

test('given the limits, when a user or the site is at them, then a new listen is refused, and a finished one frees its slot', async (t) => {
  const world = listenWorld({ perUser: 2, total: 3 });
  world.conversations.connect('c1');
  const hub = new ListenHub(world.deps);
  const a = hub.reserve('c1', 'sup');
  hub.reserve('c1', 'sup');
  t.throws(() => hub.reserve('c1', 'sup'), { instanceOf: ListenError, message: /at most 2/ });
  t.is((t.throws(() => hub.checkLimits('sup')) as ListenError).code, 'LISTEN_LIMIT_USER');
  hub.reserve('c1', 'admin');
  t.is((t.throws(() => hub.reserve('c1', 'boss')) as ListenError).code, 'LISTEN_LIMIT_SITE');
  await a.end('closed');
  t.notThrows(() => hub.reserve('c1', 'boss'));
});

test('given shutdown, when closeAll runs, then every listen is closed with 1001 and its monitor stopped before it resolves', async (t) => {
  const world = listenWorld();
  world.conversations.connect('c1');
  const hub = new ListenHub(world.deps);
  const sockets = [new FakeSocket(), new FakeSocket()];
  for (const socket of sockets) await hub.reserve('c1', 'sup').open(socket);
  await hub.closeAll();
  t.deepEqual(sockets.map((s) => s.closed?.code), [1001, 1001]);
  t.is(world.monitors.active.size, 0);
});
