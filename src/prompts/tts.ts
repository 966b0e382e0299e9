// Text to speech with the engines Debian ships: espeak-ng (en and Mandarin) and flite (en).
// Output is converted with sox to what Asterisk plays best: 8 kHz and 16 kHz signed linear.
// Results are cached by a hash of (engine, voice, text), so each text is synthesized once.
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { access, mkdir, rename, rm } from 'node:fs/promises';
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

export class TtsError extends Error {
  readonly code = 'DESKLINE_TTS';
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
      if (voice.engine === 'espeak-ng') await run('espeak-ng', ['-v', voice.voice, '-w', raw, '--', text]);
      else await run('flite', ['-voice', voice.voice, '-t', text, '-o', raw]);
    } catch (error) {
      throw new TtsError(`${voice.engine} could not say ${JSON.stringify(text.slice(0, 40))}: ${(error as Error).message.split('\n')[0]}`);
    }
    try {
      await convertForAsterisk(raw, base);
    } finally {
      await rm(raw, { force: true });
    }
    return base;
  }
}
