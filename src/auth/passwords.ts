// Password hashing and policy. scrypt from node:crypto (memory-hard, no native dependency);
// parameters are stored with each hash so they can be raised later without locking anyone out.
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCallback(password, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))));

/**
 * N = 2^15, r = 8, p = 1: 32 MB and about 100 ms a hash here. OWASP suggests N = 2^17 (128 MB);
 * a box that is also decoding calls cannot spare that per login in a burst of logins. The
 * parameters are stored in each hash, so raising them later rehashes users at their next login.
 */
export const DEFAULT_SCRYPT = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_BYTES = 32;

export async function hashPassword(password: string, params: { N: number; r: number; p: number } = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password.normalize('NFC'), salt, KEY_BYTES, { ...params, maxmem: 256 * params.N * params.r });
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** True when the password matches; false for any other hash, including malformed ones (never throws on a stored value). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (typeof password !== 'string' || typeof stored !== 'string') return false;
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every(Number.isSafeInteger) || N < 2 || N > 2 ** 20 || r < 1 || r > 32 || p < 1 || p > 16) return false;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const expected = Buffer.from(parts[5]!, 'base64url');
  if (salt.length < 8 || expected.length !== KEY_BYTES) return false;
  const key = await scrypt(password.normalize('NFC'), salt, KEY_BYTES, { N, r, p, maxmem: 256 * N * r });
  return timingSafeEqual(key, expected);
}

// A short list of the passwords every credential-stuffing list starts with; the length rule does the rest.
const COMMON = new Set(['password', 'password123', 'password1234', 'qwertyuiop', '123456789012', 'administrator', 'letmeinplease', 'changemenow', 'deskline', 'welcome12345', 'iloveyou1234', '1q2w3e4r5t6y']);

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

/** Why a new password is not acceptable, or undefined when it is. Length over composition rules (NIST SP 800-63B). */
export function passwordProblem(password: unknown, username?: string): string | undefined {
  if (typeof password !== 'string') return 'password must be a string';
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `password must have at least ${PASSWORD_MIN_LENGTH} characters`;
  if (length > PASSWORD_MAX_LENGTH) return `password must have at most ${PASSWORD_MAX_LENGTH} characters`;
  const lower = password.toLowerCase();
  if (new Set(lower).size < 4) return 'password repeats too few different characters';
  if (COMMON.has(lower)) return 'password is on the list of common passwords';
  if (username && lower.includes(username.toLowerCase())) return 'password must not contain the user name';
  return undefined;
}
