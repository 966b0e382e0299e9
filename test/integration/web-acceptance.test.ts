// Issue 8's acceptance, end to end in real browsers against Deskline with its own sandbox
// Asterisk (the demo's path). An admin builds a small flow in the editor by clicking (play, menu,
// queue), sees a validation error on a node, fixes it, publishes and routes a number; calls it
// from the editor with the browser's desk phone (chromium's fake microphone asks a question) and
// presses 1; the agent's phone rings in another chromium and the agent answers in the page; the
// screen pop shows the IVR path, the wallboard shows the call, the agent page shows the caller's
// words and a knowledge suggestion; after hang-up the recording plays in the recordings page with
// its transcript. Media is DTLS-SRTP with Opus, SIP relayed through Deskline's /softphone/sip.
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
import { nextTrail } from '../helpers/appliance.ts';

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

test.serial('given an admin, an agent on the browser softphone and a knowledge base, when the admin builds a flow by clicking, publishes it and calls it from the browser, then the agent answers in the page, sees the path, the words and a suggestion, the wallboard shows the call, and the recording plays with its transcript', async (t) => {
  const deskline = appliance!;
  const base = deskline.httpUrl;
  const admin = await apiAs(base, deskline.firstAdmin!);
  await admin('/users', 'POST', { username: 'alice', password: 'Window-Cactus-71', role: 'agent', agentId: 'alice' });
  const question = speech(join(dir, 'question.wav'), 'how do I reset my account password');
  const greeting = speech(join(dir, 'agent.wav'), 'hello');
  const callerBrowser = await launchBrowser(webrtcArgs(question));
  const agentBrowser = await launchBrowser(webrtcArgs(greeting));
  browsers.push(callerBrowser, agentBrowser);

  // The admin builds the flow by clicking: play a welcome, a menu whose 1 goes to the queue.
  const page = await (await callerBrowser.newContext({ locale: 'en-US', viewport: { width: 1360, height: 900 } })).newPage();
  page.setDefaultTimeout(15_000);
  const adminProblems = watch(page);
  await logIn(page, base, deskline.firstAdmin!);
  await page.getByRole('navigation').getByRole('link', { name: 'IVR flows' }).click();
  await page.getByLabel('Flow id').fill('web-support');
  await page.getByLabel('Name', { exact: true }).fill('Web support');
  await page.getByRole('button', { name: 'Create flow' }).click();
  await page.waitForURL('**/flows/web-support');
  for (const kind of ['Play', 'Menu', 'Queue']) await page.getByRole('button', { name: `Add ${kind}` }).click();
  const node = (id: string) => page.locator(`[data-node="${id}"]`);
  const panel = page.locator('section.panel');
  // A queue without its queue id: the validator's error shows on the node.
  await node('queue-1').locator('.badge-error').waitFor();
  await page.locator('[data-node-button="play-1"]').click();
  await panel.getByLabel('Prompts 1: type').selectOption('prompt');
  await panel.getByLabel('Prompts 1: value').selectOption('welcome');
  await panel.getByLabel('Next node').selectOption('menu-1');
  await page.locator('[data-node-button="menu-1"]').click();
  await panel.getByRole('button', { name: 'Add key' }).click();
  await node('menu-1').locator('.badge-error').waitFor();
  await panel.getByLabel('Key 1 goes to').selectOption('queue-1');
  await node('menu-1').locator('.badge-error').waitFor({ state: 'detached' });
  await page.locator('[data-node-button="queue-1"]').click();
  await panel.getByLabel('Queue id').fill('support');
  await node('queue-1').locator('.badge-error').waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Validate' }).click();
  await page.getByRole('status').filter({ hasText: 'The flow is valid: no errors' }).waitFor();
  await page.getByRole('button', { name: 'Publish' }).click();
  await page.getByRole('status').filter({ hasText: 'Published as version 1' }).waitFor();
  await page.getByLabel('Number', { exact: true }).fill('4100');
  await page.getByRole('button', { name: 'Route number' }).click();
  await page.getByText('Number routes saved.').waitFor();

  // The agent logs in: the console, the phone registers, the agent joins the queues.
  const agentPage = await (await agentBrowser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } })).newPage();
  agentPage.setDefaultTimeout(15_000);
  const agentProblems = watch(agentPage);
  await logIn(agentPage, base, { username: 'alice', password: 'Window-Cactus-71' });
  await agentPage.waitForURL('**/agent');
  await agentPage.getByRole('status').filter({ hasText: 'Phone ready' }).waitFor();
  await agentPage.getByRole('button', { name: 'Log in to the queues' }).click();
  await agentPage.locator('section.state-bar[data-state="available"]').waitFor();

  // The admin calls the flow from the editor (the browser's desk phone) and presses 1 at the menu.
  const atMenu = nextTrail(deskline, (_s, e) => e.type === 'node-enter' && e.node === 'menu-1', 60_000);
  const slot = page.locator('[data-slot="softphone-call"]');
  await slot.getByRole('button', { name: 'Call 4100' }).click();
  await slot.locator('section.phone[data-call="connected"]').waitFor({ timeout: 30_000 });
  const { state: call } = await atMenu;
  await slot.getByRole('group', { name: 'Keypad' }).getByRole('button', { name: 'Key 1' }).click();

  // The agent's phone rings with the screen pop; the agent answers in the page.
  await agentPage.locator('section.phone[data-call="ringing"]').waitFor({ timeout: 30_000 });
  await agentPage.locator(`section.screen-pop[data-call="${call.callId}"]`).waitFor();
  t.true((await agentPage.locator('section.screen-pop').textContent())!.includes('4100'), 'the screen pop says which number was dialed');
  await agentPage.getByRole('button', { name: 'Answer' }).click();
  await agentPage.locator('section.phone[data-call="connected"]').waitFor();
  await agentPage.locator('section.state-bar[data-state="on-call"]').waitFor();
  t.deepEqual(await agentPage.locator('.pop-path li').allTextContents(), ['play-1 (play)', 'menu-1 (menu)', 'queue-1 (queue)'], 'the screen pop shows the path through the flow');
  t.true((await agentPage.locator('.pop-inputs').textContent())!.includes('1'), 'and the key the caller pressed');

  // The wallboard (the admin's other tab) shows the agent on the call, live.
  const wallboard = await page.context().newPage();
  const wallboardProblems = watch(wallboard);
  await wallboard.goto(`${base}/wallboard`);
  await wallboard.locator('tr[data-agent="alice"]').filter({ hasText: 'On a call' }).waitFor();
  await wallboard.locator('section[data-queue="support"] .legend li').filter({ hasText: 'On a call' }).filter({ hasText: '1' }).waitFor();
  // The supervisor listens in the page: the call's audio arrives as frames (and plays).
  const liveCall = wallboard.locator(`.live-call-list li[data-call="${call.callId}"]`);
  await liveCall.getByRole('button', { name: 'Listen here' }).click();
  await liveCall.locator('.listen-state').filter({ hasText: /Listening: [1-9]/ }).waitFor({ timeout: 15_000 }); // a second of audio or more
  await shot(wallboard, 'wallboard-call-en');
  await liveCall.getByRole('button', { name: 'Stop listening' }).click();

  // The caller's question, heard and matched, on the agent's page.
  await agentPage.locator('.transcript-lines li[data-leg="caller"]').first().waitFor({ timeout: 45_000 });
  t.log(`transcript: ${await agentPage.locator('.transcript-lines').textContent()}`);
  await agentPage.locator('.suggestion-list li').first().waitFor({ timeout: 30_000 });
  t.log(`suggestions: ${(await agentPage.locator('.suggestion-list li').allTextContents()).join(' | ')}`);
  await shot(agentPage, 'agent-console-en');
  await agentPage.locator('.suggestion-list li button').first().click();
  await agentPage.locator('article.article-view').waitFor();
  await agentPage.getByRole('button', { name: 'This helped' }).click();
  await agentPage.getByRole('button', { name: 'Marked as helpful' }).waitFor();
  await agentPage.getByLabel('Language').selectOption('zh-CN');
  await agentPage.getByRole('heading', { name: '实时转写' }).waitFor();
  await shot(agentPage, 'agent-console-zh-CN');

  // The agent hangs up; both phones show it.
  await agentPage.getByRole('button', { name: '挂断' }).click();
  await agentPage.locator('section.phone[data-call="ended"]').waitFor();
  await slot.locator('section.phone[data-call="ended"]').waitFor();

  // The recording plays in the recordings page, with the call's transcript.
  let recorded = false;
  for (let i = 0; i < 100 && !recorded; i++) {
    recorded = (await deskline.recordings.list({ callId: call.callId })).length > 0;
    if (!recorded) await new Promise((resolve) => setTimeout(resolve, 100)); // polling for the file's move, not for a pass
  }
  t.true(recorded, 'the conversation was recorded');
  await page.goto(`${base}/recordings/${encodeURIComponent(call.callId)}`);
  await page.locator('audio[src^="blob:"]').waitFor().catch(async (error: Error) => {
    await shot(page, 'failed-recording');
    t.log(page.url(), adminProblems);
    throw error;
  });
  await page.locator('.rec-lines li[data-start]').first().waitFor();
  // The words beside the recording are the call's stored transcript (what the recognizer made of
  // the question varies on a busy box; that it heard it is asserted on the agent's page above).
  const { transcript } = await admin<{ transcript: { leg: string; text: string }[] }>(`/calls/${encodeURIComponent(call.callId)}/transcript`);
  const said = transcript.find((line) => line.leg === 'caller')!;
  t.true((await page.locator('.rec-lines').textContent())!.includes(said.text), `the recording's transcript has the caller's "${said.text}"`);
  const played = await page.evaluate<number>(`new Promise((resolve, reject) => {
    const a = document.querySelector('audio');
    a.play().catch(reject);
    (function check() { if (a.currentTime > 0.5) return resolve(a.currentTime); requestAnimationFrame(check); })();
  })`);
  t.true(played > 0.5, 'the recording plays');
  await shot(page, 'recording-call-en');

  const expected = (p: string) => p.includes('401') || p.includes('/api/v1/events');
  t.deepEqual(agentProblems.filter((p) => !expected(p)), [], 'nothing but the anonymous /auth/me before login');
  t.deepEqual(adminProblems.filter((p) => !expected(p)), []);
  t.deepEqual(wallboardProblems.filter((p) => !expected(p)), []);
});
