// Local users in the store's `auth` section (`user!<name>`). Passwords only as scrypt hashes;
// every change bumps the user's revision (the API's ETag).
import type { Clock } from '../core/clock.ts';
import type { Section, Store } from '../store/store.ts';
import { AuthError } from './auth-errors.ts';
import { hashPassword, passwordProblem } from './passwords.ts';
import { isRole, type Role } from './roles.ts';

export interface StoredUser {
  username: string;
  displayName: string;
  role: Role;
  /** The agent id this user answers calls as (agents). */
  agentId?: string;
  locale: 'en' | 'zh-CN';
  passwordHash: string;
  disabled: boolean;
  revision: number;
  createdAt: number;
  updatedAt: number;
  passwordChangedAt: number;
}

/** A user as the API shows it: never the hash. */
export type PublicUser = Omit<StoredUser, 'passwordHash'>;

export const publicUser = ({ passwordHash: _hash, ...user }: StoredUser): PublicUser => user;

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,63}$/;

export interface NewUser {
  username: string;
  password: string;
  role: Role;
  displayName?: string;
  agentId?: string;
  locale?: 'en' | 'zh-CN';
}

export class UserStore {
  private readonly section: Section;

  constructor(store: Store, private readonly clock: Clock, private readonly hash: (password: string) => Promise<string> = hashPassword) {
    this.section = store.section('auth');
  }

  async get(username: string): Promise<StoredUser | undefined> {
    if (typeof username !== 'string' || !USERNAME_PATTERN.test(username)) return undefined;
    return this.section.get<StoredUser>(`user!${username}`);
  }

  async list(): Promise<StoredUser[]> {
    const users: StoredUser[] = [];
    for await (const [, user] of this.section.entries<StoredUser>({ gte: 'user!', lt: 'user!\uffff' })) users.push(user);
    return users;
  }

  async count(): Promise<number> {
    return (await this.list()).length;
  }

  async create(input: NewUser): Promise<StoredUser> {
    if (typeof input.username !== 'string' || !USERNAME_PATTERN.test(input.username)) throw new AuthError('BAD_INPUT', 'username must be 2–64 characters of a–z, 0–9, ".", "_" or "-", starting with a letter or digit', { field: 'username' });
    if (!isRole(input.role)) throw new AuthError('BAD_INPUT', `role must be one of admin, supervisor, agent, technician`, { field: 'role' });
    const problem = passwordProblem(input.password, input.username);
    if (problem) throw new AuthError('BAD_INPUT', problem, { field: 'password' });
    if (await this.get(input.username)) throw new AuthError('USER_EXISTS', `user ${input.username} exists`);
    const now = this.clock.now();
    const user: StoredUser = {
      username: input.username, displayName: input.displayName ?? input.username, role: input.role, locale: input.locale ?? 'en',
      ...(input.agentId ? { agentId: input.agentId } : {}),
      passwordHash: await this.hash(input.password), disabled: false, revision: 1, createdAt: now, updatedAt: now, passwordChangedAt: now,
    };
    await this.section.batch([{ type: 'put', key: `user!${user.username}`, value: user }]);
    return user;
  }

  /** Changes fields; `revision`, when given, must be the stored one (else REVISION_MISMATCH). */
  async update(username: string, change: Partial<Pick<StoredUser, 'displayName' | 'role' | 'agentId' | 'locale' | 'disabled'>> & { password?: string }, revision?: number): Promise<StoredUser> {
    const user = await this.get(username);
    if (!user) throw new AuthError('NOT_FOUND', `no user ${username}`);
    if (revision !== undefined && revision !== user.revision) throw new AuthError('REVISION_MISMATCH', `user ${username} is at revision ${user.revision}, not ${revision}`, { revision: user.revision });
    if (change.role !== undefined && !isRole(change.role)) throw new AuthError('BAD_INPUT', 'role must be one of admin, supervisor, agent, technician', { field: 'role' });
    const now = this.clock.now();
    const next: StoredUser = { ...user, ...stripUndefined({ displayName: change.displayName, role: change.role, agentId: change.agentId, locale: change.locale, disabled: change.disabled }), revision: user.revision + 1, updatedAt: now };
    if (change.password !== undefined) {
      const problem = passwordProblem(change.password, username);
      if (problem) throw new AuthError('BAD_INPUT', problem, { field: 'password' });
      next.passwordHash = await this.hash(change.password);
      next.passwordChangedAt = now;
    }
    await this.section.batch([{ type: 'put', key: `user!${username}`, value: next }]);
    return next;
  }
}

function stripUndefined<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
