import { access, constants } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Health } from '../../api/health-routes.ts';
import { ariPassword } from '../../config/load.ts';
import { AriError, AriRest } from '../../telephony/ari-rest.ts';
import type { AriAsteriskInfo } from '../../telephony/ari-types.ts';
import { ControlUnavailable, controlRequest } from '../control-client.ts';
import type { Command } from './command.ts';
import { configFrom, siteHelp, siteOptions, socketFrom } from './site-options.ts';

interface Check {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'check the site file, data store, Asterisk ARI and the running service',
  help: `Usage: deskline doctor [--site FILE] [--json]

Prints one line per check, and for each failing one how to fix it. Exit code 0 when all pass.

Options:
      --json             checks as JSON
${siteHelp}`,
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: { ...siteOptions, json: { type: 'boolean', default: false } }, strict: true });
    const checks: Check[] = [];
    const config = await configFrom(values).then(
      (c) => {
        checks.push({ name: 'site file', ok: true, detail: values.site ?? process.env.DESKLINE_SITE ?? '(built-in defaults)' });
        return c;
      },
      (error: Error) => {
        checks.push({ name: 'site file', ok: false, detail: error.message, fix: 'correct the fields named above' });
        return undefined;
      },
    );
    let service: Health | undefined;
    if (config) {
      const storePath = resolve(config.store.path);
      // The store folder may not exist yet (first start creates it): check the nearest folder that does.
      let existing = storePath;
      while (!(await access(existing).then(() => true, () => false)) && dirname(existing) !== existing) existing = dirname(existing);
      await access(existing, constants.W_OK).then(
        () => checks.push({ name: 'data store', ok: true, detail: `${storePath} ${existing === storePath ? 'is' : 'can be created and is'} writable` }),
        () => checks.push({ name: 'data store', ok: false, detail: `${storePath} is not writable`, fix: `create it and give the service user write access (chown)` }),
      );
      try {
        service = (await controlRequest<Health>(await socketFrom(values), 'GET', '/control/health')).body;
        checks.push({ name: 'service', ok: true, detail: `running, up ${service.uptimeSeconds} s, ${service.calls.active} active call(s)` });
        checks.push({
          name: 'service ARI link', ok: service.ari.connected,
          detail: service.ari.connected ? `connected to Asterisk ${service.asterisk.version}` : `${service.ari.status}: ${service.ari.detail}`,
          fix: service.ari.connected ? undefined : 'see the ARI check below',
        });
        checks.push({
          name: 'speech engine', ok: !service.speech.startsWith('failed'), detail: service.speech,
          fix: service.speech.startsWith('failed') ? 'check speech.engine, speech.model and speech.phrasesFile (native/README.md explains model installs)' : undefined,
        });
      } catch (error) {
        checks.push({ name: 'service', ok: false, detail: (error as Error).message, fix: error instanceof ControlUnavailable ? 'start it: systemctl start deskline (or deskline serve --site FILE)' : undefined });
      }
      // A running service's own link is the authoritative view; ask ARI directly only without one.
      if (!config.asterisk.sandbox && !service) {
        try {
          const rest = new AriRest({ url: config.asterisk.ariUrl, user: config.asterisk.ariUser, password: await ariPassword(config) }, 5000);
          const info = await rest.request<AriAsteriskInfo>('GET', '/asterisk/info');
          const version = info.system?.version ?? 'unknown';
          checks.push({ name: 'Asterisk ARI', ok: true, detail: `${config.asterisk.ariUrl} answers, Asterisk ${version}` });
          if (!/^22\./.test(version)) checks.push({ name: 'Asterisk version', ok: false, detail: `Asterisk ${version}; Deskline is tested with 22.x`, fix: 'install Asterisk 22' });
        } catch (error) {
          const status = error instanceof AriError ? error.status : 0;
          checks.push({
            name: 'Asterisk ARI', ok: false, detail: (error as Error).message,
            fix: status === 401 ? 'the ARI user/password in the site file does not match ari.conf' : status === 0 ? 'is Asterisk running? is http.conf enabled on that address and port, and res_ari loaded?' : 'check ari.conf and http.conf',
          });
        }
      }
    }
    if (values.json) console.log(JSON.stringify(checks, null, 2));
    else for (const c of checks) console.log(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.name}: ${c.detail}${c.fix ? `\n      fix: ${c.fix}` : ''}`);
    return checks.every((c) => c.ok) ? 0 : 1;
  },
};
