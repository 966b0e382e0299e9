// A queue's transcription policy on the real sandbox Asterisk: the site transcribes nothing, the
// queue transcribes the caller; a call that reaches the queue gets a transcript, one that does not
// gets none.
import test from 'ava';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { placeTestCall } from '../../src/calls/test-call.ts';
import { HELP_LINE_PHRASES, keysFound } from '../../src/speech/testing/phrases.ts';
import { tempDir } from '../helpers/appliance.ts';
import { simAgent, simulate, writeQueueFlow } from '../helpers/queues.ts';
import { useDeskline } from '../helpers/sandbox.ts';

const run = promisify(execFile);
const dir = await tempDir('deskline-queue-stt-');
const { sandbox, appliance } = useDeskline(test, async () => {
  const phrasesFile = join(dir.path, 'phrases.txt');
  await writeFile(phrasesFile, HELP_LINE_PHRASES.map((p) => p.text).join('\n'));
  const flow = await writeQueueFlow(dir.path, 'tq');
  return {
    speech: { transcribe: 'off', phrasesFile },
    ivr: { flowsDir: dir.path, routes: [{ number: '6200', flow }] },
    queues: [{ id: 'tq', whisper: false, wrapUpSeconds: 0, transcription: 'caller' }],
    agents: [simAgent('tq1', {})],
  };
});
sandbox.cleanup(() => dir.remove());

test('given transcription off for the site but on for a queue, when a caller reaches the queue and speaks, then that call is transcribed and a call outside the queue is not', async (t) => {
  const deskline = appliance();
  t.truthy(deskline.transcription, 'the speech engine is loaded because a queue needs it');
  await simulate(deskline, 'tq1', 'answer,1,30');
  await deskline.queues!.agentAction('tq1', 'login');
  const phrase = HELP_LINE_PHRASES[3]!;
  const file = join(dir.path, 'phrase.wav');
  await run('flite', ['-voice', 'slt', '-t', phrase.text, '-o', file]);
  const media = { telephony: deskline.telephony, calls: deskline.calls, records: deskline.records, media: sandbox().media };
  const queued = await placeTestCall({ to: '6200', script: `wait 4; play ${file}; wait 2; hangup`, callerNumber: '5551001', timeoutSeconds: 60 }, media);
  const unrouted = await placeTestCall({ to: '4999', script: `wait 2; play ${file}; wait 2; hangup`, callerNumber: '5551002', timeoutSeconds: 60 }, media);
  await deskline.transcription!.idle();
  await deskline.calls.idle();
  const text = (id: string) => deskline.records.trail(id).then((trail) => trail.filter((e) => e.type === 'transcript').map((e) => String(e.text)).join(' '));
  const heard = await text(queued.callId);
  t.log(`queued call: "${heard}"`);
  t.true(queued.trail.some((e) => e.type === 'agent-connected'), 'the caller was with the agent while speaking');
  t.true(keysFound(phrase.keys, heard), `"${heard}" has the key words of "${phrase.text}"`);
  t.is(await text(unrouted.callId), '', 'a call outside the queue is not transcribed');
});
