// Recorded answers: an uploaded audio file (any format sox reads) converted to the 8 kHz WAV that
// Asterisk plays, stored in the knowledge audio folder as <article id>.<language>.wav — the
// relative name an article's answerAudio holds and the FAQ bot plays (knowledge-module.ts).
// Conversion reuses the prompt library's (same formats, same limits, same PROMPT_* errors).
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { acceptedContentTypes, convertPrompt } from '../../prompts/audio-convert.ts';
import { PromptError } from '../../prompts/prompt-errors.ts';
import type { ArticleLanguage } from './article.ts';

export interface AnswerAudioOptions {
  /** The knowledge audio folder (config knowledge.audioDir, as this host sees it). */
  dir: string;
  /** Longest recorded answer (default 300 s) and per-sox-run time limit (default 60 s). */
  maxSeconds?: number;
  timeoutMs?: number;
}

const ARTICLE_ID = /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/;

export class AnswerAudio {
  constructor(private readonly options: AnswerAudioOptions) {}

  /** The file name (relative to the folder) of an article's recording in a language. */
  static fileOf(articleId: string, language: ArticleLanguage): string {
    if (!ARTICLE_ID.test(articleId)) throw new PromptError('PROMPT_BAD_ID', `article id ${JSON.stringify(articleId.slice(0, 80))} is not a slug`);
    return `${articleId}.${language}.wav`;
  }

  /** Converts `bytes` and installs them as the article's recording; a failed conversion leaves any earlier one alone. */
  async store(articleId: string, language: ArticleLanguage, bytes: Uint8Array, contentType?: string): Promise<{ file: string; durationSeconds: number }> {
    const file = AnswerAudio.fileOf(articleId, language);
    const type = (contentType ?? 'application/octet-stream').split(';')[0]!.trim().toLowerCase();
    if (!Object.hasOwn(acceptedContentTypes, type)) {
      throw new PromptError('PROMPT_UNSUPPORTED_TYPE', `content type ${JSON.stringify(type.slice(0, 80))}: send the audio file itself as ${Object.keys(acceptedContentTypes).join(', ')}`, { accepted: Object.keys(acceptedContentTypes) });
    }
    await mkdir(this.options.dir, { recursive: true });
    const scratch = join(this.options.dir, `.upload-${randomUUID()}`);
    try {
      await writeFile(`${scratch}.in`, bytes);
      const { durationSeconds } = await convertPrompt(`${scratch}.in`, { wav: `${scratch}.wav` }, { maxSeconds: this.options.maxSeconds ?? 300, timeoutMs: this.options.timeoutMs ?? 60_000 }, acceptedContentTypes[type]);
      // Rename: a call playing the old recording keeps its open file; new calls get the new one whole.
      await rename(`${scratch}.wav`, join(this.options.dir, file));
      return { file, durationSeconds };
    } finally {
      await rm(`${scratch}.in`, { force: true });
      await rm(`${scratch}.wav`, { force: true });
    }
  }

  /** The recording's bytes, or undefined when there is none. */
  async read(articleId: string, language: ArticleLanguage): Promise<Uint8Array | undefined> {
    return readFile(join(this.options.dir, AnswerAudio.fileOf(articleId, language))).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
  }
}
