import test from 'ava';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startSandbox } from '../../src/asterisk/sandbox.ts';
import { freeTcpPort } from '../../src/asterisk/free-port.ts';
import { cli, siteFor, spawnDeskline, tempDir, writeSite } from '../helpers/appliance.ts';
import { useSandbox } from '../helpers/sandbox.ts';

const sandbox = useSandbox(test);
const stackTrace = /^\s+at .+:\d+:\d+\)?$/m;

async function health(output: string): Promise<{ status: number; body: { status: string; ari: { status: string; detail: string } } }> {
  const url = /"http":"(http:\/\/[^"]+)"/.exec(output)?.[1];
  if (!url) throw new Error(`no http URL in output:\n${output}`);
  const response = await fetch(`${url}/healthz`);
  return { status: response.status, body: (await response.json()) as never };
}

function runCli(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

test('given a wrong ARI password, when Deskline starts, then it stays up degraded with one clear message and no stack trace', async (t) => {
  const dir = await tempDir();
  sandbox.cleanup(() => dir.remove());
  const site = await writeSite(dir.path, siteFor(sandbox(), dir.path, { log: { level: 'info' } }), 'not-the-password');
  const child = await spawnDeskline(site, dir.path, {}, 'ARI login refused');
  sandbox.cleanup(async () => child.process.kill('SIGKILL'));
  const { status, body } = await health(child.output());
  t.is(status, 503);
  t.like(body, { status: 'degraded', ari: { status: 'auth-failed' } });
  t.is(child.output().match(/ARI login refused/g)?.length, 1, 'said once, not once per retry');
  t.regex(child.output(), /check asterisk\.ariUser and the ARI password/);
  t.notRegex(child.output(), stackTrace);
  t.is(child.process.exitCode, null, 'still running');
  child.process.kill('SIGTERM');
  t.is(await child.exited, 0);
});

test('given no Asterisk at start, when it comes up later, then Deskline waits degraded and then connects', async (t) => {
  const dir = await tempDir();
  sandbox.cleanup(() => dir.remove());
  const port = await freeTcpPort();
  const password = 'later-asterisk-password';
  const ariUrl = `http://127.0.0.1:${port}/ari`;
  const site = await writeSite(dir.path, siteFor({ ...sandbox(), ariUrl }, dir.path, { log: { level: 'info' } }), password);
  const child = await spawnDeskline(site, dir.path, {}, 'Asterisk ARI not reachable');
  sandbox.cleanup(async () => child.process.kill('SIGKILL'));
  const before = await health(child.output());
  t.is(before.status, 503);
  t.is(before.body.ari.status, 'unreachable');
  t.notRegex(child.output(), stackTrace);

  const late = await startSandbox({ name: 'late', httpPort: port, ariPassword: password });
  sandbox.cleanup(() => late.stop());
  const connected = new Promise<void>((resolve) => child.process.stdout!.on('data', (d: Buffer) => d.toString().includes('ARI connected') && resolve()));
  if (!child.output().includes('ARI connected')) await connected;
  const after = await health(child.output());
  t.is(after.status, 200);
  child.process.kill('SIGTERM');
  await child.exited;
});

test('given a malformed site file, when Deskline starts, then it refuses with every bad field named and no stack trace', async (t) => {
  const dir = await tempDir();
  sandbox.cleanup(() => dir.remove());
  const file = join(dir.path, 'bad-site.yaml');
  await writeFile(file, 'http:\n  port: eighty\nasterisk:\n  ariUrl: not a url\n  colour: blue\n');
  const { code, output } = await runCli(['serve', '--site', file]);
  t.is(code, 1);
  t.regex(output, /bad-site\.yaml: http\.port: /);
  t.regex(output, /bad-site\.yaml: asterisk\.ariUrl: /);
  t.regex(output, /bad-site\.yaml: asterisk: .*colour/);
  t.notRegex(output, stackTrace);

  await writeFile(file, 'http: [1, 2\n');
  const broken = await runCli(['serve', '--site', file]);
  t.is(broken.code, 1);
  t.regex(broken.output, /bad-site\.yaml: not valid YAML/);
  t.notRegex(broken.output, stackTrace);

  const missing = await runCli(['serve', '--site', join(dir.path, 'nope.yaml')]);
  t.regex(missing.output, /nope\.yaml: cannot read the site file: ENOENT/);
});

test('given a store already used by a running Deskline, when a second one starts, then it refuses with a clear message', async (t) => {
  const dir = await tempDir();
  sandbox.cleanup(() => dir.remove());
  const site = await writeSite(dir.path, siteFor(sandbox(), dir.path, { log: { level: 'info' } }), sandbox().ariPassword);
  const first = await spawnDeskline(site, dir.path);
  sandbox.cleanup(async () => first.process.kill('SIGKILL'));
  const second = await runCli(['serve', '--site', site]);
  t.is(second.code, 1);
  t.regex(second.output, /is in use by another Deskline process/);
  t.notRegex(second.output, stackTrace);
  first.process.kill('SIGTERM');
  await first.exited;
});
