// Which Asterisk a box uses: the host's own (a distribution package, Asterisk >= 20, e.g.
// Ubuntu's) or the Debian sid root Deskline installs on Debian 12, where Debian ships none.
// Provisioning writes its config folder and runs its CLI; the service finds its media and
// recordings folders through the same answer.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { DesklineConfig } from '../config/schema.ts';

const execFileAsync = promisify(execFile);

export interface AsteriskHost {
  kind: 'system' | 'chroot';
  /** Host path of the folder provisioning renders configs into. */
  configDir: string;
  /** argv that runs one CLI command when the command is appended. */
  cli: string[];
  /** '' for system; the root folder for chroot. */
  root: string;
  /** Where Asterisk writes recordings and reads Deskline's media, as the host sees them. */
  recordingsDir: string;
  media: { hostDir: string; asteriskDir: string };
}

export class AsteriskHostError extends Error {
  readonly code = 'DESKLINE_ASTERISK_HOST';
}

/** "Asterisk 22.10.1+dfsg…" → 22; undefined when none answers. */
export async function hostAsteriskMajor(binary = '/usr/sbin/asterisk'): Promise<number | undefined> {
  if (!existsSync(binary)) return undefined;
  try {
    const { stdout } = await execFileAsync(binary, ['-V'], { timeout: 5000 });
    const match = /Asterisk\s+(\d+)\./.exec(stdout);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

export async function resolveAsteriskHost(config: DesklineConfig, probe: () => Promise<number | undefined> = hostAsteriskMajor): Promise<AsteriskHost> {
  const a = config.asterisk;
  let kind: 'system' | 'chroot';
  if (a.install === 'auto') {
    const major = await probe();
    kind = major !== undefined && major >= 20 ? 'system' : 'chroot';
  } else kind = a.install;
  if (kind === 'system') {
    const major = a.install === 'system' ? await probe() : undefined;
    if (a.install === 'system' && major !== undefined && major < 20) throw new AsteriskHostError(`asterisk.install: system, but the host's Asterisk is ${major}; Deskline needs 20 or later (use install: chroot)`);
  }
  const root = kind === 'chroot' ? a.root : '';
  const configDir = a.configDir || `${root}/etc/asterisk`;
  const cli = a.cli ? a.cli.split(/\s+/).filter(Boolean) : kind === 'chroot' ? ['chroot', root, '/usr/sbin/asterisk', '-rx'] : ['asterisk', '-rx'];
  // The folder Deskline writes prompts into and Asterisk plays from: in the data store for the
  // host's Asterisk, inside the root for the chroot (Asterisk sees nothing outside it).
  let media: AsteriskHost['media'];
  if (kind === 'chroot') {
    const inside = a.mediaAsteriskDir || '/var/lib/deskline/media';
    media = { hostDir: a.mediaHostDir || `${root}${inside}`, asteriskDir: inside };
  } else {
    const hostDir = a.mediaHostDir || `${resolve(config.store.path)}/media`;
    media = { hostDir, asteriskDir: a.mediaAsteriskDir || hostDir };
  }
  return {
    kind, configDir, cli, root, media,
    recordingsDir: kind === 'chroot' && a.recordingsDir === '/var/spool/asterisk/recording' ? `${root}${a.recordingsDir}` : a.recordingsDir,
  };
}

/** Runs one Asterisk CLI command; rejects with Asterisk's own words when it is not running. */
export async function asteriskCli(host: Pick<AsteriskHost, 'cli'>, command: string): Promise<string> {
  const [file, ...args] = host.cli;
  try {
    const { stdout } = await execFileAsync(file!, [...args, command], { timeout: 15_000 });
    return stdout;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new AsteriskHostError(`${host.cli.join(' ')} '${command}': ${(e.stderr || e.stdout || e.message).trim().split('\n')[0]}`);
  }
}
