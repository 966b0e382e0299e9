// The admin API on a memory store with one user per role, for route tests (app.request, no socket).
import { AuditLog } from '../../audit/audit-log.ts';
import { AuthService } from '../../auth/auth-service.ts';
import { ROLES, type Role } from '../../auth/roles.ts';
import { CHEAP_HASH, TEST_PASSWORD } from '../../auth/testing-auth.ts';
import { ManualClock } from '../../core/clock.ts';
import { LiveEvents } from '../../events/live-events.ts';
import { MemoryStore } from '../../store/memory-store.ts';
import { createApi, type ApiDeps } from './api-app.ts';
import { CSRF_HEADER, SESSION_COOKIE } from './secured.ts';

export interface Login {
  cookie: string;
  csrf: string;
}

/** `more`: capabilities' deps and routes, made on the harness's store, clock and audit log. */
export type HarnessExtras = Partial<ApiDeps> | ((ctx: { store: MemoryStore; clock: ManualClock; audit: AuditLog }) => Promise<Partial<ApiDeps>>);

export async function apiHarness(more: HarnessExtras = {}) {
  const clock = new ManualClock(Date.UTC(2026, 10, 24, 9));
  const store = new MemoryStore();
  const audit = new AuditLog({ store, clock });
  const auth = new AuthService({ store, clock, hash: CHEAP_HASH, audit: (e) => audit.append(e) });
  const events = new LiveEvents({ now: () => clock.now() });
  const errors: unknown[] = [];
  const extra = typeof more === 'function' ? await more({ store, clock, audit }) : more;
  for (const role of ROLES) await auth.users.create({ username: role, password: TEST_PASSWORD, role, ...(role === 'agent' ? { agentId: 'a1' } : {}) });
  const api = createApi({
    auth, audit, events, now: () => clock.now(), version: '0.0.0-test', logger: { error: (o: unknown) => void errors.push(o) } as never,
    health: () => ({ status: 'ok', site: 'test', uptimeSeconds: 1, ari: { connected: true, status: 'up', detail: '' }, asterisk: { version: '22.0.0' }, calls: { active: 0 }, speech: 'off' }),
    ...extra,
  });
  const request = (path: string, init: RequestInit & { as?: Login; json?: unknown } = {}) => {
    const headers = new Headers(init.headers);
    if (init.as) {
      headers.set('cookie', `${SESSION_COOKIE}=${init.as.cookie}`);
      if (init.method && !['GET', 'HEAD'].includes(init.method) && !headers.has(CSRF_HEADER)) headers.set(CSRF_HEADER, init.as.csrf);
    }
    if (init.json !== undefined) headers.set('content-type', 'application/json');
    return api.request(path, { ...init, headers, ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}) });
  };
  const login = async (role: Role | string, password = TEST_PASSWORD): Promise<Login> => {
    const res = await request('/auth/login', { method: 'POST', json: { username: role, password } });
    if (res.status !== 200) throw new Error(`login ${role}: ${res.status} ${await res.text()}`);
    const cookie = /deskline_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')![1]!;
    const body = (await res.json()) as { csrfToken: string };
    return { cookie, csrf: body.csrfToken };
  };
  return { clock, store, audit, auth, events, api, request, login, errors };
}
