import { parseArgs } from 'node:util';
import { startAppliance, type Appliance } from '../../app/appliance.ts';
import { createLogger } from '../../core/logger.ts';
import type { DesklineConfig } from '../../config/schema.ts';
import type { Command } from './command.ts';
import { configFrom, siteHelp, siteOptions } from './site-options.ts';

/** Runs until SIGINT/SIGTERM; `ready` is told the running appliance (demo prints from it). */
export async function runUntilSignal(config: DesklineConfig, ready?: (appliance: Appliance) => void | Promise<void>): Promise<number> {
  const logger = createLogger(config.log.level, config.log.file ? { file: config.log.file, keep: config.log.keep } : undefined);
  const appliance = await startAppliance(config, logger);
  // Shown once, on the terminal only (never in the log): the admin changes it after logging in.
  if (appliance.firstAdmin && !ready) process.stderr.write(`\n  First start: admin login "${appliance.firstAdmin.username}", password ${appliance.firstAdmin.password}\n  (shown once; change it after logging in: PATCH /api/v1/users/admin)\n\n`);
  await ready?.(appliance);
  await new Promise<void>((resolve) => {
    const onSignal = (signal: string) => {
      logger.info({ signal }, 'stopping');
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  await appliance.stop();
  return 0;
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the appliance service (ARI, calls, admin API)',
  help: `Usage: deskline serve [--site FILE]

Runs Deskline against the Asterisk named in the site file until SIGINT/SIGTERM.
A bad site file stops it at once with every bad field named; an unreachable Asterisk or a refused
ARI login keeps it running, degraded (GET /healthz says why), retrying with backoff.

Options:
${siteHelp}`,
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: siteOptions, strict: true });
    return runUntilSignal(await configFrom(values));
  },
};
