import { resolve } from 'node:path';
import { loadConfig } from '../../config/load.ts';
import type { DesklineConfig } from '../../config/schema.ts';

export const siteOptions = {
  site: { type: 'string', short: 's' },
  socket: { type: 'string' },
} as const;

export const siteHelp = `  -s, --site FILE   site file (YAML or JSON); default: $DESKLINE_SITE, else built-in defaults
      --socket PATH control socket of the running service; default: <store.path>/deskline.sock`;

export async function configFrom(values: { site?: string }): Promise<DesklineConfig> {
  return loadConfig(values.site ?? process.env.DESKLINE_SITE);
}

export async function socketFrom(values: { site?: string; socket?: string }): Promise<string> {
  if (values.socket) return values.socket;
  if (process.env.DESKLINE_SOCKET) return process.env.DESKLINE_SOCKET;
  const config = await configFrom(values);
  return `${resolve(config.store.path)}/deskline.sock`;
}
