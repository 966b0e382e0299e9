import test from 'ava';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PocketsphinxDecoder, DEFAULT_POCKETSPHINX_MODEL } from './pocketsphinx.ts';
import { buildDomainModel, loadDictionary } from './language-model.ts';
import { decodeG711, encodeG711, Upsampler8to16 } from './dsp.ts';
import { nativeAddon } from './native.ts';
import { synthesize, tempDir } from './testing/audio-fixtures.ts';
import { HELP_LINE_PHRASES, keysFound } from './testing/phrases.ts';

const dir = tempDir();
const model = buildDomainModel({
  phrases: HELP_LINE_PHRASES.map((p) => p.text),
  dictionary: await loadDictionary(path.join(DEFAULT_POCKETSPHINX_MODEL, 'cmudict-en-us.dict')),
});
const dictPath = path.join(dir, 'domain.dict');
const lmPath = path.join(dir, 'domain.arpa');
writeFileSync(dictPath, model.dictionaryText);
writeFileSync(lmPath, model.arpa);

/** What a G.711 call delivers: 8 kHz audio, µ-law coded, upsampled to 16 kHz by our resampler. */
const telephone = (text: string) => new Upsampler8to16().process(decodeG711('ulaw', encodeG711('ulaw', synthesize(text, { voice: 'slt', rate: 8000, dir }))));
const calls = HELP_LINE_PHRASES.map((p) => ({ ...p, audio: telephone(p.text) }));

for (const search of ['jsgf', 'lm'] as const) {
  test(`given 10 flite phrases over a G.711 µ-law channel, when decoded with the domain ${search === 'jsgf' ? 'grammar' : 'trigram LM'}, then at least 9 give their key words`, async (t) => {
    const decoder = await PocketsphinxDecoder.create({
      dict: dictPath,
      searches: { domain: search === 'jsgf' ? { kind: 'jsgf', grammar: model.jsgf } : { kind: 'lm', path: lmPath } },
    });
    let right = 0, audioMs = 0;
    const started = performance.now();
    for (const c of calls) {
      const result = await decoder.decodeUtterance(c.audio);
      audioMs += (c.audio.length * 1000) / 16000;
      if (keysFound(c.keys, result.text)) right++;
      else t.log(`missed: "${c.text}" -> "${result.text}"`);
    }
    decoder.free();
    t.log(`${right}/10 right, RTF ${((performance.now() - started) / audioMs).toFixed(3)} (informational)`);
    t.true(right >= 9);
  });
}

test('given a decoded turn, when words come back, then they carry increasing times inside the audio and confidences in [0, 1]', async (t) => {
  const decoder = await PocketsphinxDecoder.create({ dict: dictPath, searches: { lm: { kind: 'lm', path: lmPath } } });
  const result = await decoder.decodeUtterance(calls[0]!.audio);
  decoder.free();
  t.deepEqual(result.words.map((w) => w.word), ['i', 'want', 'to', 'pay', 'my', 'bill']);
  const audioMs = (calls[0]!.audio.length * 1000) / 16000;
  t.true(result.words.every((w, i, all) => w.startMs < w.endMs && w.endMs <= audioMs + 10 && (i === 0 || w.startMs >= all[i - 1]!.endMs)));
  t.true(result.words.every((w) => w.confidence >= 0 && w.confidence <= 1));
});

test('given a keyphrase search, when the phrase is spoken inside a sentence, then it is spotted', async (t) => {
  const decoder = await PocketsphinxDecoder.create({ dict: dictPath, args: { '-kws_threshold': '1e-20' }, searches: { kws: { kind: 'keyphrase', phrase: 'technical support' } } });
  const hit = await decoder.decodeUtterance(calls[3]!.audio);
  const miss = await decoder.decodeUtterance(calls[0]!.audio);
  decoder.free();
  t.regex(hit.text, /technical support/);
  t.notRegex(miss.text, /technical support/);
});

test('given a missing model directory, when a decoder is created, then MODEL_NOT_FOUND names the path', async (t) => {
  await t.throwsAsync(PocketsphinxDecoder.create({ hmm: '/nonexistent/en-us' }), { code: 'DESKLINE_NATIVE_MODEL_NOT_FOUND', message: /\/nonexistent\/en-us/ });
});

test('given a grammar using a word not in the dictionary, when the search is added, then MODEL_LOAD carries pocketsphinx\'s reason', async (t) => {
  const decoder = await PocketsphinxDecoder.create({ dict: dictPath });
  const error = await t.throwsAsync(decoder.addSearch('g', { kind: 'jsgf', grammar: '#JSGF V1.0;\ngrammar g;\npublic <a> = zebra crossing ;\n' }));
  decoder.free();
  t.is((error as { code?: string }).code, 'DESKLINE_NATIVE_MODEL_LOAD');
  t.regex(error!.message, /zebra|dictionary/i);
  t.truthy(error!.stack?.includes('pocketsphinx.test.ts'), 'stack points back at the caller');
});

test('given a decode in flight, when the decoder is freed, then the decode still settles and later calls fail with CLOSED', async (t) => {
  const decoder = await PocketsphinxDecoder.create({ dict: dictPath, searches: { lm: { kind: 'lm', path: lmPath } } });
  const pending = decoder.decodeUtterance(calls[1]!.audio);
  await new Promise((r) => setImmediate(r));  // let the queued work reach the worker thread
  decoder.free();
  const result = await pending.then((r) => r.text, (e: { code: string }) => e.code);
  t.true(result === 'DESKLINE_NATIVE_CLOSED' || result.includes('internet'), String(result));
  t.true(decoder.closed);
  await t.throwsAsync(decoder.decodeUtterance(calls[1]!.audio), { code: 'DESKLINE_NATIVE_CLOSED' });
});

test('given the raw addon, when two operations overlap on one decoder, then the second fails with BUSY instead of racing', async (t) => {
  const raw = await nativeAddon().createSphinxDecoder(['-hmm', path.join(DEFAULT_POCKETSPHINX_MODEL, 'en-us'), '-dict', dictPath, '-lm', lmPath]);
  raw.startUtterance();
  const first = raw.process(calls[2]!.audio, true, false);
  t.throws(() => raw.process(calls[2]!.audio, true, false), { code: 'DESKLINE_NATIVE_BUSY' });
  t.throws(() => raw.startUtterance(), { code: 'DESKLINE_NATIVE_BUSY' });
  await first;
  t.regex((await raw.endUtterance()).text, /cancel my subscription/);
  raw.free();
  raw.free();  // idempotent
});
