// Remote-command signatures. The broker ACL alone is not enough: whoever controls the broker
// could publish on cmd/. So every command is signed by the fleet operator over a canonical form
// that names the site and appliance, which makes a command for box A useless on box B.
import { createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { FleetError } from './errors.ts';
import type { CommandKeySettings } from './fleet-config.ts';

/** A command as it travels on {prefix}/{site}/{appliance}/cmd/{name}. */
export interface SignedCommand {
  id: string;
  name: string;
  args: unknown;
  /** ISO 8601; the box accepts it within commandWindowSeconds of its own clock. */
  issuedAt: string;
  /** Not signed separately: they are inside the signed canonical form; here so a box can say "wrong box". */
  site: string;
  appliance: string;
  signature: string;
}

/** JSON with object keys sorted at every depth, so signer and box serialize args identically. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The bytes that are signed. The version tag lets the scheme change without ambiguity. */
export function signedBytes(command: Omit<SignedCommand, 'signature'>): Buffer {
  return Buffer.from(
    canonicalJson(['deskline-cmd-v1', command.site, command.appliance, command.id, command.name, command.issuedAt, canonicalJson(command.args ?? null)]),
    'utf8',
  );
}

/** The operator's side: an HMAC secret or an Ed25519 private key. */
export type SigningKey = { kind: 'hmac'; secret: Buffer } | { kind: 'ed25519'; privateKey: KeyObject };
/** The box's side: the same HMAC secret, or only the Ed25519 public key. */
export type VerifyingKey = { kind: 'hmac'; secret: Buffer } | { kind: 'ed25519'; publicKey: KeyObject };

export function signCommand(command: Omit<SignedCommand, 'signature'>, key: SigningKey): SignedCommand {
  const bytes = signedBytes(command);
  const signature = key.kind === 'hmac' ? createHmac('sha256', key.secret).update(bytes).digest() : sign(null, bytes, key.privateKey);
  return { ...command, signature: signature.toString('base64') };
}

export function verifyCommand(command: SignedCommand, key: VerifyingKey): boolean {
  const given = Buffer.from(command.signature, 'base64');
  const bytes = signedBytes(command);
  if (key.kind === 'hmac') {
    const expected = createHmac('sha256', key.secret).update(bytes).digest();
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
  try {
    return verify(null, bytes, key.publicKey, given);
  } catch {
    return false; // a signature of the wrong length throws instead of returning false
  }
}

const minSecretBytes = 32;

async function readKeyFile(path: string, secret: boolean): Promise<Buffer> {
  let text: Buffer;
  try {
    text = await readFile(path);
    // A shared secret or private key readable by others is as good as published.
    if (secret && ((await stat(path)).mode & 0o077) !== 0) {
      throw new FleetError('FLEET_FILE_MODE', `${path} is readable by group or others: chmod 600 ${path}`);
    }
  } catch (error) {
    if (error instanceof FleetError) throw error;
    throw new FleetError('FLEET_KEY_UNREADABLE', `cannot read the command key ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
  return text;
}

function hmacSecret(text: Buffer, path: string): Buffer {
  const secret = Buffer.from(text.toString('utf8').trim(), 'utf8');
  if (secret.length < minSecretBytes) throw new FleetError('FLEET_KEY_INVALID', `the shared secret in ${path} is shorter than ${minSecretBytes} characters (make one with deskline fleet keygen --hmac)`);
  return secret;
}

/** The box's key from the site file's mqtt.commandKey. */
export async function loadVerifyingKey(settings: CommandKeySettings): Promise<VerifyingKey> {
  if (settings.kind === 'hmac') return { kind: 'hmac', secret: hmacSecret(await readKeyFile(settings.file, true), settings.file) };
  const pem = await readKeyFile(settings.publicKeyFile, false);
  try {
    const publicKey = createPublicKey(pem);
    if (publicKey.asymmetricKeyType !== 'ed25519') throw new Error(`a ${publicKey.asymmetricKeyType} key`);
    return { kind: 'ed25519', publicKey };
  } catch (error) {
    throw new FleetError('FLEET_KEY_INVALID', `${settings.publicKeyFile} is not an Ed25519 public key (PEM): ${(error as Error).message}`, { cause: error });
  }
}

/** The operator's key file: an Ed25519 private key (PEM) or a shared secret, told apart by content. */
export async function loadSigningKey(path: string): Promise<SigningKey> {
  const text = await readKeyFile(path, true);
  if (!text.toString('utf8').includes('-----BEGIN')) return { kind: 'hmac', secret: hmacSecret(text, path) };
  try {
    const privateKey = createPrivateKey(text);
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`a ${privateKey.asymmetricKeyType} key`);
    return { kind: 'ed25519', privateKey };
  } catch (error) {
    throw new FleetError('FLEET_KEY_INVALID', `${path} is not an Ed25519 private key (PEM): ${(error as Error).message}`, { cause: error });
  }
}

/** New key material as file contents: a pair for Ed25519, one secret for HMAC. */
export function generateKeys(kind: 'ed25519' | 'hmac'): { privateText: string; publicText?: string } {
  if (kind === 'hmac') return { privateText: `${randomBytes(32).toString('base64url')}\n` };
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateText: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    publicText: publicKey.export({ type: 'spki', format: 'pem' }) as string,
  };
}
