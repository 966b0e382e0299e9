// The delivery signature, Stripe-style: HMAC-SHA256 over "<timestamp>.<body>" with the
// subscription's secret. The timestamp is signed too, so a captured request cannot be replayed
// later than the receiver's tolerance window. See receiving-webhooks.md for receivers.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_PREFIX = 'sha256=';
/** How old a timestamp `verifySignature` accepts by default: five minutes, as Stripe does. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** `sha256=<hex>` for the `x-deskline-signature` header; `timestamp` in whole seconds. */
export function signatureOf(secret: string, timestamp: number, body: string): string {
  return SIGNATURE_PREFIX + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/**
 * What a receiver does (and what our tests do): recompute, compare in constant time, and refuse
 * timestamps outside the window. `body` must be the raw request body, not re-serialized JSON.
 */
export function verifySignature(input: {
  secret: string;
  body: string;
  timestamp: string | undefined;
  signature: string | undefined;
  /** Epoch seconds at the receiver. */
  nowSeconds: number;
  toleranceSeconds?: number;
}): boolean {
  const { secret, body, signature } = input;
  if (!input.timestamp || !/^\d{1,12}$/.test(input.timestamp) || !signature) return false;
  const timestamp = Number(input.timestamp);
  if (Math.abs(input.nowSeconds - timestamp) > (input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) return false;
  const expected = Buffer.from(signatureOf(secret, timestamp, body));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
