import test from 'ava';
import { SoftphoneAccounts } from '../../softphone/softphone-accounts.ts';
import { softphoneRoutes } from './softphone-routes.ts';
import { apiHarness } from './testing-api.ts';

// The harness's agent user is linked to agent a1.
const accounts = () => new SoftphoneAccounts([{ id: 'a1', endpoint: 'webrtc', extension: '1001' }, { id: 'a2', endpoint: 'webrtc' }]);

async function harness(withAccounts = true) {
  return apiHarness({ extraRoutes: [(api) => api.route('/', softphoneRoutes({ accounts: withAccounts ? accounts() : undefined, upstreamUrl: withAccounts ? 'ws://127.0.0.1:9/ws' : undefined, onProblem: () => undefined }))] });
}

test('given each role, when GET /softphone, then an agent gets only their own phone, supervisors and admins the desk phone, technicians are refused', async (t) => {
  const h = await harness();
  const phones = async (role: string) => {
    const res = await h.request('/softphone', { as: await h.login(role) });
    return res.status === 200 ? ((await res.json()) as { phones: { purpose: string; username: string; password: string; socketPath: string }[] }).phones : res.status;
  };
  const agent = await phones('agent');
  t.deepEqual(Array.isArray(agent) && agent.map((p) => `${p.purpose}:${p.username}`), ['agent:webrtc-a1'], 'not a2\'s phone');
  t.true(Array.isArray(agent) && agent[0]!.password.length >= 20);
  t.is(Array.isArray(agent) && agent[0]!.socketPath, '/api/v1/softphone/sip');
  const sup = await phones('supervisor');
  t.deepEqual(Array.isArray(sup) && sup.map((p) => p.username), ['webrtc-desk']);
  const admin = await phones('admin');
  t.deepEqual(Array.isArray(admin) && admin.map((p) => p.username), ['webrtc-desk'], 'an admin not linked to an agent has the desk phone only');
  t.is(await phones('technician'), 403);
});

test('given the SIP socket path, when asked without an upgrade, then 426 after the checks; from another origin 403; without softphones 404', async (t) => {
  const h = await harness();
  const agent = await h.login('agent');
  const plain = await h.request('/softphone/sip', { as: agent, headers: { origin: 'http://localhost', host: 'localhost' } });
  t.is(plain.status, 426);
  t.like(await plain.json(), { error: { code: 'UPGRADE_REQUIRED' } });
  const evil = await h.request('/softphone/sip', { as: agent, headers: { origin: 'http://evil.test', host: 'localhost' } });
  t.is(evil.status, 403);
  t.like(await evil.json(), { error: { code: 'CSRF' } });
  const none = await harness(false);
  const res = await none.request('/softphone/sip', { as: await none.login('agent'), headers: { origin: 'http://localhost', host: 'localhost' } });
  t.is(res.status, 404);
  t.like(await res.json(), { error: { code: 'SOFTPHONE_UNAVAILABLE' } });
  const empty = await none.request('/softphone', { as: await none.login('agent') });
  t.deepEqual(await empty.json(), { phones: [] });
});
