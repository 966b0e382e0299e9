import test from 'ava';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findVoskLibrary, loadVoskLibrary, VoskModel, VoskRecognizer } from './vosk.ts';
import { synthesize, tempDir } from './testing/audio-fixtures.ts';

test('given npm ci, when the vosk package is looked up, then libvosk.so is found inside node_modules/vosk and dlopens', async (t) => {
  const lib = findVoskLibrary();
  t.regex(lib, /node_modules\/vosk\/lib\/linux-x86_64\/libvosk\.so$/);
  t.is(await loadVoskLibrary(), lib);
  t.is(await loadVoskLibrary(), lib);  // once per process; a second call is a no-op
});

test('given the stubbed ffi-napi, when vosk\'s own JavaScript is required, then it fails with the stub\'s clear error', (t) => {
  const req = createRequire(import.meta.url);
  t.throws(() => req('vosk'), { code: 'DESKLINE_STUBBED_MODULE' });
});

test('given a missing model directory, when loaded, then MODEL_NOT_FOUND names the path', async (t) => {
  await t.throwsAsync(VoskModel.load('/nonexistent/vosk-model-small-en-us'), {
    code: 'DESKLINE_NATIVE_MODEL_NOT_FOUND',
    message: /\/nonexistent\/vosk-model-small-en-us/,
  });
});

test('given a directory that is not a model, when loaded (in a child process), then MODEL_LOAD names the path and Kaldi\'s line does not leak to stderr', (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'not-a-model-'));
  const script = `import { VoskModel } from ${JSON.stringify(path.resolve('src/speech/vosk.ts'))};
    VoskModel.load(${JSON.stringify(dir)}).then(() => process.exit(3), (e) => { console.log(JSON.stringify({ code: e.code, message: e.message })); });`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  t.is(child.status, 0, child.stderr);
  const result = JSON.parse(child.stdout.trim()) as { code: string; message: string };
  t.is(result.code, 'DESKLINE_NATIVE_MODEL_LOAD');
  t.true(result.message.includes(dir), result.message);
  t.regex(result.message, /does not contain model files/);
  t.notRegex(child.stderr, /VoskAPI|ERROR/);
});

const modelDir = process.env.VOSK_MODEL;
const withModel = modelDir && existsSync(modelDir) ? test : test.skip;
withModel(`given VOSK_MODEL, when a flite phrase is streamed, then partials and a final with word times come back${modelDir ? '' : ' (skipped: set VOSK_MODEL to a model directory, e.g. vosk-model-small-en-us-0.15, to run)'}`, async (t) => {
  const model = await VoskModel.load(modelDir!);
  const audio = synthesize('please connect me to technical support', { voice: 'slt', rate: 16000, dir: tempDir() });
  for (const phrases of [undefined, ['please connect me to technical support', 'pay my bill']]) {
    const rec = await VoskRecognizer.create(model, { sampleRate: 16000, words: true, maxAlternatives: 0, ...(phrases ? { phrases } : {}) });
    let partials = 0;
    for (let at = 0; at < audio.length; at += 320) {
      const e = await rec.accept(audio.slice(at, at + 320));
      if (e.kind === 'partial' && e.text) partials++;
    }
    const final = await rec.finish();
    rec.free();
    t.log(phrases ? 'grammar' : 'free', final.text);
    t.true(partials > 0);
    t.regex(final.text, /technical support/);
    t.true(final.words.every((w) => w.startMs < w.endMs && w.confidence > 0));
  }
  model.free();
});
