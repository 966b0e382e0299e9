import test from 'ava';
import { findString, indexStrings, packedCount, packStrings, stringAt } from './packed-strings.ts';

const AWKWARD = ['w:refund', '', 'c:<ab>', '退款', '😀👨‍👩‍👧', '\ud800', 'a\udc00b', 'x'.repeat(10_000), 'w:refund_now', 'W:REFUND'];

test('given strings of any kind, when packed, then each comes back exactly', (t) => {
  const packed = packStrings(AWKWARD);
  t.is(packedCount(packed), AWKWARD.length);
  t.deepEqual(AWKWARD.map((_, i) => stringAt(packed, i)), AWKWARD);
  t.is(stringAt(packed, AWKWARD.length), '');
});

test('given an index of distinct strings, when looked up, then each is found at its place and others are not', (t) => {
  const packed = packStrings(AWKWARD);
  const index = indexStrings(packed);
  AWKWARD.forEach((s, i) => t.is(findString(packed, index, s), i, JSON.stringify(s.slice(0, 20))));
  for (const missing of ['w:refun', 'w:refund ', 'x'.repeat(9_999), '\ud801', '退']) t.is(findString(packed, index, missing), -1);
});

test('given many strings, when indexed, then lookups agree with a Map', (t) => {
  const strings = Array.from({ length: 20_000 }, (_, i) => `c:${(i * 7919).toString(36)}`);
  const packed = packStrings(strings);
  const index = indexStrings(packed);
  const map = new Map(strings.map((s, i) => [s, i]));
  for (let i = 0; i < 40_000; i += 7) {
    const s = `c:${(i * 7919).toString(36)}`;
    t.is(findString(packed, index, s), map.get(s) ?? -1);
  }
});

test('given no strings, when indexed, then nothing is found', (t) => {
  const packed = packStrings([]);
  t.is(findString(packed, indexStrings(packed), ''), -1);
});
