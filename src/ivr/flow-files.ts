// Reading flow documents and prompt catalogs from files (CLI, examples, tests).
import { readFile, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { FlowDocument, Language } from './flow-types.ts';
import type { FlowLookup } from './runtime.ts';

export const examplesDir = fileURLToPath(new URL('../../ivr-flows/', import.meta.url));

export class FlowFileError extends Error {
  readonly code = 'DESKLINE_FLOW_FILE';
}

export async function readFlowFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new FlowFileError(`${file}: cannot read (${(error as NodeJS.ErrnoException).code})`);
  }
  try {
    return file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new FlowFileError(`${file}: not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** Prompt texts per language: ivr-flows/prompts/<language>.yaml maps prompt id → text. */
export async function readPromptCatalog(dir = join(examplesDir, 'prompts')): Promise<Map<Language, Map<string, string>>> {
  const catalog = new Map<Language, Map<string, string>>();
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.yaml'))) {
    const language = basename(file, '.yaml') as Language;
    const texts = (parseYaml(await readFile(join(dir, file), 'utf8')) ?? {}) as Record<string, string>;
    catalog.set(language, new Map(Object.entries(texts)));
  }
  return catalog;
}

/** A lookup over documents held in memory, each as version 1 (simulation, validation). */
export function memoryLookup(flows: FlowDocument[]): FlowLookup {
  const byId = new Map(flows.map((f) => [f.id, f]));
  return { get: (id, version) => (version === 1 ? byId.get(id) : undefined), current: (id) => (byId.has(id) ? 1 : undefined) };
}
