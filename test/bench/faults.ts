// `npm run bench -- faults [--scale N] [--only NAME,NAME]`: every fault scenario in test/faults/ at
// full scale (default 100 calls), one after the other, each check and figure into the JSON.
// The same scenarios run in CI at reduced scale (test/integration/faults-*.test.ts).
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { FaultScenario } from '../faults/scenario.ts';

const faultsDir = fileURLToPath(new URL('../faults/', import.meta.url));

function option(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

export async function run(argv: string[], progress: (line: string) => void): Promise<Record<string, unknown>> {
  const scale = Number(option(argv, 'scale') ?? 100);
  if (!Number.isInteger(scale) || scale < 1) throw new Error(`--scale must be a positive integer, got ${option(argv, 'scale')}`);
  const only = option(argv, 'only')?.split(',').filter(Boolean);
  const files = (await readdir(faultsDir)).filter((f) => f.endsWith('.ts') && f !== 'scenario.ts' && !f.endsWith('.test.ts')).sort();
  const scenarios: FaultScenario[] = [];
  for (const file of files) {
    const mod = (await import(`../faults/${file}`)) as { scenario?: FaultScenario };
    if (mod.scenario && (!only || only.includes(mod.scenario.name))) scenarios.push(mod.scenario);
  }
  if (only) {
    const unknown = only.filter((n) => !scenarios.some((s) => s.name === n));
    if (unknown.length) throw new Error(`no fault scenario named ${unknown.join(', ')}; there are: ${files.join(', ')}`);
  }
  const results = [];
  for (const [i, scenario] of scenarios.entries()) {
    progress(`[${i + 1}/${scenarios.length}] ${scenario.name} at scale ${scale}: ${scenario.describe}`);
    const started = Date.now();
    try {
      const outcome = await scenario.run({ scale, progress: (line) => progress(`  ${scenario.name}: ${line}`) });
      const failed = outcome.checks.filter((c) => !c.ok);
      progress(`  ${scenario.name}: ${failed.length ? `FAILED ${failed.map((c) => c.name).join('; ')}` : `all ${outcome.checks.length} checks held`}`);
      results.push({ name: scenario.name, describe: scenario.describe, passed: failed.length === 0, seconds: (Date.now() - started) / 1000, ...outcome });
    } catch (error) {
      progress(`  ${scenario.name}: could not run: ${(error as Error).message}`);
      results.push({ name: scenario.name, describe: scenario.describe, passed: false, seconds: (Date.now() - started) / 1000, error: (error as Error).stack, checks: [], measured: {} });
    }
  }
  return { scale, passed: results.every((r) => r.passed), scenarios: results };
}
