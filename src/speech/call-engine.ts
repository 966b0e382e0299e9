// The speech side of live call transcription: per call leg, an RTP port on loopback (Asterisk's
// External Media sends there) feeding a Transcriber on the engine the site configured.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_POCKETSPHINX_MODEL } from './pocketsphinx.ts';
import { RtpReceiver } from './rtp-receiver.ts';
import { loadSpeechEngine, type SpeechEngine, type SpeechProfile } from './session.ts';
import { Transcriber, type Leg, type TranscriptEvent } from './transcriber.ts';
import { SpeechError } from './errors.ts';
import { loadDictionary, tokenize } from './language-model.ts';

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
  /** Wall-clock ms of the first audio: transcript times count from here. */
  readonly firstAudioAt: number | undefined;
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

/** One loaded engine and the legs still using it (a replaced engine is closed when they end). */
interface Loaded {
  engine: SpeechEngine;
  legs: number;
  retired: boolean;
}

/**
 * Loads one engine per language; each openLeg gets its own RTP port and transcriber. The phrases
 * an engine expects can be replaced while calls run (the knowledge base was published): new legs
 * get the new engine, legs already open finish on the old one, which is closed after them.
 */
export class CallSpeech {
  private constructor(
    private readonly engines: Map<string, Loaded>,
    private readonly settings: Map<string, CallSpeechSettings>,
  ) {}

  static async load(settings: CallSpeechSettings[]): Promise<CallSpeech> {
    const engines = new Map<string, Loaded>();
    try {
      for (const s of settings) engines.set(s.language, { engine: await loadSpeechEngine(await profileFor(s)), legs: 0, retired: false });
    } catch (error) {
      for (const loaded of engines.values()) loaded.engine.close();
      throw error;
    }
    return new CallSpeech(engines, new Map(settings.map((s) => [s.language, s])));
  }

  get description(): string {
    return [...this.engines].map(([language, l]) => `${language}: ${l.engine.description}`).join('; ');
  }

  languages(): string[] {
    return [...this.engines.keys()];
  }

  /**
   * Rebuilds a language's engine with these phrases added to the configured ones (pocketsphinx:
   * their LM mixed with the general LM, see session.ts; Vosk: its phrase list). Resolves once new
   * legs use it.
   */
  async expectPhrases(language: string, phrases: string[]): Promise<{ description: string; unknownWords: string[] }> {
    const settings = this.settings.get(language);
    const current = this.engines.get(language);
    if (!settings || !current) throw new SpeechError('DESKLINE_NATIVE_MODEL_NOT_FOUND', `no speech engine for ${language}`);
    const profile = await profileFor(settings);
    const base = 'phrases' in profile && profile.phrases ? profile.phrases : [];
    let added = [...new Set(phrases.map((p) => p.trim()).filter(Boolean))];
    // Vosk without a phrase list recognizes freely; restricting it to the knowledge base would
    // lose everything else the caller says. Only engines that already expect phrases get more.
    if (profile.engine === 'vosk' && !('phrases' in profile && profile.phrases)) return { description: current.engine.description, unknownWords: [] };
    // One word the pronunciation dictionary lacks ("Deskline", "Wi-Fi") must not keep a whole
    // knowledge base out of the recognizer: such phrases are left out and their words reported.
    const unknownWords = new Set<string>();
    if (profile.engine === 'pocketsphinx') {
      const dictionary = await loadDictionary(path.join(DEFAULT_POCKETSPHINX_MODEL, 'cmudict-en-us.dict'));
      added = added.filter((phrase) => {
        const missing = tokenize(phrase).filter((w) => !dictionary.has(w));
        for (const w of missing) unknownWords.add(w);
        return missing.length === 0;
      });
    }
    const merged = [...new Set([...base, ...added])];
    const engine = await loadSpeechEngine(profile.engine === 'vosk' ? { ...profile, phrases: merged } : { engine: 'pocketsphinx', language: profile.language, hmm: profile.hmm, phrases: merged, phraseSearch: 'lm-mix' });
    current.retired = true;
    if (current.legs === 0) current.engine.close();
    this.engines.set(language, { engine, legs: 0, retired: false });
    return { description: engine.description, unknownWords: [...unknownWords].sort() };
  }

  async openLeg(_callId: string, leg: Leg, onEvent: (event: TranscriptEvent) => void, language: string): Promise<CallMediaLeg> {
    const loaded = this.engines.get(language);
    if (!loaded) throw new SpeechError('DESKLINE_NATIVE_MODEL_NOT_FOUND', `no speech engine for ${language} calls (configure speech.${language === 'zh-CN' ? 'zhModel' : 'model'})`);
    loaded.legs++;
    const release = () => {
      loaded.legs--;
      if (loaded.retired && loaded.legs === 0) loaded.engine.close();
    };
    let transcriber: Transcriber;
    try {
      transcriber = await Transcriber.open(loaded.engine, { leg, onEvent });
    } catch (error) {
      release();
      throw error;
    }
    let receiver: RtpReceiver;
    let firstAudioAt: number | undefined;
    try {
      receiver = await RtpReceiver.open({
        host: '127.0.0.1', codec: 'ulaw',
        onAudio: (samples) => {
          // The receiver hands over batches: the first batch's audio began its length before now.
          firstAudioAt ??= Date.now() - (samples.length * 1000) / 16000;
          transcriber.push(samples);
        },
      });
    } catch (error) {
      await transcriber.close();
      release();
      throw error;
    }
    return {
      port: receiver.port,
      format: 'ulaw',
      get firstAudioAt() {
        return firstAudioAt;
      },
      async close() {
        await receiver.close();
        await transcriber.close();
        release();
      },
    };
  }

  close(): void {
    for (const loaded of this.engines.values()) loaded.engine.close();
  }
}
