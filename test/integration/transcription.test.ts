// Live transcription end to end: a caller plays a flite phrase into a real call; Asterisk snoops
// the caller leg, External Media sends it as µ-law RTP to Deskline, pocketsphinx decodes the turn
// with the domain LM built from the expected phrases, and the transcript lands in the call record.
import test from 'ava';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { placeTestCall } from '../../src/calls/test-call.ts';
import { HELP_LINE_PHRASES, keysFound } from '../../src/speech/testing/phrases.ts';
import { tempDir } from '../helpers/appliance.ts';
import { useDeskline } from '../helpers/sandbox.ts';

const run = promisify(execFile);
const audio = await tempDir('deskline-stt-');
const { sandbox, appliance } = useDeskline(test, async () => {
  const phrasesFile = join(audio.path, 'phrases.txt');
  await writeFile(phrasesFile, HELP_LINE_PHRASES.map((p) => p.text).join('\n'));
  return { speech: { transcribe: 'caller', phrasesFile } };
});
sandbox.cleanup(() => audio.remove());

test('given 10 callers speaking help-line phrases over G.711, when transcribed live, then the key words of at least 9 come out right and are stored with the calls', async (t) => {
  const deskline = appliance();
  const results = await Promise.all(
    HELP_LINE_PHRASES.map(async (phrase, i) => {
      const file = join(audio.path, `phrase-${i}.wav`);
      await run('flite', ['-voice', 'slt', '-t', phrase.text, '-o', file]);
      const summary = await placeTestCall(
        { to: '4999', script: `wait 1.5; play ${file}; wait 1.5; hangup`, callerNumber: `55501${String(i).padStart(2, '0')}`, timeoutSeconds: 60 },
        { telephony: deskline.telephony, calls: deskline.calls, records: deskline.records, media: sandbox().media },
      );
      return { phrase, callId: summary.callId };
    }),
  );
  await deskline.transcription!.idle();
  await deskline.calls.idle();
  let right = 0;
  const heard: { phrase: (typeof HELP_LINE_PHRASES)[number]; callId: string }[] = [];
  for (const { phrase, callId } of results) {
    // The last turn's final may be written just after the hang-up: wait for it through the record.
    const transcripts = (await deskline.records.trail(callId)).filter((e) => e.type === 'transcript');
    const text = transcripts.map((e) => String(e.text)).join(' ');
    t.log(`${keysFound(phrase.keys, text) ? 'ok  ' : 'MISS'} "${phrase.text}" → "${text}"`);
    if (keysFound(phrase.keys, text)) {
      right++;
      heard.push({ phrase, callId });
    }
    for (const e of transcripts) t.true(e.leg === 'caller' && Number(e.endMs) > Number(e.startMs) && Number(e.startMs) >= 0);
  }
  t.true(right >= 9, `${right}/10`);
  // Search for the key words of a call that was heard right (the test allows one miss, so a
  // fixed phrase could be the one a loaded machine lost), and expect only calls that said them.
  const probe = heard[0]!;
  const found = await deskline.records.list({ text: probe.phrase.keys.join(' ') });
  t.true(found.some((c) => c.callId === probe.callId), `transcripts are searchable ("${probe.phrase.keys.join(' ')}")`);
  t.deepEqual((await deskline.telephony.listChannels()).filter((c) => /-(snoop|media)-/.test(c.id)), [], 'helper channels are gone');
});
