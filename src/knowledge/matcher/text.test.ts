import test from 'ava';
import { cleanText, looksChinese, MAX_QUERY_CHARS } from './text.ts';

test('given a 1 MB query, when cleaned, then it is cut to the maximum and says so', (t) => {
  const r = cleanText('refund '.repeat(150_000));
  t.true(r.truncated);
  t.true(r.text.length <= MAX_QUERY_CHARS);
  t.is(r.originalLength, 1_050_000);
});

test('given control characters, lone surrogates and odd spacing, when cleaned, then only printable text remains', (t) => {
  const r = cleanText('a\u0000b\u0007 \ud800c\u00a0\u00a0d\ufffd');
  t.is(r.text, 'a b c d');
  t.false(r.truncated);
});

test('given full-width characters, when cleaned, then NFKC folds them', (t) => {
  t.is(cleanText('ＷｉＦｉ　密码').text, 'WiFi 密码');
});

test('given a non-string, when cleaned, then it is empty text', (t) => {
  t.is(cleanText(undefined).text, '');
  t.is(cleanText(42 as unknown).text, '');
});

test('given mixed scripts, when checked, then any Han character makes it Chinese', (t) => {
  t.true(looksChinese('WiFi密码'));
  t.false(looksChinese('WiFi password'));
});
