import test from 'ava';
import type { CallState, TrailEntry } from '../../calls/call-types.ts';
import type { Agent } from '../../queue/queue-types.ts';
import { agentConsoleRoutes } from './agent-console-routes.ts';
import { apiHarness } from './testing-api.ts';

const call = { callId: 'c9', caller: { number: '5550101' }, dialed: '4100', startedAt: 5, digits: '1', trailLength: 2 } as unknown as CallState;
const trail: TrailEntry[] = [{ at: 6, type: 'node-enter', flow: 'f', node: 'menu', kind: 'menu' }];

async function harness() {
  const agents: Record<string, Agent> = { a1: { id: 'a1', status: { kind: 'on-call', callId: 'c9', queueId: 'q' }, stateSince: 7 } as Agent };
  return apiHarness({
    extraRoutes: [(api) => api.route('/', agentConsoleRoutes({
      agent: (id) => agents[id], configured: (id) => ['a1', 'a2'].includes(id),
      records: { get: async (id) => (id === 'c9' ? call : undefined), trail: async () => trail },
    }))],
  });
}

test('given an agent on a call, when they open their console, then their state and the call\'s screen pop; another agent\'s console is refused', async (t) => {
  const h = await harness();
  const agent = await h.login('agent');
  const res = await h.request('/agents/a1/console', { as: agent });
  t.is(res.status, 200);
  const body = (await res.json()) as { agent: Record<string, unknown>; call: { callId: string; path: { node: string }[] } };
  t.like(body.agent, { id: 'a1', state: 'on-call', since: 7, callId: 'c9' });
  t.is(body.call.callId, 'c9');
  t.deepEqual(body.call.path.map((p) => p.node), ['menu']);
  const other = await h.request('/agents/a2/console', { as: agent });
  t.is(other.status, 403);
});

test('given a supervisor, then any configured agent\'s console reads (one who never logged in is logged-out), an unknown agent is 404', async (t) => {
  const h = await harness();
  const sup = await h.login('supervisor');
  const res = await h.request('/agents/a2/console', { as: sup });
  t.deepEqual(await res.json(), { agent: { id: 'a2', state: 'logged-out', since: 0 }, call: null, preview: null });
  const unknown = await h.request('/agents/zz/console', { as: sup });
  t.is(unknown.status, 404);
  t.like(await unknown.json(), { error: { code: 'AGENT_UNKNOWN' } });
});
