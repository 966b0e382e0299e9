// `npm run bench -- NAME [options]`: runs test/bench/NAME.ts, writes bench/results/NAME.json.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { cpus, loadavg, totalmem } from 'node:os';

const here = fileURLToPath(new URL('.', import.meta.url));
const resultsDir = fileURLToPath(new URL('../../bench/results/', import.meta.url));

export interface BenchModule {
  run(argv: string[], progress: (line: string) => void): Promise<Record<string, unknown>>;
}

const [name, ...rest] = process.argv.slice(2);
const available = (await readdir(here)).filter((f) => f.endsWith('.ts') && !['run.ts', 'stats.ts'].includes(f)).map((f) => f.slice(0, -3));
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- NAME [options]\n  benchmarks: ${available.join(', ')}`);
  process.exit(2);
}
const bench = (await import(`./${name}.ts`)) as BenchModule;
const started = new Date();
const loadBefore = loadavg();
const result = await bench.run(rest, (line) => process.stderr.write(`bench ${name}: ${line}\n`));
const report = {
  benchmark: name,
  startedAt: started.toISOString(),
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
  // Other work on the machine skews every figure: the 1-minute load average before and after.
  loadAverage1m: { before: loadBefore[0], after: loadavg()[0] },
  ...result,
};
await mkdir(resultsDir, { recursive: true });
await writeFile(`${resultsDir}${name}.json`, `${JSON.stringify(report, null, 2)}\n`);
console.log(JSON.stringify(report, null, 2));
console.error(`bench ${name}: wrote bench/results/${name}.json`);
process.exit(0);
