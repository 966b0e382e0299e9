import test from 'ava';
import { createHmac } from 'node:crypto';
import { signatureOf, verifySignature } from './signature.ts';

const secret = 'whsec_test-secret';
const body = '{"id":"01JGZ","type":"call.ended","occurredAt":"2025-01-06T09:00:00.000Z","data":{"callId":"c1"}}';

test('given a secret, timestamp and body, when signed, then it equals an independent HMAC-SHA256 of "timestamp.body"', (t) => {
  const independent = createHmac('sha256', Buffer.from(secret, 'utf8')).update(Buffer.from(`1736154000.${body}`, 'utf8')).digest('hex');
  t.is(signatureOf(secret, 1736154000, body), `sha256=${independent}`);
  // A fixed vector, so a change of algorithm or input layout cannot slip through both sides at once.
  t.is(signatureOf('key', 0, 'x'), `sha256=${createHmac('sha256', 'key').update('0.x').digest('hex')}`);
});

test('given a genuine request, when verified within the window, then it passes; tampered or stale ones fail', (t) => {
  const signature = signatureOf(secret, 1000, body);
  const ok = { secret, body, timestamp: '1000', signature, nowSeconds: 1100 };
  t.true(verifySignature(ok));
  t.false(verifySignature({ ...ok, body: body.replace('c1', 'c2') }), 'body changed');
  t.false(verifySignature({ ...ok, secret: 'whsec_other' }), 'other secret');
  t.false(verifySignature({ ...ok, timestamp: '1001' }), 'timestamp changed');
  t.false(verifySignature({ ...ok, nowSeconds: 1000 + 301 }), 'replayed after the window');
  t.false(verifySignature({ ...ok, nowSeconds: 1000 - 301 }), 'from the future');
  t.true(verifySignature({ ...ok, nowSeconds: 1000 + 3_000, toleranceSeconds: 3_600 }));
  t.false(verifySignature({ ...ok, signature: undefined }));
  t.false(verifySignature({ ...ok, timestamp: undefined }));
  t.false(verifySignature({ ...ok, timestamp: '1e3' }));
  t.false(verifySignature({ ...ok, signature: signature.slice(0, -1) }));
  t.false(verifySignature({ ...ok, signature: signature.toUpperCase() }));
});
