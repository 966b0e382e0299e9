// Who is calling the API: logins (throttled, audited) make sessions; requests present a session
// cookie or an API token and become a Principal with the permissions they hold right now (a
// disabled user, a changed password or a revoked token takes effect on the next request).
import type { Clock } from '../core/clock.ts';
import type { Store } from '../store/store.ts';
import { AuthError } from './auth-errors.ts';
import { TokenStore } from './api-tokens.ts';
import { DEFAULT_THROTTLE, LoginThrottle, type ThrottleOptions } from './login-throttle.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { permissionsOf, type Permission, type Role } from './roles.ts';
import { DEFAULT_SESSION_TIMES, randomToken, SessionStore, type Session, type SessionTimes } from './session-store.ts';
import { USERNAME_PATTERN, UserStore, type StoredUser } from './user-store.ts';

export interface Principal {
  /** local: the control socket (only root and the service user can open it). */
  kind: 'session' | 'token' | 'local';
  username: string;
  role: Role;
  permissions: ReadonlySet<Permission>;
  agentId?: string;
  locale: 'en' | 'zh-CN';
  /** Sessions: the CSRF token the UI must echo on changes. */
  csrf?: string;
  tokenId?: string;
}

export type AuditSink = (entry: { actor: string; action: string; target?: string; detail?: Record<string, unknown> }) => Promise<unknown>;

export interface AuthServiceOptions {
  store: Store;
  clock: Clock;
  audit: AuditSink;
  throttle?: ThrottleOptions;
  sessionTimes?: SessionTimes;
  /** Tests pass cheap scrypt parameters. */
  hash?: (password: string) => Promise<string>;
}

export class AuthService {
  readonly users: UserStore;
  readonly sessions: SessionStore;
  readonly tokens: TokenStore;
  private readonly throttle: LoginThrottle;
  /** Checked when the user does not exist, so that an unknown name costs as long as a wrong password. */
  private decoy: Promise<string> | undefined;

  constructor(private readonly options: AuthServiceOptions) {
    this.users = new UserStore(options.store, options.clock, options.hash);
    this.sessions = new SessionStore(options.store, options.sessionTimes ?? DEFAULT_SESSION_TIMES);
    this.tokens = new TokenStore(options.store);
    this.throttle = new LoginThrottle(options.throttle ?? DEFAULT_THROTTLE);
  }

  async login(username: unknown, password: unknown, address: string): Promise<{ sessionId: string; session: Session; user: StoredUser }> {
    const now = this.options.clock.now();
    const name = typeof username === 'string' ? username.trim().toLowerCase().slice(0, 64) : '';
    const locked = this.throttle.lockedUntil(name, address, now);
    if (locked !== undefined) throw new AuthError('LOCKED_OUT', `too many failed logins: try again after ${new Date(locked).toISOString()}`, { retryAfterSeconds: Math.ceil((locked - now) / 1000) });
    const user = name ? await this.users.get(name) : undefined;
    this.decoy ??= (this.options.hash ?? hashPassword)(randomToken());
    const ok = typeof password === 'string' && password.length <= 1024 && (await verifyPassword(password, user?.passwordHash ?? (await this.decoy)));
    if (!user || !ok || user.disabled) {
      const lockedNow = this.throttle.failed(name, address, now);
      // Only a well-formed user name becomes the actor; anything else is kept (quoted) as detail.
      const actor = USERNAME_PATTERN.test(name) ? name : 'anonymous';
      await this.options.audit({ actor, action: 'auth.login-failed', detail: { address, reason: !user ? 'unknown user' : user.disabled && ok ? 'disabled' : 'wrong password', ...(actor === 'anonymous' && name ? { username: JSON.stringify(name).slice(0, 80) } : {}) } });
      if (lockedNow) await this.options.audit({ actor: 'system:auth', action: 'auth.lockout', target: actor === 'anonymous' ? JSON.stringify(name).slice(0, 80) : name, detail: { address } });
      throw new AuthError('UNAUTHENTICATED', 'wrong user name or password');
    }
    this.throttle.succeeded(name);
    const { id, session } = await this.sessions.create(user.username, now);
    await this.options.audit({ actor: user.username, action: 'auth.login', detail: { address } });
    return { sessionId: id, session, user };
  }

  async logout(sessionId: string, actor: string): Promise<void> {
    await this.sessions.end(sessionId);
    await this.options.audit({ actor, action: 'auth.logout' });
  }

  async fromSession(sessionId: string): Promise<Principal | undefined> {
    const session = await this.sessions.touch(sessionId, this.options.clock.now());
    if (!session) return undefined;
    const user = await this.users.get(session.username);
    // A password change or a disabled user ends older sessions.
    if (!user || user.disabled || user.passwordChangedAt > session.createdAt) {
      await this.sessions.end(sessionId);
      return undefined;
    }
    return { kind: 'session', ...who(user), permissions: permissionsOf(user.role), csrf: session.csrf };
  }

  async fromToken(value: string): Promise<Principal | undefined> {
    const token = await this.tokens.check(value, this.options.clock.now());
    if (!token) return undefined;
    const owner = await this.users.get(token.owner);
    if (!owner || owner.disabled) return undefined;
    // Never more than the owner holds today.
    const role = permissionsOf(owner.role);
    return { kind: 'token', ...who(owner), permissions: new Set(token.scopes.filter((s) => role.has(s))), tokenId: token.id };
  }

  /** A fresh appliance: creates `admin` with a random password and returns it (shown once). */
  /** The first admin of an empty box: with the technician's password (provisioning) or a random one. */
  async ensureFirstAdmin(username = 'admin', given?: string): Promise<{ username: string; password: string } | undefined> {
    if ((await this.users.count()) > 0) return undefined;
    const password = given ?? `${randomToken(12)}-${randomToken(6)}`;
    await this.users.create({ username, password, role: 'admin', displayName: 'Administrator' });
    await this.options.audit({ actor: 'system:provisioning', action: 'users.create', target: username, detail: { role: 'admin', firstAdmin: true } });
    return { username, password };
  }
}

const who = (user: StoredUser) => ({ username: user.username, role: user.role, locale: user.locale, ...(user.agentId ? { agentId: user.agentId } : {}) });

export { AuthError };
