// Walks every route of the OpenAPI document, for every role, anonymous and a narrow API token,
// and checks 401 / 403 / allowed exactly as src/auth/roles.ts says (used by rbac.test.ts, and by
// capability tests that add routes).
import type { ExecutionContext } from 'ava';
import { isPermission, ROLES, roleAllows } from '../../auth/roles.ts';
import { apiHarness, type HarnessExtras } from './testing-api.ts';

interface Operation { method: string; path: string; access: string }

export async function operationsOf(request: (path: string) => Response | Promise<Response>): Promise<Operation[]> {
  const doc = (await (await request('/openapi.json')).json()) as { paths: Record<string, Record<string, Record<string, unknown>>> };
  return Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ method: method.toUpperCase(), path, access: op['x-deskline-permission'] as string })));
}

/** A concrete URL for a documented path: every {param} gets a harmless value. */
export const concrete = (path: string) => path.replace(/\{[^}]+\}/g, 'rbac-probe');

export async function walkEveryRoute(t: ExecutionContext, extra: HarnessExtras = {}) {
  const { request, login, auth, clock } = await apiHarness(extra);
  const operations = await operationsOf((p) => request(p));
  t.true(operations.length >= 10, `${operations.length} operations`);
  for (const op of operations) t.true(op.access === 'public' || op.access === 'authenticated' || isPermission(op.access), `${op.method} ${op.path} declares its access (${op.access})`);
  const narrow = await auth.tokens.create({ name: 'narrow', scopes: ['audit.read'], owner: 'admin' }, clock.now());
  const call = async (op: Operation, init: Parameters<typeof request>[1]) => {
    const res = await request(concrete(op.path), { method: op.method, ...(op.method === 'GET' || op.method === 'DELETE' ? {} : { json: {} }), ...init });
    await res.body?.cancel();  // the event stream never ends on its own
    return res.status;
  };
  let checked = 0;
  for (const op of operations) {
    const what = `${op.method} ${op.path}`;
    const anonymous = await call(op, {});
    if (op.access === 'public') t.true(anonymous !== 401 && anonymous !== 403, `${what} anonymous → ${anonymous}`);
    else t.is(anonymous, 401, `${what} anonymous`);
    for (const role of ROLES) {
      // A fresh session per call: some routes (logout) end the one they are called with.
      const status = await call(op, { as: await login(role) });
      const allowed = op.access === 'public' || op.access === 'authenticated' || roleAllows(role, op.access as never);
      if (allowed) t.true(status !== 401 && status !== 403, `${what} as ${role} → ${status}, expected allowed`);
      else t.is(status, 403, `${what} as ${role}`);
      checked++;
    }
    const byToken = await call(op, { headers: { authorization: `Bearer ${narrow.token}` } });
    const tokenAllowed = op.access === 'public' || op.access === 'authenticated' || op.access === 'audit.read';
    if (tokenAllowed) t.true(byToken !== 401 && byToken !== 403, `${what} with an audit.read token → ${byToken}`);
    else t.is(byToken, 403, `${what} with an audit.read token`);
  }
  return { operations, checked };
}

