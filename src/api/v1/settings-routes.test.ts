import test from 'ava';
import { apiHarness } from './testing-api.ts';
import { redacted, settingsRoutes } from './settings-routes.ts';

const settings = { asterisk: { ariUrl: 'http://127.0.0.1:8088/ari', ariUser: 'deskline', ariPassword: 'hunter2-long', ariPasswordFile: '/etc/deskline/ari.pw' }, webhooks: [{ secret: 'whsec_x' }], empty: { apiToken: '' } };

test('given settings with secrets, when read, then every secret value is redacted, file paths and empty values shown', (t) => {
  t.deepEqual(redacted(settings), { asterisk: { ariUrl: 'http://127.0.0.1:8088/ari', ariUser: 'deskline', ariPassword: '(set, not shown)', ariPasswordFile: '/etc/deskline/ari.pw' }, webhooks: [{ secret: '(set, not shown)' }], empty: { apiToken: '' } });
});

test('given a technician and an agent, when they read settings and prompts, then the technician gets settings without secrets, the agent neither', async (t) => {
  const h = await apiHarness({ extraRoutes: [(api) => api.route('/', settingsRoutes({ settings: () => settings, prompts: () => new Map([['en', new Map([['greeting', 'Welcome']])]]) }))] });
  const tech = await h.login('technician');
  const res = await h.request('/settings', { as: tech });
  t.is(res.status, 200);
  const text = await res.text();
  t.false(text.includes('hunter2'));
  t.is((await h.request('/prompts', { as: tech })).status, 403, 'technicians do not see flows');
  const admin = await h.login('admin');
  t.deepEqual(await (await h.request('/prompts', { as: admin })).json(), { prompts: { en: { greeting: 'Welcome' } } });
  t.is((await h.request('/settings', { as: await h.login('agent') })).status, 403);
});
