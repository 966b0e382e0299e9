import test from 'ava';
import { stem } from './stem.ts';

test('given inflected forms, when stemmed, then they meet', (t) => {
  t.is(stem('refunds'), stem('refund'));
  t.is(stem('refunded'), stem('refund'));
  t.is(stem('refunding'), stem('refund'));
  t.is(stem('charges'), stem('charged'));
  t.is(stem('replied'), stem('reply'));
  t.is(stem('cancellation'), stem('cancellate'));
});

test('given short words, numbers and non-ASCII, when stemmed, then they are left alone', (t) => {
  t.is(stem('is'), 'is');
  t.is(stem('bus'), 'bus');
  t.is(stem('4g'), '4g');
  t.is(stem('café'), 'café');
});
