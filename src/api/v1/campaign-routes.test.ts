import test, { type ExecutionContext } from 'ava';
import { CampaignDialer } from '../../campaigns/campaign-dialer.ts';
import { CampaignService } from '../../campaigns/campaign-service.ts';
import { CampaignStore } from '../../campaigns/campaign-store.ts';
import { campaignRoutes } from './campaign-routes.ts';
import { apiHarness } from './testing-api.ts';

const quiet = { info() {}, warn() {}, error() {}, debug() {}, child() { return quiet; } } as never;
const valid = { name: 'Reminders', type: 'automated', flowId: 'remind', dial: 'PJSIP/{number}@carrier', callerId: { number: '4000' }, schedule: { windows: { mon: [{ from: '09:00', to: '18:00' }] } } };

async function setup(t: ExecutionContext) {
  const h = await apiHarness(async ({ store, clock, audit }) => {
    const campaignStore = new CampaignStore(store);
    // No telephony events in route tests: the dialer is never started, so nothing is dialed.
    const dialer = new CampaignDialer({
      store: campaignStore, clock, logger: quiet, siteTimeZone: 'Asia/Shanghai', flowVersion: () => 1, availableAgents: () => 0,
      telephony: { originate: async () => undefined, hangup: async () => undefined, onEvent: () => undefined, listChannels: async () => [] },
      calls: { adoptOutbound: () => undefined, on: () => undefined, isLive: () => false, record: async () => undefined, agentOf: async () => undefined },
    });
    const service = new CampaignService({ store: campaignStore, dialer, now: () => clock.now(), audit: (e) => audit.append(e), canRun: () => undefined });
    return { extraRoutes: [(api) => api.route('/', campaignRoutes({ campaigns: () => service }))] };
  });
  const admin = await h.login('admin');
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await h.request(path, { method, as: admin, headers, ...(body === undefined ? {} : typeof body === 'string' ? { body } : { json: body }) });
    const text = await res.text();
    return { status: res.status, json: text.startsWith('{') ? JSON.parse(text) : undefined, text };
  };
  return { ...h, call };
}

test('given a campaign, when created, filled from CSV, started, paused and exported, then each step answers and is audited', async (t) => {
  const { call, audit } = await setup(t);
  const created = await call('POST', '/campaigns', valid);
  t.is(created.status, 201);
  const id = created.json.campaign.id as string;
  const csv = 'number,name,timezone,appointment\n+8613800000001,Wang,Asia/Shanghai,Tue 10:00\n13800000002,Li,,Wed 14:00\n';
  const added = await call('POST', `/campaigns/${id}/contacts`, csv, { 'content-type': 'text/csv' });
  t.deepEqual(added.json, { added: 2 });
  const contacts = await call('GET', `/campaigns/${id}/contacts`);
  t.like(contacts.json.contacts[0], { number: '+8613800000001', name: 'Wang', timezone: 'Asia/Shanghai', fields: { appointment: 'Tue 10:00' }, state: 'pending' });
  t.like((await call('POST', `/campaigns/${id}/start`)).json.campaign, { state: 'running' });
  t.is((await call('PUT', `/campaigns/${id}`, valid)).status, 409, 'a running campaign is paused before it changes');
  t.like((await call('POST', `/campaigns/${id}/pause`)).json.campaign, { state: 'paused' });
  const stale = await call('PUT', `/campaigns/${id}`, valid, { 'if-match': '1' });
  t.is(stale.json.error.code, 'CAMPAIGN_CONFLICT');
  const progress = await call('GET', `/campaigns/${id}`);
  t.like(progress.json.progress, { contacts: { pending: 2 }, attempts: { total: 0 } });
  const results = await call('GET', `/campaigns/${id}/results.csv`);
  t.regex(results.text, /^contact,number,name,state/);
  t.is(results.text.trim().split(/\r?\n/).length, 3);
  const actions = (await audit.list({})).map((e) => e.action);
  for (const a of ['campaign.create', 'campaign.contacts.add', 'campaign.start', 'campaign.pause']) t.true(actions.includes(a), a);
});

test('given bad contacts, when added, then every bad row is named with its line and nothing is added', async (t) => {
  const { call } = await setup(t);
  const id = (await call('POST', '/campaigns', valid)).json.campaign.id as string;
  const bad = await call('POST', `/campaigns/${id}/contacts`, 'number,timezone\n12345,Asia/Shanghai\nnot-a-number,\n12345,\n999,Mars/Olympus\n', { 'content-type': 'text/csv' });
  t.is(bad.status, 400);
  t.is(bad.json.error.code, 'CAMPAIGN_CONTACTS_INVALID');
  t.deepEqual(bad.json.error.details.map((d: { row: number; field: string }) => `${d.row}:${d.field}`), ['3:number', '4:number', '5:timezone']);
  t.deepEqual((await call('GET', `/campaigns/${id}/contacts`)).json.contacts, []);
  const json = await call('POST', `/campaigns/${id}/contacts`, { contacts: [{ number: '1', extra: true }] });
  t.deepEqual(json.json.error.details.map((d: { field: string }) => d.field).sort(), ['(row)', 'number']);
  const badCampaign = await call('POST', '/campaigns', { ...valid, dial: 'PJSIP/${EXTEN}' });
  t.is(badCampaign.json.error.details[0].field, 'dial');
});

test('given the do-not-call list, when numbers are added and removed, then they are listed and a bad number is refused', async (t) => {
  const { call } = await setup(t);
  t.is((await call('POST', '/do-not-call', { numbers: [{ number: '+8613800000009', reason: 'asked' }] })).status, 200);
  t.like((await call('GET', '/do-not-call')).json.numbers[0], { number: '+8613800000009', reason: 'asked', by: 'admin' });
  t.is((await call('POST', '/do-not-call', { numbers: [{ number: 'x' }] })).status, 400);
  t.is((await call('DELETE', '/do-not-call/8613800000009')).status, 204);
  t.deepEqual((await call('GET', '/do-not-call')).json.numbers, []);
});
