import test from 'ava';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.ts';

const cheap = { N: 2 ** 10, r: 8, p: 1 };

test('given a hashed password, then only the same password verifies, and two hashes of it differ (salted)', async (t) => {
  const hash = await hashPassword('correct horse battery', cheap);
  t.regex(hash, /^scrypt\$1024\$8\$1\$/);
  t.false(hash.includes('correct'));
  t.true(await verifyPassword('correct horse battery', hash));
  t.false(await verifyPassword('correct horse batterY', hash));
  t.not(hash, await hashPassword('correct horse battery', cheap));
});

test('given a password in another Unicode normal form, then it still verifies', async (t) => {
  const hash = await hashPassword('caf\u00e9 au lait 密码', cheap);
  t.true(await verifyPassword('cafe\u0301 au lait 密码', hash));
});

test('given malformed or hostile stored hashes, then verification is false, never an exception or a huge allocation', async (t) => {
  for (const stored of ['', 'x', 'scrypt$', 'scrypt$1024$8$1$$', 'bcrypt$1$2$3$4$5', 'scrypt$4294967296$8$1$c2FsdHNhbHQ$aaaa', 'scrypt$1024$8$1$c2FsdHNhbHQ$short', 'scrypt$NaN$8$1$c2FsdHNhbHQ$' + 'A'.repeat(43), null as unknown as string]) {
    t.false(await verifyPassword('anything at all', stored), String(stored));
  }
});

test('given candidate passwords, then the policy names what is wrong', (t) => {
  t.is(passwordProblem('short'), 'password must have at least 12 characters');
  t.is(passwordProblem('aaaaaaaaaaaaaaaa'), 'password repeats too few different characters');
  t.is(passwordProblem('Password123'.padEnd(12, '4')), 'password is on the list of common passwords');
  t.is(passwordProblem('supervisor-anna-2026', 'anna'), 'password must not contain the user name');
  t.is(passwordProblem(42), 'password must be a string');
  t.is(passwordProblem('x'.repeat(300)), 'password must have at most 256 characters');
  t.is(passwordProblem('tea kettle on the hob'), undefined);
  t.is(passwordProblem('长城饭店的烤鸭很好吃一二三'), undefined);
});
