// Debian's Mosquitto for the fleet tests: a private broker on a free port with password auth, an
// ACL and persistence in a temp folder; stop (SIGTERM), kill (SIGKILL) and start again on the
// same port to play a broker outage.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freeTcpPort } from '../../src/asterisk/free-port.ts';

const run = promisify(execFile);

export interface BrokerUser {
  name: string;
  password: string;
  /** Mosquitto ACL lines for this user, e.g. `topic write deskline/site1/box-a/status`. */
  acl: string[];
}

/** What one box may do: write its own status/telemetry/events/cmd-result, read its own cmd/. */
export function boxAcl(prefix: string, site: string, appliance: string): string[] {
  const base = `${prefix}/${site}/${appliance}`;
  return [`topic write ${base}/status`, `topic write ${base}/telemetry`, `topic write ${base}/events`, `topic write ${base}/cmd-result`, `topic read ${base}/cmd/#`];
}

/** The fleet operator: reads everything, writes commands. */
export function fleetAcl(prefix: string): string[] {
  return [`topic read ${prefix}/#`, `topic write ${prefix}/+/+/cmd/#`];
}

export interface Mosquitto {
  port: number;
  url: string;
  dir: string;
  running(): boolean;
  start(): Promise<void>;
  /** SIGTERM: Mosquitto saves its persistence file and closes connections cleanly. */
  stop(): Promise<void>;
  /** SIGKILL: the broker vanishes; nothing after the last save survives. */
  kill(): Promise<void>;
  /** Has the broker write its persistence file now (SIGUSR1) and waits until it has. */
  save(): Promise<void>;
  /** Stops the broker and removes its folder. */
  close(): Promise<void>;
  log(): string;
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, failEarly?: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const early = failEarly?.();
    if (early) throw new Error(early);
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

export async function startMosquitto(users: BrokerUser[]): Promise<Mosquitto> {
  const dir = await mkdtemp(join(tmpdir(), 'deskline-mosquitto-'));
  const port = await freeTcpPort();
  const passwd = join(dir, 'passwd');
  for (const [i, user] of users.entries()) await run('mosquitto_passwd', ['-b', ...(i === 0 ? ['-c'] : []), passwd, user.name, user.password]);
  await writeFile(join(dir, 'acl'), users.map((user) => [`user ${user.name}`, ...user.acl, ''].join('\n')).join('\n'));
  const lines = [
    `listener ${port} 127.0.0.1`,
    'allow_anonymous false',
    `password_file ${passwd}`,
    `acl_file ${join(dir, 'acl')}`,
    'persistence true',
    `persistence_location ${dir}/`,
    'persistence_file mosquitto.db',
    'max_queued_messages 100000',
    'log_dest stderr',
    'log_type error',
    'log_type warning',
    'log_type notice',
    'log_type information',
    // As root Mosquitto drops to user "mosquitto", which cannot read this private temp folder.
    ...(process.getuid?.() === 0 ? ['user root'] : []),
  ];
  await writeFile(join(dir, 'mosquitto.conf'), `${lines.join('\n')}\n`);
  let child: ChildProcess | undefined;
  let output = '';
  let exited: string | undefined;

  const broker: Mosquitto = {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    dir,
    running: () => child !== undefined && exited === undefined,
    async start() {
      if (broker.running()) return;
      exited = undefined;
      const proc = spawn('/usr/sbin/mosquitto', ['-c', join(dir, 'mosquitto.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
      child = proc;
      proc.stdout!.on('data', (d: Buffer) => (output += d.toString()));
      proc.stderr!.on('data', (d: Buffer) => (output += d.toString()));
      proc.once('exit', (code, signal) => (exited = `mosquitto exited (${signal ?? code}):\n${output.slice(-2000)}`));
      await waitFor('mosquitto listening', () => portOpen(port), 10_000, () => exited);
    },
    async stop() {
      await signalAndWait('SIGTERM');
    },
    async kill() {
      await signalAndWait('SIGKILL');
    },
    async save() {
      const file = join(dir, 'mosquitto.db');
      const before = await stat(file).then((s) => s.mtimeMs, () => 0);
      const size = await stat(file).then((s) => s.size, () => -1);
      child!.kill('SIGUSR1');
      await waitFor('mosquitto persistence saved', async () => {
        const now = await stat(file).then((s) => [s.mtimeMs, s.size] as const, () => [0, -1] as const);
        return now[0] !== before || now[1] !== size;
      }, 5000, () => exited);
    },
    async close() {
      await signalAndWait('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
    log: () => output,
  };

  async function signalAndWait(signal: NodeJS.Signals): Promise<void> {
    const proc = child;
    if (!proc || exited !== undefined) return;
    const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(signal);
    await Promise.race([gone, new Promise((_, reject) => setTimeout(() => reject(new Error(`mosquitto did not exit on ${signal}`)), 10_000))]);
  }

  await broker.start();
  return broker;
}
