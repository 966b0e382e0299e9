import { cryptSalt, sha512Crypt } from './sha512-crypt.ts';

/** ari.conf stores the ARI password only as a SHA-512 crypt hash (see sha512-crypt.ts for rounds). */
export function ariPasswordHash(password: string): { passwordHash: string; passwordFormat: 'crypt' } {
  return { passwordHash: sha512Crypt(password, cryptSalt(), 1000), passwordFormat: 'crypt' };
}
