import { execFileSync } from 'node:child_process';

/**
 * ari.conf accepts crypt(3) hashes, so the secret on disk is never the password itself.
 * Node has no crypt(3); openssl's SHA-512 crypt is on every Debian box (package openssl).
 */
export function ariPasswordHash(password: string): { passwordHash: string; passwordFormat: 'crypt' } {
  let hash = '';
  try {
    hash = execFileSync('openssl', ['passwd', '-6', '-stdin'], { input: password, encoding: 'utf8' }).trim();
  } catch (error) {
    throw new Error(`cannot hash the ARI password: openssl passwd failed (${(error as Error).message}); install the Debian package openssl`);
  }
  if (!hash.startsWith('$6$')) throw new Error(`cannot hash the ARI password: openssl printed no SHA-512 crypt hash`);
  return { passwordHash: hash, passwordFormat: 'crypt' };
}
