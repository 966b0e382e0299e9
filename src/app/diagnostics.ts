// The diagnostics bundle a fleet operator fetches with the `diagnostics` command: enough to see
// what a box is doing without logging in to it. Secrets never leave: the site's settings go out
// with every inline secret replaced, and log lines are the box's own (no call audio, no transcripts
// beyond what the log already holds at the configured level).
import { open } from 'node:fs/promises';
import { arch, release } from 'node:os';
import type { Health } from '../api/health-routes.ts';
import type { DesklineConfig } from '../config/schema.ts';
import type { Check } from '../doctor/doctor.ts';

/** Keys whose values are secrets wherever they appear in the settings. */
const secretKey = /password$|secret$|^token$/i;

export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, secretKey.test(k) && typeof v === 'string' && v !== '' ? '(secret)' : redact(v)]));
  }
  return value;
}

/** The last `lines` lines of a file, reading at most 256 kB from its end. */
export async function tail(path: string, lines: number): Promise<string[]> {
  if (lines === 0) return [];
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const length = Math.min(size, 256 * 1024);
    const buffer = Buffer.alloc(length);
    await file.read(buffer, 0, length, size - length);
    return buffer.toString('utf8').split('\n').filter(Boolean).slice(-lines);
  } finally {
    await file.close();
  }
}

export async function diagnosticsBundle(input: { config: DesklineConfig; health: Health; version: string; checks: Check[]; logFile: string | undefined; logLines: number }) {
  let log: string[] | string;
  if (!input.logFile) log = 'the service logs to the journal: journalctl -u deskline';
  else log = await tail(input.logFile, input.logLines).catch((error: Error) => `cannot read ${input.logFile}: ${error.message}`);
  // A result is capped (cmd-result at 256 kB): the log gives way first, line by line.
  const bundle = {
    deskline: input.version, node: process.version, os: `${release()} ${arch()}`,
    health: input.health, checks: input.checks, settings: redact(input.config), log,
  };
  while (Array.isArray(bundle.log) && bundle.log.length > 0 && Buffer.byteLength(JSON.stringify(bundle)) > 200 * 1024) bundle.log = bundle.log.slice(Math.ceil(bundle.log.length / 4));
  return bundle;
}
