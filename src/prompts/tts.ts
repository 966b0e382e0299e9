// Text to speech with the engines Debian ships: espeak-ng (en and Mandarin) and flite (en).
// Output is converted with sox to what Asterisk plays best: 8 kHz and 16 kHz signed linear.
// Results are cached by a hash of (engine, voice, text), so each text is synthesized once.
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { access, mkdir, rename, rm, stat } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type TtsEngine = 'espeak-ng' | 'flite';

export interface TtsVoice {
  engine: TtsEngine;
  voice: string;
}

/** Built-in voices per language: espeak-ng for both (cmn for Mandarin), flite as an English alternative. */
export const defaultVoices: Record<string, TtsVoice> = {
  en: { engine: 'espeak-ng', voice: 'en-us' },
  'zh-CN': { engine: 'espeak-ng', voice: 'cmn' },
};

/** A voice an admin may pick (the API lists these); `name` is what clients send. */
export interface TtsVoiceChoice extends TtsVoice {
  name: string;
  label: string;
}

/**
 * The voices this box offers per language, default first. Only these reach the engines: a voice
 * name from a client is looked up here, never passed through. Mandarin has espeak-ng's formant
 * voice only (Debian ships no neural or MBROLA Chinese voice); flite speaks English only.
 */
export const ttsVoices: Record<string, TtsVoiceChoice[]> = {
  en: [
    { name: 'espeak-ng:en-us', engine: 'espeak-ng', voice: 'en-us', label: 'espeak-ng, American English (male)' },
    { name: 'espeak-ng:en-gb', engine: 'espeak-ng', voice: 'en-gb', label: 'espeak-ng, British English (male)' },
    { name: 'flite:slt', engine: 'flite', voice: 'slt', label: 'flite, US English (female)' },
    { name: 'flite:rms', engine: 'flite', voice: 'rms', label: 'flite, US English (male)' },
    { name: 'flite:awb', engine: 'flite', voice: 'awb', label: 'flite, Scottish English (male)' },
    { name: 'flite:kal', engine: 'flite', voice: 'kal', label: 'flite, US English (male, 8 kHz diphone)' },
  ],
  'zh-CN': [
    { name: 'espeak-ng:cmn', engine: 'espeak-ng', voice: 'cmn', label: 'espeak-ng, Mandarin (male, formant synthesis)' },
  ],
};

export class TtsError extends Error {
  readonly code = 'DESKLINE_TTS';
}

/** Engines and sox run niced (calls in progress come first) and are killed if they hang. */
export function runTool(tool: string, args: string[], timeoutMs: number) {
  return run('nice', ['-n', '10', tool, ...args], { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 1024 * 1024 });
}

/** Says `text` with one voice into the WAV file `out` (the engine's own rate); no shell, no option injection. */
export async function speak(text: string, voice: TtsVoice, out: string, timeoutMs = 30_000): Promise<void> {
  try {
    if (voice.engine === 'espeak-ng') await runTool('espeak-ng', ['-v', voice.voice, '-w', out, '--', text], timeoutMs);
    else await runTool('flite', ['-voice', voice.voice, '-t', text, '-o', out], timeoutMs);
  } catch (error) {
    const e = error as Error & { killed?: boolean };
    throw new TtsError(`${voice.engine} could not say ${JSON.stringify(text.slice(0, 40))}: ${e.killed ? `no answer within ${timeoutMs / 1000} s` : e.message.split('\n')[0]}`);
  }
  // Engines exit 0 on some failures (an unknown flite voice, an empty text): check what they wrote.
  const bytes = await stat(out).then((s) => s.size, () => 0);
  if (bytes <= 44) throw new TtsError(`${voice.engine} (${voice.voice}) produced no audio for ${JSON.stringify(text.slice(0, 40))}`);
}

const exists = (path: string) => access(path).then(() => true, () => false);

/** Converts any audio file sox reads into <base>.wav (8 kHz) and <base>.sln16 (16 kHz raw). */
export async function convertForAsterisk(source: string, base: string): Promise<void> {
  try {
    await run('sox', [source, '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', `${base}.wav.tmp.wav`]);
    await run('sox', [source, '-r', '16000', '-c', '1', '-b', '16', '-e', 'signed-integer', '-t', 'raw', `${base}.sln16.tmp`]);
  } catch (error) {
    await rm(`${base}.wav.tmp.wav`, { force: true });
    throw new TtsError(`cannot convert ${source} with sox: ${(error as Error).message.split('\n')[0]}`);
  }
  await rename(`${base}.wav.tmp.wav`, `${base}.wav`);
  await rename(`${base}.sln16.tmp`, `${base}.sln16`);
}

export class Tts {
  constructor(
    /** Folder of the cache (host path); files are named by content hash. */
    private readonly cacheDir: string,
    private readonly voices: Record<string, TtsVoice> = defaultVoices,
  ) {}

  /** Synthesizes text (once) and returns the path of the files without extension. */
  async synthesize(text: string, language: string): Promise<string> {
    const voice = this.voices[language];
    if (!voice) throw new TtsError(`no TTS voice for language ${language}`);
    if (!text.trim()) throw new TtsError('nothing to say: empty text');
    const hash = createHash('sha256').update(`${voice.engine}\0${voice.voice}\0${text}`).digest('hex').slice(0, 24);
    const base = `${this.cacheDir}/${hash}`;
    if (await exists(`${base}.wav`)) return base;
    await mkdir(this.cacheDir, { recursive: true });
    const raw = `${base}.${process.pid}.src.wav`;
    try {
      await speak(text, voice, raw);
      await convertForAsterisk(raw, base);
    } finally {
      await rm(raw, { force: true });
    }
    return base;
  }
}
