/**
 * Run under `node --expose-gc --import tsx`: many create/use/free cycles of every native object,
 * then prints RSS samples as JSON. The danger test judges the numbers.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PocketsphinxDecoder, DEFAULT_POCKETSPHINX_MODEL } from '../pocketsphinx.ts';
import { RtpDepacketizer, Upsampler8to16, VoiceActivityDetector } from '../dsp.ts';
import { buildDomainModel, loadDictionary } from '../language-model.ts';
import { HELP_LINE_PHRASES } from './phrases.ts';
import { tempDir, tone } from './audio-fixtures.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const cycles = Number(process.argv[2] ?? 30);
const dir = tempDir();
const model = buildDomainModel({ phrases: HELP_LINE_PHRASES.map((p) => p.text), dictionary: await loadDictionary(path.join(DEFAULT_POCKETSPHINX_MODEL, 'cmudict-en-us.dict')) });
writeFileSync(path.join(dir, 'd.dict'), model.dictionaryText);
writeFileSync(path.join(dir, 'd.arpa'), model.arpa);
const audio = new Upsampler8to16().process(tone(300, 1000, 8000, 3000));
const rss = () => { gc(); return Math.round(process.memoryUsage().rss / 2 ** 20); };
const samples: { cycle: number; rssMb: number }[] = [];

for (let i = 0; i < cycles; i++) {
  const d = await PocketsphinxDecoder.create({ dict: path.join(dir, 'd.dict'), searches: { lm: { kind: 'lm', path: path.join(dir, 'd.arpa') }, g: { kind: 'jsgf', grammar: model.jsgf } } });
  await d.decodeUtterance(audio);
  if (i % 3 === 0) {
    d.free();
  } else if (i % 3 === 1) {
    void d.decodeUtterance(audio).catch(() => undefined);
    d.free();  // while pending
  }  // else: dropped without free; the GC finalizer frees it
  for (let k = 0; k < 200; k++) {
    new VoiceActivityDetector({ sampleRate: 16000 }).process(audio.subarray(0, 3200));
    new Upsampler8to16().process(audio.subarray(0, 160));
    new RtpDepacketizer({ payloadType: 0, codec: 'pcmu' }).push(Buffer.alloc(172, 0x80));
  }
  await new Promise((r) => setImmediate(r));
  samples.push({ cycle: i, rssMb: rss() });
}
await new Promise((r) => setTimeout(r, 50));  // let pending frees settle (not a test assertion)
samples.push({ cycle: cycles, rssMb: rss() });
console.log(JSON.stringify(samples));
