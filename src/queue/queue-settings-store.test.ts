import test from 'ava';
import { MemoryStore } from '../store/memory-store.ts';
import { agentSchema, queueSchema, type AgentSettings, type QueueSettings } from './queue-config.ts';
import { QueueSettingsError, QueueSettingsStore, SITE_FILE_ACTOR } from './queue-settings-store.ts';

const queue = (id: string, extra: Record<string, unknown> = {}): QueueSettings => queueSchema.parse({ id, ...extra });
const agent = (id: string, extra: Record<string, unknown> = {}): AgentSettings => agentSchema.parse({ id, endpoint: `PJSIP/${id}`, ...extra });
const site = { queues: [queue('support'), queue('sales', { overflow: { kind: 'queue', queueId: 'support' } })], agents: [agent('a1', { skills: { sales: 2 } })] };
const accept = async () => undefined;

test('given a new box, when loaded, then the site file seeds each queue and agent at revision 1', async (t) => {
  const settings = new QueueSettingsStore(new MemoryStore(), () => 5);
  t.deepEqual(await settings.load(site.queues, site.agents), { fromSiteFile: true });
  t.deepEqual(settings.list('queue').map((s) => [s.value.id, s.revision, s.updatedBy]), [['sales', 1, SITE_FILE_ACTOR], ['support', 1, SITE_FILE_ACTOR]]);
  t.is(settings.get('agent', 'a1')?.value.skills.sales, 2);
});

test('given an edit, when the box restarts with the same site file, then it stands; when the site file changes, the site file wins and revisions move on', async (t) => {
  const store = new MemoryStore();
  const first = new QueueSettingsStore(store, () => 1);
  await first.load(site.queues, site.agents);
  const applied: string[][] = [];
  const saved = await first.put('agent', 'a1', { id: 'a1', endpoint: 'PJSIP/a1', skills: { sales: 5 } }, 1, 'alice', async (_q, agents) => void applied.push(agents.map((a) => `${a.id}:${a.skills.sales}`)));
  t.like(saved, { revision: 2, updatedBy: 'alice' });
  t.deepEqual(applied, [['a1:5']]);

  const again = new QueueSettingsStore(store, () => 2);
  t.deepEqual(await again.load(site.queues, site.agents), { fromSiteFile: false });
  t.is(again.get('agent', 'a1')?.value.skills.sales, 5);

  const reprovisioned = new QueueSettingsStore(store, () => 3);
  t.deepEqual(await reprovisioned.load([queue('support')], site.agents), { fromSiteFile: true });
  t.deepEqual(reprovisioned.queues().map((q) => q.id), ['support']);
  t.like(reprovisioned.get('agent', 'a1'), { revision: 3, value: { skills: { sales: 2 } } });
});

test('given bad, stale or inconsistent changes, when saved, then each is refused naming why and nothing changes', async (t) => {
  const settings = new QueueSettingsStore(new MemoryStore(), () => 1);
  await settings.load(site.queues, site.agents);
  const code = async (work: Promise<unknown>) => (await t.throwsAsync(work, { instanceOf: QueueSettingsError }))?.code;
  t.is(await code(settings.put('queue', 'support', { id: 'support', strategy: 'loudest' }, 1, 'x', accept)), 'QUEUE_SETTINGS_INVALID');
  t.is(await code(settings.put('queue', 'support', { id: 'other' }, 1, 'x', accept)), 'QUEUE_SETTINGS_INVALID');
  t.is(await code(settings.put('queue', 'support', { id: 'support' }, 7, 'x', accept)), 'QUEUE_SETTINGS_CONFLICT');
  t.is(await code(settings.put('queue', 'new', { id: 'new' }, 1, 'x', accept)), 'QUEUE_SETTINGS_CONFLICT', 'creating takes revision 0');
  // sales overflows to support: support cannot go.
  const removal = await t.throwsAsync(settings.remove('queue', 'support', 1, accept), { instanceOf: QueueSettingsError });
  t.regex(removal?.message ?? '', /overflow names queue support/);
  await settings.put('agent', 'a2', { id: 'a2', endpoint: 'PJSIP/a2', extension: '1001' }, 0, 'x', accept);
  t.is(await code(settings.put('agent', 'a3', { id: 'a3', endpoint: 'PJSIP/a3', extension: '1001' }, 0, 'x', accept)), 'QUEUE_SETTINGS_INVALID');
  t.deepEqual(settings.list('queue').map((s) => s.revision), [1, 1]);
  t.deepEqual(settings.agents().map((a) => a.id), ['a1', 'a2']);
});

test('given the running ACD refuses a change, when saved, then nothing is written', async (t) => {
  const store = new MemoryStore();
  const settings = new QueueSettingsStore(store, () => 1);
  await settings.load(site.queues, site.agents);
  const busy = async () => {
    throw new Error('queue sales has callers waiting');
  };
  await t.throwsAsync(settings.remove('queue', 'sales', 1, busy), { message: /callers waiting/ });
  t.truthy(settings.get('queue', 'sales'));
  const restarted = new QueueSettingsStore(store, () => 2);
  await restarted.load(site.queues, site.agents);
  t.truthy(restarted.get('queue', 'sales'));
  await settings.remove('queue', 'sales', 1, accept);
  t.is(settings.get('queue', 'sales'), undefined);
});
