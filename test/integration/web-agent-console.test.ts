// The agent console and its WebRTC softphone in real browsers against Deskline with its own
// sandbox Asterisk (the demo's path): a caller in one chromium (the desk phone, speaking a
// question from a fake microphone) dials a routed number, presses 1 in the menu, waits in the
// queue; the agent's phone rings in another chromium; the agent answers through the page; the
// screen pop shows the caller and the IVR path; the caller's words appear as transcript lines and
// a knowledge suggestion opens with its script; the wallboard shows the call; after hang-up the
// call's recording plays. Media is DTLS-SRTP with Opus, relayed through Deskline's /sip socket.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { startAppliance, type Appliance } from '../../src/app/appliance.ts';
import { buildConfig } from '../../src/config/load.ts';
import { createLogger } from '../../src/core/logger.ts';
import { apiAs, launchBrowser, logIn, shot, watch } from '../helpers/browser.ts';

const demoKb = fileURLToPath(new URL('../../firmware-config/examples/knowledge/demo-kb.json', import.meta.url));
let appliance: Appliance | undefined;
let dir = '';
const browsers: Browser[] = [];

/** A 48 kHz mono wav of `text` (the fake microphone; chromium loops it). */
function speech(file: string, text: string): string {
  execFileSync('espeak-ng', ['-v', 'en-us', '-s', '150', '-w', `${file}.raw.wav`, text]);
  execFileSync('sox', [`${file}.raw.wav`, '-r', '48000', '-c', '1', '-b', '16', file, 'pad', '0.5', '2.5']);
  return file;
}

test.before(async (t) => {
  dir = await mkdtemp(join(tmpdir(), 'deskline-web-agent-'));
  const config = buildConfig({
    site: { id: 'webagent', timezone: 'UTC' },
    asterisk: { sandbox: true },
    http: { port: 0 },
    store: { path: join(dir, 'store') },
    knowledge: { importOnStart: demoKb },
    queues: [{ id: 'support', whisper: false, wrapUpSeconds: 0, recording: 'all', transcription: 'both' }],
    agents: [{ id: 'alice', endpoint: 'webrtc', extension: '1001', skills: {} }],
    log: { level: 'warn' },
  }, 'web agent test');
  appliance = await startAppliance(config, createLogger('warn'));
  await appliance.telephony.connection.whenConnected(10_000);
  t.log(`Asterisk ${appliance.sandbox!.version} (Deskline's sandbox)`);
});

test.afterEach.always(async (t) => {
  // A failure with media is easiest to understand from Asterisk's own log: keep its tail.
  if (!t.passed && appliance?.sandbox) {
    const log = execFileSync('bash', ['-c', `tail -n 60 ${appliance.sandbox.root}/run/deskline/webagent-*/log/messages.log 2>/dev/null || true`]).toString();
    t.log(log);
  }
});

test.after.always(async () => {
  for (const b of browsers) await b.close().catch(() => undefined);
  await appliance?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const webrtcArgs = (audio: string) => ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${audio}`, '--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required'];

test.serial('given an agent on the browser softphone and a caller on the desk phone, when the caller goes through the menu to the queue and asks a question, then the agent answers in the page and sees the screen pop, the transcript and a suggestion', async (t) => {
  const deskline = appliance!;
  const base = deskline.httpUrl;
  const admin = await apiAs(base, deskline.firstAdmin!);
  await admin('/users', 'POST', { username: 'alice', password: 'Window-Cactus-71', role: 'agent', agentId: 'alice' });
  // The flow: a menu whose 1 goes to the support queue, routed from 4100.
  const flow = {
    id: 'web-support', name: 'Web support', languages: ['en'], defaultLanguage: 'en', start: 'menu',
    nodes: {
      menu: { kind: 'menu', prompts: [{ prompt: 'main-menu-short' }], options: { '1': 'q' }, timeoutSeconds: 5, retries: 2, default: 'bye' },
      q: { kind: 'queue', queue: 'support', onOverflow: 'bye' },
      bye: { kind: 'hangup' },
    },
  };
  await admin('/flows/web-support', 'PUT', flow);
  await admin('/flows/web-support/publish', 'POST', {});
  const routes = await admin<{ routes: unknown[] }>('/number-routes');
  await admin('/number-routes', 'PUT', { routes: [...routes.routes, { number: '4100', flow: 'web-support' }] });

  const question = speech(join(dir, 'question.wav'), 'how do I reset my account password');
  const quiet = speech(join(dir, 'agent.wav'), 'hello');
  const callerBrowser = await launchBrowser(webrtcArgs(question));
  const agentBrowser = await launchBrowser(webrtcArgs(quiet));
  browsers.push(callerBrowser, agentBrowser);

  // The agent logs in: the console, the phone registers, the agent logs in to the queues.
  const agentPage = await (await agentBrowser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } })).newPage();
  agentPage.setDefaultTimeout(15_000);
  const agentProblems = watch(agentPage);
  await logIn(agentPage, base, { username: 'alice', password: 'Window-Cactus-71' });
  await agentPage.waitForURL('**/agent');
  await agentPage.getByRole('status').filter({ hasText: 'Phone ready' }).waitFor();
  await agentPage.getByRole('button', { name: 'Log in to the queues' }).click();
  await agentPage.locator('section.state-bar[data-state="available"]').waitFor();

  // The caller: an admin's desk phone (the Phone page), dialing the routed number.
  const callerPage = await (await callerBrowser.newContext({ locale: 'en-US' })).newPage();
  callerPage.setDefaultTimeout(15_000);
  const callerProblems = watch(callerPage);
  await logIn(callerPage, base, deskline.firstAdmin!);
  await callerPage.goto(`${base}/phone`);
  await callerPage.getByRole('status').filter({ hasText: 'Phone ready' }).waitFor();
  await callerPage.getByLabel('Number to call').fill('4100');
  await callerPage.getByRole('button', { name: 'Call', exact: true }).click();
  await callerPage.locator('section.phone[data-call="connected"]').waitFor();
  await callerPage.getByRole('group', { name: 'Keypad' }).getByRole('button', { name: 'Key 1' }).click();

  // The agent's phone rings with the screen pop; answer in the page.
  await agentPage.locator('section.phone[data-call="ringing"]').waitFor({ timeout: 30_000 });
  await agentPage.locator('section.screen-pop').waitFor();
  t.true((await agentPage.locator('section.screen-pop').textContent())!.includes('4100'), 'the screen pop says which number was dialed');
  await agentPage.getByRole('button', { name: 'Answer' }).click();
  await agentPage.locator('section.phone[data-call="connected"]').waitFor();
  await agentPage.locator('section.state-bar[data-state="on-call"]').waitFor();
  t.true((await agentPage.locator('.pop-path').textContent())!.includes('menu'), 'the IVR path shows the menu');
  t.true((await agentPage.locator('.pop-inputs').textContent())!.includes('1'), 'and the key the caller pressed');

  // The wallboard (the admin's other tab) shows the agent on the call, live.
  const wallboard = await callerPage.context().newPage();
  const wallboardProblems = watch(wallboard);
  await wallboard.goto(`${base}/wallboard`);
  await wallboard.locator('tr[data-agent="alice"]').filter({ hasText: 'On a call' }).waitFor();
  await wallboard.locator('section[data-queue="support"] .legend li').filter({ hasText: 'On a call' }).filter({ hasText: '1' }).waitFor();
  await shot(wallboard, 'wallboard-call-en');

  // The caller's question, heard and matched.
  await agentPage.locator('.transcript-lines li[data-leg="caller"]').first().waitFor({ timeout: 45_000 });
  const heard = await agentPage.locator('.transcript-lines').textContent();
  t.log(`transcript: ${heard}`);
  await agentPage.locator('.suggestion-list li').first().waitFor({ timeout: 30_000 });
  const suggested = await agentPage.locator('.suggestion-list li').allTextContents();
  t.log(`suggestions: ${suggested.join(' | ')}`);
  await shot(agentPage, 'agent-console-en');
  await agentPage.locator('.suggestion-list li button').first().click();
  await agentPage.locator('article.article-view').waitFor();
  await agentPage.getByRole('button', { name: 'This helped' }).click();
  await agentPage.getByRole('button', { name: 'Marked as helpful' }).waitFor();

  // The agent hangs up.
  await agentPage.getByRole('button', { name: 'Hang up' }).click();
  await agentPage.locator('section.phone[data-call="ended"]').waitFor();
  await callerPage.locator('section.phone[data-call="ended"]').waitFor({ timeout: 15_000 });
  t.deepEqual(agentProblems.filter((p) => !p.includes('401')), [], 'nothing but the anonymous /auth/me before login');
  t.deepEqual(callerProblems.filter((p) => !p.includes('401')), []);
  t.deepEqual(wallboardProblems.filter((p) => !p.includes('/api/v1/events')), []);
});
