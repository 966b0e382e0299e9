// Checks of the box itself: disk, clock, the carrier registrations Asterisk holds, speech models.
// Each answers with what it saw and, when something is wrong, what to do about it.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, stat, statfs } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { DesklineConfig } from '../config/schema.ts';
import { asteriskCli, type AsteriskHost } from '../provisioning/asterisk-host.ts';

const execFileAsync = promisify(execFile);

export interface Check {
  name: string;
  /** warn: worth a look, not a failure (the exit code stays 0). */
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  fix?: string;
}

const GB = 1024 ** 3;
const DAY = 86_400_000;

/** The nearest existing folder of a path (the store may not exist before the first start). */
function existing(path: string): string {
  let p = path;
  while (!existsSync(p) && p !== '/') p = p.replace(/\/[^/]*$/, '') || '/';
  return p;
}

/** Bytes of recordings made per day over the last week (files' modification times). */
export async function recordingBytesPerDay(dir: string, now: number): Promise<number> {
  let bytes = 0;
  let oldest = now;
  const walk = async (folder: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = `${folder}/${entry.name}`;
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && /\.(wav|gsm|ulaw|alaw)$/.test(entry.name)) {
        const info = await stat(path);
        if (now - info.mtimeMs <= 7 * DAY) {
          bytes += info.size;
          oldest = Math.min(oldest, info.mtimeMs);
        }
      }
    }
  };
  await walk(dir);
  const days = Math.max(1, (now - oldest) / DAY);
  return bytes / days;
}

export async function diskCheck(config: DesklineConfig, recordingsDir: string, now: number): Promise<Check> {
  const fs = await statfs(existing(recordingsDir));
  const free = fs.bavail * fs.bsize;
  const minFree = config.recordings.minFreeGb * GB;
  const freeText = `${(free / GB).toFixed(1)} GB free on the recordings disk (${recordingsDir})`;
  if (free < minFree) {
    return { name: 'disk space', status: 'fail', detail: `${freeText}, below recordings.minFreeGb ${config.recordings.minFreeGb}`, fix: 'free space, add a disk, or shorten recordings.retentionDays' };
  }
  const perDay = await recordingBytesPerDay(recordingsDir, now);
  if (perDay <= 0) return { name: 'disk space', status: 'ok', detail: `${freeText}; no recordings in the last week` };
  const headroomDays = (free - minFree) / perDay;
  const rate = `${(perDay / GB).toFixed(2)} GB/day of recordings`;
  if (config.recordings.retentionDays === 0) {
    return { name: 'disk space', status: headroomDays < 30 ? 'warn' : 'ok', detail: `${freeText}; ${rate}: full in ${Math.floor(headroomDays)} days (recordings are kept forever)`, fix: headroomDays < 30 ? 'set recordings.retentionDays or add disk' : undefined };
  }
  const needed = perDay * config.recordings.retentionDays;
  const ok = headroomDays >= config.recordings.retentionDays;
  return {
    name: 'disk space', status: ok ? 'ok' : 'warn',
    detail: `${freeText}; ${rate}: ${Math.floor(headroomDays)} days of headroom for ${config.recordings.retentionDays} days of retention (${(needed / GB).toFixed(1)} GB)`,
    fix: ok ? undefined : 'the disk fills before retention deletes old recordings: add disk or shorten recordings.retentionDays',
  };
}

type Run = (file: string, args: string[]) => Promise<string>;
const run: Run = async (file, args) => (await execFileAsync(file, args, { timeout: 5000 })).stdout;

export async function clockCheck(exec: Run = run): Promise<Check> {
  const synced = await exec('timedatectl', ['show', '-p', 'NTPSynchronized', '--value']).then((out) => out.trim(), () => undefined);
  if (synced === 'yes') return { name: 'clock sync', status: 'ok', detail: 'synchronized (timedatectl)' };
  if (synced === 'no') return { name: 'clock sync', status: 'fail', detail: 'not synchronized (timedatectl)', fix: 'enable time sync: apt-get install systemd-timesyncd (or chrony) and check the NTP servers are reachable' };
  const chrony = await exec('chronyc', ['tracking']).catch(() => undefined);
  if (chrony !== undefined) {
    const normal = /Leap status\s*:\s*Normal/.test(chrony);
    return { name: 'clock sync', status: normal ? 'ok' : 'fail', detail: normal ? 'synchronized (chrony)' : 'chrony is not synchronized', fix: normal ? undefined : 'check chrony sources: chronyc sources' };
  }
  return { name: 'clock sync', status: 'warn', detail: 'cannot tell: neither timedatectl nor chronyc answers here', fix: 'install systemd-timesyncd or chrony: call times, reports and command windows depend on the clock' };
}

/** `pjsip show registrations` rows: "<id>-registration/sip:host:port  auth  Status". */
export function parseRegistrations(text: string): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^\s*([a-z][a-z0-9-]*)-registration\/\S+\s+\S+\s+(\S+)/.exec(line);
    if (match) rows.set(match[1]!, match[2]!);
  }
  return rows;
}

export async function trunkChecks(config: DesklineConfig, host: AsteriskHost): Promise<Check[]> {
  const registering = config.trunks.filter((t) => t.register);
  if (registering.length === 0) return [];
  let text: string;
  try {
    text = await asteriskCli(host, 'pjsip show registrations');
  } catch (error) {
    return [{ name: 'SIP trunks', status: 'fail', detail: `cannot ask Asterisk: ${(error as Error).message}`, fix: 'is Asterisk running? (systemctl status deskline-asterisk or asterisk)' }];
  }
  const rows = parseRegistrations(text);
  return registering.map((trunk) => {
    const state = rows.get(trunk.id);
    if (state === 'Registered') return { name: `trunk ${trunk.id}`, status: 'ok' as const, detail: `registered at ${trunk.host}` };
    return {
      name: `trunk ${trunk.id}`, status: 'fail' as const,
      detail: state ? `${state} at ${trunk.host}` : 'Asterisk has no registration for it',
      fix: state ? `check the user and password file of trunks ${trunk.id}, that ${trunk.host}:${trunk.port} is reachable (firewall, NAT: site.network.publicAddress), then: deskline provision` : 'run deskline provision so pjsip.conf has the trunk',
    };
  });
}

export async function trunkReachability(config: DesklineConfig, states: () => Promise<Map<string, string>>): Promise<Check[]> {
  if (config.trunks.length === 0) return [];
  let known: Map<string, string>;
  try {
    known = await states();
  } catch (error) {
    return [{ name: 'SIP trunks', status: 'fail', detail: `cannot ask Asterisk over ARI: ${(error as Error).message}`, fix: 'see the ARI link check' }];
  }
  return config.trunks.map((trunk) => {
    const state = known.get(trunk.id);
    if (state === 'online') return { name: `trunk ${trunk.id}`, status: 'ok' as const, detail: `${trunk.host} answers (qualify)` };
    return {
      name: `trunk ${trunk.id}`, status: 'fail' as const,
      detail: state ? `${trunk.host} is ${state} (qualify)` : 'Asterisk has no endpoint for it',
      fix: state ? `check that ${trunk.host}:${trunk.port} is reachable (firewall, NAT: site.network.publicAddress); on the box, deskline doctor also shows the registration` : 'run deskline provision so pjsip.conf has the trunk',
    };
  });
}

/** Per language: the model the site names is there (the running service says whether it loaded). */
export function speechModelChecks(config: DesklineConfig, serviceSpeech: string | undefined): Check[] {
  const checks: Check[] = [];
  const enModel = config.speech.model || '/usr/share/pocketsphinx/model/en-us/en-us';
  const enThere = existsSync(enModel);
  checks.push({
    name: 'speech en', status: enThere ? 'ok' : 'fail',
    detail: `${config.speech.engine} model ${enModel} ${enThere ? 'is there' : 'is missing'}${serviceSpeech ? `; service: ${serviceSpeech}` : ''}`,
    fix: enThere ? undefined : config.speech.engine === 'pocketsphinx' ? 'apt-get install pocketsphinx-en-us' : 'install the Vosk model (README: installing a Vosk model)',
  });
  if (!config.speech.zhModel) {
    checks.push({ name: 'speech zh-CN', status: 'ok', detail: 'off (speech.zhModel is empty: zh-CN calls are not transcribed)' });
  } else {
    const complete = existsSync(`${config.speech.zhModel}/am/final.mdl`) && existsSync(`${config.speech.zhModel}/conf`);
    checks.push({
      name: 'speech zh-CN', status: complete ? 'ok' : 'fail',
      detail: `Vosk model ${config.speech.zhModel} ${complete ? 'is complete' : existsSync(config.speech.zhModel) ? 'lacks am/final.mdl or conf/' : 'is missing'}`,
      fix: complete ? undefined : 'unpack vosk-model-small-cn-0.22 (or the full model) there (README: installing a Vosk model)',
    });
  }
  if (serviceSpeech?.startsWith('failed')) checks.push({ name: 'speech engine', status: 'fail', detail: serviceSpeech, fix: 'check speech.engine, speech.model and speech.phrasesFile (native/README.md explains model installs)' });
  return checks;
}
