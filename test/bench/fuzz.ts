// `npm run bench -- fuzz [--factor 100] [--only flow,expression,...]`: every fuzzer of the flows,
// the knowledge-base imports, backups and webhooks at `factor` times its CI case count (the CI
// tests run the same generators at 1×, from the same `*-fuzz-cases.ts` modules), with other seeds
// than CI so the bench explores new cases. Writes cases run, failures (the first few in full),
// outcomes and cases/s per fuzzer; passes only when no fuzzer found anything.
import { parseArgs } from 'node:util';
import { backupFuzzBench, BACKUP_FUZZ_CI_CASES } from '../../src/backup/backup-fuzz-cases.ts';
import { EXPRESSION_FUZZ_CI_CASES, runExpressionFuzz } from '../../src/ivr/expression/expression-fuzz-cases.ts';
import { FLOW_FUZZ_CI_CASES, runFlowFuzz } from '../../src/ivr/flow-fuzz-cases.ts';
import { CSV_FUZZ_CI_CASES, runCsvFuzz } from '../../src/knowledge/base/csv-fuzz-cases.ts';
import { IMPORT_FUZZ_CI_CASES, runImportFuzz } from '../../src/knowledge/base/import-fuzz-cases.ts';
import { fuzzCreateSubscription, fuzzPublishInput, fuzzUpdateSubscription, WEBHOOK_FUZZ_CI_CASES } from '../../src/webhooks/schemas-fuzz-cases.ts';

interface FuzzOutcome {
  cases: number;
  failures: string[];
  outcomes: Record<string, number>;
}

type Fuzzer = { name: string; what: string; ciCases: number; run: (cases: number, seed: number, progress: (done: number) => void) => Promise<FuzzOutcome> };

/** Seeds other than CI's (which stay as the tests have them), one per factor so reruns differ only if asked. */
const BENCH_SEED = 9_100_001;

function fuzzers(): Fuzzer[] & { cleanup(): Promise<void> } {
  let backup: ReturnType<typeof backupFuzzBench> | undefined;
  const backupBench = () => (backup ??= backupFuzzBench());
  const list: Fuzzer[] = [
    { name: 'flow', what: 'flow documents (generated and mutated) through the validator and the simulator', ciCases: FLOW_FUZZ_CI_CASES, run: (cases, seed, progress) => runFlowFuzz({ cases, seed, progress }) },
    { name: 'expression', what: 'flow expressions and templates: only ExpressionError may be thrown', ciCases: EXPRESSION_FUZZ_CI_CASES, run: async (cases, seed, progress) => runExpressionFuzz({ cases, seed, progress }) },
    { name: 'kb-csv', what: 'knowledge-base CSV parser: rows or CsvError, round trip', ciCases: CSV_FUZZ_CI_CASES, run: async (cases, seed, progress) => runCsvFuzz({ cases, seed, progress }) },
    { name: 'kb-import', what: 'knowledge-base imports (CSV, JSON, Markdown; text, bytes, fields)', ciCases: IMPORT_FUZZ_CI_CASES, run: (cases, seed, progress) => runImportFuzz({ cases, seed, progress }) },
    { name: 'backup-random', what: 'restore of random bytes: always refused, nothing written', ciCases: BACKUP_FUZZ_CI_CASES.randomBytes, run: async (cases, seed, progress) => (await backupBench()).randomBytes(cases, seed, progress) },
    { name: 'backup-gzip-flips', what: 'restore with a bit flipped in the compressed archive', ciCases: BACKUP_FUZZ_CI_CASES.gzipFlips, run: async (cases, seed, progress) => (await backupBench()).gzipFlips(cases, seed, progress) },
    { name: 'backup-tar-damage', what: 'restore with the tar flipped or truncated (re-compressed)', ciCases: BACKUP_FUZZ_CI_CASES.tarDamage, run: async (cases, seed, progress) => (await backupBench()).tarDamage(cases, seed, progress) },
    { name: 'webhook-create', what: 'webhook subscription bodies: validation errors only, what passes is sound', ciCases: WEBHOOK_FUZZ_CI_CASES.create, run: async (cases, seed) => fuzzCreateSubscription(cases, seed) },
    { name: 'webhook-update', what: 'webhook subscription changes', ciCases: WEBHOOK_FUZZ_CI_CASES.update, run: async (cases, seed) => fuzzUpdateSubscription(cases, seed) },
    { name: 'webhook-publish', what: 'events to publish', ciCases: WEBHOOK_FUZZ_CI_CASES.publish, run: async (cases, seed) => fuzzPublishInput(cases, seed) },
  ];
  return Object.assign(list, { cleanup: async () => (backup ? (await backup).remove() : undefined) });
}

export async function run(argv: string[], progress: (line: string) => void): Promise<Record<string, unknown>> {
  const { values } = parseArgs({ args: argv, options: { factor: { type: 'string', default: '100' }, only: { type: 'string' }, seed: { type: 'string' } } });
  const factor = Number(values.factor);
  if (!(factor > 0)) throw new Error(`--factor must be a positive number, got ${values.factor}`);
  const seed = values.seed === undefined ? BENCH_SEED : Number(values.seed);
  const all = fuzzers();
  const only = values.only?.split(',').filter(Boolean);
  const unknown = only?.filter((n) => !all.some((f) => f.name === n)) ?? [];
  if (unknown.length) throw new Error(`no fuzzer named ${unknown.join(', ')}; there are: ${all.map((f) => f.name).join(', ')}`);
  const chosen = all.filter((f) => !only || only.includes(f.name));
  const results = [];
  try {
    for (const [i, fuzzer] of chosen.entries()) {
      const cases = Math.max(1, Math.round(fuzzer.ciCases * factor));
      progress(`[${i + 1}/${chosen.length}] ${fuzzer.name}: ${cases} cases (${factor}× CI's ${fuzzer.ciCases}): ${fuzzer.what}`);
      const started = performance.now();
      const outcome = await fuzzer.run(cases, seed + i, (done) => {
        const seconds = (performance.now() - started) / 1000;
        progress(`  ${fuzzer.name}: ${done}/${cases} (${Math.round(done / seconds)}/s, about ${Math.round(((cases - done) * seconds) / done)} s left)`);
      });
      const seconds = (performance.now() - started) / 1000;
      progress(`  ${fuzzer.name}: ${outcome.failures.length ? `FAILED ${outcome.failures.length} cases, first: ${outcome.failures[0]!.slice(0, 300)}` : 'no failures'} (${outcome.cases} in ${seconds.toFixed(1)} s, ${JSON.stringify(outcome.outcomes)})`);
      results.push({
        name: fuzzer.name, what: fuzzer.what, ciCases: fuzzer.ciCases, cases: outcome.cases, failures: outcome.failures.length,
        firstFailures: outcome.failures.slice(0, 5), outcomes: outcome.outcomes, seconds: Math.round(seconds * 10) / 10, casesPerSecond: Math.round(outcome.cases / seconds),
      });
    }
  } finally {
    await all.cleanup();
  }
  return { factor, seed, passed: results.every((r) => r.failures === 0), casesRun: results.reduce((n, r) => n + r.cases, 0), fuzzers: results };
}
