import { access, constants } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Health } from '../../api/health-routes.ts';
import { boxChecks, type Check } from '../../doctor/doctor.ts';
import { ControlUnavailable, controlRequest } from '../control-client.ts';
import type { Command } from './command.ts';
import { configFrom, siteHelp, siteOptions, socketFrom } from './site-options.ts';

export function formatChecks(checks: Check[]): string {
  const label = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' } as const;
  return checks.map((c) => `${label[c.status]}  ${c.name}: ${c.detail}${c.fix ? `\n      fix: ${c.fix}` : ''}`).join('\n');
}

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'check the site file, data store, Asterisk, trunks, speech models, disk, clock and fleet link',
  help: `Usage: deskline doctor [--site FILE] [--json]

Prints one line per check, and for each failing one how to fix it. Exit code 0 when none fails
(warnings do not count), 1 otherwise.

Options:
      --json             checks as JSON
${siteHelp}`,
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: { ...siteOptions, json: { type: 'boolean', default: false } }, strict: true });
    const checks: Check[] = [];
    const config = await configFrom(values).then(
      (c) => {
        checks.push({ name: 'site file', status: 'ok', detail: values.site ?? process.env.DESKLINE_SITE ?? '(built-in defaults)' });
        return c;
      },
      (error: Error) => {
        checks.push({ name: 'site file', status: 'fail', detail: error.message, fix: 'correct the fields named above (deskline site validate FILE)' });
        return undefined;
      },
    );
    if (config) {
      const storePath = resolve(config.store.path);
      // The store folder may not exist yet (first start creates it): check the nearest folder that does.
      let existing = storePath;
      while (!(await access(existing).then(() => true, () => false)) && dirname(existing) !== existing) existing = dirname(existing);
      await access(existing, constants.W_OK).then(
        () => checks.push({ name: 'data store', status: 'ok', detail: `${storePath} ${existing === storePath ? 'is' : 'can be created and is'} writable` }),
        () => checks.push({ name: 'data store', status: 'fail', detail: `${storePath} is not writable`, fix: 'create it and give the service user write access (deskline provision does)' }),
      );
      let health: Health | undefined;
      try {
        health = (await controlRequest<Health>(await socketFrom(values), 'GET', '/control/health')).body;
        checks.push({ name: 'service', status: 'ok', detail: `running, up ${health.uptimeSeconds} s, ${health.calls.active} active call(s)` });
      } catch (error) {
        checks.push({ name: 'service', status: 'fail', detail: (error as Error).message, fix: error instanceof ControlUnavailable ? 'start it: systemctl start deskline (or deskline serve --site FILE)' : undefined });
      }
      checks.push(...(await boxChecks(config, { health, now: Date.now() })));
    }
    if (values.json) console.log(JSON.stringify(checks, null, 2));
    else console.log(formatChecks(checks));
    return checks.some((c) => c.status === 'fail') ? 1 : 0;
  },
};
