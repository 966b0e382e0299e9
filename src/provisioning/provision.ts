// `deskline provision`: a site file in, a configured box out. Each step first works out what it
// would change, then (unless dry-run) changes exactly that, so a second run reports nothing.
import { existsSync } from 'node:fs';
import { lstat, readFile, readdir, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderTemplate } from '../asterisk/template.ts';
import { AuditLog } from '../audit/audit-log.ts';
import { AuthService } from '../auth/auth-service.ts';
import type { DesklineConfig } from '../config/schema.ts';
import { systemClock } from '../core/clock.ts';
import { SoftphoneAccounts } from '../softphone/softphone-accounts.ts';
import { LevelStore } from '../store/level-store.ts';
import { StoreError } from '../store/store.ts';
import { asteriskCli, resolveAsteriskHost, type AsteriskHost } from './asterisk-host.ts';
import { compareFile, writeAtomically, type FileChange, type PlannedFile } from './file-plan.ts';
import { readGivenSecret, readOrNewSecret, type Secret } from './secrets.ts';
import { renderSiteAsterisk, type SiteSecrets } from './site-asterisk.ts';
import { ensureFolder, folderDrift, groupExists, lookupUser, runCommand, type Account, type Folder, type Run } from './system-accounts.ts';

const appDir = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');

export interface ProvisionOptions {
  siteFile: string;
  config: DesklineConfig;
  dryRun: boolean;
  systemdDir?: string;
  logrotateDir?: string;
  /** One line per step and per change, as it happens. */
  progress?: (line: string) => void;
  run?: Run;
  host?: AsteriskHost;
  /** Is systemd the init here (so units can be enabled)? */
  systemdRunning?: boolean;
}

export interface StepReport {
  name: string;
  /** What was (or in a dry run, would be) changed. */
  changes: string[];
  notes: string[];
  diffs: string[];
}

export interface ProvisionReport {
  steps: StepReport[];
  changes: number;
  dryRun: boolean;
  host: AsteriskHost;
}

export class ProvisionError extends Error {
  readonly code = 'DESKLINE_PROVISION';
}

const STEPS = ['service user', 'folders', 'secrets', 'Asterisk configs', 'Asterisk reload', 'first admin', 'systemd units'] as const;

export async function provision(options: ProvisionOptions): Promise<ProvisionReport> {
  const { config, dryRun } = options;
  const run = options.run ?? runCommand;
  const say = options.progress ?? (() => undefined);
  const host = options.host ?? (await resolveAsteriskHost(config));
  const steps: StepReport[] = [];
  let stepNo = 0;
  const step = async (name: (typeof STEPS)[number], body: (report: StepReport) => Promise<void>) => {
    stepNo++;
    const report: StepReport = { name, changes: [], notes: [], diffs: [] };
    await body(report);
    steps.push(report);
    const summary = report.changes.length ? `${report.changes.length} change${report.changes.length === 1 ? '' : 's'}${dryRun ? ' (dry run: not made)' : ''}` : 'nothing to change';
    say(`[${stepNo}/${STEPS.length}] ${name}: ${summary}`);
    for (const change of report.changes) say(`      ${dryRun ? 'would ' : ''}${change}`);
    for (const note of report.notes) say(`      note: ${note}`);
    for (const diff of report.diffs) say(diff.replace(/^/gm, '      ').trimEnd());
  };
  say(`provisioning ${config.site.id}/${config.site.applianceId} from ${options.siteFile}${dryRun ? ' (dry run: nothing is written)' : ''}; Asterisk: ${host.kind}${host.root ? ` in ${host.root}` : ''}, configs in ${host.configDir}`);

  // 1. The service user (root runs nothing but provisioning).
  const userName = config.service.user;
  let account: Account | undefined = await lookupUser(userName, run);
  const asteriskGroup = host.kind === 'system' && (await groupExists('asterisk', run)) ? 'asterisk' : undefined;
  await step('service user', async (r) => {
    if (!account) {
      r.changes.push(`create system user ${userName}`);
      if (!dryRun) {
        await run(['useradd', '--system', '--user-group', '--home-dir', resolve(config.store.path), '--no-create-home', '--shell', '/usr/sbin/nologin', userName]);
        account = await lookupUser(userName, run);
      }
    }
    // Deskline moves recordings out of Asterisk's spool and writes media Asterisk plays.
    if (asteriskGroup && userName !== 'root' && !account?.groups.includes(asteriskGroup)) {
      r.changes.push(`add ${userName} to group ${asteriskGroup}`);
      if (!dryRun) await run(['usermod', '--append', '--groups', asteriskGroup, userName]);
    }
  });
  const owner = account ? { uid: account.uid, gid: account.gid } : undefined;

  // 2. Folders, with modes that keep secrets and data private.
  const storePath = resolve(config.store.path);
  const folders: Folder[] = [
    // o+x, not o+r: the host's Asterisk may reach <store>/media (prompts) but not list the store.
    { path: storePath, mode: 0o751, owner },
    { path: config.recordings.dir || `${storePath}/recordings`, mode: 0o750, owner },
    { path: host.media.hostDir, mode: 0o755, owner },
    { path: config.service.secretsDir, mode: 0o700, owner },
  ];
  // Asterisk writes recordings there, Deskline moves them out: the service's group may write.
  if (existsSync(host.recordingsDir)) {
    const spool = await stat(host.recordingsDir);
    if (owner) folders.push({ path: host.recordingsDir, mode: 0o2770, owner: { uid: spool.uid, gid: owner.gid } });
  }
  await step('folders', async (r) => {
    for (const folder of folders) {
      const drift = await folderDrift(folder);
      if (drift.length === 0) continue;
      r.changes.push(`${folder.path}: ${drift.join(', ')}`);
      if (!dryRun) await ensureFolder(folder);
    }
  });

  // 3. Secrets: generated once, kept; the carrier's passwords are the technician's to supply.
  const secretsDir = config.service.secretsDir;
  const ariSecret = await readOrNewSecret(config.asterisk.ariPasswordFile || `${secretsDir}/ari-password`);
  const extensionSecrets = new Map<string, Secret>();
  for (const e of config.extensions) extensionSecrets.set(e.id, await readOrNewSecret(e.passwordFile || `${secretsDir}/extension-${e.id}`));
  const softphoneSecrets = new Map<string, Secret>();
  for (const name of SoftphoneAccounts.names(config.agents)) softphoneSecrets.set(name, await readOrNewSecret(`${secretsDir}/${name}`));
  const adminSecret = await readOrNewSecret(config.admin.passwordFile || `${secretsDir}/admin-password`);
  const trunkPasswords = new Map<string, string>();
  for (const t of config.trunks) {
    if (t.username) trunkPasswords.set(t.id, await readGivenSecret(t.passwordFile, `trunks ${t.id} passwordFile`).catch((error: Error) => { throw new ProvisionError(error.message); }));
  }
  await step('secrets', async (r) => {
    for (const secret of [ariSecret, ...extensionSecrets.values(), ...softphoneSecrets.values(), adminSecret]) {
      if (!secret.fresh) continue;
      r.changes.push(`generate ${secret.path} (0600)`);
      if (!dryRun) await writeAtomically({ path: secret.path, text: `${secret.value}\n`, mode: 0o600, owner, secret: true });
    }
    if (adminSecret.fresh) r.notes.push(`the first admin's password ${dryRun ? 'will be' : 'is'} in ${adminSecret.path}`);
  });

  // 4. Asterisk's configs: only the files Deskline owns; the box keeps its own asterisk.conf.
  const secrets: SiteSecrets = {
    ariPassword: ariSecret.value,
    trunkPasswords,
    extensionPasswords: new Map([...extensionSecrets].map(([id, s]) => [id, s.value])),
    softphonePasswords: new Map([...softphoneSecrets].map(([name, s]) => [name, s.value])),
  };
  const asteriskChanges: FileChange[] = [];
  await step('Asterisk configs', async (r) => {
    if (!existsSync(host.configDir)) {
      throw new ProvisionError(`Asterisk's config folder ${host.configDir} does not exist: install Asterisk first (deploy/install.sh does), or set asterisk.install / asterisk.configDir`);
    }
    const dirInfo = await stat(host.configDir);
    for (const [name, text] of await renderSiteAsterisk(config, secrets)) {
      const change = await compareFile({ path: `${host.configDir}/${name}`, text, mode: 0o640, owner: { uid: dirInfo.uid, gid: dirInfo.gid } });
      if (change.kind === 'same') continue;
      asteriskChanges.push(change);
      r.changes.push(`${change.kind} ${change.file.path}`);
      if (dryRun && change.diff) r.diffs.push(change.diff);
      if (!dryRun) await writeAtomically(change.file);
    }
  });

  // 5. Reload, so Asterisk runs what was written.
  await step('Asterisk reload', async (r) => {
    if (asteriskChanges.length === 0) return;
    r.changes.push(`${host.cli.join(' ')} 'core reload'`);
    if (dryRun) return;
    try {
      await asteriskCli(host, 'core reload');
      const version = (await asteriskCli(host, 'core show version')).trim();
      r.notes.push(`reloaded ${version.split(' built ')[0]}`);
      if (asteriskChanges.some((c) => c.file.path.endsWith('/pjsip.conf') && (c.kind === 'create' || /^[-+]\[transport-/m.test(c.diff) || transportChanged(c)))) {
        r.notes.push('SIP transports change only when Asterisk restarts: restart it once this box takes no calls');
      }
    } catch (error) {
      r.notes.push(`Asterisk is not running (${(error as Error).message}); the configs apply when it starts`);
    }
  });

  // 6. The first admin, with the password from the secrets folder.
  await step('first admin', async (r) => {
    if (dryRun) {
      // Opening LevelDB writes its log files: a dry run only says what it would look for.
      if (existsSync(`${storePath}/db`)) r.notes.push(`creates admin user ${config.admin.username} if the data store has no users`);
      else r.changes.push(`create admin user ${config.admin.username} in a new data store`);
      return;
    }
    let store: LevelStore;
    try {
      store = await LevelStore.open(`${storePath}/db`, { sync: true });
    } catch (error) {
      if (error instanceof StoreError && error.code === 'STORE_LOCKED') {
        r.notes.push('the service is running and holds the data store: users are left as they are (manage them in the web UI)');
        return;
      }
      throw error;
    }
    try {
      const audit = new AuditLog({ store, clock: systemClock });
      const auth = new AuthService({ store, clock: systemClock, audit: (entry) => audit.append(entry) });
      if ((await auth.users.count()) > 0) return;
      r.changes.push(`create admin user ${config.admin.username}`);
      if (!dryRun) await auth.ensureFirstAdmin(config.admin.username, adminSecret.value);
    } finally {
      await store.close();
    }
    if (!dryRun && owner) {
      const drift = await chownTree(`${storePath}/db`, owner, run);
      if (drift) r.changes.push(`${storePath}/db owned by ${userName}`);
    }
  });

  // 7. systemd units (and logrotate for an Asterisk root, which has none of its own).
  await step('systemd units', async (r) => {
    const systemdDir = options.systemdDir ?? '/etc/systemd/system';
    const logrotateDir = options.logrotateDir ?? '/etc/logrotate.d';
    const values = {
      siteId: config.site.id, appDir, user: userName, group: userName, storePath, siteFile: resolve(options.siteFile),
      node: config.service.nodeBinary || process.execPath, root: host.root,
      asteriskUnit: host.kind === 'chroot' ? 'deskline-asterisk.service' : 'asterisk.service',
      supplementaryGroups: asteriskGroup ?? '',
    };
    const units: PlannedFile[] = [{ path: `${systemdDir}/deskline.service`, text: await renderDeploy('systemd/deskline.service', values), mode: 0o644 }];
    if (host.kind === 'chroot') {
      units.push({ path: `${systemdDir}/deskline-asterisk.service`, text: await renderDeploy('systemd/deskline-asterisk.service', values), mode: 0o644 });
      units.push({ path: `${logrotateDir}/deskline-asterisk`, text: await renderDeploy('logrotate/deskline-asterisk', values), mode: 0o644 });
    }
    const changed: string[] = [];
    for (const unit of units) {
      const change = await compareFile(unit);
      if (change.kind === 'same') continue;
      changed.push(unit.path);
      r.changes.push(`${change.kind} ${unit.path}`);
      if (dryRun && change.diff) r.diffs.push(change.diff);
      if (!dryRun) {
        if (!existsSync(systemdDir) || !existsSync(logrotateDir)) throw new ProvisionError(`${existsSync(systemdDir) ? logrotateDir : systemdDir} does not exist`);
        await writeAtomically(unit);
      }
    }
    const systemd = options.systemdRunning ?? existsSync('/run/systemd/system');
    if (!systemd) {
      if (changed.length) r.notes.push('systemd is not running here: enable the units on the box (systemctl enable --now deskline)');
      return;
    }
    if (changed.length && !dryRun) await run(['systemctl', 'daemon-reload']);
    for (const name of units.filter((u) => u.path.endsWith('.service')).map((u) => u.path.split('/').pop()!)) {
      const enabled = await run(['systemctl', 'is-enabled', name]).then((out) => out.trim() === 'enabled', () => false);
      if (enabled) continue;
      r.changes.push(`systemctl enable ${name}`);
      if (!dryRun) await run(['systemctl', 'enable', name]);
    }
  });

  const changes = steps.reduce((sum, s) => sum + s.changes.length, 0);
  const web = `http://${config.http.host.includes(':') ? `[${config.http.host}]` : config.http.host}:${config.http.port}`;
  say(`web UI: ${web} (once the service runs); first admin: ${config.admin.username}, password in ${adminSecret.path}`);
  say(dryRun ? `dry run: ${changes} change${changes === 1 ? '' : 's'} would be made; nothing was written` : changes ? `done: ${changes} change${changes === 1 ? '' : 's'} made` : 'done: nothing changed (the box already matches the site file)');
  return { steps, changes, dryRun, host };
}

function transportChanged(change: FileChange): boolean {
  return /^[-+](bind|protocol|external_\w+|local_net)\s*=/m.test(change.diff);
}

async function renderDeploy(relative: string, values: Record<string, unknown>): Promise<string> {
  return renderTemplate(await readFile(`${appDir}/deploy/${relative}`, 'utf8'), values, `deploy/${relative}`);
}

/** chown -R only when something differs, so a second run reports no change. */
async function chownTree(path: string, owner: { uid: number; gid: number }, run: Run): Promise<boolean> {
  let differs = false;
  const walk = async (p: string): Promise<void> => {
    const info = await lstat(p);
    if (info.uid !== owner.uid || info.gid !== owner.gid) differs = true;
    if (!differs && info.isDirectory()) for (const entry of await readdir(p)) await walk(`${p}/${entry}`);
  };
  await walk(path);
  if (differs) await run(['chown', '-R', `${owner.uid}:${owner.gid}`, path]);
  return differs;
}
