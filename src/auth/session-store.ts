// Browser sessions. The cookie holds a random id; the store keeps only its SHA-256 (a copy of the
// store does not log anyone in). Each session has its own CSRF token, sent back by the UI in a
// header on every change. A login always makes a new id (no session fixation).
import { createHash, randomBytes } from 'node:crypto';
import type { Section, Store } from '../store/store.ts';

export interface Session {
  username: string;
  csrf: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
}

export interface SessionTimes {
  /** A session unused this long ends. */
  idleMs: number;
  /** No session lives longer than this. */
  maxMs: number;
}

export const DEFAULT_SESSION_TIMES: SessionTimes = { idleMs: 12 * 3_600_000, maxMs: 7 * 24 * 3_600_000 };

const digest = (id: string) => createHash('sha256').update(id).digest('base64url');
export const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');

export class SessionStore {
  private readonly section: Section;

  constructor(store: Store, private readonly times: SessionTimes = DEFAULT_SESSION_TIMES) {
    this.section = store.section('auth');
  }

  async create(username: string, now: number): Promise<{ id: string; session: Session }> {
    const id = randomToken();
    const session: Session = { username, csrf: randomToken(), createdAt: now, lastSeenAt: now, expiresAt: now + this.times.maxMs };
    await this.section.batch([{ type: 'put', key: `session!${digest(id)}`, value: session }]);
    return { id, session };
  }

  /** The live session for this id, its last use moved to now (written at most once a minute). */
  async touch(id: string, now: number): Promise<Session | undefined> {
    if (typeof id !== 'string' || id.length < 20 || id.length > 100) return undefined;
    const key = `session!${digest(id)}`;
    const session = await this.section.get<Session>(key);
    if (!session) return undefined;
    if (now >= session.expiresAt || now - session.lastSeenAt >= this.times.idleMs) {
      await this.section.batch([{ type: 'del', key }]);
      return undefined;
    }
    if (now - session.lastSeenAt >= 60_000) {
      session.lastSeenAt = now;
      await this.section.batch([{ type: 'put', key, value: session }]);
    }
    return session;
  }

  async end(id: string): Promise<void> {
    if (typeof id === 'string' && id) await this.section.batch([{ type: 'del', key: `session!${digest(id)}` }]);
  }

  /** Ends every session of a user (password changed, user disabled or deleted). */
  async endAllOf(username: string): Promise<number> {
    const gone: string[] = [];
    for await (const [key, session] of this.section.entries<Session>({ gte: 'session!', lt: 'session!\uffff' })) if (session.username === username) gone.push(key);
    if (gone.length) await this.section.batch(gone.map((key) => ({ type: 'del' as const, key })));
    return gone.length;
  }
}
