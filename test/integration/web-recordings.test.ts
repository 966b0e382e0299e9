// The recordings page in a real browser (Debian's chromium through playwright-core) against a
// running Deskline on the sandbox Asterisk: a real queued call is recorded (and its caller
// transcribed), then a supervisor finds it by caller, words said, agent, queue and date, plays it
// (the time advances at the chosen speed), clicks a transcript line to jump there, saves a QA
// evaluation that is still there after a reload, in en and zh-CN. The one view fetched the audio
// once: one listen in the audit log. Any console error or failed request fails the test.
import test from 'ava';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { placeTestCall } from '../../src/calls/test-call.ts';
import { readWavInfo } from '../../src/recordings/wav-info.ts';
import { HELP_LINE_PHRASES } from '../../src/speech/testing/phrases.ts';
import { tempDir } from '../helpers/appliance.ts';
import { apiAs, launchBrowser, logIn, shot, watch } from '../helpers/browser.ts';
import { simAgent, simulate, writeQueueFlow } from '../helpers/queues.ts';
import { useDeskline } from '../helpers/sandbox.ts';

const run = promisify(execFile);
const dir = await tempDir('deskline-web-rec-');
const { sandbox, appliance } = useDeskline(test, async () => {
  const phrasesFile = join(dir.path, 'phrases.txt');
  await writeFile(phrasesFile, HELP_LINE_PHRASES.map((p) => p.text).join('\n'));
  const flow = await writeQueueFlow(dir.path, 'billing');
  return {
    site: { id: 'webrec' },
    speech: { transcribe: 'off', phrasesFile },
    ivr: { flowsDir: dir.path, routes: [{ number: '6300', flow }] },
    queues: [{ id: 'billing', whisper: false, wrapUpSeconds: 0, recording: 'all', transcription: 'caller' }],
    agents: [simAgent('rb1', {})],
  };
});
sandbox.cleanup(() => dir.remove());

let browser: Browser | undefined;
test.serial.before(async () => {
  // Playback starts from the test (no user gesture): allowed for this browser only.
  browser = await launchBrowser(['--autoplay-policy=no-user-gesture-required']);
});
test.serial.after.always(async () => {
  await browser?.close();
});

/** Where speech starts in a 16-bit PCM WAV: 20 ms frames turning loud after 300 ms of quiet (seconds). */
async function speechOnsets(path: string): Promise<number[]> {
  const info = await readWavInfo(path);
  const audio = (await readFile(path)).subarray(info.dataOffset, info.dataOffset + info.dataBytes);
  const frame = Math.round(info.sampleRate / 50) * info.channels;
  const onsets: number[] = [];
  let quietFrames = 15;
  for (let at = 0; at + frame * 2 <= audio.length; at += frame * 2) {
    let sum = 0;
    for (let i = 0; i < frame; i++) sum += audio.readInt16LE(at + i * 2) ** 2;
    const loud = Math.sqrt(sum / frame) > 1000;
    if (loud && quietFrames >= 15) onsets.push(at / 2 / info.channels / info.sampleRate);
    quietFrames = loud ? 0 : quietFrames + 1;
  }
  return onsets;
}

async function waitForRecording(callId: string) {
  for (let i = 0; i < 100; i++) {
    const [found] = await appliance().recordings.list({ callId });
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no recording stored for ${callId}`);
}

test.serial('given a recorded, transcribed queue call, when a supervisor searches, plays, seeks and scores it in en and zh-CN, then all of it works, the evaluation persists and the one view is one audited listen', async (t) => {
  const deskline = appliance();
  const base = deskline.httpUrl;
  // The call: the caller says two help-line phrases to agent rb1, recorded throughout.
  await simulate(deskline, 'rb1', 'answer,1,40');
  await deskline.queues!.agentAction('rb1', 'login');
  const said = [HELP_LINE_PHRASES[0]!, HELP_LINE_PHRASES[5]!];
  const files = [];
  for (const [i, phrase] of said.entries()) {
    const file = join(dir.path, `phrase${i}.wav`);
    await run('flite', ['-voice', 'slt', '-t', phrase.text, '-o', file]);
    files.push(file);
  }
  const media = { telephony: deskline.telephony, calls: deskline.calls, records: deskline.records, media: sandbox().media };
  const call = await placeTestCall({ to: '6300', script: `wait 4; play ${files[0]}; wait 2; play ${files[1]}; wait 2; hangup`, callerNumber: '5553101', timeoutSeconds: 60 }, media);
  await deskline.transcription?.idle();
  await deskline.calls.idle();
  const recording = await waitForRecording(call.callId);
  const trail = await deskline.records.trail(call.callId);
  const transcript = trail.filter((e) => e.type === 'transcript');
  t.log(`recording ${recording.id}: ${recording.durationSeconds.toFixed(2)} s from +${((recording.startedAt - call.trail[0]!.at) / 1000).toFixed(2)} s; transcript: ${transcript.map((e) => `[${e.startMs}-${e.endMs} @+${((e.at - call.trail[0]!.at) / 1000).toFixed(2)}] ${String(e.text)}`).join(' | ') || '(none)'}`);
  t.true(call.trail.some((e) => e.type === 'agent-connected'), 'the caller reached the agent');
  const transcribed = transcript.length > 0;
  // Transcription itself is queue-transcription.test.ts's to prove; without a transcript (no speech
  // engine, or a leg that failed to open on a loaded box) this test searches by caller and outcome.
  if (!transcribed) t.log(deskline.transcription ? 'WARNING: the call has no transcript: the transcript parts are skipped' : 'no speech engine on this box: the transcript parts are skipped');

  const admin = deskline.firstAdmin!;
  const api = await apiAs(base, admin);
  const context = await browser!.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await logIn(page, base, admin);
  const problems = watch(page);

  // Search: by caller, by words said, by agent and queue, by date; each finds the call.
  await page.getByRole('navigation').getByRole('link', { name: 'Recordings' }).click();
  await page.getByRole('heading', { name: 'Recordings' }).waitFor();
  const row = page.locator(`tr[data-call="${call.callId}"]`);
  await row.waitFor();
  const searchBy = async (fields: Record<string, string>, outcome?: string) => {
    await page.getByRole('button', { name: 'Clear' }).click();
    await row.waitFor();
    for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value);
    if (outcome) await page.getByLabel('Outcome').selectOption(outcome);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByText(/^(\d+ calls|1 call)$/).waitFor();
    return page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-call')));
  };
  t.deepEqual(await searchBy({ 'Caller number': '5553101' }), [call.callId]);
  t.deepEqual(await searchBy({ 'Caller number': '5550000' }), []);
  if (transcribed) {
    // Words the recognizer heard (what it makes of the synthetic voice varies a little on a busy box).
    const heard = transcript.map((e) => String(e.text)).join(' ').split(/\s+/).sort((a, b) => b.length - a.length).slice(0, 2);
    t.deepEqual(await searchBy({ 'Words said': heard.join(' ').toUpperCase() }), [call.callId]);
    t.deepEqual(await searchBy({ 'Words said': 'refund lawyer' }), []);
  }
  t.deepEqual(await searchBy({ Agent: 'rb1', Queue: 'billing' }), [call.callId]);
  t.deepEqual(await searchBy({ Queue: 'nosuchqueue' }), []);
  const today = await page.evaluate(() => new Date().toLocaleDateString('sv'));
  t.deepEqual(await searchBy({ From: today, 'To (inclusive)': today, 'Caller number': '5553101' }, 'completed'), [call.callId]);
  t.deepEqual(await searchBy({ 'Caller number': '5553101' }, 'abandoned'), []);
  await page.getByRole('button', { name: 'Clear' }).click();
  await row.waitFor();
  t.true((await row.textContent())!.includes('rb1'));
  await shot(page, 'recordings-en');

  // The recording: waveform, player, transcript.
  await row.getByRole('link').click();
  await page.waitForURL(`**/recordings/${encodeURIComponent(call.callId)}`);
  await page.getByRole('heading', { name: 'Call from 5553101' }).waitFor();
  await page.locator('audio[src^="blob:"]').waitFor();
  await page.getByRole('slider', { name: /^Waveform/ }).waitFor();
  const lines = page.locator('.rec-lines li[data-start]');
  if (transcribed) await lines.first().waitFor();

  // Each line is placed where its words are heard in the file (within the recognizer's delay in
  // reporting a final, as long as the trail does not carry the leg's audio start).
  if (transcribed) {
    const onsets = await speechOnsets(join(deskline.recordings.dir, recording.path));
    const starts = (await lines.evaluateAll((items) => items.map((li) => li.getAttribute('data-start')))).map(Number);
    const errors = starts.map((start) => Math.min(...onsets.map((o) => Math.abs(o - start))));
    t.log(`speech onsets in the file ${onsets.map((o) => o.toFixed(2)).join(', ')} s; lines placed at ${starts.map((x) => x.toFixed(2)).join(', ')} s`);
    t.true(errors.every((e) => e < 1), `each line within 1 s of its words (off by ${errors.map((e) => e.toFixed(2)).join(', ')} s)`);
  }

  // Play at double speed: the time advances, faster than the clock; the heard line lights up.
  await page.getByLabel('Speed').selectOption('2');
  await page.evaluate('document.querySelector("audio").play()');
  // Media seconds per second, measured in the page over 2 s of audio once playback runs.
  // (A string: the test's compiler would wrap named functions in a helper the page does not have.)
  const speed = await page.evaluate<number>(`new Promise((resolve) => {
    const a = document.querySelector('audio');
    let from;
    (function check() {
      if (!from && a.currentTime >= 0.5) from = { media: a.currentTime, wall: performance.now() };
      if (from && a.currentTime >= from.media + 2) return resolve((a.currentTime - from.media) / ((performance.now() - from.wall) / 1000));
      requestAnimationFrame(check);
    })();
  })`);
  t.log(`played at ${speed.toFixed(2)}× (asked 2×)`);
  t.is(await page.evaluate<number>('document.querySelector("audio").playbackRate'), 2);
  t.true(speed > 1.4, `currentTime advanced ${speed.toFixed(2)}× as fast as the clock`);
  if (transcribed) await page.locator('.rec-lines li.current').waitFor();
  await page.evaluate('document.querySelector("audio").pause()');

  // Clicking a transcript line seeks there.
  if (transcribed) {
    const target = lines.last();
    const start = Number(await target.getAttribute('data-start'));
    await target.getByRole('button').click();
    await page.waitForFunction(`Math.abs(document.querySelector('audio').currentTime - ${start}) < 0.05`);
    await page.locator(`.rec-lines li.current[data-start="${await target.getAttribute('data-start')}"]`).waitFor();
    t.is(await target.getAttribute('class'), 'current');
    t.is(await target.getByRole('button').getAttribute('aria-current'), 'true');
  }

  // QA: score every criterion, comment, save; the server's total shows.
  const scoreInputs = page.locator('.qa-score input');
  t.true(await scoreInputs.count() >= 3);
  for (const input of await scoreInputs.all()) await input.fill('4');
  await page.getByLabel('Your comment on the evaluation').fill('Clear greeting, solved on first contact');
  await page.getByRole('button', { name: 'Save evaluation' }).click();
  await page.getByRole('status').filter({ hasText: 'Evaluation saved: 80%.' }).waitFor();
  await page.getByLabel('Add a comment').fill('Good example for training');
  await page.getByRole('button', { name: 'Post comment' }).click();
  await page.locator('.qa-comments li').filter({ hasText: 'Good example for training' }).waitFor();
  await shot(page, 'recording-en');

  // One view, one fetch of the audio: one audited listen.
  const listens = async () => (await api<{ items: { actor: string; target: string }[] }>('/audit?action=recording.listen&limit=100')).items.filter((e) => e.target === recording.id);
  t.deepEqual((await listens()).map((e) => e.actor), [admin.username]);

  // After a reload the evaluation and comment are still there (and the form holds my scores).
  await page.reload();
  const mine = page.locator(`li[data-reviewer="${admin.username}"]`);
  await mine.filter({ hasText: 'Clear greeting, solved on first contact' }).waitFor();
  t.true((await mine.textContent())!.includes('(80%)'));
  t.is(await scoreInputs.first().inputValue(), '4');
  await page.locator('.qa-comments li').filter({ hasText: 'Good example for training' }).waitFor();
  await page.locator('audio[src^="blob:"]').waitFor();
  t.is((await listens()).length, 2, 'the reload is a second view');
  const qa = await api<{ evaluations: { reviewer: string; total: number; percent: number }[] }>(`/calls/${encodeURIComponent(call.callId)}/qa`);
  t.like(qa.evaluations[0], { reviewer: admin.username, percent: 80 });

  // The criteria editor: a new criterion is in the scoring form at once.
  await page.locator('summary', { hasText: 'Edit the scoring criteria' }).click();
  await page.getByRole('button', { name: 'Add a criterion' }).click();
  await page.getByLabel('Criterion 6: id').fill('empathy');
  await page.getByLabel('Criterion 6: label in English').fill('Empathy');
  await page.getByLabel('Criterion 6: label in Chinese').fill('同理心');
  await page.getByRole('button', { name: 'Save criteria' }).click();
  await page.getByRole('status').filter({ hasText: 'Criteria saved (revision 1).' }).waitFor();
  await page.getByLabel(/^Empathy \(0–5/).waitFor();
  t.is((await api<{ revision: number; criteria: { id: string }[] }>('/qa/criteria')).criteria.at(-1)!.id, 'empathy');

  // zh-CN: the view and the search.
  await page.getByLabel('Language').selectOption('zh-CN');
  await page.getByRole('heading', { name: '质检评分' }).waitFor();
  await page.getByRole('heading', { name: '来自 5553101 的通话' }).waitFor();
  if (transcribed) await page.getByText('客户').first().waitFor();
  await shot(page, 'recording-zh-CN');
  await page.getByRole('link', { name: '← 返回搜索' }).click();
  await page.getByRole('heading', { name: '通话录音' }).waitFor();
  await row.waitFor();
  t.true((await row.textContent())!.includes('已完成'));
  await shot(page, 'recordings-zh-CN');
  await page.getByLabel('语言').selectOption('en');
  await page.getByRole('heading', { name: 'Recordings' }).waitFor();
  await context.close();
  t.deepEqual(problems, []);
});
