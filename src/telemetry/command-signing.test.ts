import test from 'ava';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson, generateKeys, loadSigningKey, loadVerifyingKey, signCommand, verifyCommand, type SigningKey, type VerifyingKey } from './command-signing.ts';

const base = { id: 'c-1', name: 'agent.state', args: { agentId: 'a1', state: 'paused' }, issuedAt: '2026-01-01T00:00:00.000Z', site: 'site1', appliance: 'box-a' };

async function keyFiles(kind: 'hmac' | 'ed25519'): Promise<{ signing: SigningKey; verifying: VerifyingKey }> {
  const dir = await mkdtemp(join(tmpdir(), 'fleet-keys-'));
  const keys = generateKeys(kind);
  await writeFile(join(dir, 'private'), keys.privateText, { mode: 0o600 });
  if (keys.publicText) await writeFile(join(dir, 'public.pem'), keys.publicText);
  const verifying = await loadVerifyingKey(kind === 'hmac' ? { kind, file: join(dir, 'private') } : { kind, publicKeyFile: join(dir, 'public.pem') });
  return { signing: await loadSigningKey(join(dir, 'private')), verifying };
}

for (const kind of ['hmac', 'ed25519'] as const) {
  test(`given a ${kind} key, when a command is signed, then the box verifies it and rejects any changed field`, async (t) => {
    const { signing, verifying } = await keyFiles(kind);
    const signed = signCommand(base, signing);
    t.true(verifyCommand(signed, verifying));
    t.false(verifyCommand({ ...signed, appliance: 'box-b' }, verifying), 'a command for box A is useless on box B');
    t.false(verifyCommand({ ...signed, site: 'site2' }, verifying));
    t.false(verifyCommand({ ...signed, id: 'c-2' }, verifying));
    t.false(verifyCommand({ ...signed, name: 'doctor' }, verifying));
    t.false(verifyCommand({ ...signed, issuedAt: '2026-01-01T00:00:01.000Z' }, verifying));
    t.false(verifyCommand({ ...signed, args: { agentId: 'a1', state: 'ready' } }, verifying));
    t.false(verifyCommand({ ...signed, signature: 'AAAA' }, verifying), 'a short signature is false, not a throw');
  });
}

test('given args with keys in another order, when verified, then the signature still matches (canonical form)', async (t) => {
  const { signing, verifying } = await keyFiles('hmac');
  const signed = signCommand(base, signing);
  t.true(verifyCommand({ ...signed, args: { state: 'paused', agentId: 'a1' } }, verifying));
  t.is(canonicalJson({ b: [1, { d: 1, c: 2 }], a: null }), '{"a":null,"b":[1,{"c":2,"d":1}]}');
});

test('given a key of the other kind, when verifying, then it fails', async (t) => {
  const hmac = await keyFiles('hmac');
  const ed = await keyFiles('ed25519');
  t.false(verifyCommand(signCommand(base, hmac.signing), ed.verifying));
  t.false(verifyCommand(signCommand(base, ed.signing), hmac.verifying));
});

test('given a shared secret readable by others or too short, when loaded, then it is refused with a code', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'fleet-keys-'));
  await writeFile(join(dir, 'open'), 'x'.repeat(40), { mode: 0o644 });
  await chmod(join(dir, 'open'), 0o644);
  await t.throwsAsync(loadVerifyingKey({ kind: 'hmac', file: join(dir, 'open') }), { instanceOf: Error, message: /chmod 600/ });
  await writeFile(join(dir, 'short'), 'secret', { mode: 0o600 });
  const error = await t.throwsAsync(loadVerifyingKey({ kind: 'hmac', file: join(dir, 'short') }));
  t.is((error as { code?: string }).code, 'FLEET_KEY_INVALID');
  const missing = await t.throwsAsync(loadVerifyingKey({ kind: 'ed25519', publicKeyFile: join(dir, 'nope.pem') }));
  t.is((missing as { code?: string }).code, 'FLEET_KEY_UNREADABLE');
});
