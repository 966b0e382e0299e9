import test from 'ava';
import { compareEntries } from './queue-machine.ts';
import { Driver, queueConfig, rings } from './test-acd.ts';
import type { AcdCommand, AcdInput, WaitingEntry } from './queue-types.ts';

function busyQueue() {
  const driver = new Driver([queueConfig({ maxWaitSeconds: 60 })]);
  driver.login(0, ['a']);
  driver.join(0, 'busy');
  driver.send({ type: 'agent-answered', agentId: 'a', callId: 'busy', at: 1 });
  driver.join(1000, 'c1');
  driver.join(2000, 'c2');
  driver.join(3000, 'c3');
  return driver;
}

test('given three waiting callers, when the second asks for a callback, then it keeps its place behind the first', (t) => {
  const driver = busyQueue();
  driver.send({ type: 'callback-requested', callId: 'c2', number: '5550102', at: 10_000 });
  driver.send({ type: 'caller-left', callId: 'c2', at: 10_100 });
  t.deepEqual([...driver.state.waiting].sort(compareEntries).map((e) => `${e.callId}:${e.kind}`), ['c1:caller', 'c2:callback', 'c3:caller']);
  t.deepEqual(rings(driver.send({ type: 'call-ended', agentId: 'a', callId: 'busy', at: 20_000 })), ['c1>a']);
});

test('given a callback at the front, when an agent frees up, then the customer is dialled first, once, and the agent is held for them', (t) => {
  const driver = busyQueue();
  driver.send({ type: 'callback-requested', callId: 'c2', number: '5550102', at: 10_000 });
  driver.send({ type: 'call-ended', agentId: 'a', callId: 'busy', at: 20_000 });
  driver.send({ type: 'agent-answered', agentId: 'a', callId: 'c1', at: 20_500 });
  const freed = driver.send({ type: 'call-ended', agentId: 'a', callId: 'c1', at: 30_000 });
  t.deepEqual(freed, [{ type: 'dial-callback', callId: 'c2', number: '5550102', queueId: 'support' }]);
  // While the customer's phone rings, c3 (behind) does not get the held agent, and ticks dial nothing.
  t.deepEqual(driver.send({ type: 'tick', at: 31_000 }), []);
  t.deepEqual(driver.send({ type: 'tick', at: 32_000 }), []);
  t.deepEqual(rings(driver.send({ type: 'callback-answered', callId: 'c2', at: 33_000 })), ['c2>a']);
  t.deepEqual(driver.send({ type: 'agent-answered', agentId: 'a', callId: 'c2', at: 34_000 }), [{ type: 'connect', callId: 'c2', agentId: 'a' }]);
  t.is(driver.commands.filter((c) => c.type === 'dial-callback').length, 1);
});

test('given a callback being dialled, when the customer does not answer, then the place is dropped and never dialled again', (t) => {
  const driver = busyQueue();
  driver.send({ type: 'callback-requested', callId: 'c1', number: '5550101', at: 10_000 });
  driver.send({ type: 'call-ended', agentId: 'a', callId: 'busy', at: 20_000 });
  driver.send({ type: 'callback-failed', callId: 'c1', reason: 'no-answer', at: 50_000 });
  t.deepEqual(rings(driver.commands.slice(-1)), ['c2>a']);
  for (let at = 51_000; at < 200_000; at += 10_000) driver.send({ type: 'tick', at });
  t.is(driver.commands.filter((c) => c.type === 'dial-callback').length, 1);
  t.true(driver.trail.some((e) => e.type === 'callback-failed' && e.callId === 'c1'));
});

test('given a kept callback place, when max wait passes, then callers on the line overflow but the callback keeps its place', (t) => {
  const driver = busyQueue();
  driver.send({ type: 'callback-requested', callId: 'c2', number: '5550102', at: 10_000 });
  const commands = driver.send({ type: 'tick', at: 70_000 });
  t.deepEqual(commands.map((c) => c.type === 'overflow' && c.callId), ['c1', 'c3']);
  t.deepEqual(driver.state.waiting.map((e) => e.callId), ['c2']);
});

// Property: over many random sequences, (1) no callback is dialled twice, (2) entries are first
// served (rung or dialled) in waiting order, so a callback never overtakes callers who were
// ahead of it, (3) a callback's ordering key never changes, (4) no agent rings for two calls.
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

test('given random sequences of callers, callbacks, agents and time, when run, then callbacks are dialled once and never overtake', (t) => {
  let dialled = 0;
  for (let seed = 1; seed <= 300; seed++) {
    const rnd = lcg(seed);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
    const driver = new Driver([queueConfig({ strategy: pick(['ring-all', 'round-robin', 'longest-idle', 'fewest-calls', 'random'] as const), maxWaitSeconds: 400, maxLength: 40, wrapUpSeconds: pick([0, 10]), autoPauseAfterMisses: pick([0, 2]) })]);
    const agents = ['a1', 'a2', 'a3', 'a4'];
    driver.login(0, ...agents.slice(0, 2).map((id) => [id] as [string]));
    const everDialled = new Set<string>();
    const keys = new Map<string, string>();
    let at = 0;
    let calls = 0;
    for (let i = 0; i < 120; i++) {
      at += Math.floor(rnd() * 8000);
      const waiting = driver.state.waiting;
      const someEntry = waiting.length > 0 ? pick(waiting) : undefined;
      const agent = driver.state.agents[pick(agents)];
      const r = rnd();
      let input: AcdInput = { type: 'tick', at, random: rnd() };
      if (r < 0.25) input = { type: 'caller-joined', callId: `c${++calls}`, queueId: 'support', priority: pick([0, 0, 0, 5]), at, random: rnd() };
      else if (r < 0.35 && someEntry) input = { type: 'callback-requested', callId: someEntry.callId, number: '555', at };
      else if (r < 0.42 && someEntry) input = { type: 'caller-left', callId: someEntry.callId, at };
      else if (r < 0.5 && someEntry?.callback?.state === 'dialling') input = { type: pick(['callback-answered', 'callback-answered', 'callback-failed'] as const), callId: someEntry.callId, reason: 'busy', at };
      else if (r < 0.62 && agent?.status.kind === 'ringing') input = { type: pick(['agent-answered', 'agent-answered', 'agent-no-answer'] as const), agentId: agent.id, callId: agent.status.callId, at };
      else if (r < 0.72 && agent?.status.kind === 'on-call') input = { type: 'call-ended', agentId: agent.id, callId: agent.status.callId, at };
      else if (r < 0.76) input = { type: 'agent-login', agentId: pick(agents), skills: {}, at };
      else if (r < 0.79) input = { type: pick(['agent-pause', 'agent-unpause', 'agent-logout'] as const), agentId: pick(agents), reason: 'x', at };
      const before = new Map(driver.state.waiting.map((e) => [e.callId, e]));
      const commands = driver.send(input);
      check(t, commands, before, driver.state.waiting, everDialled, keys, `seed ${seed} step ${i} ${input.type}`);
      const ringing = Object.values(driver.state.agents).flatMap((a) => (a.status.kind === 'ringing' ? [a.status.callId] : []));
      for (const entry of driver.state.waiting) {
        const expected = entry.status.kind === 'ringing' ? entry.status.agentIds.length : 0;
        if (ringing.filter((c) => c === entry.callId).length !== expected) t.fail(`seed ${seed} step ${i}: ringing agents disagree for ${entry.callId}`);
      }
    }
    dialled += everDialled.size;
  }
  // The generator must actually exercise callbacks, or the property proves nothing.
  t.true(dialled > 100, `only ${dialled} callbacks dialled`);
});

// Independent of the machine's comparator, so a wrong comparator cannot hide from this check.
const isAhead = (x: WaitingEntry, y: WaitingEntry) => x.priority > y.priority || (x.priority === y.priority && (x.enteredAt < y.enteredAt || (x.enteredAt === y.enteredAt && x.seq < y.seq)));

function check(t: { fail(m: string): void }, commands: AcdCommand[], before: Map<string, WaitingEntry>, after: WaitingEntry[], everDialled: Set<string>, keys: Map<string, string>, where: string) {
  for (const c of commands) {
    if (c.type !== 'dial-callback') continue;
    if (everDialled.has(c.callId)) t.fail(`${where}: ${c.callId} dialled twice`);
    everDialled.add(c.callId);
  }
  for (const entry of after) {
    const key = `${entry.priority}/${entry.enteredAt}/${entry.seq}`;
    if (keys.has(entry.callId) && keys.get(entry.callId) !== key) t.fail(`${where}: ${entry.callId} changed its place`);
    keys.set(entry.callId, key);
  }
  const served = after.filter((e) => e.firstOfferedAt !== undefined && before.get(e.callId)?.firstOfferedAt === undefined);
  for (const entry of served) {
    const skipped = after.find((other) => other.firstOfferedAt === undefined && isAhead(other, entry));
    if (skipped) t.fail(`${where}: ${entry.kind} ${entry.callId} served before ${skipped.kind} ${skipped.callId}, which was ahead`);
  }
}
