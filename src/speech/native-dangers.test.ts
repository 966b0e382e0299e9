import test from 'ava';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PocketsphinxDecoder, DEFAULT_POCKETSPHINX_MODEL } from './pocketsphinx.ts';
import { buildDomainModel, loadDictionary } from './language-model.ts';
import { synthesize, tempDir } from './testing/audio-fixtures.ts';
import { HELP_LINE_PHRASES } from './testing/phrases.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const tsxApi = import.meta.resolve('tsx/esm/api');
const dir = tempDir();
const model = buildDomainModel({ phrases: HELP_LINE_PHRASES.map((p) => p.text), dictionary: await loadDictionary(path.join(DEFAULT_POCKETSPHINX_MODEL, 'cmudict-en-us.dict')) });
const dict = path.join(dir, 'd.dict');
const lm = path.join(dir, 'd.arpa');
writeFileSync(dict, model.dictionaryText);
writeFileSync(lm, model.arpa);
const audio = synthesize(HELP_LINE_PHRASES[4]!.text, { voice: 'slt', rate: 16000, dir });

test('given 60 create/decode/free cycles (freed, freed while pending, or left to GC), when run under --expose-gc, then RSS stays flat', (t) => {
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(here, 'testing/leak-cycles.ts'), '60'], { encoding: 'utf8', timeout: 110_000 });
  t.is(child.status, 0, child.stderr);
  const samples = JSON.parse(child.stdout.trim().split('\n').pop()!) as { cycle: number; rssMb: number }[];
  const warm = samples[9]!.rssMb;
  const end = samples.at(-1)!.rssMb;
  t.log(`RSS after 10 cycles ${warm} MB, after 60 ${end} MB`);
  // A leaked decoder costs ~20 MB (acoustic model + search); 40 leaks would show as hundreds.
  t.true(end - warm < 25, `RSS grew ${end - warm} MB`);
});

function runWorker(data: object, onMessage?: (m: string, w: Worker) => void): Promise<{ message?: string; exitCode: number }> {
  return new Promise((resolve, reject) => {
    // tsx's loader hooks must be registered inside the worker before it imports TypeScript.
    const body = pathToFileURL(path.join(here, 'testing/worker-decode.ts')).href;
    const code = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(body)}); })`;
    const worker = new Worker(code, { eval: true, workerData: data });
    let message: string | undefined;
    worker.on('message', (m: string) => {
      message = m;
      onMessage?.(m, worker);
    });
    worker.on('error', reject);
    worker.on('exit', (exitCode) => resolve({ message, exitCode }));
  });
}

test('given two worker threads and the main thread, when each decodes the same turn at once, then all get the same text', async (t) => {
  const main = await PocketsphinxDecoder.create({ dict, searches: { lm: { kind: 'lm', path: lm } } });
  const [a, b, m] = await Promise.all([runWorker({ dict, lm, audio }), runWorker({ dict, lm, audio }), main.decodeUtterance(audio)]);
  main.free();
  t.regex(m.text, /reset my password/);
  t.is(a.message, m.text);
  t.is(b.message, m.text);
});

test('given worker threads terminated while their decodes run, when each environment is torn down, then the process survives and decoding still works', async (t) => {
  // Ten times: a JS error thrown into a terminating worker (napi_throw fails then) used to abort
  // the whole process about one time in five; node-addon-api must swallow what cannot be thrown.
  for (let i = 0; i < 10; i++) {
    const { exitCode } = await runWorker({ dict, lm, audio, hang: true }, (m, w) => {
      if (m === 'decoding') void w.terminate();
    });
    t.is(exitCode, 1);  // terminated
  }
  const main = await PocketsphinxDecoder.create({ dict, searches: { lm: { kind: 'lm', path: lm } } });
  t.regex((await main.decodeUtterance(audio)).text, /reset my password/);
  main.free();
});
