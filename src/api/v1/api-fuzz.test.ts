// Fuzzes the API from its own OpenAPI document: for every operation, requests with parameters and
// bodies generated from the documented schemas (valid, mutated and hostile), as an admin (so the
// handlers, not only the guards, are reached). No answer may be a 5xx, the process must not crash,
// and every 4xx must be in the error shape.
import test from 'ava';
import { apiHarness, type Login } from './testing-api.ts';
import { withEveryCapability } from './testing-capabilities.ts';
import { fuzzAnswerProblem, fuzzOperations, fuzzRequests, type OpenApiDoc } from './api-fuzz-cases.ts';

test('given requests generated from the OpenAPI document, when thousands are sent, then none is a 5xx and every error is in the error shape', async (t) => {
  const h = await apiHarness(withEveryCapability(t, { calls: new Set(['fuzz']), agentOn: new Map() }));
  const doc = (await (await h.request('/openapi.json')).json()) as OpenApiDoc;
  let admin: Login = await h.login('admin');
  const statuses = new Map<number, number>();
  let sent = 0;
  for (const request of fuzzRequests(doc, 20261124, 80)) {
    const res = await h.request(request.url, { method: request.method, as: admin, headers: request.headers, ...(request.body !== undefined ? { body: request.body } : {}) });
    sent++;
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    const problem = fuzzAnswerProblem(request, res.status, await res.text());
    if (problem) t.fail(problem);
    if (res.status === 401) {
      // Fuzzed logins lock the (test) address out for 15 minutes: let them pass, then log in again.
      h.clock.advance(16 * 60_000);
      admin = await h.login('admin');
    }
  }
  t.true(sent >= 3000, `${sent} requests`);
  t.log(`${sent} requests over ${fuzzOperations(doc).length} operations: ${[...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')}`);
  t.deepEqual(h.errors, [], 'nothing was logged as an internal error');
});
