import test from 'ava';
import { CampaignDialer, type PreviewPort } from '../../campaigns/campaign-dialer.ts';
import { CampaignService } from '../../campaigns/campaign-service.ts';
import { CampaignStore } from '../../campaigns/campaign-store.ts';
import { agentPreviewRoutes } from './agent-preview-routes.ts';
import { apiHarness } from './testing-api.ts';

const quiet = { info() {}, warn() {}, error() {}, debug() {}, child() { return quiet; } } as never;
const allWeek = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ from: '00:00', to: '23:59' }]]));

async function setup() {
  const port = { held: [] as string[], released: [] as string[], placed: [] as string[] };
  let service!: CampaignService;
  let dialer!: CampaignDialer;
  const h = await apiHarness(async ({ store, clock, audit }) => {
    const campaignStore = new CampaignStore(store);
    const preview: PreviewPort = {
      freeAgents: () => ['a1'],
      hold: async (id) => void port.held.push(id),
      release: async (id) => void port.released.push(id),
      place: async (input) => void port.placed.push(`${input.agentId}>${input.caller.number}@${input.endpoint}`),
    };
    dialer = new CampaignDialer({
      store: campaignStore, clock, logger: quiet, siteTimeZone: 'Asia/Shanghai', flowVersion: () => 1, availableAgents: () => 0, preview,
      telephony: { originate: async () => undefined, hangup: async () => undefined, onEvent: () => undefined, listChannels: async () => [] },
      calls: { adoptOutbound: () => undefined, on: () => undefined, isLive: () => false, record: async () => undefined, agentOf: async () => undefined },
    });
    service = new CampaignService({ store: campaignStore, dialer, now: () => clock.now(), audit: (e) => audit.append(e), canRun: () => undefined });
    return { extraRoutes: [(api) => api.route('/', agentPreviewRoutes({ campaigns: () => service }))] };
  });
  const campaign = await service.create({ name: 'Win-back', type: 'preview', queueId: 'sales', dial: 'PJSIP/{number}@carrier', callerId: { number: '4000' }, schedule: { windows: allWeek } }, 'admin');
  await service.addContacts(campaign.id, [{ id: 'c1', number: '5551001', fields: { plan: 'gold' } }, { id: 'c2', number: '5551002' }], 'admin');
  // The dialer acts in its own order (a tick after each change): wait for it to settle.
  const settled = async () => {
    await new Promise((r) => setTimeout(r, 0));
    await dialer.idle();
  };
  return { h, port, service, campaign, settled };
}

test('given a contact shown to agent a1, when a1 calls it, then the call is placed for a1 with the campaign\'s dial string, and the action is audited', async (t) => {
  const { h, port, service, campaign, settled } = await setup();
  t.is(service.previewOf('a1'), undefined, 'nothing shown before the campaign runs');
  await service.setState(campaign.id, 'start', 'admin');
  await settled();
  const shown = service.previewOf('a1')!;
  t.like(shown, { campaign: { id: campaign.id, name: 'Win-back' }, contact: { id: 'c1', state: 'preview', fields: { plan: 'gold' } } });
  t.deepEqual(port.held, ['a1'], 'the agent is held from other calls while looking');
  t.deepEqual(port.placed, [], 'nothing dialled before the agent presses Call');
  const agent = await h.login('agent');
  const res = await h.request('/agents/a1/preview/call', { method: 'POST', as: agent });
  t.is(res.status, 200);
  t.like(await res.json(), { callId: `camp-${campaign.id}-c1-1` });
  t.deepEqual(port.placed, ['a1>5551001@PJSIP/5551001@carrier']);
  t.like(service.contacts(campaign.id).find((c) => c.id === 'c1'), { state: 'dialing' });
  const audit = await h.request('/audit?limit=5', { as: await h.login('admin') });
  t.true(JSON.stringify(await audit.json()).includes('campaign.preview.call'));
});

test('given preview actions, then another agent is refused (403), an agent with nothing shown gets 404, pausing takes the contact back, and skip puts the contact back without an attempt', async (t) => {
  const { h, port, service, campaign, settled } = await setup();
  const agent = await h.login('agent');
  t.is((await h.request('/agents/a2/preview/skip', { method: 'POST', as: agent })).status, 403);
  const none = await h.request('/agents/a1/preview/call', { method: 'POST', as: agent });
  t.is(none.status, 404);
  t.like(await none.json(), { error: { code: 'PREVIEW_NOT_FOUND' } });
  t.is((await h.request('/agents/a1/preview/dial', { method: 'POST', as: agent })).status, 400, 'unknown action named');
  await service.setState(campaign.id, 'start', 'admin');
  await settled();
  const skip = await h.request('/agents/a1/preview/skip', { method: 'POST', as: agent });
  t.is(skip.status, 200);
  const c1 = service.contacts(campaign.id).find((c) => c.id === 'c1')!;
  t.like(c1, { state: 'retry-wait', skips: 1 });
  t.is(c1.attempts.length, 0);
  t.deepEqual(port.released, ['a1']);
  // The next contact is shown at once; pausing the campaign takes it back from the agent.
  await settled();
  t.like(service.previewOf('a1'), { contact: { id: 'c2' } });
  await service.setState(campaign.id, 'pause', 'admin');
  await settled();
  t.is(service.previewOf('a1'), undefined);
  t.like(service.contacts(campaign.id).find((c) => c.id === 'c2'), { state: 'pending' });
  t.deepEqual(port.released, ['a1', 'a1'], 'released again when the contact was taken back');
  t.is((await h.request('/agents/a1/preview/call', { method: 'POST', as: agent })).status, 404);
});
