// Browser tests' shared parts: Debian's chromium through playwright-core (never a downloaded
// browser), the UI built once, an API client logged in from Node (to arrange data and to make
// changes a page must notice), a watcher that collects every console error and failed request,
// and screenshots under .cache/screenshots/ for people to look at.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type LaunchOptions, type Page } from 'playwright-core';
import { WEB_BUILD_DIR } from '../../src/web/web-routes.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = fileURLToPath(new URL('../../.cache/screenshots/', import.meta.url));

/** Builds the UI when it is not built yet (a few seconds) and starts headless chromium. */
export async function launchBrowser(extraArgs: string[] = [], options: LaunchOptions = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (deploy/packages/base.txt lists it)`);
  if (!existsSync(`${WEB_BUILD_DIR}index.html`)) execFileSync('npm', ['run', '--silent', 'build:web'], { stdio: 'inherit' });
  await mkdir(SCREENSHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', ...extraArgs], ...options });
}

export type ApiCall = <T>(path: string, method?: string, json?: unknown) => Promise<T>;

/** The admin API from Node, logged in as `user`. */
export async function apiAs(baseUrl: string, user: { username: string; password: string }): Promise<ApiCall> {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(user) });
  if (res.status !== 200) throw new Error(`login as ${user.username}: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return async <T>(path: string, method = 'GET', json?: unknown): Promise<T> => {
    const r = await fetch(`${baseUrl}/api/v1${path}`, { method, headers: { cookie, 'x-csrf-token': csrfToken, ...(json !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) });
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
    return (r.status === 204 ? undefined : await r.json()) as T;
  };
}

/** Every console error, page error, failed request and HTTP error of the page, to assert none at the end. */
export function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    // Leaving a page aborts what it still had in flight (its event stream, a media fetch, a list
    // being loaded): the browser reports that as aborted, which is not a failure of the page.
    if (r.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`); });
  return problems;
}

/** Logs in through the login form (the page's first GET /auth/me is a 401: nobody is logged in yet). */
export async function logIn(page: Page, baseUrl: string, user: { username: string; password: string }): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.locator('#login-username').fill(user.username);
  await page.locator('#login-password').fill(user.password);
  await page.locator('#login-password').press('Enter');
  // The shell's main navigation (pages may have their own, e.g. the admin page's tabs).
  await page.locator('header.top nav').waitFor();
}

export const shot = (page: Page, name: string) => page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
