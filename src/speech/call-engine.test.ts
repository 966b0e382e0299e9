import test from 'ava';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CallSpeech } from './call-engine.ts';

test('given calls on the built-in engine, when the expected phrases are replaced mid-call, then new legs use the new model and the leg already open still closes cleanly', async (t) => {
  const phrasesFile = join(tmpdir(), `deskline-phrases-${process.pid}.txt`);
  await writeFile(phrasesFile, 'pay my bill\nspeak to an agent\n');
  const speech = await CallSpeech.load([{ engine: 'pocketsphinx', model: '', phrasesFile, language: 'en' }]);
  t.teardown(() => speech.close());
  t.regex(speech.description, /from 2 phrases/);
  const before = await speech.openLeg('c1', 'caller', () => undefined, 'en');
  const { description, unknownWords } = await speech.expectPhrases('en', ['how do I reset my password', 'pay my bill', '  ', 'is the zqxwvline app down']);
  t.regex(description, /from 3 phrases mixed 0.8\/0.2 with the general LM/, 'configured phrases kept; duplicates, blanks and phrases with unknown words dropped');
  t.deepEqual(unknownWords, ['zqxwvline']);
  t.is(speech.description, `en: ${description}`);
  const after = await speech.openLeg('c2', 'caller', () => undefined, 'en');
  t.not(after.port, before.port);
  await before.close();
  await after.close();
  await t.throwsAsync(speech.expectPhrases('zh-CN', ['你好']), { message: /no speech engine for zh-CN/ });
});
