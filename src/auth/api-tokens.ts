// API tokens for integrations: `dkl_<id>_<secret>`. The secret is 32 random bytes, so a SHA-256
// of it at rest is enough (no slow hash needed: it cannot be guessed from a dictionary). A token
// carries scopes, a subset of its creator's permissions, and may expire; revoking is immediate.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Section, Store } from '../store/store.ts';
import { AuthError } from './auth-errors.ts';
import { isPermission, type Permission } from './roles.ts';
import { randomToken } from './session-store.ts';

export interface StoredToken {
  id: string;
  name: string;
  secretHash: string;
  scopes: Permission[];
  owner: string;
  createdAt: number;
  expiresAt?: number;
  revokedAt?: number;
  lastUsedAt?: number;
}

export type PublicToken = Omit<StoredToken, 'secretHash'>;
export const publicToken = ({ secretHash: _hash, ...token }: StoredToken): PublicToken => token;

const hashOf = (secret: string) => createHash('sha256').update(secret).digest();
const TOKEN_PATTERN = /^dkl_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export class TokenStore {
  private readonly section: Section;

  constructor(store: Store) {
    this.section = store.section('auth');
  }

  /** Returns the token's one and only showing of its secret. */
  async create(input: { name: string; scopes: string[]; owner: string; expiresAt?: number }, now: number): Promise<{ token: string; stored: StoredToken }> {
    if (typeof input.name !== 'string' || !input.name.trim() || input.name.length > 100) throw new AuthError('BAD_INPUT', 'name must be 1–100 characters', { field: 'name' });
    const unknown = input.scopes.filter((s) => !isPermission(s));
    if (!input.scopes.length || unknown.length) throw new AuthError('BAD_INPUT', unknown.length ? `unknown scopes: ${unknown.slice(0, 5).join(', ')}` : 'a token needs at least one scope', { field: 'scopes' });
    if (input.expiresAt !== undefined && !(input.expiresAt > now)) throw new AuthError('BAD_INPUT', 'expiresAt must be in the future', { field: 'expiresAt' });
    const id = randomToken(9).replace(/[-_]/g, 'x').slice(0, 12);
    const secret = randomToken(32);
    const stored: StoredToken = {
      id, name: input.name.trim(), secretHash: hashOf(secret).toString('hex'), scopes: [...new Set(input.scopes as Permission[])], owner: input.owner, createdAt: now,
      ...(input.expiresAt !== undefined ? { expiresAt: input.expiresAt } : {}),
    };
    await this.section.batch([{ type: 'put', key: `token!${id}`, value: stored }]);
    return { token: `dkl_${id}_${secret}`, stored };
  }

  /** The live token for a presented value, or undefined (unknown, wrong secret, revoked, expired). */
  async check(presented: string, now: number): Promise<StoredToken | undefined> {
    const m = typeof presented === 'string' ? TOKEN_PATTERN.exec(presented) : null;
    if (!m) return undefined;
    const stored = await this.section.get<StoredToken>(`token!${m[1]}`);
    if (!stored || stored.revokedAt !== undefined || (stored.expiresAt !== undefined && now >= stored.expiresAt)) return undefined;
    if (!timingSafeEqual(hashOf(m[2]!), Buffer.from(stored.secretHash, 'hex'))) return undefined;
    if (!stored.lastUsedAt || now - stored.lastUsedAt >= 60_000) {
      stored.lastUsedAt = now;
      await this.section.batch([{ type: 'put', key: `token!${stored.id}`, value: stored }]);
    }
    return stored;
  }

  async list(): Promise<StoredToken[]> {
    const out: StoredToken[] = [];
    for await (const [, token] of this.section.entries<StoredToken>({ gte: 'token!', lt: 'token!\uffff' })) out.push(token);
    return out;
  }

  async get(id: string): Promise<StoredToken | undefined> {
    return typeof id === 'string' && /^[A-Za-z0-9]{12}$/.test(id) ? this.section.get<StoredToken>(`token!${id}`) : undefined;
  }

  async revoke(id: string, now: number): Promise<StoredToken> {
    const stored = await this.get(id);
    if (!stored) throw new AuthError('NOT_FOUND', `no token ${id}`);
    if (stored.revokedAt === undefined) {
      stored.revokedAt = now;
      await this.section.batch([{ type: 'put', key: `token!${id}`, value: stored }]);
    }
    return stored;
  }
}
