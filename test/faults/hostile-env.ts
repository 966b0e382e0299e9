// Where the hostile-input scenarios run: a sandbox Asterisk and an in-process Deskline that
// transcribes calls to 4999 (the help-line phrases as its expected phrases) and routes 4100 to a
// flow that does not transcribe. The CI test file starts one and hands it over
// (provideHostileEnv), so both scenarios share it; run alone (the bench), a scenario starts its own
// and stops it afterwards.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startSandbox, type AsteriskSandbox } from '../../src/asterisk/sandbox.ts';
import type { Appliance } from '../../src/app/appliance.ts';
import { HELP_LINE_PHRASES } from '../../src/speech/testing/phrases.ts';
import { startInProcess, tempDir } from '../helpers/appliance.ts';

export interface HostileEnv {
  sandbox: AsteriskSandbox;
  deskline: Appliance;
  /** A scratch folder the scenarios may write audio into. */
  dir: string;
  /** Transcribed (site policy 'caller'). */
  transcribedNumber: string;
  /** Routed to a flow with transcription off: a menu that waits for the caller to hang up. */
  plainNumber: string;
  stop(): Promise<void>;
}

export async function startHostileEnv(name = 'hostile'): Promise<HostileEnv> {
  const sandbox = await startSandbox({ name });
  const dir = await tempDir('deskline-hostile-');
  try {
    const phrasesFile = join(dir.path, 'phrases.txt');
    await writeFile(phrasesFile, HELP_LINE_PHRASES.map((p) => p.text).join('\n'));
    await writeFile(join(dir.path, 'plain.yaml'), [
      'id: plain', 'name: Not transcribed', 'languages: [en]', 'defaultLanguage: en', 'start: m', 'transcription: "off"',
      'nodes:',
      '  m: { kind: menu, prompts: [{ sound: beep }], options: { "1": bye }, timeoutSeconds: 60, retries: 0, default: bye }',
      '  bye: { kind: hangup }', '',
    ].join('\n'));
    const deskline = await startInProcess(sandbox, join(dir.path, 'store'), {
      speech: { transcribe: 'caller', phrasesFile },
      ivr: { flowsDir: dir.path, routes: [{ number: '4100', flow: 'plain' }] },
    });
    return {
      sandbox, deskline, dir: dir.path, transcribedNumber: '4999', plainNumber: '4100',
      stop: async () => {
        await deskline.stop().catch(() => undefined);
        await sandbox.stop();
        await dir.remove();
      },
    };
  } catch (error) {
    await sandbox.stop();
    await dir.remove();
    throw error;
  }
}

let provided: HostileEnv | undefined;

/** The CI file's shared environment (undefined: each scenario starts its own). */
export function provideHostileEnv(env: HostileEnv | undefined): void {
  provided = env;
}

export async function withHostileEnv<T>(fn: (env: HostileEnv) => Promise<T>): Promise<T> {
  if (provided) return fn(provided);
  const env = await startHostileEnv();
  try {
    return await fn(env);
  } finally {
    await env.stop();
  }
}
