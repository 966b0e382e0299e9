/** Errors of the prompt library. Codes are stable: the API, the CLI and logs match on them. */
export type PromptErrorCode =
  | 'PROMPT_BAD_LANGUAGE'
  | 'PROMPT_BAD_ID'
  | 'PROMPT_NOT_FOUND'
  | 'PROMPT_NOT_RECORDED'
  | 'PROMPT_IN_USE'
  | 'PROMPT_UNSUPPORTED_TYPE'
  | 'PROMPT_TOO_LARGE'
  | 'PROMPT_BAD_AUDIO'
  | 'PROMPT_TOO_LONG'
  | 'PROMPT_BAD_TEXT'
  | 'PROMPT_BAD_VOICE'
  | 'PROMPT_TTS_FAILED';

/**
 * The HTTP status of each code (the admin API's one onError uses this table). Exhaustive on
 * purpose: a new code fails the type check until it has a status.
 */
export const PROMPT_ERROR_STATUS: Record<PromptErrorCode, 400 | 404 | 409 | 413 | 415 | 422 | 503> = {
  PROMPT_BAD_LANGUAGE: 400,
  PROMPT_BAD_ID: 400,
  PROMPT_NOT_FOUND: 404,
  // The id is in the catalog but only as text: there is no audio file to serve or delete.
  PROMPT_NOT_RECORDED: 404,
  PROMPT_IN_USE: 409,
  PROMPT_UNSUPPORTED_TYPE: 415,
  PROMPT_TOO_LARGE: 413,
  // The body arrived whole but is not audio sox can decode (or decodes to nothing).
  PROMPT_BAD_AUDIO: 422,
  PROMPT_TOO_LONG: 422,
  PROMPT_BAD_TEXT: 400,
  PROMPT_BAD_VOICE: 400,
  // The engine (espeak-ng, flite) or sox is missing or failed on text we accepted: not the caller's fault.
  PROMPT_TTS_FAILED: 503,
};

export class PromptError extends Error {
  override readonly name = 'PromptError';
  constructor(
    readonly code: PromptErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}
