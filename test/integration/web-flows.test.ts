// The IVR editor in a real browser (Debian's chromium through playwright-core) against a running
// Deskline on the sandbox Asterisk: an admin builds a flow by clicking (palette: menu, queue,
// play), sees the validator's errors on the nodes, fixes them in the property panel, publishes,
// runs the simulator and watches the path light up, routes a number to the flow, and a REAL call
// to that number presses 1 and reaches the queue's agent. A second publish shows its diff in the
// version history; rollback makes version 1 live again; a dragged node keeps its place (the
// document's optional layout); a stale save is a clear 409. Screenshots
// of the list and the editor in en and zh-CN; no console error or failed request beyond the ones
// the test provokes.
import test from 'ava';
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import type { Browser, Page } from 'playwright-core';
import type { CallSummary } from '../../src/calls/call-summary.ts';
import { placeTestCall } from '../../src/calls/test-call.ts';
import { apiAs, launchBrowser, logIn, shot, watch } from '../helpers/browser.ts';
import { simAgent, simulate } from '../helpers/queues.ts';
import { useDeskline } from '../helpers/sandbox.ts';

const { sandbox, appliance } = useDeskline(test, {
  site: { id: 'webflows', timezone: 'Asia/Shanghai' },
  queues: [{ id: 'support', wrapUpSeconds: 0, whisper: false, ringTimeoutSeconds: 15 }],
  agents: [simAgent('fw1', {})],
});

let browser: Browser | undefined;
test.serial.before(async () => { browser = await launchBrowser(); });
test.serial.after.always(async () => { await browser?.close(); });

const node = (page: Page, id: string) => page.locator(`[data-node="${id}"]`);
const panel = (page: Page) => page.locator('section.panel');
/** Selects a node through the node list (keyboard-friendly; clicking it on the canvas does the same). */
const select = (page: Page, id: string) => page.locator(`[data-node-button="${id}"]`).click();

test.serial('given an admin in the IVR editor, when they build a flow by clicking, fix its errors, publish, simulate, route a number and call it, then the real call reaches the queue; history diffs and rollback work', async (t) => {
  const base = appliance().httpUrl;
  const admin = appliance().firstAdmin!;
  const api = await apiAs(base, admin);
  const context = await browser!.newContext({ locale: 'en-US', viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const problems = watch(page);
  await logIn(page, base, admin);
  // Only the anonymous /auth/me before logging in was refused.
  t.deepEqual(problems.splice(0).filter((p) => !p.includes('401')), []);

  // The list is empty; a new flow is created from the form and opens in the editor.
  await page.getByRole('navigation').getByRole('link', { name: 'IVR flows' }).click();
  await page.getByRole('heading', { name: 'IVR flows' }).waitFor();
  await page.getByText('No flows yet.').waitFor();
  await page.getByLabel('Flow id').fill('web-built');
  await page.getByLabel('Name', { exact: true }).fill('Built in the browser');
  await page.getByRole('button', { name: 'Create flow' }).click();
  await page.waitForURL('**/flows/web-built');
  await page.getByRole('heading', { name: 'Flow Built in the browser' }).waitFor();

  // Every node kind is in the palette; menu, queue and play are added by clicking.
  t.is(await page.getByRole('region', { name: 'Add a node' }).getByRole('button').count(), 19);
  await page.getByRole('button', { name: 'Add Menu' }).click();
  await page.getByRole('button', { name: 'Add Queue' }).click();
  await page.getByRole('button', { name: 'Add Play' }).click();
  for (const id of ['menu-1', 'queue-1', 'play-1']) await node(page, id).waitFor();
  t.true((await node(page, 'menu-1').textContent())!.includes('Start'), 'the first node is where calls start');

  // The validator's errors show on the nodes: a queue without a queue id, a menu key without a target.
  await node(page, 'queue-1').locator('.badge-error').waitFor();
  t.regex((await node(page, 'queue-1').textContent())!, /queue: /);
  await select(page, 'menu-1');
  await panel(page).getByRole('heading', { name: 'Menu node menu-1' }).waitFor();
  await panel(page).getByRole('button', { name: 'Add key' }).click();
  await node(page, 'menu-1').getByText(/options\.1: node ids are/).waitFor();
  await panel(page).getByText(/1: node ids are/).waitFor(); // inline, under the Keys field
  t.is(await panel(page).locator('fieldset.field-options').getAttribute('aria-invalid'), 'true');
  await panel(page).getByLabel('Key 1 goes to').selectOption('queue-1');
  await node(page, 'menu-1').locator('.badge-error').waitFor({ state: 'detached' });

  await select(page, 'queue-1');
  await panel(page).getByLabel('Queue id').fill('support');
  await node(page, 'queue-1').locator('.badge-error').waitFor({ state: 'detached' });

  // The play node: a prompt from the library (with a TTS preview), then on to the menu by dragging
  // its "Next node" handle onto the menu; it becomes the start.
  await select(page, 'play-1');
  await panel(page).getByLabel('Prompts 1: type').selectOption('prompt');
  await panel(page).getByLabel('Prompts 1: value').selectOption('welcome');
  await panel(page).getByRole('button', { name: 'Listen' }).click();
  await panel(page).locator('audio.preview-audio').waitFor();
  await page.locator('section.canvas').scrollIntoViewIfNeeded();
  const from = await node(page, 'play-1').locator('.react-flow__handle.source').boundingBox();
  const to = await node(page, 'menu-1').locator('.react-flow__handle.target').boundingBox();
  await page.mouse.move(from!.x + from!.width / 2, from!.y + from!.height / 2);
  await page.mouse.down();
  await page.mouse.move(to!.x + to!.width / 2, to!.y + to!.height / 2, { steps: 12 });
  await page.mouse.up();
  t.is(await panel(page).getByLabel('Next node').inputValue(), 'menu-1', 'dragging set the play node\'s next');
  await panel(page).getByRole('button', { name: 'Make this the start node' }).click();
  // The validator runs as the flow changes: the last errors (play-1 unreachable) go.
  await page.locator('.canvas .badge-error').first().waitFor({ state: 'detached' });

  await page.getByRole('button', { name: 'Validate' }).click();
  await page.getByRole('status').filter({ hasText: 'The flow is valid: no errors' }).waitFor();
  await page.getByRole('button', { name: 'Publish' }).click();
  await page.getByRole('status').filter({ hasText: 'Published as version 1' }).waitFor();
  await page.getByText('Live: version 1').waitFor();

  // The simulator with key 1 lights the path play → menu → queue.
  await page.getByLabel('Keys the caller presses').fill('1');
  await page.getByRole('button', { name: 'Run the simulator' }).click();
  await page.getByText('Outcome: queue').waitFor();
  t.deepEqual(await page.locator('.sim-path li').allTextContents(), ['play-1', 'menu-1', 'queue-1']);
  for (const id of ['play-1', 'menu-1', 'queue-1']) t.is(await node(page, id).getAttribute('data-on-path'), 'true', id);
  t.is(await page.locator('.react-flow__edge.on-path').count(), 2);
  await shot(page, 'flow-editor-en');

  // Route a number to the flow; the call slot offers to call it from the browser.
  await page.getByLabel('Number', { exact: true }).fill('7100');
  await page.getByRole('button', { name: 'Route number' }).click();
  await page.getByText('Number routes saved.').waitFor();
  await page.locator('[data-slot="softphone-call"]').getByRole('button', { name: 'Call 7100' }).waitFor();
  t.like(await api<{ flow: string; publishedVersion: number }>('/number-routes/resolve', 'POST', { number: '7100' }), { flow: 'web-built', publishedVersion: 1 });

  // A real call to 7100: the caller presses 1 (again while the menu asks), reaches the queue and its agent.
  const deskline = appliance();
  await simulate(deskline, 'fw1', 'answer,1,3');
  await api('/agents/fw1/state', 'POST', { action: 'login' });
  const call: CallSummary = await placeTestCall(
    { to: '7100', script: 'wait 3; dtmf 1; wait 2; dtmf 1; wait 2; dtmf 1; wait 10; hangup', callerNumber: '5550142', timeoutSeconds: 60 },
    { telephony: deskline.telephony, calls: deskline.calls, records: deskline.records, media: sandbox().media },
  );
  const path = call.trail.filter((e) => e.type === 'node-enter').map((e) => String(e.node));
  t.deepEqual(path.slice(0, 3), ['play-1', 'menu-1', 'queue-1'], call.trail.map((e) => e.type).join(','));
  const viaApi = await api<{ trail: { type: string; queue?: string; agentId?: string }[] }>(`/calls/${call.callId}`);
  t.truthy(viaApi.trail.find((e) => e.type === 'queue' && e.queue === 'support'), 'the call entered the support queue');
  t.truthy(viaApi.trail.find((e) => e.type === 'agent-connected' && e.agentId === 'fw1'), 'the agent answered it');

  // A second version: the menu waits longer; the history shows what changed, field by field.
  await select(page, 'menu-1');
  await panel(page).getByLabel('Timeout (seconds)').fill('8');
  await page.getByText('Unsaved changes').waitFor();
  await page.getByRole('button', { name: 'Publish' }).click();
  await page.getByRole('status').filter({ hasText: 'Published as version 2' }).waitFor();
  const history = page.getByRole('region', { name: 'Version history' });
  await history.getByRole('button', { name: 'Changes in version 2' }).click();
  await history.locator('.diff-changed').getByText('timeoutSeconds: 5 → 8').waitFor();
  t.true((await history.locator('.diff-changed').textContent())!.includes('menu-1'));
  await history.getByRole('button', { name: 'Make version 1 live' }).click();
  await page.getByRole('status').filter({ hasText: 'Version 1 is live again.' }).waitFor();
  t.like(await api<{ publishedVersion: number }>('/flows/web-built'), { publishedVersion: 1 });

  // Dragging a node keeps its place in the document (the optional layout); calls ignore it.
  await page.locator('section.canvas').scrollIntoViewIfNeeded();
  const box = (await node(page, 'queue-1').locator('.flow-node-kind').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + 200, box.y + 60, { steps: 10 });
  await page.mouse.up();
  await page.getByRole('button', { name: 'Arrange automatically' }).waitFor();
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.getByRole('status').filter({ hasText: 'Draft saved' }).waitFor();
  const placed = await api<{ draft: { doc: { layout?: { nodes: Record<string, { x: number; y: number }> } } } }>('/flows/web-built');
  t.truthy(placed.draft.doc.layout?.nodes['queue-1'], JSON.stringify(placed.draft.doc.layout));
  t.deepEqual(Object.keys(placed.draft.doc.layout!.nodes), ['queue-1'], 'only the moved node has a place of its own');

  // Someone else saves meanwhile: this page's save is refused (409) and says so.
  const current = await api<{ draft: { doc: Record<string, unknown> } }>('/flows/web-built');
  await api('/flows/web-built', 'PUT', { ...current.draft.doc, name: 'Renamed elsewhere' });
  await panel(page).getByLabel('Label').fill('Main menu');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.getByRole('status').filter({ hasText: 'Someone else saved this flow since you opened it.' }).waitFor();
  t.deepEqual(problems.splice(0).map((p) => p.replace(base, '')).sort(), [
    'HTTP 409: PUT /api/v1/flows/web-built',
    'console: Failed to load resource: the server responded with a status of 409 (Conflict)',
  ].sort());
  await page.getByRole('button', { name: 'Reload the saved draft' }).click();
  await page.getByRole('heading', { name: 'Flow Renamed elsewhere' }).waitFor();

  // Both languages: the editor and the list.
  await page.getByLabel('Language', { exact: true }).selectOption('zh-CN');
  await page.getByRole('heading', { name: '流程 Renamed elsewhere' }).waitFor();
  await page.getByRole('button', { name: '添加按键菜单' }).waitFor();
  await node(page, 'queue-1').getByText('排队').waitFor();
  await shot(page, 'flow-editor-zh-CN');
  await page.getByRole('link', { name: '全部流程' }).click();
  await page.getByRole('heading', { name: '语音导航流程' }).waitFor();
  await page.locator('tr[data-flow="web-built"]').getByText('7100').waitFor();
  await shot(page, 'flows-zh-CN');
  await page.getByLabel('语言', { exact: true }).selectOption('en');
  await page.getByRole('heading', { name: 'IVR flows' }).waitFor();
  t.true((await page.locator('tr[data-flow="web-built"]').textContent())!.includes('Version 1'));
  await shot(page, 'flows-en');
  await context.close();
  t.deepEqual(problems, []);
});

test.serial('given a supervisor (flows.read only), when they open a flow, then they see it read-only: no palette, disabled fields, no publish or rollback', async (t) => {
  const base = appliance().httpUrl;
  const api = await apiAs(base, appliance().firstAdmin!);
  const supervisor = { username: 'flow-watcher', password: 'a-long-enough-passphrase-42' };
  await api('/users', 'POST', { ...supervisor, role: 'supervisor' });
  const context = await browser!.newContext({ locale: 'en-US', viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const problems = watch(page);
  await logIn(page, base, supervisor);
  problems.splice(0); // the anonymous /auth/me before logging in
  await page.goto(`${base}/flows`);
  await page.getByRole('link', { name: 'web-built' }).click();
  await page.getByText('You may look at this flow but not change it.').waitFor();
  await node(page, 'menu-1').waitFor();
  t.is(await page.getByRole('region', { name: 'Add a node' }).count(), 0);
  t.is(await page.getByRole('button', { name: 'Publish' }).count(), 0);
  t.is(await page.getByRole('button', { name: 'Create flow' }).count(), 0);
  await select(page, 'queue-1');
  t.true(await panel(page).getByLabel('Queue id').isDisabled());
  t.is(await page.getByRole('region', { name: 'Version history' }).getByRole('button', { name: /Make version/ }).count(), 0);
  // The simulator is reading, not changing: a supervisor may run it.
  await page.getByLabel('Keys the caller presses').fill('1');
  await page.getByRole('button', { name: 'Run the simulator' }).click();
  await page.getByText('Outcome: queue').waitFor();
  await context.close();
  t.deepEqual(problems, []);
});

test.serial('given the example customer-service tree (every branch kind), when an admin opens it and walks every node, then each property panel opens with no error and the tree validates', async (t) => {
  const base = appliance().httpUrl;
  const admin = appliance().firstAdmin!;
  const api = await apiAs(base, admin);
  const doc = parse(await readFile(new URL('../../ivr-flows/customer-service-en.yaml', import.meta.url), 'utf8')) as { id: string; nodes: Record<string, { kind: string }> };
  await api(`/flows/${doc.id}`, 'PUT', doc);
  const context = await browser!.newContext({ locale: 'en-US', viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const problems = watch(page);
  await logIn(page, base, admin);
  problems.splice(0);
  await page.goto(`${base}/flows/${doc.id}`);
  await page.getByRole('heading', { name: 'Flow Customer service (English)' }).waitFor();
  for (const id of Object.keys(doc.nodes)) await node(page, id).waitFor();
  await page.getByRole('button', { name: 'Validate' }).click();
  await page.getByRole('status').filter({ hasText: 'The flow is valid: no errors' }).waitFor();
  for (const [id, n] of Object.entries(doc.nodes)) {
    await select(page, id);
    await panel(page).getByRole('heading', { name: new RegExp(` node ${id}$`) }).waitFor();
    t.is(await panel(page).getAttribute('data-panel-node'), id, n.kind);
  }
  // Opening panels changes nothing: the draft is as saved.
  await page.getByText('All changes saved').waitFor();
  await shot(page, 'flow-editor-large-en');
  await context.close();
  t.deepEqual(problems, []);
});
