import test from 'ava';
import { ManualClock } from '../core/clock.ts';
import { permissionsOf } from '../auth/roles.ts';
import { startLiveEvents } from './events-module.ts';
import { watchLink, type LinkAlarm, type LinkSource } from './link-alarms.ts';

function fakeLink() {
  const connected: ((info: { reconnect: boolean; asteriskRestarted: boolean }) => void)[] = [];
  const disconnected: ((reason: string) => void)[] = [];
  const source: LinkSource = { onConnected: (h) => void connected.push(h), onDisconnected: (h) => void disconnected.push(h) };
  return {
    source,
    connect: (reconnect: boolean, asteriskRestarted: boolean) => connected.forEach((h) => h({ reconnect, asteriskRestarted })),
    drop: (reason: string) => disconnected.forEach((h) => h(reason)),
  };
}

test('given an Asterisk restart, when the socket drops and comes back to a new Asterisk, then ari-disconnected is raised, cleared with the outage length, and asterisk-restarted is raised', (t) => {
  const clock = new ManualClock(1_000);
  const link = fakeLink();
  const alarms: LinkAlarm[] = [];
  watchLink(link.source, () => clock.now(), (a) => alarms.push(a));
  link.connect(false, false);
  t.deepEqual(alarms, [], 'a first connect is no alarm');
  link.drop('closed 1006');
  clock.advance(4_250);
  link.drop('closed 1006');
  t.is(alarms.length, 1, 'raised once while the link stays down');
  link.connect(true, true);
  t.deepEqual(alarms, [
    { name: 'ari-disconnected', state: 'raised', reason: 'closed 1006', at: 1_000 },
    { name: 'ari-disconnected', state: 'cleared', downSeconds: 4.25, at: 5_250 },
    { name: 'asterisk-restarted', downSeconds: 4.25, at: 5_250 },
  ]);
});

test('given a socket drop to the same Asterisk, then only ari-disconnected is raised and cleared; given Deskline starting after Asterisk restarted, then asterisk-restarted without an outage length', (t) => {
  const clock = new ManualClock(0);
  const link = fakeLink();
  const alarms: LinkAlarm[] = [];
  watchLink(link.source, () => clock.now(), (a) => alarms.push(a));
  link.drop('missed pong');
  clock.advance(500);
  link.connect(true, false);
  t.deepEqual(alarms.map((a) => `${a.name}:${'state' in a ? a.state : ''}`), ['ari-disconnected:raised', 'ari-disconnected:cleared']);
  const fresh = fakeLink();
  const first: LinkAlarm[] = [];
  watchLink(fresh.source, () => clock.now(), (a) => first.push(a));
  fresh.connect(false, true);
  t.deepEqual(first, [{ name: 'asterisk-restarted', downSeconds: null, at: 500 }]);
});

test('given the live events hub with a link, when Asterisk restarts, then supervisors get alerts and agents do not; a throwing publisher does not reach the link', (t) => {
  const clock = new ManualClock(0);
  const link = fakeLink();
  const on = () => undefined;
  const hub = startLiveEvents({ calls: { on } as never, assist: { on } as never, link: link.source }, clock);
  const seen: { type: string; data: Record<string, unknown> }[] = [];
  hub.subscribe((e) => seen.push(e));
  link.drop('closed 1006');
  clock.advance(3_000);
  link.connect(true, true);
  t.deepEqual(seen.map((e) => [e.type, e.data.kind, e.data.state ?? null]), [['alert', 'ari-disconnected', 'raised'], ['alert', 'ari-disconnected', 'cleared'], ['alert', 'asterisk-restarted', null]]);
  const restarted = hub.publish('alert', 'alerts.read', {});
  t.true(hub.visibleTo(restarted, { permissions: permissionsOf('supervisor') }));
  t.false(hub.visibleTo(restarted, { permissions: permissionsOf('agent'), agentId: 'a1' }));
  const broken = fakeLink();
  watchLink(broken.source, () => 0, () => {
    throw new Error('publisher down');
  });
  t.notThrows(() => broken.drop('closed 1006'));
});
