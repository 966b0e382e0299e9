/** Errors of the speech capability. Codes are stable: callers and logs match on them. */
export const SpeechErrorCodes = [
  'DESKLINE_NATIVE_BAD_ARG',
  'DESKLINE_NATIVE_MODEL_NOT_FOUND',
  'DESKLINE_NATIVE_MODEL_LOAD',
  'DESKLINE_NATIVE_ENGINE_INIT',
  'DESKLINE_NATIVE_DECODE',
  'DESKLINE_NATIVE_LIBRARY_LOAD',
  'DESKLINE_NATIVE_BUSY',
  'DESKLINE_NATIVE_CLOSED',
  'DESKLINE_NATIVE_STATE',
  'DESKLINE_NATIVE_NO_MEMORY',
  'DESKLINE_NATIVE_INTERNAL',
  'DESKLINE_NATIVE_NOT_BUILT',
  'DESKLINE_SPEECH_UNKNOWN_WORDS',
  'DESKLINE_SPEECH_BAD_AUDIO',
] as const;

export type SpeechErrorCode = (typeof SpeechErrorCodes)[number];

export class SpeechError extends Error {
  override readonly name = 'SpeechError';
  constructor(
    readonly code: SpeechErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function badArg(message: string): SpeechError {
  return new SpeechError('DESKLINE_NATIVE_BAD_ARG', message);
}

function isKnownCode(code: unknown): code is SpeechErrorCode {
  return typeof code === 'string' && (SpeechErrorCodes as readonly string[]).includes(code);
}

/**
 * Turns an error thrown by the addon (an Error with `code`) into a SpeechError whose stack is
 * the JavaScript caller's (errors settled from a worker thread have no useful stack).
 */
export function fromNative(error: unknown, callerStack?: string): unknown {
  if (!(error instanceof Error) || error instanceof SpeechError) return error;
  const code = (error as Error & { code?: unknown }).code;
  if (!isKnownCode(code)) return error;
  const wrapped = new SpeechError(code, error.message, { cause: error });
  if (callerStack) wrapped.stack = `SpeechError: ${error.message}\n${callerStack.split('\n').slice(1).join('\n')}`;
  return wrapped;
}

/** Points a SpeechError's stack at `callerStack` (taken where the public call was made). */
export function withCallerStack(error: unknown, callerStack: string | undefined): unknown {
  const e = fromNative(error, callerStack);
  if (e instanceof SpeechError && callerStack) {
    e.stack = `SpeechError [${e.code}]: ${e.message}\n${callerStack.split('\n').slice(1).join('\n')}`;
  }
  return e;
}
