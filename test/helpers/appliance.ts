// Deskline in the test process (fast, inspectable) or as a child process (for kill -9).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { spawn, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAppliance, type Appliance } from '../../src/app/appliance.ts';
import type { AsteriskSandbox } from '../../src/asterisk/sandbox.ts';
import { buildConfig } from '../../src/config/load.ts';
import { createLogger } from '../../src/core/logger.ts';
import type { CallState, TrailEntry } from '../../src/calls/call-types.ts';
import type { Clock } from '../../src/core/clock.ts';

export const cli = fileURLToPath(new URL('../../src/cli/deskline.js', import.meta.url));

export function siteFor(sandbox: Pick<AsteriskSandbox, 'ariUrl' | 'ariUser' | 'ariApp' | 'media' | 'recordingsDir'>, storePath: string, extra: Record<string, unknown> = {}) {
  return {
    site: { id: 'test' },
    asterisk: {
      ariUrl: sandbox.ariUrl, ariUser: sandbox.ariUser, app: sandbox.ariApp, reconnectMaxSeconds: 1,
      mediaHostDir: sandbox.media.hostDir, mediaAsteriskDir: sandbox.media.asteriskDir, recordingsDir: sandbox.recordingsDir,
    },
    http: { port: 0 },
    store: { path: storePath },
    log: { level: 'warn' },
    ...extra,
  };
}

export async function tempDir(prefix = 'deskline-test-'): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

export async function startInProcess(sandbox: AsteriskSandbox, storePath: string, extra: Record<string, unknown> = {}, clock?: Clock): Promise<Appliance> {
  const site = siteFor(sandbox, storePath, extra) as Record<string, Record<string, unknown>>;
  site.asterisk!.ariPassword = sandbox.ariPassword;
  const config = buildConfig(site, 'test site', {});
  const appliance = await startAppliance(config, createLogger(config.log.level), clock);
  await appliance.telephony.connection.whenConnected(10_000);
  return appliance;
}

/** Resolves with the first trail entry of any call that matches. */
export function nextTrail(appliance: Appliance, match: (state: CallState, entry: TrailEntry) => boolean, timeoutMs = 30_000): Promise<{ state: CallState; entry: TrailEntry }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      appliance.calls.off('trail', onTrail);
      reject(new Error(`no matching call event within ${timeoutMs} ms`));
    }, timeoutMs);
    const onTrail = (state: CallState, entry: TrailEntry) => {
      if (!match(state, entry)) return;
      clearTimeout(timer);
      appliance.calls.off('trail', onTrail);
      resolve({ state, entry });
    };
    appliance.calls.on('trail', onTrail);
  });
}

export interface DesklineChild {
  process: ChildProcess;
  socket: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** `deskline serve --site FILE` as a child process (log level info); resolves once it runs and printed readyLine. */
export async function spawnDeskline(siteFile: string, storePath: string, env: NodeJS.ProcessEnv = {}, readyLine = 'ARI connected'): Promise<DesklineChild> {
  // setpriv --pdeathsig: the child dies with the test process even if ava kills it on a timeout.
  const child = spawn('setpriv', ['--pdeathsig', 'KILL', '--', process.execPath, cli, 'serve', '--site', siteFile], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const onData = () => {
      if (output.includes('Deskline is running') && output.includes(readyLine)) {
        child.stdout!.off('data', onData);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => reject(new Error(`deskline exited with ${code} before running:\n${output}`)));
  });
  return { process: child, socket: `${storePath}/deskline.sock`, output: () => output, exited };
}

export async function writeSite(dir: string, site: unknown, password?: string): Promise<string> {
  const file = join(dir, 'site.json');
  const s = structuredClone(site) as Record<string, Record<string, unknown>>;
  if (password !== undefined) {
    await writeFile(join(dir, 'ari-password'), password, { mode: 0o600 });
    s.asterisk!.ariPasswordFile = join(dir, 'ari-password');
  }
  await writeFile(file, JSON.stringify(s, null, 2));
  return file;
}
