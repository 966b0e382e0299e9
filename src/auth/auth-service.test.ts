import test from 'ava';
import { AuthError } from './auth-errors.ts';
import { authHarness, TEST_PASSWORD } from './testing-auth.ts';

const code = (e: unknown) => (e as AuthError).code;

test('given a user, when they log in, then a session with its own CSRF token is made and audited; each login gets a new id (no fixation)', async (t) => {
  const { auth, audited } = authHarness();
  await auth.users.create({ username: 'anna', password: TEST_PASSWORD, role: 'supervisor' });
  const first = await auth.login('Anna', TEST_PASSWORD, '10.0.0.5');
  const second = await auth.login('anna', TEST_PASSWORD, '10.0.0.5');
  t.not(first.sessionId, second.sessionId);
  const me = await auth.fromSession(first.sessionId);
  t.like(me, { kind: 'session', username: 'anna', role: 'supervisor', csrf: first.session.csrf });
  t.true(me!.permissions.has('recordings.listen'));
  t.false(me!.permissions.has('users.write'));
  t.deepEqual(audited.map((a) => a.action), ['auth.login', 'auth.login']);
  await auth.logout(first.sessionId, 'anna');
  t.is(await auth.fromSession(first.sessionId), undefined);
  t.truthy(await auth.fromSession(second.sessionId));
});

test('given wrong passwords, when five fail, then the name is locked for 15 minutes (even with the right password), audited, and unlocks on the clock', async (t) => {
  const { auth, clock, audited } = authHarness();
  await auth.users.create({ username: 'bob', password: TEST_PASSWORD, role: 'agent' });
  for (let i = 0; i < 5; i++) await t.throwsAsync(auth.login('bob', 'not the password', '10.0.0.9'), { instanceOf: AuthError, message: 'wrong user name or password' });
  const locked = await t.throwsAsync(auth.login('bob', TEST_PASSWORD, '10.0.0.9'));
  t.is(code(locked), 'LOCKED_OUT');
  t.true(audited.some((a) => a.action === 'auth.lockout' && a.target === 'bob'));
  clock.advance(15 * 60_000);
  t.truthy(await auth.login('bob', TEST_PASSWORD, '10.0.0.9'));
});

test('given an unknown user or a disabled one, when logging in, then the answer is the same as for a wrong password', async (t) => {
  const { auth } = authHarness();
  await auth.users.create({ username: 'carl', password: TEST_PASSWORD, role: 'agent' });
  await auth.users.update('carl', { disabled: true });
  for (const [name, password] of [['nobody', TEST_PASSWORD], ['carl', TEST_PASSWORD], ['', ''], [{}, []]] as const) {
    const e = await t.throwsAsync(auth.login(name, password, '10.0.0.1'));
    t.is(code(e), 'UNAUTHENTICATED');
    t.is(e!.message, 'wrong user name or password');
  }
});

test('given sessions, when the password changes or the user is disabled, or the session idles 12 h, then they end', async (t) => {
  const { auth, clock } = authHarness();
  await auth.users.create({ username: 'dora', password: TEST_PASSWORD, role: 'admin' });
  const a = await auth.login('dora', TEST_PASSWORD, 'x');
  clock.advance(1000);
  await auth.users.update('dora', { password: 'a brand new passphrase' });
  t.is(await auth.fromSession(a.sessionId), undefined, 'password change ends older sessions');
  clock.advance(1000);
  const b = await auth.login('dora', 'a brand new passphrase', 'x');
  t.truthy(await auth.fromSession(b.sessionId));
  clock.advance(12 * 3_600_000);
  t.is(await auth.fromSession(b.sessionId), undefined, 'idle');
  const c = await auth.login('dora', 'a brand new passphrase', 'x');
  await auth.users.update('dora', { disabled: true });
  t.is(await auth.fromSession(c.sessionId), undefined, 'disabled');
  t.is(await auth.fromSession('x'.repeat(43)), undefined);
  t.is(await auth.fromSession(42 as unknown as string), undefined);
});

test('given an API token, then it works with its scopes cut to its owner\'s role, and not once revoked, expired, or its owner disabled', async (t) => {
  const { auth, clock } = authHarness();
  await auth.users.create({ username: 'erin', password: TEST_PASSWORD, role: 'supervisor' });
  const { token, stored } = await auth.tokens.create({ name: 'crm', scopes: ['calls.read', 'users.write'], owner: 'erin', expiresAt: clock.now() + 86_400_000 }, clock.now());
  t.regex(token, /^dkl_[A-Za-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
  // The secret is the 43 characters after "dkl_<12-char id>_"; it may itself contain '_'.
  t.false(JSON.stringify(stored).includes(token.slice('dkl_'.length + 13)), 'the secret is not stored');
  const p = await auth.fromToken(token);
  t.deepEqual([...p!.permissions], ['calls.read'], 'users.write is beyond a supervisor');
  t.is(await auth.fromToken(token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A')), undefined, 'wrong secret');
  clock.advance(86_400_000);
  t.is(await auth.fromToken(token), undefined, 'expired');
  const second = await auth.tokens.create({ name: 'crm2', scopes: ['calls.read'], owner: 'erin' }, clock.now());
  t.truthy(await auth.fromToken(second.token));
  await auth.tokens.revoke(second.stored.id, clock.now());
  t.is(await auth.fromToken(second.token), undefined, 'revoked');
  const third = await auth.tokens.create({ name: 'crm3', scopes: ['calls.read'], owner: 'erin' }, clock.now());
  await auth.users.update('erin', { disabled: true });
  t.is(await auth.fromToken(third.token), undefined, 'owner disabled');
  await t.throwsAsync(auth.tokens.create({ name: 'bad', scopes: ['calls.delete-everything'], owner: 'erin' }, clock.now()), { message: /unknown scopes/ });
});

test('given a fresh appliance, when the first admin is ensured, then one admin with a random password exists, once', async (t) => {
  const { auth } = authHarness();
  const first = await auth.ensureFirstAdmin();
  t.truthy(first);
  t.true(first!.password.length >= 20);
  t.truthy(await auth.login('admin', first!.password, 'x'));
  t.is(await auth.ensureFirstAdmin(), undefined);
});

test('given bad user input, then the error names the field', async (t) => {
  const { auth } = authHarness();
  for (const [input, field] of [
    [{ username: 'Bad Name', password: TEST_PASSWORD, role: 'agent' }, 'username'],
    [{ username: 'ok', password: TEST_PASSWORD, role: 'root' }, 'role'],
    [{ username: 'ok', password: 'short', role: 'agent' }, 'password'],
  ] as const) {
    const e = await t.throwsAsync(auth.users.create(input as never));
    t.deepEqual((e as AuthError).details, { field });
  }
  await auth.users.create({ username: 'fay', password: TEST_PASSWORD, role: 'agent' });
  t.is(code(await t.throwsAsync(auth.users.create({ username: 'fay', password: TEST_PASSWORD, role: 'agent' }))), 'USER_EXISTS');
  t.is(code(await t.throwsAsync(auth.users.update('fay', { displayName: 'F' }, 7))), 'REVISION_MISMATCH');
});
