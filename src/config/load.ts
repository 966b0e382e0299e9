import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { configSchema, type DesklineConfig } from './schema.ts';
import { siteProblems, type SiteProblem } from './site-checks.ts';

export class ConfigError extends Error {
  readonly code = 'DESKLINE_CONFIG';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/** Leaf paths of the schema, e.g. ['asterisk', 'ariUrl']: the settings a site file may set. */
export function settingPaths(schema: z.ZodType = configSchema, prefix: string[] = []): string[][] {
  let inner: z.ZodType = schema;
  while (inner instanceof z.ZodDefault || inner instanceof z.ZodPrefault || inner instanceof z.ZodOptional) {
    inner = (inner as unknown as { def: { innerType: z.ZodType } }).def.innerType;
  }
  if (inner instanceof z.ZodObject) {
    return Object.entries(inner.shape as Record<string, z.ZodType>).flatMap(([key, child]) => settingPaths(child, [...prefix, key]));
  }
  return [prefix];
}

/** asterisk.ariUrl → DESKLINE_ASTERISK_ARI_URL */
export function envName(path: string[]): string {
  return `DESKLINE_${path.map((part) => part.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('_')}`;
}

function coerceEnv(text: string): unknown {
  if (/^\s*[[{]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  return text;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    node = (next && typeof next === 'object' ? next : (node[key] = {})) as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

export function parseSiteText(text: string, file: string): unknown {
  try {
    return file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError([`${file}: not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`]);
  }
}

/** Every problem of a raw site object (plus DESKLINE_* overrides), and the config when it has no errors. */
export function checkSite(raw: unknown, env: NodeJS.ProcessEnv = process.env): { config?: DesklineConfig; problems: SiteProblem[]; overridden: string[] } {
  const base = raw === null || raw === undefined ? {} : raw;
  if (typeof base !== 'object' || Array.isArray(base)) return { problems: [{ level: 'error', path: '(top level)', message: 'expected a mapping of settings' }], overridden: [] };
  const merged = structuredClone(base) as Record<string, unknown>;
  const overridden: string[] = [];
  for (const path of settingPaths()) {
    const value = env[envName(path)];
    if (value !== undefined) {
      setPath(merged, path, coerceEnv(value));
      overridden.push(envName(path));
    }
  }
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    return { problems: result.error.issues.map((issue) => ({ level: 'error', path: issue.path.length ? issue.path.join('.') : '(top level)', message: issue.message })), overridden };
  }
  const problems = siteProblems(result.data);
  return { config: problems.some((p) => p.level === 'error') ? undefined : result.data, problems, overridden };
}

/** Validates a raw object plus DESKLINE_* environment overrides; names every bad field. */
export function buildConfig(raw: unknown, source: string, env: NodeJS.ProcessEnv = process.env): DesklineConfig {
  const { config, problems, overridden } = checkSite(raw, env);
  if (!config) {
    const from = overridden.length ? `${source} (with ${overridden.join(', ')})` : source;
    throw new ConfigError(problems.filter((p) => p.level === 'error').map((p) => `${from}: ${p.path}: ${p.message}`));
  }
  return config;
}

export async function loadConfig(file: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<DesklineConfig> {
  if (!file) return buildConfig({}, '(defaults)', env);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError([`${file}: cannot read the site file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`]);
  }
  return buildConfig(parseSiteText(text, file), file, env);
}

/** The ARI password from the file or the inline setting (file wins). */
export async function ariPassword(config: DesklineConfig): Promise<string> {
  if (config.asterisk.ariPasswordFile) {
    try {
      return (await readFile(config.asterisk.ariPasswordFile, 'utf8')).trim();
    } catch (error) {
      throw new ConfigError([`asterisk.ariPasswordFile: cannot read ${config.asterisk.ariPasswordFile}: ${(error as NodeJS.ErrnoException).code}`]);
    }
  }
  if (config.asterisk.ariPassword || config.asterisk.sandbox) return config.asterisk.ariPassword;
  // A provisioned box: `deskline provision` generated it here.
  return readFile(`${config.service.secretsDir}/ari-password`, 'utf8').then((text) => text.trim(), () => '');
}
