// Issue 9's provisioning acceptance on the real sandbox Asterisk: the small-office example site,
// pointed at the sandbox's config folder and CLI, is rendered, reloaded and shows up in
// `pjsip show endpoints`; --dry-run writes nothing; a second run changes nothing.
import test from 'ava';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { AuthService } from '../../src/auth/auth-service.ts';
import { verifyPassword } from '../../src/auth/passwords.ts';
import { ManualClock } from '../../src/core/clock.ts';
import { LevelStore } from '../../src/store/level-store.ts';
import { tempDir } from '../helpers/appliance.ts';
import { useSandbox } from '../helpers/sandbox.ts';
import { startRegistrar } from '../helpers/sipp.ts';
import { freeUdpPort } from '../../src/asterisk/free-port.ts';

const execFileAsync = promisify(execFile);
const repo = fileURLToPath(new URL('../../', import.meta.url));
const sandbox = useSandbox(test, { name: 'provision' });

async function deskline(args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [`${repo}src/cli/deskline.js`, ...args], { cwd: repo, env: { ...process.env, DESKLINE_SITE: '' } });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

/** Path → sha256 and mtime of every file below a folder (nothing there: empty). */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!existsSync(dir)) return out;
  for (const name of (await readdir(dir, { recursive: true })).sort()) {
    const path = `${dir}/${name}`;
    const info = await stat(path);
    if (!info.isFile()) continue;
    out.set(name, `${createHash('sha256').update(await readFile(path)).digest('hex')} ${info.mtimeMs}`);
  }
  return out;
}

/** Polls an external process's state (Asterisk registering) with a deadline. */
async function waitFor<T>(probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function exampleSiteFor(dir: string, registrarPort = 5099): Promise<string> {
  const s = sandbox();
  const site = parse(await readFile(`${repo}firmware-config/examples/small-office.yaml`, 'utf8')) as Record<string, any>;
  await writeFile(`${dir}/trunk-carrier`, 'carrier;secret-42\n', { mode: 0o600 });
  site.asterisk = {
    ...site.asterisk,
    install: 'chroot', root: s.root, configDir: s.configDir, cli: s.cliArgv.join(' '),
    ariUrl: s.ariUrl, ariPasswordFile: `${dir}/secrets/ari-password`, sipBind: '127.0.0.1', sipPort: s.sipPort,
    mediaHostDir: s.media.hostDir, mediaAsteriskDir: s.media.asteriskDir, recordingsDir: s.recordingsDir,
  };
  site.trunks[0] = { ...site.trunks[0], host: '127.0.0.1', port: registrarPort, passwordFile: `${dir}/trunk-carrier` };
  site.store = { path: `${dir}/data`, sync: true };
  site.service = { user: 'root', secretsDir: `${dir}/secrets` };
  delete site.ivr.flowsDir;
  await mkdir(`${dir}/systemd`);
  await mkdir(`${dir}/logrotate`);
  await writeFile(`${dir}/site.yaml`, stringify(site));
  return `${dir}/site.yaml`;
}

test.serial('given the small-office site, when provisioned (dry run, then for real, then again), then Asterisk runs what it defines and the second run changes nothing', async (t) => {
  const temp = await tempDir('provision-');
  t.teardown(() => temp.remove());
  const dir = temp.path;
  // The carrier: a sipp registrar that accepts the trunk's REGISTER.
  const registrarPort = await freeUdpPort();
  const registrar = await startRegistrar(registrarPort);
  t.teardown(() => registrar.stop());
  const siteFile = await exampleSiteFor(dir, registrarPort);
  const s = sandbox();
  const flags = ['--systemd-dir', `${dir}/systemd`, '--logrotate-dir', `${dir}/logrotate`];
  const before = await snapshot(s.configDir);

  // Dry run: diffs shown (the carrier's password masked), nothing written anywhere.
  const dry = await deskline(['provision', siteFile, '--dry-run', ...flags]);
  t.is(dry.code, 0, dry.out);
  t.regex(dry.out, /\[4\/7\] Asterisk configs: 7 changes \(dry run: not made\)/);
  t.regex(dry.out, /^\s+\+\[carrier-registration\]$/m);
  t.regex(dry.out, /^\s+\+password = \(secret\)$/m);
  t.false(dry.out.includes('secret-42'), 'the carrier password never appears');
  t.regex(dry.out, /dry run: \d+ changes would be made; nothing was written/);
  t.deepEqual(await snapshot(s.configDir), before, 'Asterisk configs untouched');
  t.false(existsSync(`${dir}/secrets`));
  t.false(existsSync(`${dir}/data`));
  t.deepEqual(await readdir(`${dir}/systemd`), []);

  // For real: every step, then Asterisk shows the site's endpoints and registration.
  const real = await deskline(['provision', siteFile, ...flags]);
  t.is(real.code, 0, real.out);
  t.log(real.out);
  for (const step of ['service user', 'folders', 'secrets', 'Asterisk configs', 'Asterisk reload', 'first admin', 'systemd units']) t.regex(real.out, new RegExp(`\\[\\d/7\\] ${step}: `));
  t.regex(real.out, /reloaded Asterisk 22\./);
  const endpoints = await s.cli('pjsip show endpoints');
  for (const name of ['carrier', '1001', '1002', '1003', '1004', 'webrtc-desk']) t.regex(endpoints, new RegExp(`Endpoint:\\s+${name}\\b`), `pjsip show endpoints lists ${name}`);
  t.regex(await s.cli('pjsip show registrations'), new RegExp(`carrier-registration/sip:127\\.0\\.0\\.1:${registrarPort}`));
  t.regex(await s.cli('dialplan show deskline-inbound'), /Stasis\(deskline,inbound,\$\{EXTEN\}\)/);
  t.regex(await readFile(`${s.configDir}/pjsip.conf`, 'utf8'), /^password = carrier\\;secret-42$/m, "a ';' in a password is escaped, not a comment");
  t.is((await stat(`${dir}/secrets`)).mode & 0o777, 0o700);
  t.is((await stat(`${dir}/secrets/ari-password`)).mode & 0o777, 0o600);

  // ari.conf holds the generated secret (as a hash): it logs in, the sandbox's old one no longer does.
  const ariPassword = (await readFile(`${dir}/secrets/ari-password`, 'utf8')).trim();
  const info = (password: string) => fetch(`${s.ariUrl}/asterisk/info`, { headers: { authorization: `Basic ${Buffer.from(`deskline:${password}`).toString('base64')}` } });
  t.is((await info(ariPassword)).status, 200);
  t.is((await info(s.ariPassword)).status, 401);
  t.false((await readFile(`${s.configDir}/ari.conf`, 'utf8')).includes(ariPassword));
  t.regex(await readFile(`${s.configDir}/http.conf`, 'utf8'), /^bindaddr = 127\.0\.0\.1$/m);

  // The first admin, with the password from the secrets folder.
  const store = await LevelStore.open(`${dir}/data/db`);
  try {
    const auth = new AuthService({ store, clock: new ManualClock(), audit: async () => undefined });
    const admin = await auth.users.get('admin');
    t.truthy(admin);
    t.true(await verifyPassword((await readFile(`${dir}/secrets/admin-password`, 'utf8')).trim(), admin!.passwordHash));
  } finally {
    await store.close();
  }

  // Units: the service runs this checkout with the site file; the Asterisk root gets its own unit.
  const unit = await readFile(`${dir}/systemd/deskline.service`, 'utf8');
  t.regex(unit, new RegExp(`^ExecStart=\\S+ ${repo}src/cli/deskline\\.js serve --site ${siteFile}$`, 'm'));
  t.regex(await readFile(`${dir}/systemd/deskline-asterisk.service`, 'utf8'), new RegExp(`^ExecStart=/usr/sbin/chroot ${s.root} /usr/sbin/asterisk -f`, 'm'));

  // doctor asks Asterisk (through the site's CLI) whether the carrier took the registration.
  const doctor = await waitFor(async () => {
    const out = (await deskline(['doctor', '--site', siteFile])).out;
    return /ok {4}trunk carrier: registered at 127\.0\.0\.1/.test(out) ? out : undefined;
  });
  t.regex(doctor, /ok {4}Asterisk ARI: .* answers, Asterisk 22\./);
  t.regex(doctor, /FAIL {2}service: Deskline is not running/);

  // Again: nothing changes, not even a file's modification time.
  const afterFirst = [await snapshot(s.configDir), await snapshot(`${dir}/secrets`), await snapshot(`${dir}/systemd`), await snapshot(`${dir}/logrotate`)];
  const again = await deskline(['provision', siteFile, ...flags]);
  t.is(again.code, 0, again.out);
  t.regex(again.out, /done: nothing changed/);
  t.deepEqual([await snapshot(s.configDir), await snapshot(`${dir}/secrets`), await snapshot(`${dir}/systemd`), await snapshot(`${dir}/logrotate`)], afterFirst);
});

test.serial('given a site with errors or a missing carrier password, when provisioned, then nothing is changed and the problem is named', async (t) => {
  const temp = await tempDir('provision-bad-');
  t.teardown(() => temp.remove());
  const dir = temp.path;
  const siteFile = await exampleSiteFor(dir);
  const site = parse(await readFile(siteFile, 'utf8')) as Record<string, any>;
  site.trunks[0].dids.push('02150009999');
  await writeFile(`${dir}/bad.yaml`, stringify(site));
  const bad = await deskline(['provision', `${dir}/bad.yaml`, '--systemd-dir', `${dir}/systemd`, '--logrotate-dir', `${dir}/logrotate`]);
  t.is(bad.code, 1);
  t.regex(bad.out, /bad\.yaml:trunks\.0\.dids\.2: 02150009999 has no number route/);
  t.regex(bad.out, /has errors; nothing was changed/);

  await writeFile(`${dir}/trunk-carrier`, '');
  const empty = await deskline(['provision', siteFile, '--dry-run']);
  t.is(empty.code, 1);
  t.regex(empty.out, /trunks carrier passwordFile: .*trunk-carrier is empty/);
  t.false(existsSync(`${dir}/secrets`));
});
