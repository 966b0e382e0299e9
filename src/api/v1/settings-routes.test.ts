import test from 'ava';
import { apiHarness } from './testing-api.ts';
import { redacted, settingsRoutes } from './settings-routes.ts';
import { withEveryCapability } from './testing-capabilities.ts';

const settings = { asterisk: { ariUrl: 'http://127.0.0.1:8088/ari', ariUser: 'deskline', ariPassword: 'hunter2-long', ariPasswordFile: '/etc/deskline/ari.pw' }, webhooks: [{ secret: 'whsec_x' }], empty: { apiToken: '' } };

test('given settings with secrets, when read, then every secret value is redacted, file paths and empty values shown', (t) => {
  t.deepEqual(redacted(settings), { asterisk: { ariUrl: 'http://127.0.0.1:8088/ari', ariUser: 'deskline', ariPassword: '(set, not shown)', ariPasswordFile: '/etc/deskline/ari.pw' }, webhooks: [{ secret: '(set, not shown)' }], empty: { apiToken: '' } });
});

test('given a technician and an agent, when they read settings, then the technician gets them without secrets, the agent not at all', async (t) => {
  const h = await apiHarness({ extraRoutes: [(api) => api.route('/', settingsRoutes({ settings: () => settings }))] });
  const tech = await h.login('technician');
  const res = await h.request('/settings', { as: tech });
  t.is(res.status, 200);
  const text = await res.text();
  t.false(text.includes('hunter2'));
  t.is((await h.request('/settings', { as: await h.login('agent') })).status, 403);
});

test('given a technician, when settings are changed, then refused names are named, a stale revision conflicts, live ones apply at once, restart ones are listed as pending, and the change is audited', async (t) => {
  const appliedNow: string[][] = [];
  const h = await apiHarness(withEveryCapability(t, { applySettingsNow: (_config, changed) => void appliedNow.push(changed) }));
  const tech = await h.login('technician');
  const editable = await h.request('/settings/editable', { as: tech });
  t.is(editable.headers.get('etag'), '"1"');
  t.like(await editable.json(), { editable: { 'log.level': 'now', 'site.timezone': 'restart' }, restartRequired: [] });

  const refused = await h.request('/settings', { method: 'PATCH', as: tech, json: { changes: { 'asterisk.ariUrl': 'http://10.0.0.9:8088/ari', 'calls.idleTimeoutSeconds': -1 } } });
  t.is(refused.status, 400);
  t.like(await refused.json(), { error: { code: 'SETTINGS_INVALID', details: [{ path: ['asterisk.ariUrl'] }] } });

  const changed = await h.request('/settings', { method: 'PATCH', as: tech, json: { changes: { 'log.level': 'debug', 'site.timezone': 'Asia/Shanghai' } }, headers: { 'if-match': '"1"' } });
  t.is(changed.status, 200, await changed.clone().text());
  t.like(await changed.json(), { revision: 2, appliedNow: ['log.level'], restartRequired: ['site.timezone'], overrides: { 'log.level': 'debug', 'site.timezone': 'Asia/Shanghai' } });
  t.deepEqual(appliedNow, [['log.level']]);
  t.like(await (await h.request('/settings', { as: tech })).json(), { site: { timezone: 'Asia/Shanghai' }, log: { level: 'debug' } });

  const stale = await h.request('/settings', { method: 'PATCH', as: tech, json: { changes: { 'log.level': 'info' } }, headers: { 'if-match': '"1"' } });
  t.is(stale.status, 409);
  t.like((await h.audit.list()).find((e) => e.action === 'settings.update'), { actor: 'technician', detail: { appliedNow: ['log.level'], atRestart: ['site.timezone'] } });
  t.is((await h.request('/settings', { method: 'PATCH', as: await h.login('supervisor'), json: { changes: {} } })).status, 403);
});
