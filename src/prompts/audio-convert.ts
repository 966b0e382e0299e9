// Turns whatever audio an admin uploads (or an engine speaks) into what Asterisk plays here: an
// 8 kHz mono 16-bit PCM WAV (the `wav` format, every channel) and 16 kHz signed linear raw
// (`sln16`, wideband channels). The input's format is taken from its first bytes, never from a
// name or a Content-Type, and only formats we name reach sox's parsers. sox runs niced, without a
// shell, with a timeout, and stops reading after the longest prompt allowed (`trim`), so a short
// file that decodes to hours of audio costs seconds, not minutes.
import { open } from 'node:fs/promises';
import { readWavInfo } from '../recordings/wav-info.ts';
import { PromptError } from './prompt-errors.ts';
import { runTool } from './tts.ts';

/** sox's type names for the formats we accept. */
export type AudioType = 'wav' | 'mp3' | 'ogg' | 'flac' | 'aiff' | 'au';

/** Content types a client may send, and the format they announce (the bytes decide in the end). */
export const acceptedContentTypes: Record<string, AudioType | undefined> = {
  'audio/wav': 'wav', 'audio/x-wav': 'wav', 'audio/wave': 'wav', 'audio/vnd.wave': 'wav',
  'audio/mpeg': 'mp3', 'audio/mp3': 'mp3',
  'audio/ogg': 'ogg', 'audio/flac': 'flac', 'audio/x-flac': 'flac', 'audio/aiff': 'aiff', 'audio/x-aiff': 'aiff', 'audio/basic': 'au',
  'application/octet-stream': undefined,
};

/** The format of an audio file from its first bytes (at least 12), or undefined. */
export function sniffAudioType(head: Uint8Array, announced?: AudioType): AudioType | undefined {
  const b = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  const tag = (at: number, text: string) => b.length >= at + text.length && b.toString('latin1', at, at + text.length) === text;
  if (tag(0, 'RIFF') && tag(8, 'WAVE')) return 'wav';
  if (tag(0, 'fLaC')) return 'flac';
  if (tag(0, 'OggS')) return 'ogg';
  if (tag(0, 'FORM') && (tag(8, 'AIFF') || tag(8, 'AIFC'))) return 'aiff';
  if (tag(0, '.snd')) return 'au';
  if (tag(0, 'ID3')) return 'mp3';
  if (b.length >= 4 && isMpegFrameHeader(b[0]!, b[1]!, b[2]!)) return 'mp3';
  // Weaker: a frame sync alone, when the client said it is MP3.
  if (announced === 'mp3' && b.length >= 2 && b[0] === 0xff && (b[1]! & 0xe0) === 0xe0) return 'mp3';
  return undefined;
}

/** An MPEG-1/2/2.5 layer III frame header without an ID3 tag before it (what LAME and sox write). */
function isMpegFrameHeader(b0: number, b1: number, b2: number): boolean {
  const sync = b0 === 0xff && (b1 & 0xe0) === 0xe0;
  const version = (b1 >> 3) & 3; // 1 is reserved
  const layer = (b1 >> 1) & 3; // 1 is layer III
  const bitrate = b2 >> 4; // 15 is invalid (0 is "free format", rare but legal)
  const rate = (b2 >> 2) & 3; // 3 is reserved
  return sync && version !== 1 && layer === 1 && bitrate !== 15 && rate !== 3;
}

export interface ConvertLimits {
  /** Longest prompt accepted, in seconds. */
  maxSeconds: number;
  /** Per sox run. */
  timeoutMs: number;
}

export interface Converted {
  durationSeconds: number;
  /** The input's format as sniffed. */
  inputType: AudioType;
}

const firstLine = (error: unknown) => {
  const e = error as Error & { stderr?: string; killed?: boolean };
  const text = (e.stderr || e.message || String(error)).trim().split('\n').find((l) => l.trim() !== '') ?? 'unknown error';
  return text.replace(/^(lib)?sox (FAIL|WARN) \w+: /, '').slice(0, 300);
};

async function readHead(path: string, bytes: number): Promise<{ head: Buffer; size: number }> {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    const head = Buffer.alloc(Math.min(bytes, size));
    await handle.read(head, 0, head.length, 0);
    return { head, size };
  } finally {
    await handle.close();
  }
}

/**
 * Converts `source` into `wavOut` (8 kHz) and, when given, `slnOut` (16 kHz raw), both written in
 * full before this resolves (the caller fsyncs and renames them into place). Throws
 * PROMPT_BAD_AUDIO naming the reason, PROMPT_TOO_LONG over the limit; the caller removes the
 * outputs on failure.
 */
export async function convertPrompt(source: string, out: { wav: string; sln16?: string }, limits: ConvertLimits, announced?: AudioType): Promise<Converted> {
  const { head, size } = await readHead(source, 64);
  if (size === 0) throw new PromptError('PROMPT_BAD_AUDIO', 'the body is empty: send the audio file as the request body', { reason: 'empty' });
  const inputType = sniffAudioType(head, announced);
  if (!inputType) {
    throw new PromptError('PROMPT_BAD_AUDIO', 'not an audio file this library reads: send WAV, MP3 (with an ID3 tag or as audio/mpeg), Ogg Vorbis, FLAC, AIFF or AU', { reason: 'unknown format' });
  }
  // Half a second past the limit: enough to tell "too long" from "exactly the limit" after resampling.
  const cut = ['trim', '0', String(limits.maxSeconds + 0.5)];
  const convert = async (args: string[]) => {
    try {
      await runTool('sox', ['-V1', '-t', inputType, source, ...args, ...cut], limits.timeoutMs);
    } catch (error) {
      const killed = (error as { killed?: boolean }).killed;
      const reason = killed ? `sox did not finish within ${limits.timeoutMs / 1000} s` : firstLine(error);
      throw new PromptError('PROMPT_BAD_AUDIO', `sox cannot read this ${inputType} file: ${reason}`, { reason, format: inputType });
    }
  };
  await convert(['-t', 'wav', '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', out.wav]);
  const durationSeconds = await readWavInfo(out.wav).then((info) => info.durationSeconds, (error: unknown) => {
    throw new PromptError('PROMPT_BAD_AUDIO', `sox wrote no usable audio: ${(error as Error).message}`, { reason: 'no audio', format: inputType });
  });
  if (durationSeconds > limits.maxSeconds) {
    throw new PromptError('PROMPT_TOO_LONG', `the audio is longer than ${limits.maxSeconds} s; prompts are short (cut it, or split it into several prompts)`, { maxSeconds: limits.maxSeconds });
  }
  if (durationSeconds < 0.01) throw new PromptError('PROMPT_BAD_AUDIO', `the ${inputType} file holds no audio (0 samples)`, { reason: 'no audio', format: inputType });
  if (out.sln16 !== undefined) await convert(['-t', 'raw', '-r', '16000', '-c', '1', '-b', '16', '-e', 'signed-integer', out.sln16]);
  return { durationSeconds, inputType };
}
