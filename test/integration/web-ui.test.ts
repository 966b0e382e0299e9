// The web UI in a real browser (Debian's chromium, headless, driven by playwright-core; no
// browser is ever downloaded) against a running Deskline on the sandbox Asterisk: log in through
// the form, the wallboard updates live when an agent's state changes, the follow-ups list
// highlights overdue ones and filters by status, and the language switch (en ⇄ zh-CN) is
// remembered. Screenshots of each page in both languages go to .cache/screenshots/. Any console
// error or failed request fails the test.
import test from 'ava';
import type { Browser } from 'playwright-core';
import { useDeskline } from '../helpers/sandbox.ts';
import { simAgent } from '../helpers/queues.ts';
import { apiAs, launchBrowser, shot, watch } from '../helpers/browser.ts';

const { appliance } = useDeskline(test, {
  site: { id: 'webui', timezone: 'Asia/Shanghai' },
  queues: [
    { id: 'sales', requiredSkills: [{ skill: 'sales', minLevel: 1 }] },
    { id: 'support', requiredSkills: [{ skill: 'support', minLevel: 1 }] },
  ],
  agents: [simAgent('s1', { sales: 1 }), simAgent('s2', { sales: 2, support: 1 }), simAgent('t1', { support: 1 })],
});

let browser: Browser | undefined;
let base = '';

test.serial.before(async () => {
  base = appliance().httpUrl;
  browser = await launchBrowser();
});

test.serial.after.always(async () => {
  await browser?.close();
});

const adminApi = () => apiAs(appliance().httpUrl, appliance().firstAdmin!);

test.serial('given a running Deskline, when an admin logs in and uses the wallboard and follow-ups in en and zh-CN, then pages work live, in both languages, with no console error or failed request', async (t) => {
  const api = await adminApi();
  const now = Date.now();
  const { followup: late } = await api<{ followup: { id: string } }>('/followups', 'POST', { title: 'Call back about the invoice', priority: 'high', dueAt: now - 3 * 3600_000, callerNumber: '5550101', assignee: { skill: 'sales' } });
  await api('/followups', 'POST', { title: 'Send the contract', dueAt: now + 24 * 3600_000, callerNumber: '5550102' });
  const { followup: gone } = await api<{ followup: { id: string } }>('/followups', 'POST', { title: 'Duplicate request', dueAt: now - 3600_000 });
  await api(`/followups/${gone.id}/status`, 'POST', { status: 'cancelled', reason: 'duplicate' });
  for (const id of ['s1', 's2', 't1']) await api(`/agents/${id}/state`, 'POST', { action: 'login' });

  const context = await browser!.newContext({ locale: 'en-US', viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const problems = watch(page);

  // Anonymous: the start page sends to the login page, in the browser's language.
  await page.goto(`${base}/`);
  await page.waitForURL('**/login');
  await page.getByRole('heading', { name: 'Log in to Deskline' }).waitFor();
  await shot(page, 'login-en');
  await page.getByLabel('Language').selectOption('zh-CN');
  await page.getByRole('heading', { name: '登录 Deskline' }).waitFor();
  t.is(await page.locator('html').getAttribute('lang'), 'zh-CN');
  await shot(page, 'login-zh-CN');
  await page.getByLabel('语言').selectOption('en');

  // A wrong password says so; the form is usable from the keyboard (labels, Enter submits).
  const admin = appliance().firstAdmin!;
  await page.getByLabel('User name').fill(admin.username);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByLabel('Password').press('Enter');
  await page.getByRole('alert').filter({ hasText: 'The user name or password is wrong.' }).waitFor();
  // The two 401s so far are the ones asked for: nobody logged in yet, then the wrong password
  // (Chromium logs each as a console error too). Nothing else may fail.
  t.deepEqual(problems.splice(0).sort(), [
    `HTTP 401: GET ${base}/api/v1/auth/me`, `HTTP 401: POST ${base}/api/v1/auth/login`,
    'console: Failed to load resource: the server responded with a status of 401 (Unauthorized)',
    'console: Failed to load resource: the server responded with a status of 401 (Unauthorized)',
  ].sort());
  await page.getByLabel('Password').fill(admin.password);
  await page.getByLabel('Password').press('Enter');

  // The wallboard: both queues with their figures, agents by state, and the stream connected.
  await page.waitForURL('**/wallboard');
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  const sales = page.locator('section[data-queue="sales"]');
  await sales.getByRole('heading', { name: 'sales' }).waitFor();
  await page.locator('section[data-queue="support"]').waitFor();
  t.is(await sales.getByRole('meter', { name: 'Service level' }).count(), 1);
  t.is(await sales.getByRole('meter', { name: 'Waiting' }).getAttribute('aria-valuenow'), '0');
  const nav = page.getByRole('navigation');
  t.deepEqual(await nav.getByRole('link').allTextContents(), ['Wallboard', 'Agent console', 'IVR flows', 'Recordings', 'Knowledge', 'Reports', 'Follow-ups', 'Campaigns', 'Desk phone', 'Administration']);

  // Live: an agent paused through the API shows paused here without a reload.
  const s1 = page.locator('tr[data-agent="s1"]');
  await s1.waitFor();
  t.true((await s1.textContent())!.includes('Available'));
  await api('/agents/s1/state', 'POST', { action: 'pause', reason: 'break' });
  await s1.filter({ hasText: 'Paused' }).waitFor({ timeout: 10_000 });
  await sales.locator('.legend li').filter({ hasText: 'Paused' }).filter({ hasText: '1' }).waitFor({ timeout: 10_000 });
  await shot(page, 'wallboard-en');

  // Follow-ups: the overdue one highlighted and labelled, the cancelled one only under its filter.
  await nav.getByRole('link', { name: 'Follow-ups' }).click();
  await page.waitForURL('**/followups');
  const lateRow = page.locator(`tr[data-followup="${late.id}"]`);
  await lateRow.waitFor();
  t.is(await lateRow.getAttribute('class'), 'overdue');
  t.true((await lateRow.textContent())!.includes('Overdue'));
  t.is(await page.locator('tbody tr').count(), 2);
  await page.getByText('2 follow-ups, 1 overdue').waitFor();
  await shot(page, 'followups-en');
  await page.getByLabel('Status').selectOption('cancelled');
  await page.locator(`tr[data-followup="${gone.id}"]`).waitFor();
  t.is(await page.locator('tbody tr').count(), 1);
  t.is(await page.locator(`tr[data-followup="${gone.id}"]`).getAttribute('class'), null, 'a cancelled follow-up is not overdue');
  await page.getByLabel('Status').selectOption('active');

  // zh-CN: the whole shell and page switch, and the choice outlives a reload.
  await page.getByLabel('Language').selectOption('zh-CN');
  await page.getByRole('heading', { name: '待办工单' }).waitFor();
  await page.getByText('共 2 条，逾期 1 条').waitFor();
  t.true((await lateRow.textContent())!.includes('已逾期'));
  await shot(page, 'followups-zh-CN');
  await page.reload();
  await page.getByRole('heading', { name: '待办工单' }).waitFor();
  await page.getByRole('navigation').getByRole('link', { name: '监控大屏' }).click();
  await page.getByRole('status').filter({ hasText: '实时' }).waitFor();
  await page.locator('tr[data-agent="s1"]').filter({ hasText: '小休' }).waitFor();
  await shot(page, 'wallboard-zh-CN');

  // Logging out returns to the login page, still in the chosen language.
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.getByRole('heading', { name: '登录 Deskline' }).waitFor();
  await context.close();
  t.deepEqual(problems, []);

  // The language is the account's: another browser (nothing remembered) logs in to zh-CN.
  t.like(await api('/auth/me'), { locale: 'zh-CN' });
  const elsewhere = await browser!.newContext({ locale: 'en-US' });
  const other = await elsewhere.newPage();
  const otherProblems = watch(other);
  await other.goto(`${base}/login`);
  await other.getByRole('heading', { name: 'Log in to Deskline' }).waitFor();
  await other.getByLabel('User name').fill(admin.username);
  await other.getByLabel('Password').fill(admin.password);
  await other.getByLabel('Password').press('Enter');
  await other.getByRole('navigation').getByRole('link', { name: '监控大屏' }).waitFor();
  await elsewhere.close();
  t.deepEqual(otherProblems.filter((p) => !p.includes('401')), [], 'only the anonymous /auth/me is refused');
});
