// The reports page in a real browser (Debian's chromium through playwright-core) against a running
// Deskline on the sandbox Asterisk: real calls are placed first (two answered in queue sales, one
// abandoned in queue support), then the page's charts must carry exactly those numbers (read from
// the bars' and points' accessible names, not from pixels), the queue filter must change them, the
// CSV download must hold them, and the follow-ups link must show the overdue count. Screenshots in
// en and zh-CN; any console error or failed request fails the test.
import test from 'ava';
import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { placeTestCall } from '../../src/calls/test-call.ts';
import { tempDir } from '../helpers/appliance.ts';
import { apiAs, launchBrowser, logIn, shot, watch } from '../helpers/browser.ts';
import { simAgent, simulate, writeQueueFlow } from '../helpers/queues.ts';
import { useDeskline } from '../helpers/sandbox.ts';

const ZONE = 'Asia/Shanghai';
const flowsDir = await tempDir('deskline-web-reports-');
const { sandbox, appliance } = useDeskline(test, async () => {
  const routes = [
    { number: '6100', flow: await writeQueueFlow(flowsDir.path, 'sales') },
    { number: '6101', flow: await writeQueueFlow(flowsDir.path, 'support') },
  ];
  const fast = { ringTimeoutSeconds: 30, wrapUpSeconds: 0, whisper: false, autoPauseAfterMisses: 0 };
  return {
    site: { id: 'webreports', timezone: ZONE },
    ivr: { flowsDir: flowsDir.path, routes },
    queues: [
      { id: 'sales', requiredSkills: [{ skill: 'sales', minLevel: 1 }], ...fast },
      { id: 'support', requiredSkills: [{ skill: 'support', minLevel: 1 }], ...fast },
    ],
    agents: [simAgent('s1', { sales: 1 }), simAgent('s2', { sales: 1 }), simAgent('t1', { support: 1 })],
  };
});
sandbox.cleanup(() => flowsDir.remove());

let browser: Browser | undefined;
test.serial.before(async () => { browser = await launchBrowser(); });
test.serial.after.always(async () => { await browser?.close(); });

interface Totals { total: { calls: number; answered: number; abandoned: number } }

test.serial('given two answered calls in sales and one abandoned in support, when the reports page is opened, then its charts show those numbers, the queue filter narrows them, CSV downloads them, in en and zh-CN without errors', async (t) => {
  const deskline = appliance();
  const admin = deskline.firstAdmin!;
  const api = await apiAs(deskline.httpUrl, admin);
  await simulate(deskline, 's1', 'answer,1,3');
  await simulate(deskline, 's2', 'answer,1,3');
  await simulate(deskline, 't1', 'ignore');
  for (const id of ['s1', 's2', 't1']) await api(`/agents/${id}/state`, 'POST', { action: 'login' });
  const now = Date.now();
  await api('/followups', 'POST', { title: 'Late callback', dueAt: now - 3_600_000, callerNumber: '5550199' });
  await api('/followups', 'POST', { title: 'Later', dueAt: now + 86_400_000, callerNumber: '5550198' });

  // The calls: sales answered twice (the same caller: the second is a repeat call), support abandoned after 8 s of ringing nobody answered.
  const media = { telephony: deskline.telephony, calls: deskline.calls, records: deskline.records, media: sandbox().media };
  const place = (to: string, script: string, callerNumber: string) => placeTestCall({ to, script, callerNumber, timeoutSeconds: 60 }, media);
  await Promise.all([place('6100', 'wait 12; hangup', '5550100'), place('6101', 'wait 8; hangup', '5550200')]);
  await place('6100', 'wait 12; hangup', '5550100');
  await deskline.calls.idle();
  // The rollups are written as calls end: wait until the report has all three.
  const deadline = Date.now() + 20_000;
  let report: Totals | undefined;
  while (Date.now() < deadline) {
    report = await api<Totals>(`/reports/calls?from=${now - 3_600_000}&to=${Date.now() + 60_000}&interval=total`);
    if (report.total.calls === 3 && report.total.answered === 2 && report.total.abandoned === 1) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  t.like(report, { total: { calls: 3, answered: 2, abandoned: 1 } }, 'the calls reached the report rollups');

  const context = await browser!.newContext({ locale: 'en-US', viewport: { width: 1360, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems = watch(page);
  await logIn(page, deskline.httpUrl, admin);
  await page.getByRole('navigation').getByRole('link', { name: 'Reports' }).click();
  await page.waitForURL('**/reports');
  await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();

  const today = (locale: string) => new Intl.DateTimeFormat(locale, { timeZone: ZONE, month: 'numeric', day: 'numeric' }).format(Date.now());
  const bar = (name: string) => page.getByRole('img', { name, exact: true });
  const tile = (key: string) => page.locator(`[data-tile="${key}"] dd`);

  // All calls: today's bars, the headline figures, the rates as points.
  await page.getByText(`Days and hours in the site's time zone (${ZONE}).`).waitFor();
  await bar(`${today('en')}, Calls: 3`).waitFor();
  await bar(`${today('en')}, Answered: 2`).waitFor();
  await bar(`${today('en')}, Abandoned: 1`).waitFor();
  t.is(await tile('calls').textContent(), '3');
  t.is(await tile('answered').textContent(), '2 of 3');
  t.is(await tile('abandon').textContent(), '33%');
  // Service level: sales answered within 1–2 s, the support caller gave up after 8 s (more than 5 s): 2 of 3.
  t.is(await tile('sl').textContent(), '67%');
  await bar(`${today('en')}, Service level: 67%`).waitFor();
  await bar(`${today('en')}, Repeat calls: 1`).waitFor();
  t.is(await tile('repeat').textContent(), '33%');
  // The IVR funnel of the flows (site-wide): each queue flow's first node reached by its callers.
  const funnel = page.locator('[data-chart="funnel"]');
  await funnel.getByRole('img', { name: /^q: \d reached, 0 hung up here$/ }).first().waitFor();
  // A bar says its value on focus too (keyboard users): the tooltip text appears in the SVG.
  await bar(`${today('en')}, Calls: 3`).focus();
  await page.locator('[data-chart="calls"] .chart-tip').filter({ hasText: 'Calls: 3' }).waitFor();

  // The follow-ups link: one overdue.
  await page.getByRole('link', { name: 'Follow-ups: 1 overdue' }).waitFor();

  // CSV: the figures per interval, today's line holds the same numbers.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Figures per interval' }).click()]);
  const csv = await readFile((await download.path())!, 'utf8');
  const [head, ...rows] = csv.trim().split('\r\n').map((l) => l.split(','));
  const col = (name: string) => head!.indexOf(name);
  const todayIso = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now());
  const todayRow = rows.find((r) => r[0]!.startsWith(`${todayIso}T00:00`));
  t.truthy(todayRow, `a CSV line for ${todayIso}`);
  t.deepEqual([todayRow![col('calls')], todayRow![col('answered')], todayRow![col('abandoned')]], ['3', '2', '1']);
  t.is(download.suggestedFilename(), 'calls-series.csv');
  await shot(page, 'reports-en');

  // Filter: queue sales — two calls, both answered, nothing abandoned; the page says which calls.
  await page.getByLabel('Calls of').selectOption('queue:sales');
  await page.getByRole('heading', { name: 'Queue sales' }).waitFor();
  await bar(`${today('en')}, Answered: 2`).waitFor();
  await bar(`${today('en')}, Abandoned: 0`).waitFor();
  t.is(await tile('answered').textContent(), '2 of 2');
  t.is(await tile('sl').textContent(), '100%');
  // Queue support: the one abandoned call, service level 0.
  await page.getByLabel('Calls of').selectOption('queue:support');
  await page.getByRole('heading', { name: 'Queue support' }).waitFor();
  await bar(`${today('en')}, Abandoned: 1`).waitFor();
  await bar(`${today('en')}, Answered: 0`).waitFor();
  t.is(await tile('abandon').textContent(), '100%');
  t.is(await tile('sl').textContent(), '0%');
  // The CSV link follows the filter.
  t.regex((await page.getByRole('link', { name: 'Figures per interval' }).getAttribute('href'))!, /queue=support/);

  // zh-CN: same numbers, Chinese names.
  await page.getByLabel('Calls of').selectOption('');
  await page.getByLabel('Language').selectOption('zh-CN');
  await page.getByRole('heading', { name: '报表', level: 1 }).waitFor();
  await bar(`${today('zh-CN')}, 通话: 3`).waitFor();
  await bar(`${today('zh-CN')}, 接通: 2`).waitFor();
  await page.getByRole('link', { name: '待办工单：1 条逾期' }).waitFor();
  await page.getByRole('figure', { name: '各时段通话量' }).waitFor();
  await shot(page, 'reports-zh-CN');
  await page.getByLabel('语言').selectOption('en');
  await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();

  await context.close();
  // The login page's first GET /auth/me is a 401 (nobody logged in yet); nothing else may fail.
  t.deepEqual(problems.filter((p) => !p.includes('401')), []);
  for (const id of ['s1', 's2', 't1']) await api(`/agents/${id}/state`, 'POST', { action: 'logout' }).catch(() => undefined);
});
