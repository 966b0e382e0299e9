import test from 'ava';
import { Driver, queueConfig } from './test-acd.ts';
import { applyTrail, figures, newBoard, periodStart, WallboardError, type Board, type QueueFigures } from './wallboard.ts';
import type { AcdInput } from './queue-types.ts';

/** An input without its time, for a script that stamps times itself (distributes over the union). */
type Untimed<T> = T extends unknown ? Omit<T, 'at'> : never;

const settings = { serviceLevelSeconds: 20, shortAbandonSeconds: 5, timezone: 'Asia/Shanghai' };

/** A real ACD whose every trail entry is folded into a board as it happens. */
class Floor {
  readonly driver: Driver;
  board: Board;
  constructor(queues = [queueConfig()], boardSettings = settings) {
    this.driver = new Driver(queues);
    this.board = newBoard(boardSettings);
  }

  send(input: AcdInput): void {
    const from = this.driver.trail.length;
    this.driver.send(input);
    for (const entry of this.driver.trail.slice(from)) this.board = applyTrail(this.board, entry);
  }

  figures(at: number, queueId = 'support'): QueueFigures {
    // The board goes to disk and back on every check: what is shown must survive that.
    const restored = JSON.parse(JSON.stringify(this.board)) as Board;
    return figures(restored, this.driver.state, at).find((f) => f.queueId === queueId)!;
  }
}

/** Scripted times: `HH:MM:SS` on a local day in Shanghai. */
const shanghai = (day: string) => (time: string) => Date.parse(`${day}T${time}+08:00`);

test('given a scripted day in two queues, when the wallboard is read, then every figure matches the hand count', (t) => {
  const at = shanghai('2026-11-24');
  const floor = new Floor([
    queueConfig({ id: 'support', requiredSkills: [{ skill: 'support', minLevel: 1 }], maxWaitSeconds: 120 }),
    queueConfig({ id: 'sales', requiredSkills: [{ skill: 'sales', minLevel: 1 }] }),
  ]);
  const send = (time: string, input: Untimed<AcdInput>) => floor.send({ ...input, at: at(time) });
  const join = (time: string, callId: string, queueId = 'support') => send(time, { type: 'caller-joined', callId, queueId });
  const answer = (time: string, agentId: string, callId: string) => send(time, { type: 'agent-answered', agentId, callId });
  const end = (time: string, agentId: string, callId: string) => send(time, { type: 'call-ended', agentId, callId });

  for (const [agentId, skills] of [['ann', { support: 2 }], ['bob', { support: 1 }], ['sam', { sales: 3 }]] as const) {
    send('09:00:00', { type: 'agent-login', agentId, skills });
  }
  join('09:00:10', 'c1'); // longest-idle, ties by id: ann
  answer('09:00:25', 'ann', 'c1'); // waited 15 s: within T
  join('09:01:00', 'c2'); // bob
  answer('09:01:30', 'bob', 'c2'); // waited 30 s: outside T
  join('09:02:00', 'c3');
  send('09:02:03', { type: 'caller-left', callId: 'c3' }); // abandoned after 3 s: short
  join('09:02:10', 'c4');
  send('09:02:40', { type: 'caller-left', callId: 'c4' }); // abandoned after 30 s: held against SL
  join('09:02:50', 'c5');
  send('09:03:00', { type: 'callback-requested', callId: 'c5', number: '13800138000' });
  send('09:03:01', { type: 'caller-left', callId: 'c5' }); // the kept place stays
  join('09:03:05', 'c6');

  t.like(floor.figures(at('09:03:20')), {
    period: '2026-11-24',
    periodStart: at('00:00:00'),
    waiting: { onLine: 1, callbackPlaces: 1 },
    longestWaitSeconds: 15,
    agents: { 'logged-out': 0, available: 0, ringing: 0, 'on-call': 2, 'wrap-up': 0, paused: 0 },
    offered: 6,
    answered: 2,
    abandoned: 2,
    abandonedShort: 1,
    overflowed: 0,
    serviceLevel: 1 / 3, // c1 within; c1, c2 answered + c4 abandoned after 5 s
    asaSeconds: 22.5,
    ahtSeconds: null,
    callbacksPending: 1,
  });

  end('09:03:25', 'ann', 'c1'); // 180 s; ann is held while c5 is dialled back
  t.like(floor.figures(at('09:03:30')), { waiting: { onLine: 1, callbackPlaces: 1 }, callbacksPending: 0, ahtSeconds: 180 });
  send('09:03:40', { type: 'callback-answered', callId: 'c5' });
  answer('09:03:45', 'ann', 'c5'); // a callback: answered, but not in SL or ASA
  join('09:04:00', 's1', 'sales');
  answer('09:04:02', 'sam', 's1');
  end('09:05:02', 'sam', 's1');
  end('09:05:30', 'bob', 'c2'); // 240 s; c6 rings bob
  answer('09:05:35', 'bob', 'c6'); // waited 150 s
  end('09:06:45', 'ann', 'c5'); // 180 s
  end('09:07:35', 'bob', 'c6'); // 120 s
  send('09:08:00', { type: 'agent-pause', agentId: 'ann', reason: 'lunch' });
  send('09:08:00', { type: 'agent-logout', agentId: 'bob' });
  join('09:08:30', 'c7'); // nobody staffed: overflows at the door

  t.like(floor.figures(at('09:09:00')), {
    waiting: { onLine: 0, callbackPlaces: 0 },
    longestWaitSeconds: 0,
    agents: { 'logged-out': 1, available: 0, ringing: 0, 'on-call': 0, 'wrap-up': 0, paused: 1 },
    offered: 7,
    overflowed: 1,
  });

  send('09:10:00', { type: 'agent-unpause', agentId: 'ann' });
  join('09:10:05', 'c8');
  answer('09:10:10', 'ann', 'c8'); // waited 5 s: within T
  join('09:10:20', 'c9');
  send('09:12:19', { type: 'tick' });
  t.like(floor.figures(at('09:12:19')), { waiting: { onLine: 1, callbackPlaces: 0 }, longestWaitSeconds: 119 });
  send('09:12:20', { type: 'tick' }); // c9 reaches max wait 120 s: overflows
  end('09:13:40', 'ann', 'c8'); // 210 s

  const support = floor.figures(at('17:00:00'));
  t.deepEqual(support, {
    queueId: 'support',
    period: '2026-11-24',
    periodStart: at('00:00:00'),
    waiting: { onLine: 0, callbackPlaces: 0 },
    longestWaitSeconds: 0,
    agents: { 'logged-out': 1, available: 1, ringing: 0, 'on-call': 0, 'wrap-up': 0, paused: 0 },
    offered: 9, // c1 … c9 (c7 turned away at the door)
    answered: 5, // c1, c2, c5 (callback), c6, c8
    abandoned: 2, // c3, c4
    abandonedShort: 1, // c3
    overflowed: 2, // c7 no agents, c9 max wait
    serviceLevel: 0.4, // within 20 s: c1, c8 = 2 / (on-line answered c1, c2, c6, c8 = 4 + c4 = 1)
    asaSeconds: 50, // (15 + 30 + 150 + 5) / 4
    ahtSeconds: 186, // (180 + 240 + 180 + 120 + 210) / 5
    callbacksPending: 0,
  });
  t.like(floor.figures(at('17:00:00'), 'sales'), {
    agents: { available: 1, 'logged-out': 0 }, // sam only: ann and bob lack the sales skill
    offered: 1, answered: 1, abandoned: 0, overflowed: 0, serviceLevel: 1, asaSeconds: 2, ahtSeconds: 60,
  });
});

test('given a day of calls in Shanghai, when local midnight passes, then the counters start again from zero', (t) => {
  const floor = new Floor();
  const monday = shanghai('2026-11-23');
  const tuesday = shanghai('2026-11-24');
  floor.send({ type: 'agent-login', agentId: 'ann', skills: {}, at: monday('23:00:00') });
  floor.send({ type: 'caller-joined', callId: 'late', queueId: 'support', at: monday('23:59:40') });
  floor.send({ type: 'agent-answered', agentId: 'ann', callId: 'late', at: monday('23:59:50') });
  t.like(floor.figures(monday('23:59:59')), { period: '2026-11-23', periodStart: monday('00:00:00'), offered: 1, answered: 1, serviceLevel: 1 });

  // 16:00 UTC is midnight in Shanghai: a new period even before anything happens in it.
  t.is(tuesday('00:00:00'), Date.parse('2026-11-23T16:00:00Z'));
  t.like(floor.figures(tuesday('00:00:05')), { period: '2026-11-24', periodStart: tuesday('00:00:00'), offered: 0, answered: 0, serviceLevel: null, asaSeconds: null });

  floor.send({ type: 'call-ended', agentId: 'ann', callId: 'late', at: tuesday('00:00:30') });
  floor.send({ type: 'caller-joined', callId: 'early', queueId: 'support', at: tuesday('00:01:00') });
  t.is(floor.board.period, '2026-11-24');
  // The call that began yesterday counts its end today: each event lands in its own day.
  t.like(floor.figures(tuesday('00:01:10')), { offered: 1, answered: 0, ahtSeconds: 40, longestWaitSeconds: 10 });

  // A straggler stamped yesterday (replayed late) does not reopen yesterday or touch today.
  const before = floor.board;
  t.is(applyTrail(before, { at: monday('23:59:59'), type: 'joined', callId: 'x', queueId: 'support', priority: 0 }), before);
});

test('given a short-abandon threshold of 5 s, when callers hang up at 3 s, exactly 5 s and 6 s, then only the 6 s abandon lowers the service level', (t) => {
  const floor = new Floor();
  floor.send({ type: 'agent-login', agentId: 'ann', skills: {}, at: 0 });
  floor.send({ type: 'caller-joined', callId: 'busy', queueId: 'support', at: 0 });
  floor.send({ type: 'agent-answered', agentId: 'ann', callId: 'busy', at: 10_000 }); // 10 s: within T
  const hangUpAfter = (callId: string, joinAt: number, seconds: number) => {
    floor.send({ type: 'caller-joined', callId, queueId: 'support', at: joinAt });
    floor.send({ type: 'caller-left', callId, at: joinAt + seconds * 1000 });
  };
  hangUpAfter('quick', 20_000, 3);
  hangUpAfter('edge', 30_000, 5);
  t.like(floor.figures(40_000), { abandoned: 2, abandonedShort: 2, serviceLevel: 1 });
  hangUpAfter('gave-up', 40_000, 6);
  t.like(floor.figures(50_000), { abandoned: 3, abandonedShort: 2, serviceLevel: 0.5 });
});

test('given the service-level target of 20 s, when callers are answered at exactly 20 s and at 20.001 s, then only the first is within it', (t) => {
  const floor = new Floor([queueConfig({ strategy: 'ring-all', ringTimeoutSeconds: 60 })]);
  floor.send({ type: 'agent-login', agentId: 'ann', skills: {}, at: 0 });
  floor.send({ type: 'agent-login', agentId: 'bob', skills: {}, at: 0 });
  floor.send({ type: 'caller-joined', callId: 'on-time', queueId: 'support', at: 1000 }); // rings both
  floor.send({ type: 'caller-joined', callId: 'late', queueId: 'support', at: 2000 });
  floor.send({ type: 'agent-answered', agentId: 'ann', callId: 'on-time', at: 21_000 }); // bob is freed and rung for 'late'
  floor.send({ type: 'agent-answered', agentId: 'bob', callId: 'late', at: 22_001 });
  const shown = floor.figures(30_000);
  t.like(shown, { answered: 2, serviceLevel: 0.5 });
  t.true(Math.abs(shown.asaSeconds! - 20.0005) < 1e-9);
});

test('given a DST zone, when the period start is asked for on the change day, then it is local midnight, not the wall-clock guess', (t) => {
  // New York springs forward at 02:00 on 2026-03-08: midnight was still EST (-05:00).
  t.is(periodStart(Date.parse('2026-03-08T12:00:00-04:00'), 'America/New_York'), Date.parse('2026-03-08T00:00:00-05:00'));
  t.is(periodStart(Date.parse('2026-11-01T12:00:00-05:00'), 'America/New_York'), Date.parse('2026-11-01T00:00:00-04:00'));
  t.is(periodStart(Date.parse('2026-11-24T00:00:00+08:00'), 'Asia/Shanghai'), Date.parse('2026-11-24T00:00:00+08:00'));
});

test('given bad settings, when a board is made, then it is refused with a stable code naming the field', (t) => {
  t.like(t.throws(() => newBoard({ ...settings, timezone: 'Mars/Olympus' }), { instanceOf: WallboardError }), { code: 'WALLBOARD_BAD_SETTINGS' });
  t.throws(() => newBoard({ ...settings, serviceLevelSeconds: -1 }), { message: /serviceLevelSeconds/ });
  t.throws(() => newBoard({ ...settings, shortAbandonSeconds: Number.NaN }), { message: /shortAbandonSeconds/ });
});
