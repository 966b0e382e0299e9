// Every route of the OpenAPI document, for every role, anonymous and a narrow API token: 401,
// 403 or allowed exactly as src/auth/roles.ts says. A route added without a permission, or
// documented with one it does not enforce, fails here.
import test from 'ava';
import { ROLES } from '../../auth/roles.ts';
import { walkEveryRoute } from './rbac-walk.ts';

test('given every route in the OpenAPI document, when called anonymously, as each role, and with a narrow token, then access is exactly the permission matrix', async (t) => {
  const { operations, checked } = await walkEveryRoute(t);
  t.log(`${operations.length} operations × ${ROLES.length} roles = ${checked} checks`);
});
