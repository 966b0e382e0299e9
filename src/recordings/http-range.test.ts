import test from 'ava';
import { decideRange, type RangeDecision } from './http-range.ts';

const size = 1000;
const cases: [string | undefined, RangeDecision][] = [
  [undefined, { kind: 'full' }],
  ['bytes=0-99', { kind: 'partial', start: 0, end: 99 }],
  ['bytes=0-0', { kind: 'partial', start: 0, end: 0 }],
  ['bytes=100-', { kind: 'partial', start: 100, end: 999 }],
  ['bytes=-500', { kind: 'partial', start: 500, end: 999 }],
  ['bytes=-5000', { kind: 'partial', start: 0, end: 999 }], // a suffix longer than the file is all of it
  ['bytes=900-5000', { kind: 'partial', start: 900, end: 999 }], // the end is clamped
  ['bytes=999-999', { kind: 'partial', start: 999, end: 999 }],
  ['Bytes = 10 - 19 ', { kind: 'partial', start: 10, end: 19 }],
  ['bytes=1000-', { kind: 'unsatisfiable' }],
  ['bytes=1000-1010', { kind: 'unsatisfiable' }],
  ['bytes=-0', { kind: 'unsatisfiable' }],
  ['bytes=99999999999999999999-', { kind: 'unsatisfiable' }],
  ['bytes=0-1,5-6', { kind: 'full' }], // several ranges: the whole file, as RFC 9110 allows
  ['bytes=20-10', { kind: 'full' }], // an invalid range-spec: the header is ignored
  ['bytes=abc', { kind: 'full' }],
  ['bytes=1-2-3', { kind: 'full' }],
  ['bytes=-', { kind: 'full' }],
  ['bytes=0x10-', { kind: 'full' }],
  ['items=0-10', { kind: 'full' }],
  ['', { kind: 'full' }],
];

for (const [header, expected] of cases) {
  test(`given Range ${JSON.stringify(header)} on ${size} bytes, when decided, then ${JSON.stringify(expected)}`, (t) => {
    t.deepEqual(decideRange(header, size), expected);
  });
}

test('given an empty resource, when any range is asked, then it is unsatisfiable', (t) => {
  t.deepEqual(decideRange('bytes=0-', 0), { kind: 'unsatisfiable' });
  t.deepEqual(decideRange('bytes=-10', 0), { kind: 'unsatisfiable' });
  t.deepEqual(decideRange(undefined, 0), { kind: 'full' });
});
