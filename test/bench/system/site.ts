// The Deskline side of the system bench: a demo-shaped site (menu → sales or support queue →
// simulated agents, every conversation recorded, sales calls transcribed with the built-in
// pocketsphinx engine), and the spoken phrases callers play once an agent has them.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { AsteriskSandbox } from '../../../src/asterisk/sandbox.ts';
import { HELP_LINE_PHRASES } from '../../../src/speech/testing/phrases.ts';
import { simAgent } from '../../helpers/queues.ts';

const run = promisify(execFile);
const flowFixture = fileURLToPath(new URL('../../fixtures/bench-system/menu-queue.yaml', import.meta.url));

export const BENCH_NUMBER = '7100';
/** Menu keys: sales is the transcribed queue, support is not. */
export const KEY_TRANSCRIBED = '1';
export const KEY_PLAIN = '2';
export const QUEUE_RING_TIMEOUT_SECONDS = 8;
export const QUEUE_MAX_WAIT_SECONDS = 120;

export const agentIds = (count: number) => Array.from({ length: count }, (_, i) => `sys${String(i + 1).padStart(3, '0')}`);

/** Site settings added to the in-process appliance's test site. */
export async function benchSite(dir: string, agents: string[]): Promise<Record<string, unknown>> {
  const flowsDir = join(dir, 'flows');
  await mkdir(flowsDir, { recursive: true });
  await copyFile(flowFixture, join(flowsDir, 'bench-system.yaml'));
  const phrasesFile = join(dir, 'phrases.txt');
  await writeFile(phrasesFile, HELP_LINE_PHRASES.map((p) => p.text).join('\n'));
  // The same queue rules as the app_queue reference (queues.conf): no whisper, no wrap-up.
  const queue = { strategy: 'longest-idle', whisper: false, wrapUpSeconds: 0, autoPauseAfterMisses: 0, ringTimeoutSeconds: QUEUE_RING_TIMEOUT_SECONDS, maxWaitSeconds: QUEUE_MAX_WAIT_SECONDS, maxLength: 1000, recording: 'all' };
  return {
    speech: { transcribe: 'off', phrasesFile },
    ivr: { flowsDir, routes: [{ number: BENCH_NUMBER, flow: 'bench-system' }] },
    queues: [
      { id: 'sales', ...queue, transcription: 'caller' },
      { id: 'support', ...queue, transcription: 'off' },
    ],
    agents: agents.map((id) => simAgent(id, {})),
  };
}

/** flite renders each help-line phrase; staged as 8 kHz WAV where Asterisk can play it. Returns Playback() names. */
export async function stagePhrases(sandbox: AsteriskSandbox, scratch: string): Promise<string[]> {
  const hostDir = join(sandbox.media.hostDir, 'bench-system');
  await mkdir(hostDir, { recursive: true });
  const names: string[] = [];
  for (const [i, phrase] of HELP_LINE_PHRASES.entries()) {
    const raw = join(scratch, `phrase-${i}-raw.wav`);
    await run('flite', ['-voice', 'slt', '-t', phrase.text, '-o', raw]);
    await run('sox', [raw, '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', join(hostDir, `phrase-${i}.wav`)]);
    names.push(`${sandbox.media.asteriskDir}/bench-system/phrase-${i}`);
  }
  return names;
}
