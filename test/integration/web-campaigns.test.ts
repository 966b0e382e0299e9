// The campaigns page in a real browser against a running Deskline on the sandbox Asterisk. An admin
// creates an automated campaign through the form (a bad caller ID first: the API's message shows at
// that field), loads contacts from a CSV with a bad row (the row is named, nothing is added) and
// then a good one, edits the campaign while someone else changes it (the stale revision is said,
// their version loads), puts a number on the do-not-call list, starts and pauses it, downloads its
// results. Nothing is dialed: its only calling window is Sunday 00:00–00:01 and today and tomorrow
// are its holidays. An agent does not see the page. Screenshots in en and zh-CN; the only failed
// requests allowed are the three the test provokes on purpose.
import test from 'ava';
import { readFile, writeFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { tempDir } from '../helpers/appliance.ts';
import { apiAs, launchBrowser, logIn, shot, watch } from '../helpers/browser.ts';
import { useDeskline } from '../helpers/sandbox.ts';

const ZONE = 'Asia/Shanghai';
const flows = await tempDir('deskline-web-campaigns-');
await writeFile(`${flows.path}/survey-visit.yaml`, [
  'id: survey-visit',
  'name: After-visit survey',
  'languages: [en]',
  'defaultLanguage: en',
  'start: ask',
  'nodes:',
  '  ask: { kind: gather, prompts: [{ sound: beep }], variable: rating, maxDigits: 1, timeoutSeconds: 5, next: bye, onFailure: bye }',
  '  bye: { kind: hangup }',
  '',
].join('\n'));
const { sandbox, appliance } = useDeskline(test, { site: { id: 'webcampaigns', timezone: ZONE }, ivr: { flowsDir: flows.path }, queues: [{ id: 'support' }] });

let browser: Browser | undefined;
test.serial.before(async () => { browser = await launchBrowser(); });
sandbox.cleanup(() => flows.remove());
test.serial.after.always(async () => { await browser?.close(); });

/** A date in the site's zone (YYYY-MM-DD), `days` from now. */
const siteDate = (days: number) => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now() + days * 86_400_000);

interface CampaignRow { campaign: { id: string; name: string; state: string; revision: number; callerId: { number: string } }; progress: { contacts: Record<string, number>; attempts: { total: number } } }

test.serial('given an admin, when a campaign is created, loaded with contacts, edited, started and paused on the campaigns page, then each step shows and nothing is dialed, in en and zh-CN without unexpected errors', async (t) => {
  const deskline = appliance();
  const base = deskline.httpUrl;
  const admin = deskline.firstAdmin!;
  const api = await apiAs(base, admin);

  const context = await browser!.newContext({ locale: 'en-US', viewport: { width: 1360, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems = watch(page);
  await logIn(page, base, admin);
  await page.getByRole('navigation').getByRole('link', { name: 'Campaigns', exact: true }).click();
  await page.waitForURL('**/campaigns');
  await page.getByRole('heading', { name: 'Outbound campaigns', level: 1 }).waitFor();
  await page.getByText('No campaigns yet.').waitFor();

  // The form: a caller ID that is not a number is refused, and the API's message sits at that field.
  await page.getByRole('link', { name: 'New campaign' }).click();
  await page.waitForURL('**/campaigns/new');
  await page.getByLabel('Name', { exact: true }).fill('After-visit survey');
  await page.getByLabel('Flow', { exact: true }).selectOption('survey-visit');
  t.is(await page.locator('#campaign-flow option[value="survey-visit"]').textContent(), 'survey-visit (published v1)');
  await page.getByLabel('Dial string').fill('Local/{number}@deskline-sim/n');
  await page.getByLabel('Caller ID number').fill('not-a-number');
  await page.getByLabel('Caller ID name').fill('Deskline');
  for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']) await page.getByLabel(day, { exact: true }).fill('');
  await page.getByLabel('Sunday', { exact: true }).fill('00:00-00:01');
  await page.getByLabel('Holidays (not called)').fill(`${siteDate(0)}, ${siteDate(1)}`);
  await page.getByLabel('Calls at once (max)').fill('2');
  await page.getByLabel('Busy: retry after (minutes)').fill('5');
  await page.getByRole('button', { name: 'Create campaign' }).click();
  await page.locator('#campaign-caller-number-error').filter({ hasText: 'digits, optionally after a +' }).waitFor();
  t.is(await page.getByLabel('Caller ID number').getAttribute('aria-invalid'), 'true');
  await page.getByRole('alert').filter({ hasText: 'Caller ID number: digits, optionally after a +' }).waitFor();
  t.deepEqual((await api<{ campaigns: unknown[] }>('/campaigns')).campaigns, [], 'nothing was created');

  await page.getByLabel('Caller ID number').fill('4000');
  await page.getByRole('button', { name: 'Create campaign' }).click();
  await page.waitForURL(/\/campaigns\/c[0-9a-z]+$/);
  const id = new URL(page.url()).pathname.split('/')[2]!;
  await page.getByRole('heading', { name: 'After-visit survey', level: 2 }).waitFor();
  await page.getByRole('status').filter({ hasText: 'State: Draft' }).waitFor();
  const created = (await api<CampaignRow>(`/campaigns/${id}`)).campaign as unknown as Record<string, unknown>;
  t.like(created, { type: 'automated', flowId: 'survey-visit', dial: 'Local/{number}@deskline-sim/n', callerId: { number: '4000', name: 'Deskline' }, schedule: { windows: { sun: [{ from: '00:00', to: '00:01' }] }, holidays: [siteDate(0), siteDate(1)] }, pacing: { maxConcurrent: 2 }, retry: { busy: { afterMinutes: 5, maxAttempts: 3 } } });
  t.deepEqual(Object.keys((created.schedule as { windows: object }).windows), ['sun']);

  // A CSV with a bad number on its third line: that row is named and nothing is added.
  const file = page.getByLabel('CSV file', { exact: true });
  await file.setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('number,name,store\n13800000001,Li Lei,Pudong\nnot-a-phone,Han Meimei,Xuhui\n') });
  await page.getByRole('button', { name: 'Upload' }).click();
  const problemRow = page.locator('table.problems tr[data-row="3"]');
  await problemRow.waitFor();
  t.is(await problemRow.locator('td').nth(1).textContent(), 'number');
  await page.getByText('No contacts yet: upload a CSV file.').waitFor();
  t.deepEqual((await api<{ contacts: unknown[] }>(`/campaigns/${id}/contacts`)).contacts, []);

  await file.setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from('number,name,store\n13800000001,Li Lei,Pudong\n13800000002,Han Meimei,Xuhui\n13800000003,Wang Fang,Minhang\n') });
  await page.getByRole('button', { name: 'Upload' }).click();
  await page.getByText('3 contacts added from good.csv.').waitFor();
  await page.getByRole('heading', { name: 'Contacts (3)' }).waitFor();
  t.is(await page.locator('table.contacts tbody tr').count(), 3);
  t.is(await page.locator('table.contacts tr', { hasText: '13800000002' }).locator('td').nth(1).textContent(), 'Not called yet');
  await page.locator(`[data-chart="campaign-${id}-contacts"]`).getByRole('img', { name: 'Not called yet: 3 of 3 (100%)' }).waitFor();

  // Edit while someone else saves: the stale revision is said, their version loads, then it saves.
  await page.getByRole('link', { name: 'Edit' }).click();
  await page.waitForURL(`**/campaigns/${id}/edit`);
  await page.getByLabel('Name', { exact: true }).waitFor();
  const { campaign: current } = await api<CampaignRow>(`/campaigns/${id}`);
  const { id: _id, state: _s, revision: _r, createdAt: _c, updatedAt: _u, ...input } = current as unknown as Record<string, unknown>;
  await api(`/campaigns/${id}`, 'PUT', { ...input, name: 'Survey (supervisor)' });
  await page.getByLabel('Name', { exact: true }).fill('My survey');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('alert').filter({ hasText: 'Someone else changed this campaign after you opened it.' }).waitFor();
  await page.getByRole('button', { name: 'Load their version' }).click();
  await page.waitForFunction("document.querySelector('#campaign-name')?.value === 'Survey (supervisor)'");
  await page.getByLabel('Name', { exact: true }).fill('After-visit survey (Nov)');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL(`**/campaigns/${id}`);
  await page.getByRole('heading', { name: 'After-visit survey (Nov)', level: 2 }).waitFor();
  t.is((await api<CampaignRow>(`/campaigns/${id}`)).campaign.revision, 3);

  // The do-not-call list: add a number of the campaign.
  await page.getByRole('link', { name: 'Do-not-call list' }).click();
  await page.waitForURL('**/campaigns/do-not-call');
  await page.getByLabel('Numbers to add').fill('13800000003\n+8613900000009');
  await page.getByLabel('Reason').fill('asked not to be called');
  await page.getByRole('button', { name: 'Add to the list' }).click();
  await page.getByText('2 numbers added to the do-not-call list.').waitFor();
  await page.locator('tr[data-dnc="13800000003"]').filter({ hasText: 'asked not to be called' }).waitFor();
  t.deepEqual((await api<{ numbers: { number: string }[] }>('/do-not-call')).numbers.map((n) => n.number).sort(), ['+8613900000009', '13800000003']);
  // …and take one off again (two steps: it asks first).
  await page.getByRole('button', { name: 'Remove +8613900000009' }).click();
  await page.getByRole('group', { name: /Take \+8613900000009 off the list/ }).getByRole('button', { name: 'Remove' }).click();
  await page.getByText('+8613900000009 taken off the do-not-call list.').waitFor();
  t.is(await page.locator('tr[data-dnc]').count(), 1);

  // Start and pause: the list shows it running and live; nothing is dialed outside the window.
  await page.getByRole('link', { name: 'Campaigns', exact: true }).first().click();
  await page.getByRole('link', { name: 'After-visit survey (Nov)' }).click();
  await page.getByRole('button', { name: 'Start' }).click();
  await page.getByRole('status').filter({ hasText: 'State: Running' }).waitFor();
  await page.getByText('Campaign "After-visit survey (Nov)" started.').waitFor();
  await page.getByText('(updated every 3 s while running)').waitFor();
  await page.getByRole('link', { name: '← All campaigns' }).click();
  const card = page.locator(`li[data-campaign="${id}"]`);
  await card.getByText('Running', { exact: true }).waitFor();
  await page.getByText('1 campaigns, 1 running. (updated every 3 s while running)').waitFor();
  await card.getByRole('link', { name: 'After-visit survey (Nov)' }).click();
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByRole('status').filter({ hasText: 'State: Paused' }).waitFor();
  await page.getByRole('button', { name: 'Resume' }).waitFor();
  const paused = await api<CampaignRow>(`/campaigns/${id}`);
  t.is(paused.campaign.state, 'paused');
  t.is(paused.progress.attempts.total, 0, 'nothing was dialed: the window is closed today');
  t.is(paused.progress.contacts.pending, 3);

  // The results as CSV: one row per contact.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download results (CSV)' }).click()]);
  const lines = (await readFile((await download.path())!, 'utf8')).trim().split(/\r?\n/);
  t.is(lines[0], 'contact,number,name,state,attempts,last_outcome,last_attempt_at,call_id,digits,agent,variables');
  t.is(lines.length, 4);
  t.is(download.suggestedFilename(), `campaign-${id}.csv`);
  await page.locator('.campaign-part').first().focus();
  await shot(page, 'campaigns-en');

  // zh-CN: the same campaign in Chinese.
  await page.getByLabel('Language').selectOption('zh-CN');
  await page.getByRole('heading', { name: '外呼活动', level: 1 }).waitFor();
  await page.getByRole('status').filter({ hasText: '状态： 已暂停' }).waitFor();
  await page.getByRole('button', { name: '继续' }).waitFor();
  await page.getByText('活动“After-visit survey (Nov)”已暂停。').waitFor();
  await page.locator(`[data-chart="campaign-${id}-contacts"]`).getByRole('img', { name: '尚未拨打：3 / 3（100%）' }).waitFor();
  await shot(page, 'campaigns-zh-CN');
  await page.getByRole('link', { name: '勿扰名单' }).click();
  await page.getByRole('heading', { name: '勿扰名单', level: 2 }).waitFor();
  await shot(page, 'campaigns-dnc-zh-CN');
  await page.getByLabel('语言').selectOption('en');
  await page.getByRole('heading', { name: 'Outbound campaigns', level: 1 }).waitFor();
  await context.close();

  // The three refusals provoked above (bad caller ID, bad CSV row, stale revision), each a 4xx and
  // its console line; the login page's first GET /auth/me is a 401. Nothing else may fail.
  const provoked = [`HTTP 400: POST ${base}/api/v1/campaigns`, `HTTP 400: POST ${base}/api/v1/campaigns/${id}/contacts`, `HTTP 409: PUT ${base}/api/v1/campaigns/${id}`];
  const unexpected = problems.filter((p) => !p.includes('401') && !provoked.includes(p) && !/^console: Failed to load resource: the server responded with a status of (400|409)/.test(p));
  t.deepEqual(unexpected, []);
  t.deepEqual(problems.filter((p) => p.startsWith('HTTP 4') && !p.includes('401')).sort(), [...provoked].sort());
});

test.serial('given an agent, when logged in, then the campaigns page is not in the navigation, does not open, and the API refuses it', async (t) => {
  const deskline = appliance();
  const api = await apiAs(deskline.httpUrl, deskline.firstAdmin!);
  await api('/users', 'POST', { username: 'agent-camp', password: 'Lantern-Orbit-58', role: 'agent' });
  const context = await browser!.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems = watch(page);
  await logIn(page, deskline.httpUrl, { username: 'agent-camp', password: 'Lantern-Orbit-58' });
  const nav = page.locator('header.top nav');
  await nav.getByRole('link').first().waitFor();
  t.is(await nav.getByRole('link', { name: 'Campaigns' }).count(), 0);
  await page.goto(`${deskline.httpUrl}/campaigns`);
  await nav.waitFor();
  t.is(await page.getByRole('heading', { name: 'Outbound campaigns' }).count(), 0);
  const agentApi = await apiAs(deskline.httpUrl, { username: 'agent-camp', password: 'Lantern-Orbit-58' });
  await t.throwsAsync(agentApi('/campaigns'), { message: /GET \/campaigns: 403/ });
  await context.close();
  t.deepEqual(problems.filter((p) => !p.includes('401')), []);
});
