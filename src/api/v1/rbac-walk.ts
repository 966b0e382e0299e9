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
  // A refusal for lacking the route's permission says which (details.permission); a 403 without
  // it is a rule inside the route (an agent on someone else's call), not the matrix.
  const call = async (op: Operation, init: Parameters<typeof request>[1]) => {
    const res = await request(concrete(op.path), { method: op.method, ...(op.method === 'GET' || op.method === 'DELETE' ? {} : { json: {} }), ...init });
    let permission: unknown;
    if (res.status === 403) permission = ((await res.json()) as { error?: { details?: { permission?: unknown } } }).error?.details?.permission;
    else await res.body?.cancel();  // the event stream never ends on its own
    return { status: res.status, deniedFor: permission };
  };
  const refusedByMatrix = (r: { status: number; deniedFor: unknown }) => r.status === 401 || (r.status === 403 && r.deniedFor !== undefined);
  let checked = 0;
  for (const op of operations) {
    const what = `${op.method} ${op.path}`;
    const anonymous = await call(op, {});
    if (op.access === 'public') t.false(refusedByMatrix(anonymous), `${what} anonymous → ${anonymous.status}`);
    else t.is(anonymous.status, 401, `${what} anonymous`);
    for (const role of ROLES) {
      // A fresh session per call: some routes (logout) end the one they are called with.
      const got = await call(op, { as: await login(role) });
      const allowed = op.access === 'public' || op.access === 'authenticated' || roleAllows(role, op.access as never);
      if (allowed) t.false(refusedByMatrix(got), `${what} as ${role} → ${got.status}, expected allowed`);
      else t.deepEqual([got.status, got.deniedFor], [403, op.access], `${what} as ${role}`);
      checked++;
    }
    const byToken = await call(op, { headers: { authorization: `Bearer ${narrow.token}` } });
    const tokenAllowed = op.access === 'public' || op.access === 'authenticated' || op.access === 'audit.read';
    if (tokenAllowed) t.false(refusedByMatrix(byToken), `${what} with an audit.read token → ${byToken.status}`);
    else t.deepEqual([byToken.status, byToken.deniedFor], [403, op.access], `${what} with an audit.read token`);
  }
  return { operations, checked };
}

