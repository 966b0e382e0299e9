// Where a prompt's files live, from names a client chose: <dir>/<language>/<id>.<ext>. Language
// and id are checked against strict patterns first (no '/', '.', NUL or anything that could climb
// out), and the joined path is checked to stay inside the prompt folder anyway, so a pattern
// loosened by mistake later still cannot reach outside it.
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { PromptError } from './prompt-errors.ts';
import { promptIdPattern } from './prompt-library.ts';

/** BCP 47-ish tags the site may offer (en, zh-CN, pt-BR…); the site's list decides which are allowed. */
const languagePattern = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/;

/** The formats a prompt is stored in: what Asterisk plays (8 kHz wav, 16 kHz signed linear) and our notes. */
export const promptFileKinds = { wav: '.wav', sln16: '.sln16', meta: '.meta.json' } as const;
export type PromptFileKind = keyof typeof promptFileKinds;

/**
 * Other sound formats Asterisk would pick for the same name (by codec) if someone installed them
 * by hand: removed when a prompt is replaced or deleted, so what plays is what the API shows.
 */
export const otherAsteriskFormats = ['.ulaw', '.alaw', '.gsm', '.g722', '.g729', '.g726', '.sln', '.sln8', '.sln12', '.sln24', '.sln32', '.sln44', '.sln48', '.sln96', '.sln192', '.wav16', '.siren7', '.siren14', '.ilbc', '.speex', '.opus'];

const show = (value: string) => JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);

export function checkLanguage(language: string, allowed: readonly string[]): void {
  if (!languagePattern.test(language) || !allowed.includes(language)) {
    throw new PromptError('PROMPT_BAD_LANGUAGE', `language ${show(language)}: use one of ${allowed.join(', ')}`, { field: 'language', allowed: [...allowed] });
  }
}

export function checkId(id: string): void {
  if (!promptIdPattern.test(id)) {
    throw new PromptError('PROMPT_BAD_ID', `prompt id ${show(id)}: 1–64 of lower-case a-z 0-9 _ -, starting with a letter or digit`, { field: 'id' });
  }
}

/** The folder of one language's prompts, proven to be a direct child of `root`. */
export function languageDir(root: string, language: string): string {
  const base = resolve(root);
  const dir = resolve(base, language);
  const rel = relative(base, dir);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.includes(sep)) {
    throw new PromptError('PROMPT_BAD_LANGUAGE', `language ${show(language)} does not name a folder inside the prompt library`, { field: 'language' });
  }
  return dir;
}

/** `<root>/<language>/<id><ext>`, proven to sit directly inside the language's folder. */
export function promptPath(root: string, language: string, id: string, ext: string): string {
  const dir = languageDir(root, language);
  const file = resolve(dir, `${id}${ext}`);
  const rel = relative(dir, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.includes(sep)) {
    throw new PromptError('PROMPT_BAD_ID', `prompt id ${show(id)} does not name a file inside the prompt library`, { field: 'id' });
  }
  return file;
}
