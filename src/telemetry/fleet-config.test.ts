import test from 'ava';
import { z } from 'zod';
import { fleetSchema } from './fleet-config.ts';

test('given no mqtt section, when parsed, then the link is off with documented defaults', (t) => {
  t.deepEqual(fleetSchema.parse({}), {
    url: '', username: '', passwordFile: '', caFile: '', certFile: '', keyFile: '', topicPrefix: 'deskline', telemetrySeconds: 60,
    commandKey: null, commandWindowSeconds: 300, bufferMaxTelemetry: 10000, reconnectSeconds: 5,
  });
});

test('given every field, when described, then each has a description (the README settings table)', (t) => {
  const shape = (fleetSchema as unknown as { def: { in?: z.ZodObject } }).def.in ?? (fleetSchema as unknown as z.ZodObject);
  for (const [key, field] of Object.entries((shape as z.ZodObject).shape)) t.truthy((field as z.ZodType).description, key);
});

test('given bad values, when parsed, then each problem names its field', (t) => {
  const problems = (input: unknown) => fleetSchema.safeParse(input).error?.issues.map((i) => i.path.join('.')) ?? [];
  t.deepEqual(problems({ url: 'http://broker' }), ['url']);
  t.deepEqual(problems({ url: 'mqtts://broker:8883', certFile: '/c.pem' }), ['keyFile']);
  t.deepEqual(problems({ url: 'mqtt://broker', caFile: '/ca.pem' }), ['url']);
  t.deepEqual(problems({ passwordFile: '/pw' }), ['username']);
  t.deepEqual(problems({ commandKey: { kind: 'rsa', file: 'x' } }), ['commandKey.kind']);
  t.deepEqual(problems({ commandKey: { kind: 'hmac' } }), ['commandKey.file']);
  t.deepEqual(problems({ telemetrySeconds: 0 }), ['telemetrySeconds']);
  t.deepEqual(problems({ topicPrefix: 'Desk/Line' }), ['topicPrefix']);
  t.deepEqual(problems({ colour: 'red' }), ['']);
});

test('given valid settings, when parsed, then they come back as given', (t) => {
  const settings = fleetSchema.parse({ url: 'mqtts://fleet.example.com:8883', username: 'box-a', passwordFile: '/etc/deskline/mqtt.pw', caFile: '/etc/deskline/ca.pem', commandKey: { kind: 'ed25519', publicKeyFile: '/etc/deskline/fleet.pub' } });
  t.like(settings, { url: 'mqtts://fleet.example.com:8883', commandKey: { kind: 'ed25519', publicKeyFile: '/etc/deskline/fleet.pub' } });
});
