// The speech side of live call transcription: per call leg, an RTP port on loopback (Asterisk's
// External Media sends there) feeding a Transcriber on the engine the site configured.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_POCKETSPHINX_MODEL } from './pocketsphinx.ts';
import { RtpReceiver } from './rtp-receiver.ts';
import { loadSpeechEngine, type SpeechEngine, type SpeechProfile } from './session.ts';
import { Transcriber, type Leg, type TranscriptEvent } from './transcriber.ts';
import { SpeechError } from './errors.ts';

export interface CallSpeechSettings {
  engine: 'pocketsphinx' | 'vosk';
  /** pocketsphinx: acoustic model dir; vosk: model dir. Empty: Debian's pocketsphinx en-us. */
  model: string;
  /** Expected phrases, one per line (domain LM for pocketsphinx, phrase list for Vosk). */
  phrasesFile: string;
  language: string;
}

export interface CallMediaLeg {
  readonly port: number;
  readonly format: 'ulaw';
  close(): Promise<void>;
}

async function phrasesOf(file: string): Promise<string[] | undefined> {
  if (!file) return undefined;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new SpeechError('DESKLINE_NATIVE_MODEL_NOT_FOUND', `speech.phrasesFile: cannot read ${file}`);
  }
  const phrases = text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  if (!phrases.length) throw new SpeechError('DESKLINE_NATIVE_MODEL_NOT_FOUND', `speech.phrasesFile: ${file} has no phrases`);
  return phrases;
}

export async function profileFor(settings: CallSpeechSettings): Promise<SpeechProfile> {
  const phrases = await phrasesOf(settings.phrasesFile);
  if (settings.engine === 'vosk') {
    if (!settings.model) throw new SpeechError('DESKLINE_NATIVE_MODEL_NOT_FOUND', 'speech.model: Vosk needs a model folder (see native/README.md to install one)');
    return { engine: 'vosk', language: settings.language, model: settings.model, ...(phrases ? { phrases } : {}) };
  }
  const hmm = settings.model || path.join(DEFAULT_POCKETSPHINX_MODEL, 'en-us');
  return phrases
    ? { engine: 'pocketsphinx', language: settings.language, hmm, phrases }
    : { engine: 'pocketsphinx', language: settings.language, hmm, lm: path.join(DEFAULT_POCKETSPHINX_MODEL, 'en-us.lm.bin') };
}

/** Loads one engine per language once; each openLeg gets its own RTP port and transcriber. */
export class CallSpeech {
  private constructor(private readonly engines: Map<string, SpeechEngine>) {}

  static async load(settings: CallSpeechSettings[]): Promise<CallSpeech> {
    const engines = new Map<string, SpeechEngine>();
    try {
      for (const s of settings) engines.set(s.language, await loadSpeechEngine(await profileFor(s)));
    } catch (error) {
      for (const engine of engines.values()) engine.close();
      throw error;
    }
    return new CallSpeech(engines);
  }

  get description(): string {
    return [...this.engines].map(([language, e]) => `${language}: ${e.description}`).join('; ');
  }

  async openLeg(_callId: string, leg: Leg, onEvent: (event: TranscriptEvent) => void, language: string): Promise<CallMediaLeg> {
    const engine = this.engines.get(language);
    if (!engine) throw new SpeechError('DESKLINE_NATIVE_MODEL_NOT_FOUND', `no speech engine for ${language} calls (configure speech.${language === 'zh-CN' ? 'zhModel' : 'model'})`);
    const transcriber = await Transcriber.open(engine, { leg, onEvent });
    let receiver: RtpReceiver;
    try {
      receiver = await RtpReceiver.open({ host: '127.0.0.1', codec: 'ulaw', onAudio: (samples) => transcriber.push(samples) });
    } catch (error) {
      await transcriber.close();
      throw error;
    }
    return {
      port: receiver.port,
      format: 'ulaw',
      async close() {
        await receiver.close();
        await transcriber.close();
      },
    };
  }

  close(): void {
    for (const engine of this.engines.values()) engine.close();
  }
}
