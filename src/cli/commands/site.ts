import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { LineCounter, parseDocument } from 'yaml';
import { checkSite, ConfigError, parseSiteText } from '../../config/load.ts';
import { siteFileProblems, type SiteProblem } from '../../config/site-checks.ts';
import { UsageError, type Command } from './command.ts';

/** The line of a dotted path in a YAML site file, so a technician finds the field at once. */
export function lineOf(text: string, path: string): number | undefined {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter });
  const keys = path.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
  for (let n = keys.length; n > 0; n--) {
    const node = doc.getIn(keys.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}

export async function validateSiteFile(file: string, env: NodeJS.ProcessEnv = process.env): Promise<{ problems: (SiteProblem & { line?: number })[]; lines: string[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const problem: SiteProblem = { level: 'error', path: '(file)', message: `cannot read the site file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
    return { problems: [problem], lines: [`${file}: (file): ${problem.message}`] };
  }
  let raw: unknown;
  try {
    raw = parseSiteText(text, file);
  } catch (error) {
    const message = (error as ConfigError).problems?.[0] ?? (error as Error).message;
    return { problems: [{ level: 'error', path: '(file)', message }], lines: [message] };
  }
  const checked = checkSite(raw, env);
  const problems: (SiteProblem & { line?: number })[] = [...checked.problems];
  if (checked.config) problems.push(...(await siteFileProblems(checked.config)));
  const json = file.endsWith('.json');
  for (const p of problems) p.line = json ? undefined : lineOf(text, p.path);
  const lines = problems.map((p) => `${file}:${p.path}: ${p.level === 'warning' ? 'warning: ' : ''}${p.message}${p.line ? ` (line ${p.line})` : ''}`);
  return { problems, lines };
}

export const siteValidateCommand: Command = {
  name: 'site validate',
  summary: 'check a site file: every problem as file:path: message; exit 1 on errors',
  help: `Usage: deskline site validate SITE_FILE [--json]

Checks the schema, the rules between fields (every DID routed, agents' phones defined, ARI on
loopback) and what the disk must hold (trunk passwords, speech models). Prints one line per
problem; warnings do not change the exit code. DESKLINE_* environment overrides apply.`,
  async run(argv) {
    const { values, positionals } = parseArgs({ args: argv, options: { json: { type: 'boolean', default: false } }, allowPositionals: true, strict: true });
    if (positionals.length !== 1) throw new UsageError('give one site file: deskline site validate SITE_FILE');
    const file = positionals[0]!;
    const { problems, lines } = await validateSiteFile(file);
    const errors = problems.filter((p) => p.level === 'error').length;
    if (values.json) console.log(JSON.stringify({ file, valid: errors === 0, problems }, null, 2));
    else {
      for (const line of lines) console.log(line);
      console.log(errors === 0 ? `${file}: valid${problems.length ? ` (${problems.length} warning${problems.length === 1 ? '' : 's'})` : ''}` : `${file}: ${errors} error${errors === 1 ? '' : 's'}`);
    }
    return errors === 0 ? 0 : 1;
  },
};
