// The prompt library as a service: what prompts each language has (catalog texts from the YAML
// files and recordings on disk), uploading audio for a prompt, generating one with TTS, deleting a
// recording, and hearing text before saving it. It owns the running catalog Map that the resolver
// and the flow validator read, and updates it in place, so a new prompt is playable and usable in
// a flow at once. Recordings live where the resolver plays them: <media>/prompts/<language>/<id>.wav
// (8 kHz) and .sln16 (16 kHz).
import { mkdir, mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { languages as flowLanguages } from '../ivr/flow-types.ts';
import { hashFile } from '../recordings/durable-files.ts';
import { acceptedContentTypes, convertPrompt, type AudioType } from './audio-convert.ts';
import { PromptError } from './prompt-errors.ts';
import { partialName, PromptFiles, type PromptMeta, type PromptSource, type RecordedPrompt } from './prompt-files.ts';
import { promptIdPattern } from './prompt-library.ts';
import { checkId, checkLanguage, languageDir } from './prompt-paths.ts';
import { speak, TtsError, ttsVoices, type TtsVoiceChoice } from './tts.ts';

export interface PromptInfo {
  language: string;
  id: string;
  /** catalog: text only, spoken by TTS at call time; file: a WAV installed by hand; upload / tts: written through the API. */
  source: PromptSource;
  recorded: boolean;
  /** The text in the site's catalog (<language>.yaml), if any: what plays when there is no recording. */
  catalogText: string | null;
  durationSeconds: number | null;
  /** Size of the 8 kHz WAV. */
  bytes: number | null;
  sha256: string | null;
  updatedAt: number | null;
  updatedBy: string | null;
  /** For generated prompts: what was said, and by which voice. */
  tts: { text: string; voice: string } | null;
}

export interface PromptChange {
  before: PromptInfo | null;
  after: PromptInfo | null;
}

export interface PromptLimits {
  maxUploadBytes: number;
  maxSeconds: number;
  maxTextChars: number;
  soxTimeoutMs: number;
  ttsTimeoutMs: number;
}

export const defaultPromptLimits: PromptLimits = { maxUploadBytes: 20 * 1024 * 1024, maxSeconds: 600, maxTextChars: 500, soxTimeoutMs: 60_000, ttsTimeoutMs: 30_000 };

export interface PromptStoreOptions {
  /** <media host dir>/prompts: where the resolver looks for recordings. */
  dir: string;
  /** The running catalog (language → id → text), shared with the resolver; updated in place. */
  catalog: Map<string, Map<string, string>>;
  now: () => number;
  /** The site's languages (default en and zh-CN, what flows may offer). */
  languages?: readonly string[];
  /** Published flows that play this prompt: deleting a prompt they would lose is refused. */
  usedBy?: (language: string, id: string) => string[] | Promise<string[]>;
  limits?: Partial<PromptLimits>;
  voices?: Record<string, TtsVoiceChoice[]>;
  /** sox and TTS processes at once; more requests wait their turn. */
  concurrency?: number;
}

/** Text for the engines: no control characters (a NUL cannot even be passed to a process). */
const controlChars = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export class PromptStore {
  readonly limits: PromptLimits;
  readonly languages: readonly string[];
  private readonly files: PromptFiles;
  /** The catalog as the YAML files gave it: what a deleted recording falls back to. */
  private readonly yaml = new Map<string, Map<string, string>>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly slots: { free: number; waiting: (() => void)[] };

  private constructor(private readonly options: PromptStoreOptions) {
    this.limits = { ...defaultPromptLimits, ...options.limits };
    this.languages = options.languages ?? flowLanguages;
    this.files = new PromptFiles(options.dir);
    for (const [language, texts] of options.catalog) this.yaml.set(language, new Map(texts));
    this.slots = { free: Math.max(1, options.concurrency ?? 2), waiting: [] };
  }

  /** Creates the language folders, sweeps a crash's leftovers and adds recorded-only prompts to the catalog. */
  static async open(options: PromptStoreOptions): Promise<PromptStore> {
    const store = new PromptStore(options);
    for (const language of store.languages) {
      if (!options.catalog.has(language)) options.catalog.set(language, new Map());
      await mkdir(languageDir(options.dir, language), { recursive: true });
      await store.files.sweepPartials(language);
      for (const id of await store.files.recordedIds(language)) {
        store.catalogSet(language, id, (await store.files.notes(language, id))?.tts?.text);
      }
    }
    return store;
  }

  voices(): Record<string, { name: string; label: string; default: boolean }[]> {
    const all = this.options.voices ?? ttsVoices;
    return Object.fromEntries(this.languages.map((l) => [l, (all[l] ?? []).map((v, i) => ({ name: v.name, label: v.label, default: i === 0 }))]));
  }

  async list(filter: { language?: string } = {}): Promise<PromptInfo[]> {
    if (filter.language !== undefined) checkLanguage(filter.language, this.languages);
    const out: PromptInfo[] = [];
    for (const language of filter.language !== undefined ? [filter.language] : this.languages) {
      // Catalog keys come from a site file: one that is no valid id cannot name a file, so it is not listed.
      const ids = new Set([...(this.yaml.get(language)?.keys() ?? [])].filter((id) => promptIdPattern.test(id)).concat(await this.files.recordedIds(language)));
      for (const id of [...ids].sort()) {
        const info = await this.info(language, id);
        if (info) out.push(info);
      }
    }
    return out;
  }

  async get(language: string, id: string): Promise<PromptInfo> {
    this.check(language, id);
    const info = await this.info(language, id);
    if (!info) throw new PromptError('PROMPT_NOT_FOUND', `no prompt ${id} in ${language}: neither a catalog text nor a recording`);
    return info;
  }

  /** Published flows that play the prompt in this language (empty when the site gave no way to know). */
  async usedBy(language: string, id: string): Promise<string[]> {
    this.check(language, id);
    return [...(await (this.options.usedBy?.(language, id) ?? []))];
  }

  /** The 8 kHz WAV to serve; the caller opens it (an open handle survives a replacement). */
  async audioPath(language: string, id: string): Promise<string> {
    const info = await this.get(language, id);
    if (!info.recorded) throw new PromptError('PROMPT_NOT_RECORDED', `prompt ${id} in ${language} has no recording: it plays as TTS of its catalog text (POST /prompts/preview to hear it)`);
    return join(languageDir(this.options.dir, language), `${id}.wav`);
  }

  /**
   * Stores the uploaded audio (a stream, counted as it arrives: over the limit it is refused
   * before the rest is read) as the prompt's recording, converted for Asterisk.
   */
  async upload(language: string, id: string, body: AsyncIterable<Uint8Array> | null, options: { contentType?: string | undefined; by: string }): Promise<PromptChange> {
    this.check(language, id);
    const type = (options.contentType ?? 'application/octet-stream').split(';')[0]!.trim().toLowerCase();
    if (!Object.hasOwn(acceptedContentTypes, type)) {
      throw new PromptError('PROMPT_UNSUPPORTED_TYPE', `content type ${JSON.stringify(type.slice(0, 80))}: send the audio file itself as ${Object.keys(acceptedContentTypes).join(', ')}`, { accepted: Object.keys(acceptedContentTypes) });
    }
    const dir = languageDir(this.options.dir, language);
    const source = partialName(dir, id, 'upload');
    try {
      const bytes = await this.receive(body, source);
      return await this.convertAndInstall(language, id, source, { source: 'upload', updatedBy: options.by, input: { bytes } }, acceptedContentTypes[type]);
    } finally {
      await rm(source, { force: true });
    }
  }

  /** Says `text` with a voice of the language and stores it as the prompt's recording. */
  async generate(language: string, id: string, request: { text: string; voice?: string | undefined }, by: string): Promise<PromptChange> {
    this.check(language, id);
    const text = this.checkText(request.text);
    const voice = this.voiceFor(language, request.voice);
    const source = partialName(languageDir(this.options.dir, language), id, 'tts.wav');
    try {
      await this.slot(() => this.speak(text, voice, source));
      return await this.convertAndInstall(language, id, source, { source: 'tts', updatedBy: by, tts: { text, voice: voice.name } });
    } finally {
      await rm(source, { force: true });
    }
  }

  /** What `text` sounds like to a caller (8 kHz WAV bytes), saved nowhere. */
  async preview(request: { text: string; language: string; voice?: string | undefined }): Promise<Buffer> {
    checkLanguage(request.language, this.languages);
    const text = this.checkText(request.text);
    const voice = this.voiceFor(request.language, request.voice);
    const scratch = await mkdtemp(join(tmpdir(), 'deskline-tts-preview-'));
    try {
      await this.slot(async () => {
        await this.speak(text, voice, join(scratch, 'spoken.wav'));
        await convertPrompt(join(scratch, 'spoken.wav'), { wav: join(scratch, 'preview.wav') }, this.convertLimits()).catch((error: unknown) => {
          throw new PromptError('PROMPT_TTS_FAILED', `sox could not convert what ${voice.name} said: ${(error as Error).message}`);
        });
      });
      return await readFile(join(scratch, 'preview.wav'));
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  /** Deletes the prompt's recording. A catalog text stays (and plays by TTS); a recording-only prompt goes. */
  async remove(language: string, id: string): Promise<PromptChange> {
    this.check(language, id);
    return this.locked(`${language}/${id}`, async () => {
      const before = await this.get(language, id);
      if (!before.recorded) throw new PromptError('PROMPT_NOT_RECORDED', `prompt ${id} in ${language} has no recording to delete; its text is in the site's ${language}.yaml`);
      const disappears = !this.yaml.get(language)?.has(id);
      if (disappears) {
        const flows = await this.usedBy(language, id);
        if (flows.length) throw new PromptError('PROMPT_IN_USE', `published flow(s) ${flows.join(', ')} play prompt ${id} in ${language}; change them first`, { flows });
      }
      await this.files.remove(language, id);
      if (disappears) this.options.catalog.get(language)?.delete(id);
      else this.options.catalog.get(language)?.set(id, this.yaml.get(language)!.get(id)!);
      return { before, after: await this.info(language, id) };
    });
  }

  private check(language: string, id: string): void {
    checkLanguage(language, this.languages);
    checkId(id);
  }

  private checkText(raw: unknown): string {
    if (typeof raw !== 'string') throw new PromptError('PROMPT_BAD_TEXT', 'text: a string is needed', { field: 'text' });
    const text = raw.trim();
    if (!text) throw new PromptError('PROMPT_BAD_TEXT', 'text: nothing to say', { field: 'text' });
    if ([...text].length > this.limits.maxTextChars) throw new PromptError('PROMPT_BAD_TEXT', `text: at most ${this.limits.maxTextChars} characters`, { field: 'text', max: this.limits.maxTextChars });
    if (controlChars.test(text)) throw new PromptError('PROMPT_BAD_TEXT', 'text: control characters (NUL and the like) cannot be spoken', { field: 'text' });
    return text;
  }

  private voiceFor(language: string, name: string | undefined): TtsVoiceChoice {
    const offered = (this.options.voices ?? ttsVoices)[language] ?? [];
    const voice = name === undefined ? offered[0] : offered.find((v) => v.name === name);
    if (!voice) {
      const message = offered.length
        ? `voice ${JSON.stringify(String(name).slice(0, 80))} does not speak ${language}: use one of ${offered.map((v) => v.name).join(', ')}`
        : `no TTS voice for ${language} on this box`;
      throw new PromptError('PROMPT_BAD_VOICE', message, { field: 'voice', voices: offered.map((v) => v.name) });
    }
    return voice;
  }

  private async speak(text: string, voice: TtsVoiceChoice, out: string): Promise<void> {
    try {
      await speak(text, voice, out, this.limits.ttsTimeoutMs);
    } catch (error) {
      if (error instanceof TtsError) throw new PromptError('PROMPT_TTS_FAILED', error.message, { voice: voice.name });
      throw error;
    }
  }

  private convertLimits() {
    return { maxSeconds: this.limits.maxSeconds, timeoutMs: this.limits.soxTimeoutMs };
  }

  /** Writes the body to `path`, refusing it once it passes the size limit. */
  private async receive(body: AsyncIterable<Uint8Array> | null, path: string): Promise<number> {
    const handle = await open(path, 'wx', 0o600);
    let bytes = 0;
    try {
      for await (const chunk of body ?? []) {
        bytes += chunk.byteLength;
        if (bytes > this.limits.maxUploadBytes) {
          throw new PromptError('PROMPT_TOO_LARGE', `the audio must be at most ${this.limits.maxUploadBytes / 1024 / 1024} MB`, { maxBytes: this.limits.maxUploadBytes });
        }
        await handle.write(chunk);
      }
    } finally {
      await handle.close();
    }
    return bytes;
  }

  private async convertAndInstall(language: string, id: string, source: string, meta: Omit<PromptMeta, 'sha256' | 'updatedAt' | 'input'> & { input?: { bytes: number } }, announced?: AudioType): Promise<PromptChange> {
    const dir = languageDir(this.options.dir, language);
    const parts = { wav: partialName(dir, id, 'wav'), sln16: partialName(dir, id, 'sln16'), meta: '' };
    try {
      const converted = await this.slot(() => convertPrompt(source, parts, this.convertLimits(), announced)).catch((error: unknown) => {
        // What an engine said and sox then could not read is the engine's failure, not the caller's.
        if (meta.source === 'tts' && error instanceof PromptError && error.code === 'PROMPT_BAD_AUDIO') throw new PromptError('PROMPT_TTS_FAILED', error.message);
        throw error;
      });
      return await this.locked(`${language}/${id}`, async () => {
        const before = await this.info(language, id);
        const { sha256 } = await hashFile(parts.wav);
        const { input, ...rest } = meta;
        parts.meta = await this.files.writePartialMeta(dir, id, {
          ...rest, sha256, updatedAt: this.options.now(),
          ...(input ? { input: { format: converted.inputType, bytes: input.bytes } } : {}),
        });
        await this.files.install(language, id, parts);
        this.catalogSet(language, id, meta.tts?.text);
        return { before, after: await this.info(language, id) };
      });
    } finally {
      for (const part of Object.values(parts)) if (part) await rm(part, { force: true });
    }
  }

  /** Makes the id known to the running catalog (the resolver and the validator) without losing a YAML text. */
  private catalogSet(language: string, id: string, spokenText: string | undefined): void {
    const catalog = this.options.catalog;
    if (!catalog.has(language)) catalog.set(language, new Map());
    const yamlText = this.yaml.get(language)?.get(id);
    // The recording is what plays; the text is only shown (and spoken if the file is ever lost).
    catalog.get(language)!.set(id, yamlText ?? spokenText ?? '');
  }

  private async info(language: string, id: string): Promise<PromptInfo | null> {
    const catalogText = this.yaml.get(language)?.get(id) ?? null;
    const recorded: RecordedPrompt | undefined = await this.files.read(language, id);
    if (!recorded && catalogText === null) return null;
    const meta = recorded?.meta;
    return {
      language, id,
      source: !recorded ? 'catalog' : meta ? meta.source : 'file',
      recorded: !!recorded,
      catalogText,
      durationSeconds: recorded ? recorded.durationSeconds : null,
      bytes: recorded?.bytes ?? null,
      sha256: recorded?.sha256 ?? null,
      updatedAt: recorded ? (meta?.updatedAt ?? Math.round(recorded.mtimeMs)) : null,
      updatedBy: meta?.updatedBy ?? null,
      tts: meta?.tts ?? null,
    };
  }

  /** One change at a time per prompt, so before/after in the audit log are what really happened. */
  private async locked<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(key) ?? Promise.resolve();
    const mine = previous.catch(() => undefined).then(work);
    this.locks.set(key, mine);
    try {
      return await mine;
    } finally {
      if (this.locks.get(key) === mine) this.locks.delete(key);
    }
  }

  /** At most `concurrency` sox/engine processes: a burst of uploads queues instead of starving calls. */
  private async slot<T>(work: () => Promise<T>): Promise<T> {
    if (this.slots.free > 0) this.slots.free--;
    else await new Promise<void>((resolve) => this.slots.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.slots.waiting.shift();
      if (next) next();
      else this.slots.free++;
    }
  }
}
