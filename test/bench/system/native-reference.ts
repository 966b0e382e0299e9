// The reference side of the system bench: the same call as Deskline's bench flow, as plain dialplan
// and app_queue on the bench's own sandbox Asterisk. Nothing in src/asterisk changes: the sandbox
// loads only what Deskline drives (modules.conf has autoload = no), so the bench writes queues.conf
// and appends its dialplan into this instance's config folder, then loads the modules by CLI.
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { AsteriskSandbox } from '../../../src/asterisk/sandbox.ts';
import { renderTemplate } from '../../../src/asterisk/template.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/bench-system/${name}`, import.meta.url));

/** Modules the reference needs beyond Deskline's set (app_queue, MixMonitor, TIMEOUT(), WaitExten). */
const referenceModules = ['func_timeout.so', 'app_mixmonitor.so', 'app_queue.so'];

export class ReferenceSetupError extends Error {
  readonly code = 'BENCH_REFERENCE_SETUP';
}

export interface NativeReference {
  /** Dial this in context deskline-native to reach the reference menu. */
  exten: string;
  /** Where MixMonitor writes (host path), to check that each conversation was recorded. */
  monitorDir: string;
}

export async function installNativeReference(
  sandbox: AsteriskSandbox,
  options: { exten: string; agentDialStrings: string[]; ringTimeoutSeconds: number; maxWaitSeconds: number },
): Promise<NativeReference> {
  const values = {
    exten: options.exten,
    maxWait: String(options.maxWaitSeconds),
    ringTimeout: String(options.ringTimeoutSeconds),
    members: options.agentDialStrings.map((dial) => ({ dial })),
  };
  const dialplan = renderTemplate(await readFile(fixture('native-dialplan.conf'), 'utf8'), values, 'bench-system/native-dialplan.conf');
  const queues = renderTemplate(await readFile(fixture('queues.conf'), 'utf8'), values, 'bench-system/queues.conf');
  await appendFile(`${sandbox.configDir}/extensions.conf`, `\n${dialplan}`);
  await writeFile(`${sandbox.configDir}/queues.conf`, queues, { mode: 0o600 });
  for (const module of referenceModules) {
    const out = await sandbox.cli(`module load ${module}`);
    if (!/Loaded|already/i.test(out)) throw new ReferenceSetupError(`module load ${module}: ${out.trim()}`);
  }
  await sandbox.cli('dialplan reload');
  const menu = await sandbox.cli('dialplan show bench-system-menu');
  if (!/'1' =>/.test(menu)) throw new ReferenceSetupError(`the reference menu did not load:\n${menu}`);
  const entry = await sandbox.cli(`dialplan show ${options.exten}@deskline-native`);
  if (!entry.includes(`'${options.exten}' =>`)) throw new ReferenceSetupError(`the reference entry did not load:\n${entry}`);
  for (const queue of ['sales', 'support']) {
    const shown = await sandbox.cli(`queue show ${queue}`);
    const members = (shown.match(/Local\//g) ?? []).length;
    if (members !== options.agentDialStrings.length) throw new ReferenceSetupError(`queue ${queue} has ${members} members, expected ${options.agentDialStrings.length}:\n${shown}`);
  }
  // The sandbox keeps spool under its instance folder; app_queue's MixMonitor writes to spool/monitor.
  return { exten: options.exten, monitorDir: `${sandbox.recordingsDir.replace(/\/recording$/, '')}/monitor` };
}
