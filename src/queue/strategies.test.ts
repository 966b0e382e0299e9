import test from 'ava';
import { Driver, queueConfig, rings } from './test-acd.ts';
import type { AcdCommand, Strategy } from './queue-types.ts';

// One scripted day for every strategy: agents a (s:2), b (s:5), c (s:3) log in at 0, 1 and 2 s.
// Caller k joins at 10·k s; the first agent rung answers 1 s later; calls last these seconds.
const durations = [45, 5, 25, 5, 4, 5];

function distribute(strategy: Strategy, draws: number[] = []) {
  const driver = new Driver([queueConfig({ strategy, requiredSkills: strategy === 'skills-based' ? [{ skill: 's', minLevel: 1 }] : [] })]);
  driver.send({ type: 'agent-login', agentId: 'a', skills: { s: 2 }, at: 0 });
  driver.send({ type: 'agent-login', agentId: 'b', skills: { s: 5 }, at: 1000 });
  driver.send({ type: 'agent-login', agentId: 'c', skills: { s: 3 }, at: 2000 });
  type Event = { at: number; run: () => AcdCommand[] };
  const events: Event[] = durations.map((_, i) => ({ at: (i + 1) * 10_000, run: () => driver.send({ type: 'caller-joined', callId: `c${i + 1}`, queueId: 'support', at: (i + 1) * 10_000, random: draws[i] ?? 0 }) }));
  const rung: Record<string, string[]> = {};
  const answeredBy: string[] = [];
  while (events.length > 0) {
    events.sort((x, y) => x.at - y.at);
    const event = events.shift()!;
    for (const command of event.run()) {
      if (command.type !== 'ring-agent') continue;
      const { callId, agentId } = command;
      if (rung[callId]) {
        rung[callId].push(agentId);
        continue;
      }
      rung[callId] = [agentId];
      const at = event.at + 1000;
      const end = at + durations[Number(callId.slice(1)) - 1]! * 1000;
      events.push({ at, run: () => (answeredBy.push(agentId), driver.send({ type: 'agent-answered', agentId, callId, at })) });
      events.push({ at: end, run: () => driver.send({ type: 'call-ended', agentId, callId, at: end }) });
    }
  }
  return { answeredBy, rung, driver };
}

test('given the scripted day, when longest-idle distributes, then the agent idle longest takes each call', (t) => {
  t.deepEqual(distribute('longest-idle').answeredBy, ['a', 'b', 'c', 'b', 'b', 'b']);
});

test('given the scripted day, when round-robin distributes, then it continues after the last agent rung and wraps', (t) => {
  t.deepEqual(distribute('round-robin').answeredBy, ['a', 'b', 'c', 'b', 'b', 'c']);
});

test('given the scripted day, when fewest-calls distributes, then the agent with fewest calls wins, idle time breaking ties', (t) => {
  t.deepEqual(distribute('fewest-calls').answeredBy, ['a', 'b', 'c', 'b', 'b', 'a']);
});

test('given the scripted day, when skills-based distributes, then the highest level free agent takes each call', (t) => {
  t.deepEqual(distribute('skills-based').answeredBy, ['b', 'c', 'c', 'a', 'a', 'b']);
});

test('given the scripted day and injected draws, when random distributes, then floor(draw × free agents) by id is chosen', (t) => {
  t.deepEqual(distribute('random', [0.9, 0.1, 0.5, 0, 0.99, 0.4]).answeredBy, ['c', 'a', 'b', 'a', 'a', 'b']);
  t.deepEqual(distribute('random', [0, 0, 0, 0, 0, 0]).answeredBy, ['a', 'b', 'b', 'c', 'c', 'a']);
});

test('given the scripted day, when ring-all distributes, then every free agent rings and the others stop when one answers', (t) => {
  const { rung, answeredBy, driver } = distribute('ring-all');
  t.deepEqual(rung, { c1: ['a', 'b', 'c'], c2: ['b', 'c'], c3: ['b', 'c'], c4: ['c'], c5: ['c'], c6: ['a', 'b', 'c'] });
  t.deepEqual(answeredBy, ['a', 'b', 'b', 'c', 'c', 'a']);
  const stops = driver.commands.flatMap((c) => (c.type === 'stop-ringing' ? [`${c.callId}>${c.agentId}`] : []));
  t.deepEqual(stops, ['c1>b', 'c1>c', 'c2>c', 'c3>c', 'c6>b', 'c6>c']);
  t.true(Object.values(driver.state.agents).every((a) => a.status.kind === 'available'));
});

test('given an agent qualified for two queues, when both have callers, then the caller ranking first across queues gets the agent', (t) => {
  const driver = new Driver([queueConfig({ id: 'sales' }), queueConfig({ id: 'support' })]);
  driver.login(0, ['a']);
  driver.join(200, 'first', 'support');
  driver.send({ type: 'agent-answered', agentId: 'a', callId: 'first', at: 201 });
  driver.join(300, 's1', 'sales');
  driver.join(400, 'p1', 'support', 1);
  driver.join(500, 's2', 'sales', 1);
  const after = driver.send({ type: 'call-ended', agentId: 'a', callId: 'first', at: 1000 });
  t.deepEqual(rings(after), ['p1>a']);
  t.deepEqual(driver.state.waiting.filter((e) => e.status.kind === 'waiting').map((e) => e.callId), ['s1', 's2']);
});
