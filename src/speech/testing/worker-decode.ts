/** Worker-thread body: decodes the given 16 kHz audio with the domain LM and posts the text. */
import { parentPort, workerData } from 'node:worker_threads';
import { PocketsphinxDecoder } from '../pocketsphinx.ts';

const { dict, lm, audio, hang } = workerData as { dict: string; lm: string; audio: Int16Array; hang?: boolean };
const decoder = await PocketsphinxDecoder.create({ dict, searches: { lm: { kind: 'lm', path: lm } } });
if (hang) {
  parentPort!.postMessage('decoding');
  void decoder.decodeUtterance(audio);  // the parent terminates us while this runs
} else {
  const result = await decoder.decodeUtterance(audio);
  decoder.free();
  parentPort!.postMessage(result.text);
}
