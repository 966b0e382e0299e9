import { z } from 'zod';
import { configSchema } from '../../config/schema.ts';
import { envName, settingPaths } from '../../config/load.ts';
import type { Command } from './command.ts';

function leaf(path: string[]): z.ZodType {
  let node: z.ZodType = configSchema;
  for (const key of path) {
    while (!(node instanceof z.ZodObject)) node = (node as unknown as { def: { innerType: z.ZodType } }).def.innerType;
    node = (node.shape as Record<string, z.ZodType>)[key]!;
  }
  return node;
}

export function settingsTable(): string {
  const defaults = configSchema.parse({}) as Record<string, unknown>;
  const rows = settingPaths().map((path) => {
    const schema = leaf(path);
    const value = path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], defaults);
    const shown = value === '' ? '(empty)' : JSON.stringify(value);
    return `| \`${path.join('.')}\` / \`${envName(path)}\` | ${schema.description ?? ''} | ${shown} | no |`;
  });
  return ['| setting / environment | meaning | default | required |', '|---|---|---|---|', ...rows].join('\n');
}

export const configDocsCommand: Command = {
  name: 'config docs',
  summary: 'print the settings table (markdown) for the README',
  help: 'Usage: deskline config docs\n\nPrints every setting of the site file with its environment override, meaning and default.',
  async run() {
    console.log(settingsTable());
    return 0;
  },
};
