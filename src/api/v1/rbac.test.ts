// Every route of the OpenAPI document, for every role, anonymous and a narrow API token: 401,
// 403 or allowed exactly as src/auth/roles.ts says. A route added without a permission, or
// documented with one it does not enforce, fails here.
import test from 'ava';
import { ROLES } from '../../auth/roles.ts';
import { walkEveryRoute } from './rbac-walk.ts';
import { withEveryCapability } from './testing-capabilities.ts';

test('given every route of every capability in the OpenAPI document, when called anonymously, as each role, and with a narrow token, then access is exactly the permission matrix', async (t) => {
  // The probe call is live with the agent user (agent id a1) on it: an agent's own-call routes are allowed.
  const { operations, checked } = await walkEveryRoute(t, withEveryCapability(t, { calls: new Set(['rbac-probe']), agentOn: new Map([['rbac-probe', 'a1']]) }));
  t.log(`${operations.length} operations × ${ROLES.length} roles = ${checked} checks`);
});
