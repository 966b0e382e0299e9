// A preview campaign at the agent's desk, in a real browser against a running Deskline on the
// sandbox Asterisk: the agent's console shows the contact (name, number, fields) before anything
// is dialled, in English and in Chinese; pressing Call places the call for the agent (their phone
// rings first, then the customer is dialled) and the contact ends completed, reached by this
// agent. Any console error or failed request fails the test.
import test from 'ava';
import type { Browser } from 'playwright-core';
import { apiAs, launchBrowser, logIn, shot, watch } from '../helpers/browser.ts';
import { allWeek, until } from '../helpers/campaigns.ts';
import { simAgent, simulate } from '../helpers/queues.ts';
import { useDeskline } from '../helpers/sandbox.ts';

const { appliance } = useDeskline(test, async () => ({
  site: { id: 'webpreview', timezone: 'UTC' },
  queues: [{ id: 'outbound', whisper: false, wrapUpSeconds: 0, recording: 'none' }],
  agents: [simAgent('pv1', {})],
}));

let browser: Browser | undefined;
test.serial.before(async () => { browser = await launchBrowser(); });
test.serial.after.always(async () => { await browser?.close(); });

const AGENT = { username: 'pia', password: 'Harbor-Lantern-77' };

test.serial('given a preview campaign, when the agent looks at the contact on the console and presses Call, then the call is placed for them and the contact is completed', async (t) => {
  const deskline = appliance();
  const base = deskline.httpUrl;
  const api = await apiAs(base, deskline.firstAdmin!);
  await api('/users', 'POST', { username: AGENT.username, password: AGENT.password, role: 'agent', agentId: 'pv1' });
  await simulate(deskline, 'pv1', 'answer,1,4');
  await simulate(deskline, '7501', 'answer,1,20');

  const context = await browser!.newContext({ locale: 'en-US', viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await logIn(page, base, AGENT);
  const problems = watch(page);
  await page.goto(`${base}/agent`);
  await page.getByRole('heading', { level: 1, name: /Agent console/ }).waitFor();
  await deskline.queues!.agentAction('pv1', 'login');

  const service = deskline.campaigns.service;
  const campaign = await service.create({
    name: 'Renewal calls', type: 'preview', queueId: 'outbound', dial: 'Local/{number}@deskline-sim/n', callerId: { number: '4000' },
    schedule: { windows: allWeek },
  }, 'test');
  await service.addContacts(campaign.id, [{ id: 'wf', number: '7501', name: 'Wang Fang', fields: { plan: 'Gold' } }], 'test');
  await service.setState(campaign.id, 'start', 'test');

  const card = page.locator('section.preview-card');
  await card.getByRole('heading', { name: 'Next contact · Renewal calls' }).waitFor();
  await card.getByText('Wang Fang').waitFor();
  await card.getByText('Gold').waitFor();
  await card.getByText('Not called before in this campaign.').waitFor();
  t.false((await deskline.telephony.listChannels()).some((c) => c.id.startsWith(`camp-${campaign.id}`)), 'nothing dialled while the agent looks');
  await shot(page, 'preview-card-en');

  // zh-CN: the same card in Chinese.
  await page.getByLabel('Language').selectOption('zh-CN');
  await card.getByRole('heading', { name: '下一位联系人 · Renewal calls' }).waitFor();
  await card.getByRole('button', { name: '拨打' }).waitFor();
  await shot(page, 'preview-card-zh-CN');
  await page.getByLabel('语言').selectOption('en');
  await card.getByRole('button', { name: 'Call', exact: true }).click();

  const done = await until('the contact completed', () => {
    const contact = service.contacts(campaign.id).find((c) => c.id === 'wf');
    return contact?.state === 'completed' ? contact : undefined;
  }, 60_000);
  t.deepEqual(done.attempts.map((a) => a.outcome), ['answered']);
  t.is(done.result?.reachedAgent, 'pv1');
  await card.waitFor({ state: 'detached' });
  const audited = await api<{ items: { actor: string; action: string }[] }>('/audit?action=campaign.preview.call&limit=5');
  t.like(audited.items[0], { actor: AGENT.username, action: 'campaign.preview.call' });
  t.deepEqual(problems, []);
  await context.close();
});
