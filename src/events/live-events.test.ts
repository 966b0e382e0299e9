import test from 'ava';
import { permissionsOf, type Role } from '../auth/roles.ts';
import { LiveEvents, type LiveEvent } from './live-events.ts';

const as = (role: Role, agentId?: string) => ({ permissions: permissionsOf(role), ...(agentId ? { agentId } : {}) });

test('given events of several kinds, then each role sees what its permissions allow, and an agent only their own call\'s assist events', (t) => {
  const hub = new LiveEvents({ now: () => 1 });
  const started = hub.publish('call.started', 'calls.read', { callId: 'c1' }, 'c1');
  hub.publish('call.agent-connected', 'calls.read', { agentId: 'a1' }, 'c1');
  const mine = hub.publish('assist.suggestions', 'assist.use', { suggestions: [] }, 'c1');
  const theirs = hub.publish('assist.suggestions', 'assist.use', { suggestions: [] }, 'c2');
  const alert = hub.publish('alert', 'alerts.read', { phrase: 'lawyer' }, 'c1');
  const see = (p: ReturnType<typeof as>, e: LiveEvent) => hub.visibleTo(e, p);
  t.deepEqual([started, mine, theirs, alert].map((e) => see(as('supervisor'), e)), [true, true, true, true]);
  t.deepEqual([started, mine, theirs, alert].map((e) => see(as('agent', 'a1'), e)), [false, true, false, false]);
  t.deepEqual([started, mine, theirs, alert].map((e) => see(as('agent'), e)), [false, false, false, false], 'an agent login without an agent id');
  t.deepEqual([started, mine, theirs, alert].map((e) => see(as('technician'), e)), [false, false, false, false]);
  hub.publish('call.ended', 'calls.read', {}, 'c1');
  t.false(see(as('agent', 'a1'), mine), 'the call is over: its agent link is gone');
});

test('given a reconnecting subscriber, when it gives the last event id, then it gets what it missed, then live events; a throwing subscriber does not stop others', (t) => {
  const hub = new LiveEvents({ now: () => 1, keep: 3 });
  for (let i = 0; i < 5; i++) hub.publish('queue.stats', 'queues.read', { i });
  const got: number[] = [];
  hub.subscribe(() => {
    throw new Error('broken');
  });
  const stop = hub.subscribe((e) => got.push(e.id), 2);
  t.deepEqual(got, [3, 4, 5], 'only what is still kept');
  hub.publish('queue.stats', 'queues.read', {});
  t.deepEqual(got, [3, 4, 5, 6]);
  stop();
  hub.publish('queue.stats', 'queues.read', {});
  t.is(got.length, 4);
  t.is(hub.subscribers, 1);
});

test('given an agent state event, then that agent sees it without agents.read, and another agent does not', (t) => {
  const hub = new LiveEvents({ now: () => 0 });
  const event = hub.publish('agent.state', 'agents.read', { agentId: 'a1', from: 'available', to: 'ringing' }, undefined, 'a1');
  t.true(hub.visibleTo(event, as('agent', 'a1')));
  t.false(hub.visibleTo(event, as('agent', 'a2')));
  t.true(hub.visibleTo(event, as('supervisor')));
  t.false(hub.visibleTo(event, { permissions: new Set(), agentId: 'a1' }), 'not without events.subscribe');
});
