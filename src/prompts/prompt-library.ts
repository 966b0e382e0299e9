// The prompt library on disk: <media>/prompts/<language>/<id>.wav (8 kHz) and .sln16 (16 kHz).
// An installed recording wins over the catalog text; uploads in any format sox reads (wav, mp3,
// ogg, flac…) are converted on import.
import { mkdir, readdir } from 'node:fs/promises';
import { extname } from 'node:path';
import { convertForAsterisk, TtsError } from './tts.ts';

export const promptIdPattern = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export class PromptLibraryError extends Error {
  readonly code = 'DESKLINE_PROMPT_LIBRARY';
}

export async function importPrompt(mediaHostDir: string, language: string, id: string, file: string): Promise<string> {
  if (!['en', 'zh-CN'].includes(language)) throw new PromptLibraryError(`language ${JSON.stringify(language)}: use en or zh-CN`);
  if (!promptIdPattern.test(id)) throw new PromptLibraryError(`prompt id ${JSON.stringify(id)}: lower-case a-z 0-9 _ -, at most 64`);
  if (!['.wav', '.mp3', '.ogg', '.oga', '.flac'].includes(extname(file).toLowerCase())) throw new PromptLibraryError(`${file}: upload wav, mp3, ogg or flac`);
  const dir = `${mediaHostDir}/prompts/${language}`;
  await mkdir(dir, { recursive: true });
  try {
    await convertForAsterisk(file, `${dir}/${id}`);
  } catch (error) {
    throw new PromptLibraryError(error instanceof TtsError ? error.message : String(error));
  }
  return `${dir}/${id}`;
}

/** Recorded prompt ids per language. */
export async function recordedPrompts(mediaHostDir: string): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  for (const language of ['en', 'zh-CN']) {
    const files = await readdir(`${mediaHostDir}/prompts/${language}`).catch(() => [] as string[]);
    result.set(language, files.filter((f) => f.endsWith('.wav')).map((f) => f.slice(0, -4)).sort());
  }
  return result;
}
