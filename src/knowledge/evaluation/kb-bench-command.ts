/**
 * `deskline kb bench --train FILE --test FILE [--oos FILE] [--val FILE] [--oos-val FILE] [--lang zh|en]`:
 * the benchmark's evaluation on anyone's `{"text","label"}` JSONL files. Prints one JSON object
 * on stdout; progress goes to stderr.
 */
import { parseArgs } from 'node:util';
import { evaluate } from './evaluate.ts';
import { DatasetError, readLabelled } from './jsonl.ts';

export const KB_BENCH_HELP = `Usage: deskline kb bench --train FILE --test FILE [options]

Treats each label of the training file as an article and its texts as similar questions, builds
the matcher, scores the test file and prints one JSON object:
  top1, top3, oosRecall, inScopeLoss, p50Ms, p99Ms, buildMs (+ details).

Files are JSONL, one {"text": "...", "label": "..."} per line.

Options:
  --train FILE     training questions (required)
  --test FILE      in-scope test questions (required)
  --oos FILE       out-of-scope test queries (labels ignored): reports oosRecall
  --val FILE       held-out in-scope questions for calibration (default: hold out 15 % of --train)
  --oos-val FILE   held-out out-of-scope queries for the threshold (default: target 5 % in-scope loss)
  --lang zh|en     language of the texts (default en)
  --baseline       also score TF-IDF nearest-centroid for reference
  -h, --help       this text
Exit codes: 0 done, 1 failed (error printed as JSON), 2 bad usage.`;

export async function runKbBench(argv: string[], out = process.stdout, err = process.stderr): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv, strict: true,
      options: {
        train: { type: 'string' }, test: { type: 'string' }, oos: { type: 'string' }, val: { type: 'string' }, 'oos-val': { type: 'string' },
        lang: { type: 'string', default: 'en' }, baseline: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (e) {
    err.write(`${(e as Error).message}\n\n${KB_BENCH_HELP}\n`);
    return 2;
  }
  if (values.help) { out.write(`${KB_BENCH_HELP}\n`); return 0; }
  if (!values.train || !values.test || !['zh', 'zh-CN', 'en'].includes(values.lang!)) {
    err.write(`--train and --test are required; --lang is zh or en\n\n${KB_BENCH_HELP}\n`);
    return 2;
  }
  try {
    const progress = (line: string) => err.write(`kb bench: ${line}\n`);
    progress('reading files…');
    const [train, test, oos, val, oosVal] = await Promise.all([values.train, values.test, values.oos, values.val, values['oos-val']].map((f) => (f ? readLabelled(f) : Promise.resolve(undefined))));
    const r = evaluate({
      train: train!, test: test!, language: values.lang === 'en' ? 'en' : 'zh-CN', withBaseline: values.baseline!,
      ...(val ? { validation: val } : {}),
      ...(oosVal ? { outOfScopeValidation: oosVal.map((x) => x.text) } : {}),
      ...(oos ? { outOfScopeTest: oos.map((x) => x.text) } : {}),
    }, progress);
    const { top1, top3, oosRecall, inScopeLoss, p50Ms, p99Ms, buildMs, ...details } = r;
    out.write(`${JSON.stringify({ top1, top3, oosRecall, inScopeLoss, p50Ms, p99Ms, buildMs, ...details })}\n`);
    return 0;
  } catch (e) {
    const code = e instanceof DatasetError ? e.code : 'KB_BENCH_FAILED';
    out.write(`${JSON.stringify({ error: { code, message: (e as Error).message } })}\n`);
    return 1;
  }
}
