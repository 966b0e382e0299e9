import test from 'ava';
import { QueueError } from '../../queue/queue-errors.ts';
import type { AgentSettings, QueueSettings } from '../../queue/queue-config.ts';
import { apiHarness } from './testing-api.ts';
import { withEveryCapability } from './testing-capabilities.ts';

test('given an admin, when a queue is created, edited with its revision, edited on a stale one and removed, then the running ACD gets each set and every change is audited', async (t) => {
  const applied: { queues: string[]; agents: string[] }[] = [];
  const apply = async (queues: QueueSettings[], agents: AgentSettings[]) => void applied.push({ queues: queues.map((q) => `${q.id}:${q.strategy}`), agents: agents.map((a) => a.id) });
  const h = await apiHarness(withEveryCapability(t, { applyQueueSettings: apply }));
  const admin = await h.login('admin');
  const created = await h.request('/queues/sales/settings', { method: 'PUT', as: admin, json: { id: 'sales', strategy: 'ring-all', overflow: { kind: 'queue', queueId: 'support' } }, headers: { 'if-match': '"0"' } });
  t.is(created.status, 200, await created.clone().text());
  t.is(created.headers.get('etag'), '"1"');
  t.like(await created.json(), { value: { id: 'sales', strategy: 'ring-all', wrapUpSeconds: 10 }, revision: 1, updatedBy: 'admin' });

  t.is((await h.request('/queues/sales/settings', { method: 'PUT', as: admin, json: { id: 'sales', strategy: 'longest-idle' }, headers: { 'if-match': '"1"' } })).status, 200);
  const stale = await h.request('/queues/sales/settings', { method: 'PUT', as: admin, json: { id: 'sales' }, headers: { 'if-match': '"1"' } });
  t.is(stale.status, 409);
  t.like(await stale.json(), { error: { code: 'QUEUE_SETTINGS_CONFLICT' } });
  const read = await h.request('/queues/sales/settings', { as: admin });
  t.is(read.headers.get('etag'), '"2"');

  const bad = await h.request('/queues/sales/settings', { method: 'PUT', as: admin, json: { id: 'sales', strategy: 'loudest', ringTimeoutSeconds: 1 } });
  t.is(bad.status, 400);
  const details = (await bad.json() as { error: { code: string; details: { path: string[] }[] } }).error;
  t.is(details.code, 'QUEUE_SETTINGS_INVALID');
  t.deepEqual(details.details.map((d) => d.path.join('.')).sort(), ['ringTimeoutSeconds', 'strategy']);

  t.is((await h.request('/queues/sales/settings', { method: 'DELETE', as: admin, headers: { 'if-match': '"2"' } })).status, 204);
  t.is((await h.request('/queues/sales/settings', { as: admin })).status, 404);
  t.deepEqual(applied.map((a) => a.queues.join(',')), ['support:longest-idle,sales:ring-all', 'support:longest-idle,sales:longest-idle', 'support:longest-idle']);
  t.deepEqual((await h.audit.list()).filter((e) => e.action.startsWith('queue.')).map((e) => e.action).reverse(), ['queue.create', 'queue.update', 'queue.delete']);
  t.is((await h.request('/queues/support/settings', { method: 'PUT', as: await h.login('supervisor'), json: { id: 'support' } })).status, 403, 'supervisors read queues; admins change them');
});

test('given the ACD refuses (callers waiting, agent logged in), when removed, then 409 with its code and nothing changes', async (t) => {
  const apply = async () => {
    throw new QueueError('AGENT_BUSY', 'agent a1 is logged in: log them out before removing them');
  };
  const h = await apiHarness(withEveryCapability(t, { applyQueueSettings: apply }));
  const admin = await h.login('admin');
  const refused = await h.request('/agents/a1/settings', { method: 'DELETE', as: admin });
  t.is(refused.status, 409);
  t.like(await refused.json(), { error: { code: 'AGENT_BUSY' } });
  t.is((await h.request('/agents/a1/settings', { as: admin })).status, 200);
});

test('given agents and queues, when skills are listed, then each skill names its agents\' levels and the queues requiring it', async (t) => {
  const h = await apiHarness(withEveryCapability(t));
  const admin = await h.login('admin');
  t.is((await h.request('/agents/a2/settings', { method: 'PUT', as: admin, json: { id: 'a2', endpoint: 'PJSIP/a2', skills: { billing: 1, french: 4 } }, headers: { 'if-match': '"0"' } })).status, 200);
  const skills = await (await h.request('/skills', { as: await h.login('supervisor') })).json();
  t.deepEqual(skills, { skills: [
    { skill: 'billing', agents: [{ agentId: 'a1', level: 3 }, { agentId: 'a2', level: 1 }], queues: [{ queueId: 'support', minLevel: 2 }] },
    { skill: 'french', agents: [{ agentId: 'a2', level: 4 }], queues: [] },
  ] });
});
