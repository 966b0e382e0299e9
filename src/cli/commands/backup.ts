// `deskline backup` and `deskline restore`: argument handling and the summary lines; the work is
// in src/backup/.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createBackup } from '../../backup/backup.ts';
import { siteMember } from '../../backup/manifest.ts';
import { stderrProgress } from '../../backup/progress.ts';
import { restoreBackup } from '../../backup/restore.ts';
import { buildConfig, parseSiteText } from '../../config/load.ts';
import { systemClock } from '../../core/clock.ts';
import { openArchive } from '../../backup/archive-reader.ts';
import { UsageError, type Command } from './command.ts';
import { configFrom, siteHelp, siteOptions } from './site-options.ts';

const version = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

export const backupCommand: Command = {
  name: 'backup',
  summary: 'write the data store, site file, media (and recordings) to one archive',
  help: `Usage: deskline backup [--site FILE] [--with-recordings] FILE

Writes FILE (tar, gzip-compressed): manifest.json (format version, Deskline version, site id,
time, every member's size and sha256, entries per store section), store.jsonl (a consistent
snapshot of the whole data store), site.yaml (the site file as given), media/ (prompts, recorded
answers, TTS cache) and, with --with-recordings, recordings/ (recordings and their manifest).
Works while the service runs: the snapshot then comes from the service over its control socket.
Progress goes to stderr.

Options:
      --with-recordings  include call recordings (can be large)
${siteHelp}`,
  async run(argv) {
    const { values, positionals } = parseArgs({ args: argv, options: { ...siteOptions, 'with-recordings': { type: 'boolean', default: false } }, allowPositionals: true, strict: true });
    if (positionals.length !== 1) throw new UsageError('give exactly one archive FILE to write');
    const config = await configFrom(values);
    const started = performance.now();
    const result = await createBackup({
      config,
      siteFile: values.site ?? process.env.DESKLINE_SITE,
      out: positionals[0]!,
      withRecordings: values['with-recordings'],
      socket: values.socket,
      desklineVersion: version,
      clock: systemClock,
      progress: stderrProgress('deskline backup'),
    });
    const seconds = (performance.now() - started) / 1000;
    const fileBytes = result.manifest.members.reduce((sum, m) => sum + m.size, 0);
    console.log(`${result.file}: ${result.manifest.store.entries} store entries, ${result.manifest.members.length} members, ${mb(fileBytes)} → ${mb(result.archiveBytes)} in ${seconds.toFixed(1)} s`);
    return 0;
  },
};

export const restoreCommand: Command = {
  name: 'restore',
  summary: 'restore a backup archive onto a stopped, empty data dir',
  help: `Usage: deskline restore [--site FILE] [--site-out PATH] [--force] FILE

Checks every member of FILE against its manifest (sizes, sha256, store entry counts) before
writing anything, then loads the data store and writes media and recordings to where the site
puts them (same layout, file modes kept). Refuses while the service runs, and refuses a data dir
that already holds a store or media unless --force.

The archive's site file is not written unless --site-out PATH is given. Without --site, the
target folders come from the archive's own site file when --site-out is given (a fresh box),
else from $DESKLINE_SITE or the built-in defaults.

Options:
      --site-out PATH    write the archive's site file to PATH (mode 0600)
      --force            restore over existing data: the store is cleared first; files of the
                         same name are overwritten, other files are left
${siteHelp}`,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...siteOptions, force: { type: 'boolean', default: false }, 'site-out': { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length !== 1) throw new UsageError('give exactly one archive FILE to restore');
    const archive = positionals[0]!;
    const config = values.site || process.env.DESKLINE_SITE || !values['site-out'] ? await configFrom(values) : await siteFromArchive(archive);
    const started = performance.now();
    const result = await restoreBackup({ archive, config, force: values.force, siteOut: values['site-out'], progress: stderrProgress('deskline restore') });
    const seconds = (performance.now() - started) / 1000;
    console.log(`restored ${result.entries} store entries and ${result.files} files (${mb(result.bytes)}) in ${seconds.toFixed(1)} s`);
    for (const [root, dir] of Object.entries(result.targets)) console.log(`  ${root}/ → ${dir}`);
    if (result.siteOut) console.log(`  site file → ${result.siteOut}`);
    else if (result.manifest.siteFile) console.log(`  the site file is in the archive as ${siteMember} (was ${result.manifest.siteFile}); write it with --site-out PATH, or: tar -xzf ${archive} ${siteMember}`);
    return 0;
  },
};

/** The archive's own site file as the target config (a fresh box with no site file yet). */
async function siteFromArchive(archive: string) {
  const { members } = await openArchive(archive);
  for await (const { member, body } of members) {
    if (member.name !== siteMember) continue;
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk);
    await members.return(undefined);
    return buildConfig(parseSiteText(Buffer.concat(chunks).toString('utf8'), `${archive}:${siteMember}`), `${archive}:${siteMember}`);
  }
  throw new UsageError(`${archive} holds no site file (it was taken with the built-in defaults): give --site FILE`);
}

export const backupCommands = [backupCommand, restoreCommand];
