// Event ids in the ULID layout: 10 characters of time (ms) then 16 of randomness, Crockford
// base32, so ids sort as strings in the order they were made. The outbox keys entries by
// subscription then event id, which makes "the next event for this subscription" the first key.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../core/clock.ts';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TIME_CHARS = 10;
const RANDOM_CHARS = 16;
const MAX_TIME = 2 ** 48 - 1;
export const EVENT_ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

function encode(value: bigint, chars: number): string {
  let out = '';
  for (let i = 0; i < chars; i++) {
    out = ALPHABET[Number(value & 31n)]! + out;
    value >>= 5n;
  }
  return out;
}

function decode(text: string): bigint {
  let value = 0n;
  for (const char of text) value = (value << 5n) | BigInt(ALPHABET.indexOf(char));
  return value;
}

export interface EventIds {
  next(): string;
  /** Makes every later id sort after `id` (e.g. the newest one still in the outbox at start). */
  floor(id: string): void;
}

/**
 * Ids from the injected clock and crypto randomness. Monotonic: within one millisecond, or when
 * the clock steps back, the previous id's randomness is incremented instead of drawn again
 * (the ULID spec's rule), so per-subscription event order always equals id order.
 */
export function eventIds(clock: Clock, random: (bytes: number) => Uint8Array = randomBytes): EventIds {
  let lastTime = -1;
  let lastRandom = 0n;
  return {
    next() {
      const now = Math.min(Math.max(0, Math.floor(clock.now())), MAX_TIME);
      if (now > lastTime) {
        lastTime = now;
        lastRandom = BigInt(`0x${Buffer.from(random(10)).toString('hex')}`);
      } else {
        lastRandom += 1n;
        // 2^80 ids in one millisecond do not happen; if they did, borrow the next millisecond.
        if (lastRandom >> 80n) {
          lastTime += 1;
          lastRandom = 0n;
        }
      }
      return encode(BigInt(lastTime), TIME_CHARS) + encode(lastRandom, RANDOM_CHARS);
    },
    floor(id) {
      if (!EVENT_ID_PATTERN.test(id)) return;
      const time = Number(decode(id.slice(0, TIME_CHARS)));
      const rand = decode(id.slice(TIME_CHARS));
      if (time > lastTime || (time === lastTime && rand > lastRandom)) {
        lastTime = time;
        lastRandom = rand;
      }
    },
  };
}

/** The time part of an event id (epoch ms). */
export function eventIdTime(id: string): number {
  return Number(decode(id.slice(0, TIME_CHARS)));
}
