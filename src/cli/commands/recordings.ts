import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { DesklineConfig } from '../../config/schema.ts';
import { describeProblem, summarizeReport, verifyRecordings } from '../../recordings/verify.ts';
import { UsageError, type Command } from './command.ts';
import { configFrom, siteOptions } from './site-options.ts';

const progressEvery = 500;

/**
 * The site's `recordings.dir`, else <store.path>/recordings, as the appliance decides. Read
 * through an optional type so this command does not break where the key is not in the schema.
 */
function recordingsRoot(config: DesklineConfig): string {
  const configured = (config as { recordings?: { dir?: string } }).recordings?.dir;
  return resolve(configured || `${config.store.path}/recordings`);
}

export const recordingsVerifyCommand: Command = {
  name: 'recordings verify',
  summary: 'check recording files against the manifest (offline; safe while the service runs)',
  help: `Usage: deskline recordings verify [--dir DIR | --site FILE] [--json]

Checks every file the manifest lists (present, size, sha256), every file in the folder (listed in
the manifest), and every manifest line. Reads only the folder and its manifest.jsonl, so it works
while the service runs. Prints each problem and a summary line; exit code 0 when all is well, 1
when anything is wrong. Progress goes to stderr every ${progressEvery} files.

Options:
      --dir DIR          recordings folder; default: the site's recordings.dir, else <store.path>/recordings
  -s, --site FILE        site file (YAML or JSON); default: $DESKLINE_SITE, else built-in defaults
      --json             print the report as JSON`,
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: { site: siteOptions.site, dir: { type: 'string' }, json: { type: 'boolean', default: false } }, strict: true });
    if (values.dir !== undefined && values.site !== undefined) throw new UsageError('give --dir or --site, not both');
    const root = values.dir !== undefined ? resolve(values.dir) : recordingsRoot(await configFrom(values));
    const report = await verifyRecordings(root, {
      progressEvery,
      onProgress: (checked, total) => {
        if (total >= progressEvery) process.stderr.write(`deskline recordings verify: ${checked}/${total} files checked\n`);
      },
    });
    if (values.json) console.log(JSON.stringify(report, null, 2));
    else {
      for (const problem of report.problems) console.log(describeProblem(problem));
      console.log(summarizeReport(report));
    }
    return report.problems.length === 0 ? 0 : 1;
  },
};
