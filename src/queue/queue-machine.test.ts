import test from 'ava';
import { Driver, queueConfig, rings } from './test-acd.ts';

test('given a caller needing level 3 and only a level-1 agent, when ticks pass, then the agent is rung exactly at the 60 s relaxation', (t) => {
  const driver = new Driver([queueConfig({ requiredSkills: [{ skill: 'sales', minLevel: 3 }], relaxation: [{ afterSeconds: 60, minLevel: 1 }] })]);
  driver.login(0, ['junior', { sales: 1 }]);
  t.deepEqual(rings(driver.join(1000, 'c1')), []);
  t.deepEqual(rings(driver.send({ type: 'tick', at: 60_999 })), []);
  t.deepEqual(rings(driver.send({ type: 'tick', at: 61_000 })), ['c1>junior']);
});

test('given a relaxation step for one skill, when it applies, then other required skills keep their level', (t) => {
  const driver = new Driver([queueConfig({
    requiredSkills: [{ skill: 'sales', minLevel: 3 }, { skill: 'french', minLevel: 2 }],
    relaxation: [{ afterSeconds: 30, minLevel: 1, skill: 'sales' }],
  })]);
  driver.login(0, ['monolingual', { sales: 5, french: 1 }], ['francophone', { sales: 1, french: 4 }]);
  driver.join(0, 'c1');
  t.deepEqual(rings(driver.send({ type: 'tick', at: 29_999 })), []);
  t.deepEqual(rings(driver.send({ type: 'tick', at: 30_000 })), ['c1>francophone']);
});

test('given a busy agent and callers of mixed priority, when the agent frees up, then higher priority goes first, then earlier arrival', (t) => {
  const driver = new Driver([queueConfig()]);
  driver.login(0, ['a']);
  driver.join(1, 'busy');
  driver.send({ type: 'agent-answered', agentId: 'a', callId: 'busy', at: 2 });
  driver.join(10, 'low-early', 'support', 0);
  driver.join(20, 'vip-late', 'support', 5);
  driver.join(30, 'low-late', 'support', 0);
  driver.join(40, 'vip-later', 'support', 5);
  const order: string[] = [];
  let callId = 'busy';
  for (let at = 100; at < 600; at += 100) {
    const [next] = rings(driver.send({ type: 'call-ended', agentId: 'a', callId, at }));
    if (!next) break;
    callId = next.split('>')[0]!;
    order.push(callId);
    driver.send({ type: 'agent-answered', agentId: 'a', callId, at: at + 1 });
  }
  t.deepEqual(order, ['vip-late', 'vip-later', 'low-early', 'low-late']);
});

test('given a ringing agent, when the ring timeout passes, then ringing stops and the next agent is rung', (t) => {
  const driver = new Driver([queueConfig({ ringTimeoutSeconds: 15 })]);
  driver.login(0, ['a'], ['b']);
  t.deepEqual(rings(driver.join(1000, 'c1')), ['c1>a']);
  t.deepEqual(driver.send({ type: 'tick', at: 15_999 }), []);
  const commands = driver.send({ type: 'tick', at: 16_000 });
  t.deepEqual(commands, [
    { type: 'stop-ringing', agentId: 'a', callId: 'c1' },
    { type: 'ring-agent', agentId: 'b', callId: 'c1', queueId: 'support', timeoutSeconds: 15 },
  ]);
  t.is(driver.state.agents.a!.consecutiveMisses, 1);
});

test('given auto-pause after 2 misses, when one agent misses twice in a row, then it is paused for missed calls and the call rings on', (t) => {
  const driver = new Driver([queueConfig({ autoPauseAfterMisses: 2 })]);
  driver.login(0, ['a'], ['b']);
  driver.join(1000, 'c1');
  driver.send({ type: 'agent-no-answer', agentId: 'a', callId: 'c1', at: 2000 });
  t.deepEqual(rings(driver.send({ type: 'agent-no-answer', agentId: 'b', callId: 'c1', at: 3000 })), ['c1>a']);
  const commands = driver.send({ type: 'tick', at: 18_000 });
  t.deepEqual(driver.state.agents.a!.status, { kind: 'paused', reason: 'missed-calls' });
  t.deepEqual(rings(commands), ['c1>b']);
  t.true(driver.trail.some((e) => e.type === 'agent-state' && e.agentId === 'a' && e.to === 'paused' && e.reason === 'missed-calls' && e.at === 18_000));
  driver.send({ type: 'agent-answered', agentId: 'b', callId: 'c1', at: 19_000 });
  t.is(driver.state.agents.b!.consecutiveMisses, 0);
});

test('given a wrap-up of 30 s, when a call ends and a caller waits, then the agent is rung only once wrap-up is over', (t) => {
  const driver = new Driver([queueConfig({ wrapUpSeconds: 30 })]);
  driver.login(0, ['a']);
  driver.join(1000, 'c1');
  driver.handle('a', 'c1', 2000, 10_000);
  t.deepEqual(driver.state.agents.a!.status, { kind: 'wrap-up', until: 40_000 });
  t.deepEqual(rings(driver.join(12_000, 'c2')), []);
  t.deepEqual(rings(driver.send({ type: 'tick', at: 39_999 })), []);
  t.deepEqual(rings(driver.send({ type: 'tick', at: 40_000 })), ['c2>a']);
  t.like(driver.state.agents.a, { callsTaken: 1, lastCallEndedAt: 10_000 });
});

test('given a pause asked for during a call, when the call and wrap-up end, then the agent is paused instead of rung', (t) => {
  const driver = new Driver([queueConfig({ wrapUpSeconds: 5 })]);
  driver.login(0, ['a'], ['b']);
  driver.join(1000, 'c1');
  driver.send({ type: 'agent-answered', agentId: 'a', callId: 'c1', at: 1500 });
  driver.send({ type: 'agent-pause', agentId: 'a', reason: 'break', at: 2000 });
  t.is(driver.state.agents.a!.status.kind, 'on-call');
  driver.send({ type: 'call-ended', agentId: 'a', callId: 'c1', at: 3000 });
  driver.send({ type: 'tick', at: 8000 });
  t.deepEqual(driver.state.agents.a!.status, { kind: 'paused', reason: 'break' });
});

test('given max wait 120 s and no free agent, when 120 s pass, then the caller overflows to the configured target', (t) => {
  const driver = new Driver([queueConfig({ maxWaitSeconds: 120, overflow: { kind: 'queue', queueId: 'backup' } })]);
  driver.login(0, ['a']);
  driver.join(0, 'busy');
  driver.send({ type: 'agent-answered', agentId: 'a', callId: 'busy', at: 1 });
  driver.join(1000, 'c1');
  t.deepEqual(driver.send({ type: 'tick', at: 120_999 }), []);
  t.deepEqual(driver.send({ type: 'tick', at: 121_000 }), [{ type: 'overflow', callId: 'c1', queueId: 'support', target: { kind: 'queue', queueId: 'backup' }, reason: 'max-wait' }]);
  t.deepEqual(driver.state.waiting, []);
  t.like(driver.trail.at(-1), { type: 'overflowed', callId: 'c1', waitSeconds: 120 });
});

test('given a full queue or no staffed agent, when a caller joins, then it overflows at once with the reason', (t) => {
  const driver = new Driver([queueConfig({ maxLength: 1 })]);
  t.like(driver.join(0, 'nobody')[0], { type: 'overflow', reason: 'no-agents' });
  driver.login(0, ['a']);
  driver.send({ type: 'agent-pause', agentId: 'a', reason: 'lunch', at: 1 });
  t.like(driver.join(2, 'all-paused')[0], { type: 'overflow', reason: 'no-agents' });
  driver.send({ type: 'agent-unpause', agentId: 'a', at: 3 });
  t.deepEqual(rings(driver.join(4, 'c1')), ['c1>a']);
  t.like(driver.join(5, 'c2')[0], { type: 'overflow', callId: 'c2', reason: 'full' });
});

test('given a caller ringing an agent, when the caller hangs up, then ringing stops and the abandon is recorded with its wait', (t) => {
  const driver = new Driver([queueConfig()]);
  driver.login(0, ['a']);
  driver.join(1000, 'c1');
  const commands = driver.send({ type: 'caller-left', callId: 'c1', at: 8500 });
  t.deepEqual(commands, [{ type: 'stop-ringing', agentId: 'a', callId: 'c1' }]);
  t.like(driver.trail.find((e) => e.type === 'abandoned'), { callId: 'c1', queueId: 'support', waitSeconds: 7.5, at: 8500 });
  t.is(driver.state.agents.a!.status.kind, 'available');
  t.is(driver.state.agents.a!.consecutiveMisses, 0);
});

test('given announcements every 30 s, when ticks pass, then waiting callers hear their position and estimated wait', (t) => {
  const driver = new Driver([queueConfig({ announceEverySeconds: 30 })]);
  driver.login(0, ['a']);
  driver.join(0, 'busy');
  driver.send({ type: 'agent-answered', agentId: 'a', callId: 'busy', at: 1 });
  driver.join(1000, 'c1');
  driver.join(2000, 'c2');
  t.deepEqual(driver.send({ type: 'tick', at: 31_000 }), [{ type: 'announce-position', callId: 'c1', position: 1, ewt: { kind: 'more-than', minutes: 3 } }]);
  t.deepEqual(driver.send({ type: 'tick', at: 32_000 }).map((c) => c.type === 'announce-position' && c.position), [2]);
  t.deepEqual(driver.send({ type: 'tick', at: 33_000 }), []);
});

test('given a stale answer for a call the agent is not ringing for, when it arrives, then nothing connects', (t) => {
  const driver = new Driver([queueConfig()]);
  driver.login(0, ['a'], ['b']);
  driver.join(0, 'c1');
  t.deepEqual(driver.send({ type: 'agent-answered', agentId: 'b', callId: 'c1', at: 5 }), []);
  t.is(driver.trail.at(-1)!.type, 'stale');
  t.is(driver.state.waiting[0]!.status.kind, 'ringing');
});

test('given a caller no agent qualifies for, when an admin raises the agent\'s skill, then the caller is offered at once; a queue somebody waits in stays until served', (t) => {
  const driver = new Driver([queueConfig({ requiredSkills: [{ skill: 'sales', minLevel: 3 }] })]);
  driver.login(0, ['senior', { sales: 5 }], ['junior', { sales: 1 }]);
  t.deepEqual(rings(driver.join(10, 'busy')), ['busy>senior']);
  driver.send({ type: 'agent-answered', agentId: 'senior', callId: 'busy', at: 20 });
  t.deepEqual(rings(driver.join(1000, 'c1')), []);
  t.deepEqual(rings(driver.send({ type: 'reconfigured', queues: [queueConfig({ requiredSkills: [{ skill: 'sales', minLevel: 3 }] })], skills: { junior: { sales: 4 } }, at: 2000 })), ['c1>junior']);
  // Removing the queue while c1 waits keeps it (the executor refuses such edits; the machine is safe anyway).
  driver.send({ type: 'reconfigured', queues: [], skills: {}, at: 3000 });
  t.deepEqual(Object.keys(driver.state.queues), ['support']);
});

test('given a preview call placed for one agent, when several agents are free, then only that agent is rung, ahead of waiting callers, and a miss ends it', (t) => {
  const driver = new Driver([queueConfig({ callbackMode: 'customer-first' })]);
  driver.login(0, ['a'], ['b']);
  driver.send({ type: 'agent-pause', agentId: 'b', reason: 'campaign-preview', at: 1 });
  t.deepEqual(rings(driver.join(5, 'waiting-caller')), ['waiting-caller>a']);
  t.deepEqual(rings(driver.send({ type: 'preview-placed', callId: 'p1', queueId: 'support', agentId: 'b', number: '5551000', at: 6 })), [], 'b is paused: nothing rings yet');
  driver.join(6, 'earlier-caller-still-waiting');
  const afterUnpause = driver.send({ type: 'agent-unpause', agentId: 'b', at: 7 });
  t.deepEqual(rings(afterUnpause), ['p1>b'], 'agent-first: the agent is rung (before a waiting caller), no customer is dialled yet');
  t.false(afterUnpause.some((c) => c.type === 'dial-callback'));
  const missed = driver.send({ type: 'agent-no-answer', agentId: 'b', callId: 'p1', at: 8 });
  t.true(driver.trail.some((e) => e.type === 'preview-missed' && e.callId === 'p1'));
  t.deepEqual(rings(missed), ['earlier-caller-still-waiting>b'], 'the preview is never offered to anyone else; b, free again, takes the waiting caller');
  t.false(driver.state.waiting.some((e) => e.callId === 'p1'));
});

test('given a preview call waiting for its busy agent, when the agent logs out, then the call is cancelled', (t) => {
  const driver = new Driver([queueConfig()]);
  driver.login(0, ['a']);
  driver.join(1, 'c1');
  driver.send({ type: 'agent-answered', agentId: 'a', callId: 'c1', at: 2 });
  driver.send({ type: 'preview-placed', callId: 'p1', queueId: 'support', agentId: 'a', number: '5551000', at: 3 });
  driver.send({ type: 'agent-logout', agentId: 'a', at: 4 });
  t.true(driver.trail.some((e) => e.type === 'preview-cancelled' && e.callId === 'p1'));
  t.false(driver.state.waiting.some((e) => e.callId === 'p1'));
});
