// The sandbox Asterisk: Debian sid's Asterisk 22 in a debootstrapped root (deploy/sandbox/
// prepare-root.sh), one private directory tree and port set per instance so tests can run several.
// Used by the demo, every integration test and CI. Asterisk dies with its owner (pdeathsig).
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readlinkSync, readdirSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { renderAsteriskConfigs, type SipEndpointSpec } from './render-configs.ts';
import { ariPasswordHash } from './password-hash.ts';
import { freeTcpPort, freeUdpPort } from './free-port.ts';

const execFileAsync = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export class SandboxError extends Error {
  readonly code = 'DESKLINE_SANDBOX';
}

export function sandboxRoot(): string {
  return process.env.DESKLINE_ASTERISK_ROOT ?? `${repoRoot}.cache/asterisk-root`;
}

export interface SandboxOptions {
  root?: string;
  /** Appears in the instance directory name, for people reading `ps` or /run. */
  name?: string;
  ariApp?: string;
  /** Extra SIP endpoints (agents, phones) besides the built-in loopback test caller. */
  endpoints?: SipEndpointSpec[];
  /** Fixed ARI port and password, e.g. to bring up an Asterisk that a waiting Deskline expects. */
  httpPort?: number;
  ariPassword?: string;
  /** A host folder to bind-mount as the media folder, so prompts and TTS outlive the instance. */
  mediaDir?: string;
}

export interface AsteriskSandbox {
  readonly root: string;
  readonly ariUrl: string;
  readonly ariUser: string;
  readonly ariPassword: string;
  readonly ariApp: string;
  readonly httpPort: number;
  readonly sipPort: number;
  /** Folder Asterisk can play from, as the host sees it and as Asterisk sees it. */
  readonly media: { hostDir: string; asteriskDir: string };
  /** Where Asterisk's recordings land, as the host sees it. */
  readonly recordingsDir: string;
  readonly version: string;
  readonly pid: number | undefined;
  /** Its config folder as the host sees it, and the argv that runs one CLI command (appended). */
  readonly configDir: string;
  readonly cliArgv: string[];
  cli(command: string): Promise<string>;
  /** Kills Asterisk at once (SIGKILL) — for fault tests; start() brings it back on the same ports. */
  kill(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export const testCallerEndpoint: SipEndpointSpec = {
  name: 'caller', context: 'deskline-inbound', codecs: 'ulaw,alaw', callerId: '"Test Caller" <5550100>', password: '', contact: '',
};

function procMounted(root: string): boolean {
  return existsSync(`${root}/proc/self`);
}

/** Any process (other than ones we are about to stop) whose root is this chroot? */
function processesInRoot(root: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/root`) === root) pids.push(Number(entry));
    } catch {
      // process gone or not ours to read
    }
  }
  return pids;
}

async function waitForAri(url: string, auth: string, child: ChildProcess, log: () => string): Promise<string> {
  const deadline = Date.now() + 45_000;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new SandboxError(`Asterisk exited while starting (${child.exitCode ?? child.signalCode}): ${log()}`);
    }
    try {
      const info = await fetch(`${url}/asterisk/info`, { headers: { authorization: auth } });
      const apps = await fetch(`${url}/applications`, { headers: { authorization: auth } });
      if (info.ok && apps.ok) {
        const body = (await info.json()) as { system?: { version?: string } };
        return body.system?.version ?? 'unknown';
      }
      last = `HTTP ${info.status}/${apps.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    // Readiness polling of an external process, not a test waiting on time.
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new SandboxError(`ARI did not answer within 45 s at ${url} (${last}): ${log()}`);
}

export async function startSandbox(options: SandboxOptions = {}): Promise<AsteriskSandbox> {
  const root = options.root ?? sandboxRoot();
  if (!existsSync(`${root}/.deskline-ready`)) {
    throw new SandboxError(`no sandbox Asterisk at ${root}: run deploy/sandbox/prepare-root.sh (needs root)`);
  }
  const id = `${options.name ?? 'asterisk'}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const inside = `/run/deskline/${id}`;
  const hostDir = `${root}${inside}`;
  const dirs = { etc: `${inside}/etc`, db: `${inside}/db`, spool: `${inside}/spool`, run: `${inside}/run`, log: `${inside}/log`, modules: '' };
  dirs.modules = readdirSync(`${root}/usr/lib`).filter((d) => existsSync(`${root}/usr/lib/${d}/asterisk/modules`)).map((d) => `/usr/lib/${d}/asterisk/modules`)[0] ?? '/usr/lib/asterisk/modules';
  for (const dir of [dirs.etc, `${dirs.db}/keys`, `${dirs.spool}/recording`, dirs.run, dirs.log, `${inside}/media`]) {
    await mkdir(`${root}${dir}`, { recursive: true });
  }
  const httpPort = options.httpPort ?? (await freeTcpPort());
  const sipPort = await freeUdpPort();
  const rtpStart = 20000 + 2 * Math.floor(Math.random() * 19000);
  const ariUser = 'deskline';
  const ariPassword = options.ariPassword ?? randomBytes(18).toString('base64url');
  const ariApp = options.ariApp ?? 'deskline';
  const configs = await renderAsteriskConfigs({
    dirs,
    http: { bindAddress: '127.0.0.1', port: httpPort },
    sip: { bindAddress: '127.0.0.1', port: sipPort },
    rtp: { start: rtpStart, end: rtpStart + 998 },
    ari: { user: ariUser, app: ariApp, ...ariPasswordHash(ariPassword) },
    tones: { country: 'us' },
    endpoints: [testCallerEndpoint, ...(options.endpoints ?? [])],
  });
  for (const [name, text] of configs) await writeFile(`${root}${dirs.etc}/${name}`, text, { mode: 0o600 });

  const ariUrl = `http://127.0.0.1:${httpPort}/ari`;
  const auth = `Basic ${Buffer.from(`${ariUser}:${ariPassword}`).toString('base64')}`;
  const conf = `${dirs.etc}/asterisk.conf`;
  let child: ChildProcess | undefined;
  let version = 'unknown';
  const logTail = () => {
    try {
      return readFileSync(`${root}${dirs.log}/messages.log`, 'utf8').split('\n').slice(-8).join('\n');
    } catch {
      return '(no log yet)';
    }
  };
  const exited = () => !child || child.exitCode !== null || child.signalCode !== null;

  const mediaMount = `${hostDir}/media`;
  if (options.mediaDir) {
    await mkdir(options.mediaDir, { recursive: true });
    await execFileAsync('mount', ['--bind', options.mediaDir, mediaMount]);
  }
  const start = async () => {
    if (!procMounted(root)) await execFileAsync('mount', ['-t', 'proc', 'proc', `${root}/proc`]);
    // setpriv --pdeathsig: Asterisk is killed when this Node process dies, even by SIGKILL.
    child = spawn('setpriv', ['--pdeathsig', 'KILL', '--', 'chroot', root, '/usr/sbin/asterisk', '-f', '-n', '-C', conf], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr?.resume();
    version = await waitForAri(ariUrl, auth, child, logTail);
  };

  const waitExit = (ms: number) =>
    new Promise<boolean>((resolve) => {
      if (exited()) return resolve(true);
      const timer = setTimeout(() => resolve(false), ms);
      child!.once('exit', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });

  const kill = async () => {
    if (exited()) return;
    child!.kill('SIGKILL');
    await waitExit(5000);
  };

  const stop = async () => {
    if (!exited()) {
      child!.kill('SIGTERM');
      if (!(await waitExit(8000))) await kill();
    }
    if (options.mediaDir) await execFileAsync('umount', [mediaMount]).catch(() => undefined);
    if (procMounted(root) && processesInRoot(root).length === 0) {
      await execFileAsync('umount', [`${root}/proc`]).catch(() => undefined);
    }
    await rm(hostDir, { recursive: true, force: true });
  };

  try {
    await start();
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    root, ariUrl, ariUser, ariPassword, ariApp, httpPort, sipPort,
    media: { hostDir: options.mediaDir ?? mediaMount, asteriskDir: `${inside}/media` },
    recordingsDir: `${root}${dirs.spool}/recording`,
    configDir: `${root}${dirs.etc}`,
    cliArgv: ['chroot', root, '/usr/sbin/asterisk', '-C', conf, '-rx'],
    get version() {
      return version;
    },
    get pid() {
      return child?.pid;
    },
    async cli(command: string) {
      const { stdout } = await execFileAsync('chroot', [root, '/usr/sbin/asterisk', '-C', conf, '-rx', command]);
      return stdout;
    },
    kill,
    start,
    stop,
  };
}
