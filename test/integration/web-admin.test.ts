// The administration page in a real browser (Debian's chromium, headless, playwright-core) against
// a running Deskline on the sandbox Asterisk: an admin gives an agent a skill, changes a queue
// setting (a bad value names the field; a stale revision offers a reload), creates a user for an
// agent who then sees only the agent's pages, subscribes a webhook and rotates its secret (each
// secret shown once), generates a prompt with TTS and plays it, edits a number's business hours,
// and changes settings (told which apply now and which after a restart); a technician sees the
// settings but not users or queues. Screenshots of each tab in en and zh-CN. Every console error
// and failed request fails the test, except the 4xx the test provokes on purpose (listed).
import test from 'ava';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { useDeskline } from '../helpers/sandbox.ts';
import { simAgent } from '../helpers/queues.ts';
import { apiAs, launchBrowser, logIn, shot, watch } from '../helpers/browser.ts';

const { appliance } = useDeskline(test, {
  site: { id: 'webadmin', timezone: 'Asia/Shanghai' },
  queues: [
    { id: 'sales', requiredSkills: [{ skill: 'sales', minLevel: 1 }] },
    { id: 'support', requiredSkills: [{ skill: 'support', minLevel: 1 }] },
  ],
  agents: [simAgent('s1', { sales: 1 }), simAgent('s2', { sales: 2, support: 1 }), simAgent('t1', { support: 1 })],
  ivr: { routes: [{ number: '4000', flow: 'main' }] },
});

let browser: Browser | undefined;
let base = '';

test.serial.before(async () => {
  base = appliance().httpUrl;
  browser = await launchBrowser();
});

// A failed test leaves its pages open; their event streams would keep Deskline's server from
// stopping, so every context closes after each test, passed or not.
const contexts: BrowserContext[] = [];
test.afterEach.always(async () => {
  for (const context of contexts.splice(0)) await context.close().catch(() => undefined);
});

test.serial.after.always(async () => {
  await browser?.close();
});

const admin = () => appliance().firstAdmin!;
const adminApi = () => apiAs(base, admin());

/** A logged-in page in a fresh context, with its problems collected. */
async function openAs(user: { username: string; password: string }) {
  const context = await browser!.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const problems = watch(page);
  const idle = inFlight(page);
  await logIn(page, base, user);
  // Let the start page finish loading: leaving it mid-request would abort its requests.
  await idle();
  // The login page's first GET /auth/me is a 401 (nobody logged in yet): asked for, not a fault.
  const anonymous = [`HTTP 401: GET ${base}/api/v1/auth/me`, 'console: Failed to load resource: the server responded with a status of 401 (Unauthorized)'];
  return { context, page, problems, expectedSoFar: anonymous };
}

/** The page's document, typed just enough for the checks below (this file has Node's types, not the DOM's). */
type PageDocument = { document: { querySelector(selector: string): Record<string, unknown> | null } };

/**
 * Waits until the element the selector finds (looked up afresh each time: a form mounted anew has
 * new inputs) has a number property above `min` or a text property equal to `value`.
 */
async function until(page: Page, selector: string, property: string, expected: { equals: string } | { above: number }, timeout = 10_000) {
  await page.waitForFunction(({ selector, property, expected }) => {
    const value = (globalThis as unknown as PageDocument).document.querySelector(selector)?.[property];
    return 'equals' in expected ? value === expected.equals : typeof value === 'number' && value > expected.above;
  }, { selector, property, expected }, { timeout });
}

/** Resolves (when called) once the page has no API request open, apart from the event stream. */
function inFlight(page: Page): () => Promise<void> {
  const open = new Set<unknown>();
  let wake: (() => void) | undefined;
  const isApi = (url: string) => { const path = new URL(url).pathname; return path.startsWith('/api/v1/') && path !== '/api/v1/events'; };
  page.on('request', (r) => { if (isApi(r.url())) open.add(r); });
  const done = (r: unknown) => { open.delete(r); if (open.size === 0) wake?.(); };
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  return () => (open.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => { wake = resolve; }));
}

/** A mono 16-bit 8 kHz WAV of a 440 Hz tone, `seconds` long. */
function toneWav(seconds: number): Buffer {
  const rate = 8000, samples = rate * seconds;
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write('RIFF', 0); wav.writeUInt32LE(36 + samples * 2, 4); wav.write('WAVE', 8);
  wav.write('fmt ', 12); wav.writeUInt32LE(16, 16); wav.writeUInt16LE(1, 20); wav.writeUInt16LE(1, 22);
  wav.writeUInt32LE(rate, 24); wav.writeUInt32LE(rate * 2, 28); wav.writeUInt16LE(2, 32); wav.writeUInt16LE(16, 34);
  wav.write('data', 36); wav.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) wav.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate)), 44 + i * 2);
  return wav;
}

/** The problems a deliberately refused request leaves: its HTTP status and Chromium's console line. */
const refused = (status: number, text: string, method: string, path: string) => [`HTTP ${status}: ${method} ${base}/api/v1${path}`, `console: Failed to load resource: the server responded with a status of ${status} (${text})`];

/** Switches the UI language and waits until the account has it (PATCH /auth/me), so leaving the page aborts nothing. */
async function chooseLanguage(page: Page, label: string, locale: string) {
  // Finished, not only answered: leaving while the body still arrives aborts it.
  const saved = page.waitForEvent('requestfinished', (r) => r.url().endsWith('/api/v1/auth/me') && r.method() === 'PATCH');
  await page.getByLabel(label).selectOption(locale);
  await saved;
}

const tab = (page: Page, name: string) => page.getByRole('navigation', { name: 'Administration sections' }).getByRole('link', { name });

test.serial('given an admin, when they give an agent a skill and change a queue (a bad value, then a stale revision), then the API has the change, the bad field is named and the conflict offers a reload', async (t) => {
  const api = await adminApi();
  const { context, page, problems, expectedSoFar } = await openAs(admin());

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Administration' }).click();
  await page.waitForURL('**/admin/queues');
  t.deepEqual(await page.getByRole('navigation', { name: 'Administration sections' }).getByRole('link').allTextContents(),
    ['Queues', 'Agents', 'Skills', 'Users and roles', 'Business hours', 'Prompts', 'Webhooks', 'Settings', 'Audit log', 'Call classification']);

  // Skills: t1 gets billing at level 4, and the agent's settings say so.
  await tab(page, 'Skills').click();
  await page.waitForURL('**/admin/skills');
  await page.getByLabel('Agent', { exact: true }).selectOption('t1');
  await page.getByLabel('Skill', { exact: true }).fill('billing');
  await page.getByLabel('Level', { exact: true }).selectOption('4');
  await page.getByRole('button', { name: 'Give the skill' }).click();
  await page.getByRole('status').filter({ hasText: 't1 now has billing at level 4.' }).waitFor();
  const t1 = await api<{ value: { skills: Record<string, number> }; revision: number }>('/agents/t1/settings');
  t.deepEqual(t1.value.skills, { support: 1, billing: 4 });
  await page.locator('tr[data-skill="billing"] li[data-agent="t1"]').waitFor();

  // Taking a skill away is confirmed first.
  await page.locator('tr[data-skill="billing"] li[data-agent="t1"]').getByRole('button', { name: 'Take away' }).click();
  await page.getByRole('group', { name: 'Take billing away from t1?' }).getByRole('button', { name: 'Cancel' }).click();
  t.deepEqual((await api<{ value: { skills: Record<string, number> } }>('/agents/t1/settings')).value.skills, { support: 1, billing: 4 }, 'cancel keeps the skill');

  // Queues: sales rings each agent for 25 s instead of 15.
  await tab(page, 'Queues').click();
  await page.locator('tr[data-queue="sales"]').getByRole('button', { name: 'Edit sales' }).click();
  const ring = page.getByLabel('Ring an agent for (seconds)');
  t.is(await ring.inputValue(), '15');
  await ring.fill('25');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Queue sales saved' }).waitFor();
  const sales = await api<{ value: { ringTimeoutSeconds: number }; revision: number }>('/queues/sales/settings');
  t.is(sales.value.ringTimeoutSeconds, 25);

  // A value the API refuses: the alert and the field itself name the problem.
  await ring.fill('1');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('alert').filter({ hasText: 'Ring an agent for (seconds)' }).waitFor();
  t.is(await ring.getAttribute('aria-invalid'), 'true');
  t.regex((await page.locator('#queue-ringTimeoutSeconds-error').textContent())!, />=3/);
  t.deepEqual(problems.splice(0).sort(), [...expectedSoFar, ...refused(400, 'Bad Request', 'PUT', '/queues/sales/settings')].sort());

  // Someone else saves meanwhile: saving on the old revision is refused with a reload button.
  const current = await api<{ value: Record<string, unknown>; revision: number }>('/queues/sales/settings');
  // (Without If-Match the API takes the current revision: what "someone else" read.)
  await api('/queues/sales/settings', 'PUT', { ...current.value, wrapUpSeconds: 42 });
  await ring.fill('30');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const conflict = page.getByRole('alert').filter({ hasText: 'Someone else changed this since you opened it.' });
  await conflict.waitFor();
  t.is((await api<{ value: { ringTimeoutSeconds: number } }>('/queues/sales/settings')).value.ringTimeoutSeconds, 25, 'nothing saved on a stale revision');
  await conflict.getByRole('button', { name: 'Reload the latest version' }).click();
  await until(page, '#queue-wrapUpSeconds', 'value', { equals: '42' });
  t.is(await ring.inputValue(), '25');
  t.deepEqual(problems.splice(0), refused(409, 'Conflict', 'PUT', '/queues/sales/settings'));

  await context.close();
  t.deepEqual(problems, []);
});

test.serial('given an admin, when they create a user with role agent for agent t1, then that user logs in elsewhere and sees only the agent\'s pages', async (t) => {
  const { context, page, problems, expectedSoFar } = await openAs(admin());
  await page.goto(`${base}/admin/users`);
  await page.getByRole('button', { name: 'New user' }).click();
  const form = page.locator('form[aria-labelledby="new-user-title"]');
  await form.getByLabel('User name').fill('agent.t1');
  await form.getByLabel('Password').fill('short');
  await form.getByLabel('Role').selectOption('agent');
  await form.getByLabel('Agent id').fill('t1');
  await form.getByRole('button', { name: 'Create' }).click();
  // Too short a password: the field says so.
  await form.locator('#new-user-password-error').waitFor();
  t.is(await form.getByLabel('Password').getAttribute('aria-invalid'), 'true');
  t.deepEqual(problems.splice(0).sort(), [...expectedSoFar, ...refused(400, 'Bad Request', 'POST', '/users')].sort());

  const password = 'agent-t1-password-2026';
  await form.getByLabel('Password').fill(password);
  await form.getByRole('button', { name: 'Create' }).click();
  await page.getByRole('status').filter({ hasText: 'User agent.t1 created.' }).waitFor();
  await page.locator('tr[data-user="agent.t1"]').filter({ hasText: 't1' }).waitFor();
  t.like(await (await adminApi())('/users/agent.t1'), { role: 'agent', agentId: 't1', disabled: false });
  await shot(page, 'admin-users-en');

  const agent = await openAs({ username: 'agent.t1', password });
  await agent.page.waitForURL('**/agent');
  t.deepEqual(await agent.page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents(), ['Wallboard', 'Agent console', 'Knowledge', 'Follow-ups']);
  // The administration page is not theirs, even by its address (a second tab: leaving the agent
  // console mid-request would abort its requests).
  const second = await agent.context.newPage();
  const secondProblems = watch(second);
  await second.goto(`${base}/admin/users`);
  await second.getByRole('heading', { name: 'No such page' }).waitFor();
  t.is(await second.getByRole('navigation', { name: 'Administration sections' }).count(), 0);
  t.deepEqual(secondProblems, []);
  t.deepEqual(agent.problems.sort(), agent.expectedSoFar.sort());
  await agent.context.close();

  await context.close();
  t.deepEqual(problems, []);
});

test.serial('given an admin, when they subscribe a webhook and rotate its secret, then each secret is shown once and the rotation is confirmed first', async (t) => {
  const { context, page, problems, expectedSoFar } = await openAs(admin());
  await page.goto(`${base}/admin/webhooks`);
  // A bad URL and no events: both fields named.
  await page.getByLabel('URL', { exact: true }).fill('ftp://example.com/hook');
  await page.getByRole('button', { name: 'Create webhook' }).click();
  await page.locator('#webhook-url-error').waitFor();
  t.deepEqual(problems.splice(0).sort(), [...expectedSoFar, ...refused(400, 'Bad Request', 'POST', '/webhooks')].sort());

  await page.getByLabel('URL', { exact: true }).fill('http://127.0.0.1:9/deskline-hooks');
  await page.getByRole('checkbox', { name: 'call.ended' }).check();
  await page.getByLabel('Description').fill('CRM');
  await page.getByRole('button', { name: 'Create webhook' }).click();
  await page.getByRole('status').filter({ hasText: 'Webhook to http://127.0.0.1:9/deskline-hooks created.' }).waitFor();
  const first = await page.locator('input[data-secret]').inputValue();
  t.regex(first, /^whsec_/);
  await page.getByText('it is shown only this once').waitFor();
  const subscriptions = (await (await adminApi())<{ subscriptions: { id: string; url: string; events: string[] }[] }>('/webhooks')).subscriptions;
  t.is(subscriptions.length, 1);
  t.like(subscriptions[0], { url: 'http://127.0.0.1:9/deskline-hooks', events: ['call.ended'] });
  t.false(JSON.stringify(subscriptions).includes(first), 'the list never carries the secret');
  await page.getByRole('button', { name: 'I have stored it' }).click();
  t.is(await page.locator('input[data-secret]').count(), 0);

  const row = page.locator(`tr[data-webhook="${subscriptions[0]!.id}"]`);
  await row.getByRole('button', { name: 'New secret' }).click();
  await row.getByRole('button', { name: 'Yes, make a new secret' }).click();
  await page.getByRole('status').filter({ hasText: 'New secret for http://127.0.0.1:9/deskline-hooks' }).waitFor();
  const second = await page.locator('input[data-secret]').inputValue();
  t.regex(second, /^whsec_/);
  t.not(second, first);
  await shot(page, 'admin-webhooks-en');
  await page.getByRole('button', { name: 'I have stored it' }).click();

  await context.close();
  t.deepEqual(problems, []);
});

test.serial('given an admin, when they generate a prompt with TTS and upload another, then both are stored, the generated one plays in the page and deleting is confirmed', async (t) => {
  const { context, page, problems, expectedSoFar } = await openAs(admin());
  await page.goto(`${base}/admin/prompts`);
  const form = page.locator('form[aria-labelledby="prompt-form-title"]');
  await form.getByLabel('Language').selectOption('en');
  await form.getByLabel('Prompt id').fill('admin-thanks');
  await form.getByRole('textbox', { name: 'Text' }).fill('Thank you for calling. Please hold.');
  await form.getByRole('button', { name: 'Generate and store' }).click();
  await page.getByRole('status').filter({ hasText: 'Stored admin-thanks (en)' }).waitFor({ timeout: 30_000 });
  const stored = await (await adminApi())<{ prompt: { source: string; recorded: boolean; durationSeconds: number } }>('/prompts/en/admin-thanks');
  t.like(stored.prompt, { source: 'tts', recorded: true });
  t.true(stored.prompt.durationSeconds > 0.5);

  // Its player opens and plays (the browser fetched the recording and its clock advances).
  const player = page.locator('audio[data-player="en/admin-thanks"]');
  await player.waitFor();
  const audio = 'audio[data-player="en/admin-thanks"]';
  await until(page, audio, 'duration', { above: 0.5 }, 15_000);
  await until(page, audio, 'currentTime', { above: 0 }, 15_000);
  await shot(page, 'admin-prompts-en');

  // Uploading a WAV file stores it too; deleting a recording-only prompt (confirmed) removes it.
  await form.getByRole('radio', { name: 'Upload an audio file' }).check();
  await form.getByLabel('Prompt id').fill('admin-upload');
  await form.getByLabel('Audio file', { exact: true }).setInputFiles({ name: 'tone.wav', mimeType: 'audio/wav', buffer: toneWav(1) });
  await form.getByRole('button', { name: 'Upload and store' }).click();
  await page.getByRole('status').filter({ hasText: 'Stored admin-upload (en), 1.0 seconds' }).waitFor({ timeout: 30_000 });
  t.like((await (await adminApi())<{ prompt: { source: string } }>('/prompts/en/admin-upload')).prompt, { source: 'upload' });
  const row = page.locator('tr[data-prompt="en/admin-upload"]');
  await row.getByRole('button', { name: 'Delete recording' }).click();
  await row.getByRole('button', { name: 'Yes, remove' }).click();
  await page.getByRole('status').filter({ hasText: 'Recording of admin-upload (en) deleted.' }).waitFor();
  await row.waitFor({ state: 'detached' });
  await context.close();
  t.deepEqual(problems, expectedSoFar);
});

test.serial('given an admin, when they give a number business hours and a holiday, then the number route has them; an impossible time is named', async (t) => {
  const { context, page, problems, expectedSoFar } = await openAs(admin());
  await page.goto(`${base}/admin/hours`);
  await page.locator('tr[data-route="4000"]').getByRole('button', { name: 'Business hours of 4000' }).click();
  await page.getByLabel('Time zone', { exact: true }).fill('Asia/Shanghai');
  await page.getByLabel('Monday').fill('09:00-12:00, 13:00-26:00');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.locator('#hours-mon-error').filter({ hasText: 'impossible time' }).waitFor();
  t.deepEqual(problems.splice(0).sort(), [...expectedSoFar, ...refused(400, 'Bad Request', 'PUT', '/number-routes')].sort());

  await page.getByLabel('Monday').fill('09:00-12:00, 13:00-18:00');
  await page.getByRole('button', { name: 'Add a holiday' }).click();
  await page.getByLabel('Date of holiday 1').fill('2026-10-01');
  await page.getByLabel('Name of holiday 1').fill('National Day');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Business hours of 4000 saved' }).waitFor();
  const routes = await (await adminApi())<{ routes: { number: string; hours?: { timezone: string; weekly: Record<string, string[]>; holidays?: unknown[] } }[] }>('/number-routes');
  t.deepEqual(routes.routes[0]!.hours, { timezone: 'Asia/Shanghai', weekly: { mon: ['09:00-12:00', '13:00-18:00'], tue: ['09:00-18:00'], wed: ['09:00-18:00'], thu: ['09:00-18:00'], fri: ['09:00-18:00'] }, holidays: [{ date: '2026-10-01', name: 'National Day' }] });
  await context.close();
  t.deepEqual(problems, []);
});

test.serial('given an admin, when they change settings, then the page says which applied now and which wait for a restart; a bad value names the setting', async (t) => {
  const api = await adminApi();
  const { context, page, problems, expectedSoFar } = await openAs(admin());
  await page.goto(`${base}/admin/settings`);
  await page.getByLabel('Longest call (seconds)').fill('5');
  await page.getByRole('button', { name: 'Save changes (1)' }).click();
  await page.getByRole('alert').filter({ hasText: 'Longest call (seconds)' }).waitFor();
  t.is(await page.getByLabel('Longest call (seconds)').getAttribute('aria-invalid'), 'true');
  await page.locator('#setting-calls-maxCallSeconds-error').waitFor();
  t.deepEqual(problems.splice(0).sort(), [...expectedSoFar, ...refused(400, 'Bad Request', 'PATCH', '/settings')].sort());

  await page.getByLabel('Longest call (seconds)').fill('3600');
  await page.getByLabel('Hang up after silence (seconds)').fill('45');
  await page.getByLabel('Service level target (seconds)').fill('30');
  await page.getByRole('button', { name: 'Save changes (2)' }).click();
  const done = page.getByRole('status').filter({ hasText: 'Saved.' });
  await done.waitFor();
  t.regex((await done.textContent())!, /Applied now: Hang up after silence \(seconds\)\..*after the next restart: Service level target \(seconds\)\./);
  await page.getByRole('status').filter({ hasText: 'Waiting for a restart: Service level target (seconds)' }).waitFor();
  const editable = await api<{ overrides: Record<string, unknown>; restartRequired: string[] }>('/settings/editable');
  t.deepEqual(editable.overrides, { 'calls.idleTimeoutSeconds': 45, 'acd.serviceLevelSeconds': 30 });
  t.deepEqual(editable.restartRequired, ['acd.serviceLevelSeconds']);
  await shot(page, 'admin-settings-en');
  await context.close();
  t.deepEqual(problems, []);
});

test.serial('given a technician, when they open the administration page, then they see the settings but not users or queues', async (t) => {
  const api = await adminApi();
  await api('/users', 'POST', { username: 'tech', password: 'box-keeper-password-1', role: 'technician' });
  const { context, page, problems, expectedSoFar } = await openAs({ username: 'tech', password: 'box-keeper-password-1' });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Administration' }).click();
  await page.waitForURL('**/admin/settings');
  t.deepEqual(await page.getByRole('navigation', { name: 'Administration sections' }).getByRole('link').allTextContents(), ['Settings']);
  await page.getByLabel('Site name').waitFor();
  for (const path of ['/admin/users', '/admin/queues']) {
    await page.goto(`${base}${path}`);
    await page.getByRole('alert').filter({ hasText: 'There is no such section, or your role cannot open it.' }).waitFor();
    t.is(await page.locator('table').count(), 0);
  }
  await context.close();
  t.deepEqual(problems.sort(), expectedSoFar.sort(), 'nothing refused: the page never asks for what the role cannot read');
});

test.serial('given an admin, when they look at every tab in en and zh-CN, then each is in the chosen language with no console error', async (t) => {
  const { context, page, problems, expectedSoFar } = await openAs(admin());
  const tabs = ['queues', 'agents', 'skills', 'users', 'hours', 'prompts', 'webhooks', 'settings', 'audit', 'dispositions'];
  const headings: Record<string, [string, string]> = {
    queues: ['Queues', '队列'], agents: ['Agents', '坐席'], skills: ['Skills', '技能'], users: ['Users and roles', '用户与角色'], hours: ['Business hours of dialed numbers', '呼入号码的营业时间'],
    prompts: ['Prompts', '提示音'], webhooks: ['Webhooks', 'Webhook 推送'], settings: ['Settings', '系统设置'], audit: ['Audit log', '审计日志'], dispositions: ['Call classification', '通话分类'],
  };
  for (const [locale, index] of [['en', 0], ['zh-CN', 1]] as const) {
    if (locale === 'zh-CN') await chooseLanguage(page, 'Language', 'zh-CN');
    for (const name of tabs) {
      await page.goto(`${base}/admin/${name}`);
      await page.getByRole('heading', { level: 2, name: headings[name]![index], exact: true }).waitFor();
      await page.locator('[aria-busy="true"]').waitFor({ state: 'detached' });
      if (name === 'audit') await page.locator('table.audit').waitFor();
      await shot(page, `admin-${name}-${locale}`);
    }
  }
  await chooseLanguage(page, '语言', 'en');
  await page.getByRole('heading', { level: 1, name: 'Administration' }).waitFor();
  await context.close();
  // Each page load (goto) asks /auth/me once more — logged in now, so no 401 beyond the first.
  t.deepEqual(problems.sort(), expectedSoFar.sort());
});
