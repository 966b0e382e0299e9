import test from 'ava';
import { SayError, sayText } from './say-text.ts';

test('given values, when said in en and zh-CN, then the text reads naturally', (t) => {
  t.is(sayText('date', '2026-12-25', 'en'), 'December 25, 2026');
  t.is(sayText('date', '2026-12-25', 'zh-CN'), '2026年12月25日');
  t.is(sayText('currency', '42.5', 'zh-CN'), '42元5角');
  t.is(sayText('currency', '42.56', 'zh-CN'), '42元5角6分');
  t.is(sayText('currency', '42', 'zh-CN'), '42元整');
  t.is(sayText('currency', '42.5', 'en'), '42 yuan and 50 fen');
  t.is(sayText('digits', '12#', 'zh-CN'), '12井号');
  t.is(sayText('digits', '12*', 'en'), '1 2 star');
});

test('given values that are not what the say asks for, when said, then a clear error', (t) => {
  t.throws(() => sayText('date', 'next tuesday', 'en'), { instanceOf: SayError, message: /not YYYY-MM-DD/ });
  t.throws(() => sayText('currency', 'lots', 'en'), { message: /not an amount/ });
  t.throws(() => sayText('digits', '12a!', 'en'), { message: /not digits/ });
  t.throws(() => sayText('date', '2026-13-01', 'zh-CN'), { message: /not a date/ });
});
