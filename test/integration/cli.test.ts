import test from 'ava';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CallSummary } from '../../src/calls/call-summary.ts';
import { cli, siteFor, spawnDeskline, tempDir, writeSite } from '../helpers/appliance.ts';
import { useSandbox } from '../helpers/sandbox.ts';

const run = promisify(execFile);
const sandbox = useSandbox(test);
let site = '';
let dir = '';

test.serial.before(async () => {
  const temp = await tempDir();
  sandbox.cleanup(() => temp.remove());
  dir = temp.path;
  site = await writeSite(dir, siteFor(sandbox(), dir, { log: { level: 'info' } }), sandbox().ariPassword);
  const child = await spawnDeskline(site, dir);
  sandbox.cleanup(async () => {
    child.process.kill('SIGTERM');
    await child.exited;
  });
});

const deskline = (...args: string[]) => run(process.execPath, [cli, ...args, '--site', site], { encoding: 'utf8' });

test.serial('given a running Deskline, when `deskline test-call` plays speech files and presses keys, then it prints what happened', async (t) => {
  const flite = join(dir, 'question-8k.wav');
  const espeak = join(dir, 'question-22k.wav');
  await run('flite', ['-t', 'I would like to check my bill', '-o', flite]);
  await run('espeak-ng', ['-w', espeak, 'thank you']);
  const { stdout } = await deskline('test-call', '--to', '4000', '--script', `wait 0.5; play ${flite}; dtmf 3; play ${espeak}; dtmf 4#; wait 0.5; hangup`, '--json');
  const summary = JSON.parse(stdout) as CallSummary;
  t.like(summary, { answered: true, outcome: 'completed', dialed: '4000', hangupCause: 16 });
  t.deepEqual(summary.digits.map((d) => d.digit), ['3', '4', '#']);
  t.deepEqual(summary.prompts.map((p) => p.promptId), ['greeting']);
  // the caller's play steps take real time: the digits after each file arrive after it played
  t.true(summary.digits[0]!.at - summary.trail[0]!.at > 1500, 'the 8 kHz flite file was played before dtmf 3');

  const text = await deskline('test-call', '--script', 'wait 0.5; dtmf 9; hangup');
  t.regex(text.stdout, /answered: {2}yes/);
  t.regex(text.stdout, /digits: {4}9/);
  t.regex(text.stdout, /prompts: {3}greeting/);
  t.regex(text.stdout, /ended: {5}completed by caller, cause 16/);
});

test.serial('given calls were made, when listed and shown by CLI, then filters and the trail work', async (t) => {
  const list = JSON.parse((await deskline('calls', 'list', '--json', '--caller', '5550199')).stdout) as { callId: string; digits: string }[];
  t.true(list.length >= 2);
  t.deepEqual(list.map((c) => c.digits).slice(0, 2), ['9', '34#'], 'newest first');
  t.deepEqual(JSON.parse((await deskline('calls', 'list', '--json', '--caller', '000')).stdout), []);
  const show = await deskline('calls', 'show', list[0]!.callId);
  t.regex(show.stdout, /entered/);
  t.regex(show.stdout, /dtmf +\{"digit":"9"/);
  const table = await deskline('calls', 'list', '--from', new Date(Date.now() - 3600_000).toISOString());
  t.regex(table.stdout, /\d+ call\(s\)/);
  const bad = await deskline('calls', 'list', '--from', 'yesterday-ish').catch((error: { code: number; stderr: string }) => error);
  t.is((bad as { code: number }).code, 1);
  t.regex((bad as { stderr: string }).stderr, /--from "yesterday-ish": not a date\/time/);
});

test.serial('given a running Deskline, when `deskline doctor` runs, then every check passes', async (t) => {
  const { stdout } = await deskline('doctor');
  t.regex(stdout, /ok {4}service: running/);
  t.regex(stdout, /ok {4}service ARI link: connected to Asterisk 22\./);
  t.notRegex(stdout, /FAIL/);
});

test.serial('given a test call with a bad script, when run, then it is refused naming the step', async (t) => {
  const error = (await deskline('test-call', '--script', 'wait 1; jump').catch((e: unknown) => e)) as { code: number; stderr: string };
  t.is(error.code, 1);
  t.regex(error.stderr, /step 2 \("jump"\): unknown step "jump"/);
});
