/**
 * `deskline stt transcribe FILE.wav [...]`: streams a WAV file through the same session code
 * as calls and prints partial and final results as JSON lines with timings. The CLI module calls
 * runSttTranscribe(argv) with the arguments after "transcribe" and exits with its result.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import path from 'node:path';
import { DEFAULT_POCKETSPHINX_MODEL } from './pocketsphinx.ts';
import { Upsampler8to16 } from './dsp.ts';
import { parseWav } from './wav.ts';
import { TranscriptionSession, loadSpeechEngine, type SpeechProfile, type SttEvent, type TurnRecognizer } from './session.ts';
import { SpeechError } from './errors.ts';

export const STT_TRANSCRIBE_HELP = `Usage: deskline stt transcribe FILE.wav [options]

Streams FILE.wav (16-bit PCM, µ-law or A-law; 8 or 16 kHz) through a transcription session and
prints one JSON object per line: speech-start, partial, final, then a summary.

Options:
  --engine pocketsphinx|vosk  recognizer (default pocketsphinx, built in)
  --model DIR                 pocketsphinx: acoustic model dir (default ${DEFAULT_POCKETSPHINX_MODEL}/en-us);
                              vosk: model directory (required)
  --dict FILE                 pocketsphinx pronunciation dictionary
  --grammar FILE              JSGF grammar (pocketsphinx) or JSON array of phrases (vosk)
  --phrases FILE              expected phrases, one per line: builds a trigram LM (pocketsphinx)
                              or a phrase grammar (vosk)
  --realtime                  feed audio at real-time pace (as a call would)
  --no-partials               final results only (cheaper)
  -h, --help                  this text
Exit codes: 0 done, 1 failed (error printed as JSON), 2 bad usage.`;

export interface TranscribeOptions {
  file: string;
  engine: 'pocketsphinx' | 'vosk';
  model?: string;
  dict?: string;
  grammar?: string;
  phrases?: string;
  realtime?: boolean;
  partials?: boolean;
}

export interface TranscribeSummary { type: 'summary'; audioMs: number; processMs: number; rtf: number; finals: number }

/** Transcribes a file, calling onEvent for each event as it happens; resolves with a summary. */
export async function transcribeFile(options: TranscribeOptions, onEvent: (e: SttEvent & { wallMs: number }) => void): Promise<TranscribeSummary> {
  const audio = parseWav(await readFile(options.file));
  if (audio.sampleRate !== 8000 && audio.sampleRate !== 16000) {
    throw new SpeechError('DESKLINE_SPEECH_BAD_AUDIO', `${options.file}: ${audio.sampleRate} Hz; convert to 8 or 16 kHz (sox IN -r 16000 OUT)`);
  }
  const { engine, free } = await openEngine(options);
  const t0 = performance.now();
  const session = new TranscriptionSession(engine);
  const emit = (events: SttEvent[]) => events.forEach((e) => onEvent({ ...e, wallMs: Math.round(performance.now() - t0) }));
  const upsampler = audio.sampleRate === 8000 ? new Upsampler8to16() : undefined;
  const chunk = audio.sampleRate / 50;  // 20 ms, as RTP delivers it
  let finals = 0;
  try {
    for (let at = 0; at < audio.samples.length; at += chunk) {
      const piece = audio.samples.subarray(at, at + chunk);
      const pcm16 = upsampler ? upsampler.process(piece) : piece.slice();
      const events = await session.push(pcm16);
      finals += events.filter((e) => e.type === 'final').length;
      emit(events);
      if (options.realtime) {
        const due = t0 + ((at + chunk) * 1000) / audio.sampleRate;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
    }
    const last = await session.end();
    finals += last.length;
    emit(last);
  } finally {
    free();
  }
  const audioMs = (audio.samples.length * 1000) / audio.sampleRate;
  const processMs = performance.now() - t0;
  return { type: 'summary', audioMs: Math.round(audioMs), processMs: Math.round(processMs), rtf: Number((processMs / audioMs).toFixed(3)), finals };
}

async function openEngine(o: TranscribeOptions): Promise<{ engine: TurnRecognizer; free: () => void }> {
  const engine = await loadSpeechEngine(await profileFor(o));
  try {
    const lease = await engine.open({ partials: o.partials ?? true });
    return { engine: lease.turns, free: () => { lease.release(); engine.close(); } };
  } catch (error) {
    engine.close();
    throw error;
  }
}

async function profileFor(o: TranscribeOptions): Promise<SpeechProfile> {
  const lines = async (file: string) => (await readFile(file, 'utf8')).split('\n').map((l) => l.trim()).filter(Boolean);
  if (o.engine === 'vosk') {
    if (!o.model) throw new SpeechError('DESKLINE_NATIVE_MODEL_NOT_FOUND', 'the vosk engine needs --model DIR');
    let phrases: string[] | undefined;
    if (o.grammar) phrases = JSON.parse(await readFile(o.grammar, 'utf8')) as string[];
    if (o.phrases) phrases = await lines(o.phrases);
    return { engine: 'vosk', language: 'en-us', model: o.model, ...(phrases ? { phrases } : {}) };
  }
  const base = { engine: 'pocketsphinx' as const, language: 'en-us', ...(o.model ? { hmm: o.model } : {}), ...(o.dict ? { dict: o.dict } : {}) };
  if (o.grammar) return { ...base, jsgf: o.grammar };
  if (o.phrases) return { ...base, phrases: await lines(o.phrases) };
  return { ...base, lm: path.join(DEFAULT_POCKETSPHINX_MODEL, 'en-us.lm.bin') };
}

/** CLI entry: parses argv (after "transcribe"), prints JSON lines, returns the exit code. */
export async function runSttTranscribe(
  argv: string[],
  out: (line: string) => void = (l) => process.stdout.write(l + '\n'),
  err: (text: string) => void = (s) => process.stderr.write(s),
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        engine: { type: 'string', default: 'pocketsphinx' }, model: { type: 'string' }, dict: { type: 'string' },
        grammar: { type: 'string' }, phrases: { type: 'string' }, realtime: { type: 'boolean', default: false },
        'no-partials': { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    err(`${(error as Error).message}\n\n${STT_TRANSCRIBE_HELP}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out(STT_TRANSCRIBE_HELP);
    return 0;
  }
  const usage = (message: string) => (err(`${message}\n\n${STT_TRANSCRIBE_HELP}\n`), 2);
  if (positionals.length !== 1) return usage('expected exactly one FILE.wav');
  if (values.engine !== 'pocketsphinx' && values.engine !== 'vosk') return usage(`unknown engine ${values.engine}`);
  if (values.grammar && values.phrases) return usage('give --grammar or --phrases, not both');
  try {
    const summary = await transcribeFile(
      {
        file: positionals[0]!, engine: values.engine, model: values.model, dict: values.dict, grammar: values.grammar,
        phrases: values.phrases, realtime: values.realtime, partials: !values['no-partials'],
      },
      (e) => out(JSON.stringify(e)),
    );
    out(JSON.stringify(summary));
    return 0;
  } catch (error) {
    const e = error as Error & { code?: string };
    out(JSON.stringify({ type: 'error', code: e.code ?? 'DESKLINE_STT_FAILED', message: e.message }));
    return 1;
  }
}
