// Secrets a box generates once and keeps: the ARI password, desk phones' SIP passwords, browser
// softphones' passwords, the first admin's password. Each lives in its own 0600 file under
// service.secretsDir; a second provisioning run reads them back, so nothing changes.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';

export interface Secret {
  path: string;
  value: string;
  /** true: the file does not exist yet; provisioning writes it (or would, in a dry run). */
  fresh: boolean;
}

export const newSecret = () => randomBytes(18).toString('base64url');

export async function readOrNewSecret(path: string, make: () => string = newSecret): Promise<Secret> {
  try {
    const value = (await readFile(path, 'utf8')).trim();
    if (value) return { path, value, fresh: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return { path, value: make(), fresh: true };
}

/** A secret the technician must supply (a carrier password): missing is an error, not generated. */
export async function readGivenSecret(path: string, what: string): Promise<string> {
  try {
    const value = (await readFile(path, 'utf8')).trim();
    if (!value) throw new Error(`${path} is empty`);
    return value;
  } catch (error) {
    throw Object.assign(new Error(`${what}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? `${path} does not exist` : (error as Error).message}`), { code: 'DESKLINE_PROVISION_SECRET' });
  }
}
