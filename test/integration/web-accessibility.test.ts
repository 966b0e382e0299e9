// Accessibility basics on every page, in both languages: axe-core (from npm, injected into the
// page) checks WCAG 2 A and AA rules — labels on inputs, names on buttons and links, contrast,
// structure, lang — on the pages as a logged-in admin and an agent see them. And the keyboard: the
// skip link is the first stop and leads to the page's content.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { Browser, Page } from 'playwright-core';
import { useDeskline } from '../helpers/sandbox.ts';
import { simAgent } from '../helpers/queues.ts';
import { apiAs, launchBrowser, logIn } from '../helpers/browser.ts';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const exampleFlow = parse(readFileSync(fileURLToPath(new URL('../../ivr-flows/customer-service-en.yaml', import.meta.url)), 'utf8')) as Record<string, unknown>;

const { appliance } = useDeskline(test, {
  queues: [{ id: 'support' }, { id: 'sales' }],
  agents: [simAgent('a1', { en: 2 }), simAgent('a2', {})],
  knowledge: { importOnStart: fileURLToPath(new URL('../../firmware-config/examples/knowledge/demo-kb.json', import.meta.url)) },
});

let browser: Browser | undefined;
test.before(async () => { browser = await launchBrowser(); });
test.after.always(async () => browser?.close());

interface Violation { id: string; impact: string; help: string; targets: string[] }

/** axe's WCAG 2 A/AA violations on the page as it is now. */
async function violations(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.addScriptTag({ content: axeSource });
  return page.evaluate<Violation[]>(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } })
    .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) })))`);
}

/** Nothing on the page says it is still loading. */
async function settled(page: Page): Promise<void> {
  await page.locator('[aria-busy="true"]').first().waitFor({ state: 'detached' });
}

async function checkPages(t: import('ava').ExecutionContext, page: Page, paths: string[], wait: (path: string) => Promise<void>) {
  const found: string[] = [];
  for (const locale of ['en', 'zh-CN'] as const) {
    await page.getByLabel(locale === 'en' ? '语言' : 'Language', { exact: true }).first().selectOption(locale).catch(() => undefined);
    for (const path of paths) {
      await page.goto(`${appliance().httpUrl}${path}`);
      await page.locator('main h1').first().waitFor();
      await wait(path);
      t.is(await page.locator('html').getAttribute('lang'), locale, `${path} says its language`);
      for (const v of await violations(page)) found.push(`${locale} ${path}: ${v.id} (${v.impact}) ${v.help} — ${v.targets.join(', ')}`);
    }
  }
  t.deepEqual(found, [], 'no WCAG 2 A/AA violation found by axe');
}

test.serial('given an admin, when every page is opened in en and zh-CN, then axe finds no WCAG 2 A/AA violation and the skip link leads to the content', async (t) => {
  const base = appliance().httpUrl;
  const api = await apiAs(base, appliance().firstAdmin!);
  await api('/flows/customer-service-en', 'PUT', exampleFlow);
  const context = await browser!.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await logIn(page, base, appliance().firstAdmin!);
  // Keyboard: the first Tab stop is the skip link; following it moves focus to the page's main.
  await page.keyboard.press('Tab');
  t.is(await page.evaluate('document.activeElement?.getAttribute("href")'), '#main');
  await page.keyboard.press('Enter');
  t.true(await page.evaluate('location.hash === "#main"'));
  const admin = ['queues', 'agents', 'skills', 'users', 'hours', 'prompts', 'webhooks', 'settings', 'audit'].map((tab) => `/admin/${tab}`);
  const paths = ['/wallboard', '/agent', '/flows', '/flows/customer-service-en', '/recordings', '/knowledge', '/reports', '/followups', '/phone', '/campaigns', '/campaigns/new', '/campaigns/do-not-call', ...admin];
  await checkPages(t, page, paths, async (path) => {
    if (path.startsWith('/flows/')) await page.locator('[data-node]').first().waitFor();
    if (path === '/knowledge') await page.locator('main table, main ul, main ol').first().waitFor();
    await settled(page);
  });
  await context.close();
});

test.serial('given an agent, when the agent console and follow-ups are opened in en and zh-CN, then axe finds no violation', async (t) => {
  const base = appliance().httpUrl;
  const api = await apiAs(base, appliance().firstAdmin!);
  await api('/users', 'POST', { username: 'agent-one', password: 'Lantern-Orbit-58', role: 'agent', agentId: 'a1' });
  const context = await browser!.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await logIn(page, base, { username: 'agent-one', password: 'Lantern-Orbit-58' });
  await checkPages(t, page, ['/agent', '/followups', '/knowledge'], () => settled(page));
  await context.close();
});
