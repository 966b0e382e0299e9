// The staffing forecast on the reports page in a real browser against a running Deskline on the
// sandbox Asterisk. History is not made of real calls (two weeks of them would take two weeks):
// seeded Poisson calls with a known weekly pattern are written as call records and handed to the
// appliance's call-endings feed, which records them in the report rollups exactly as ended calls
// are. Then the page's chart, table and CSV must carry the numbers the API answers, the target
// inputs must change them, a holiday of the number routes' business hours next week must be
// flagged, and the chart must be readable by keyboard. Screenshots in en and zh-CN; any console
// error or failed request fails the test.
import test from 'ava';
import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { forecastWeek, historyRange } from '../../src/staffing/forecast.ts';
import { scriptOf, syntheticFacts } from '../../src/staffing/testing/synthetic-history.ts';
import { tempDir } from '../helpers/appliance.ts';
import { apiAs, launchBrowser, logIn, shot, watch } from '../helpers/browser.ts';
import { writeQueueFlow } from '../helpers/queues.ts';
import { useDeskline } from '../helpers/sandbox.ts';

const ZONE = 'Asia/Shanghai';
// The forecast week's Wednesday is a holiday of the site (its number route's business hours).
const holiday = forecastWeek(Date.now(), ZONE)[2]!.date;
const flowsDir = await tempDir('deskline-web-staffing-');
const { sandbox, appliance } = useDeskline(test, async () => ({
  site: { id: 'webstaffing', timezone: ZONE },
  ivr: {
    flowsDir: flowsDir.path,
    routes: [{ number: '6300', flow: await writeQueueFlow(flowsDir.path, 'billing'), hours: { timezone: ZONE, weekly: { mon: ['08:00-20:00'], tue: ['08:00-20:00'], wed: ['08:00-20:00'], thu: ['08:00-20:00'], fri: ['08:00-20:00'], sat: ['08:00-20:00'] }, holidays: [{ date: holiday, name: 'Company day' }] } }],
  },
  queues: [{ id: 'billing', requiredSkills: [{ skill: 'billing', minLevel: 1 }], wrapUpSeconds: 30 }],
  agents: [],
}));

let browser: Browser | undefined;
test.serial.before(async () => { browser = await launchBrowser(); });
sandbox.cleanup(() => flowsDir.remove());
test.serial.after.always(async () => { await browser?.close(); });

interface Interval { date: string; time: string; weekday: number; calls: number; agents: number; holiday?: string }
interface Forecast { model: string; intervals: Interval[]; holidaysAhead: { date: string; name: string }[] }

test.serial('given two weeks of seeded call history, when the reports page shows the staffing forecast, then chart, table and CSV carry the API\'s numbers, the target changes them, the holiday is flagged, in en and zh-CN without errors', async (t) => {
  const deskline = appliance();
  const admin = deskline.firstAdmin!;
  const api = await apiAs(deskline.httpUrl, admin);

  // Two weeks of history at a quarter of the pattern's volume (about 1,300 calls).
  const range = historyRange(Date.now(), 2, ZONE);
  const facts = syntheticFacts(range.from, range.to, ZONE, { seed: 21, scale: () => 0.25 });
  for (const f of facts) {
    const { call, trail } = scriptOf(f);
    await deskline.records.save(undefined, call, trail);
    deskline.endings.ended(call.callId);
  }
  await deskline.endings.idle();
  const recorded = await api<{ total: { offered: number } }>(`/reports/calls?from=${range.from}&to=${range.to}&interval=total&queue=billing`);
  t.is(recorded.total.offered, facts.length, 'every seeded call reached the rollups');

  const expected = await api<Forecast>('/reports/staffing?queue=billing');
  const strict = await api<Forecast>('/reports/staffing?queue=billing&target=95&thresholdSeconds=10');
  const total = (f: Forecast) => Math.round(f.intervals.reduce((s, i) => s + i.calls, 0));
  const peakAgents = (f: Forecast) => Math.max(...f.intervals.map((i) => i.agents));
  t.true(total(expected) > 100 && peakAgents(strict) > peakAgents(expected));
  t.deepEqual(expected.holidaysAhead, [{ date: holiday, name: 'Company day' }]);

  const context = await browser!.newContext({ locale: 'en-US', viewport: { width: 1360, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems = watch(page);
  await logIn(page, deskline.httpUrl, admin);
  await page.getByRole('navigation').getByRole('link', { name: 'Reports' }).click();
  await page.waitForURL('**/reports');
  const section = page.getByRole('region', { name: 'Staffing forecast for next week' });
  await section.waitFor();
  // The page starts with all queues together; pick the queue and calculate.
  await section.getByLabel('Queue', { exact: true }).selectOption('billing');
  await section.getByRole('button', { name: 'Calculate' }).click();
  await section.getByText(`Forecast ready: ${total(expected)} calls next week, at most ${peakAgents(expected)} agents at once.`).waitFor();

  // The chart: the busiest half hour, named with its numbers.
  const md = (date: string) => new Intl.DateTimeFormat('en', { month: 'numeric', day: 'numeric', timeZone: 'UTC' }).format(Date.parse(`${date}T00:00:00Z`));
  const weekday = (i: Interval) => ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][i.weekday]!;
  const peak = expected.intervals.reduce((a, b) => (b.calls > a.calls ? b : a));
  const calls = (v: number) => new Intl.NumberFormat('en', { maximumFractionDigits: 1 }).format(v);
  const chart = section.locator('[data-chart="staffing-week"]');
  await chart.getByRole('img', { name: `${weekday(peak)} ${md(peak.date)} ${peak.time}: ${calls(peak.calls)} calls, ${peak.agents} agents`, exact: true }).waitFor();
  // Keyboard: one tab stop; End goes to Sunday 23:30, the tooltip follows focus.
  const first = expected.intervals[0]!;
  const last = expected.intervals.at(-1)!;
  await chart.getByRole('img', { name: `${weekday(first)} ${md(first.date)} 00:00: 0 calls, 0 agents` }).focus();
  await page.keyboard.press('End');
  await chart.locator('.chart-tip').filter({ hasText: `${weekday(last)} ${md(last.date)} 23:30` }).waitFor();
  t.is(await chart.locator('[role="img"][tabindex="0"]').count(), 1);

  // The holiday: named next to the chart and on its day's button.
  await section.getByText(`Holiday next week: ${md(holiday)} Company day. Check whether the site is open.`).waitFor();
  await section.getByRole('button', { name: `Wed ${md(holiday)} (holiday)` }).waitFor();

  // The table of the peak's day: the peak half hour's row has its agents.
  await section.getByRole('button', { name: new RegExp(`^${weekday(peak)} ${md(peak.date)}`) }).click();
  const row = section.locator(`tr[data-time="${peak.time}"]`);
  t.is(await row.locator('.staffing-agents').textContent(), String(peak.agents));
  t.is(await row.locator('td').first().textContent(), calls(peak.calls));
  await shot(page, 'staffing-en');

  // CSV of the shown forecast: one row per half hour, agents as the API says.
  const [download] = await Promise.all([page.waitForEvent('download'), section.getByRole('link', { name: 'Download CSV' }).click()]);
  const [head, ...rows] = (await readFile((await download.path())!, 'utf8')).trim().split('\r\n').map((l) => l.split(','));
  t.is(rows.length, 7 * 48);
  t.deepEqual(rows.map((r) => Number(r[head!.indexOf('required_agents')])), expected.intervals.map((i) => i.agents));
  t.is(download.suggestedFilename(), 'staffing-billing.csv');

  // A stricter target: more agents, the CSV link follows.
  await section.getByLabel('Service level target (%)').fill('95');
  await section.getByLabel('Answered within (seconds)').fill('10');
  await section.getByRole('button', { name: 'Calculate' }).click();
  await section.getByText(`Forecast ready: ${total(strict)} calls next week, at most ${peakAgents(strict)} agents at once.`).waitFor();
  t.regex((await section.getByRole('link', { name: 'Download CSV' }).getAttribute('href'))!, /target=95&thresholdSeconds=10/);

  // zh-CN: the same numbers in Chinese.
  await page.getByLabel('Language').selectOption('zh-CN');
  const zh = page.getByRole('region', { name: '下周排班预测' });
  await zh.getByText(`预测完成：下周共 ${total(strict)} 通来电，同时最多需要 ${peakAgents(strict)} 名坐席。`).waitFor();
  await zh.getByRole('figure', { name: '每半小时的预测来电量与所需坐席数' }).waitFor();
  await zh.getByText(/^下周有节假日：/).waitFor();
  await shot(page, 'staffing-zh-CN');
  await page.getByLabel('语言').selectOption('en');
  await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();

  await context.close();
  // The login page's first GET /auth/me is a 401 (nobody logged in yet); nothing else may fail.
  t.deepEqual(problems.filter((p) => !p.includes('401')), []);
});
