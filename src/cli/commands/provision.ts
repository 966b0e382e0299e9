import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/load.ts';
import { provision } from '../../provisioning/provision.ts';
import { UsageError, type Command } from './command.ts';
import { validateSiteFile } from './site.ts';

export const provisionCommand: Command = {
  name: 'provision',
  summary: 'set up this box from a site file: user, folders, secrets, Asterisk configs, first admin, systemd (idempotent)',
  help: `Usage: deskline provision SITE_FILE [--dry-run] [--json]

Steps, each printed as it runs: the service user, folders with their modes, generated secrets
(ARI, desk phones, browser softphones, the first admin; kept in service.secretsDir), Asterisk's
configs rendered from deploy/asterisk/ (pjsip trunks and phones, ari.conf, http.conf on loopback,
extensions.conf into Stasis, music on hold, RTP, tones), an Asterisk reload, the first admin, and
systemd units. Only what differs is written; a second run changes nothing. Run as root.

Options:
      --dry-run            show what would change, with diffs (secrets masked); write nothing
      --json               the report as JSON
      --systemd-dir DIR    where units go (default /etc/systemd/system)
      --logrotate-dir DIR  where logrotate files go (default /etc/logrotate.d)`,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv, allowPositionals: true, strict: true,
      options: { 'dry-run': { type: 'boolean', default: false }, json: { type: 'boolean', default: false }, 'systemd-dir': { type: 'string' }, 'logrotate-dir': { type: 'string' } },
    });
    if (positionals.length !== 1) throw new UsageError('give one site file: deskline provision SITE_FILE [--dry-run]');
    const siteFile = positionals[0]!;
    const checked = await validateSiteFile(siteFile);
    for (const line of checked.lines) console.error(line);
    if (checked.problems.some((p) => p.level === 'error')) {
      console.error(`deskline provision: ${siteFile} has errors; nothing was changed`);
      return 1;
    }
    if (!values['dry-run'] && process.getuid?.() !== 0) throw new UsageError('provisioning changes users, /etc and Asterisk: run it as root (or with --dry-run)');
    const config = await loadConfig(siteFile);
    const report = await provision({
      siteFile, config, dryRun: values['dry-run'],
      systemdDir: values['systemd-dir'], logrotateDir: values['logrotate-dir'],
      progress: values.json ? undefined : (line) => console.log(line),
    });
    if (values.json) console.log(JSON.stringify(report, null, 2));
    return 0;
  },
};
