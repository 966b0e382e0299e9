import test from 'ava';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runSttTranscribe } from './transcribe-file.ts';
import { TranscriptionSession, type TurnRecognizer } from './session.ts';
import { encodeWav } from './wav.ts';
import { concat, noise, silence, synthesize, tempDir, tone } from './testing/audio-fixtures.ts';
import { HELP_LINE_PHRASES } from './testing/phrases.ts';

test('given two tone bursts, when streamed through a session with a scripted engine, then each turn yields start, partials and one final with its audio', async (t) => {
  const turns: number[] = [];
  let clock = 0;
  const engine: TurnRecognizer = {
    beginTurn: async () => undefined,
    feed: async (_s, want) => (want ? 'partial' : null),
    endTurn: async (turn) => {
      turns.push(turn.length);
      clock += 42;  // decode "takes" 42 ms on the injected clock
      return { text: `turn ${turns.length}`, words: [{ word: 'x', startMs: 0, endMs: 10, confidence: 1 }] };
    },
  };
  const session = new TranscriptionSession(engine, { now: () => clock, partialEveryMs: 250, vad: { hangoverMs: 300 } });
  const audio = concat(silence(500, 16000), tone(400, 1000, 16000, 6000), silence(800, 16000), tone(400, 600, 16000, 6000), silence(800, 16000));
  const events = [];
  for (let at = 0; at < audio.length; at += 320) events.push(...(await session.push(audio.subarray(at, at + 320))));
  events.push(...(await session.end()));
  t.deepEqual(events.map((e) => e.type).filter((k, i, all) => k !== all[i - 1]), ['speech-start', 'partial', 'final', 'speech-start', 'partial', 'final']);
  const finals = events.filter((e) => e.type === 'final');
  t.is(finals.length, 2);
  t.like(finals[0], { text: 'turn 1', decodeMs: 42, startMs: 200, endMs: 1500 });
  t.is(finals[0]!.words[0]!.startMs, 200);  // word times are relative to the stream
  // The first turn's audio: 300 ms pre-roll + 1 s tone + hangover, not the whole stream.
  t.true(turns[0]! > 1.3 * 16000 && turns[0]! < 1.8 * 16000, String(turns[0]));
});

test('given --help, when run, then usage is printed and the exit code is 0; bad usage gives 2', async (t) => {
  const lines: string[] = [];
  t.is(await runSttTranscribe(['--help'], (l) => lines.push(l)), 0);
  t.regex(lines.join('\n'), /Usage: deskline stt transcribe FILE.wav/);
  const errors: string[] = [];
  t.is(await runSttTranscribe([], () => undefined, (e) => errors.push(e)), 2);
  t.is(await runSttTranscribe(['a.wav', '--engine', 'whisper'], () => undefined, (e) => errors.push(e)), 2);
  t.regex(errors.join(''), /expected exactly one FILE.wav[\s\S]*unknown engine whisper/);
});

test('given an 8 kHz call recording and a phrase list, when transcribed, then JSON lines carry partials and a final with the key words', async (t) => {
  const dir = tempDir();
  const speech = synthesize(HELP_LINE_PHRASES[1]!.text, { voice: 'slt', rate: 8000, dir });
  const wav = path.join(dir, 'call.wav');
  writeFileSync(wav, encodeWav(concat(noise(600, 8000, 60), speech, noise(1000, 8000, 60, 7)), 8000));
  const phrases = path.join(dir, 'phrases.txt');
  writeFileSync(phrases, HELP_LINE_PHRASES.map((p) => p.text).join('\n'));
  const lines: string[] = [];
  t.is(await runSttTranscribe([wav, '--phrases', phrases], (l) => lines.push(l)), 0);
  const events = lines.map((l) => JSON.parse(l) as { type: string; text?: string; rtf?: number; decodeMs?: number });
  t.is(events[0]!.type, 'speech-start');
  t.true(events.some((e) => e.type === 'partial'));
  const final = events.find((e) => e.type === 'final');
  t.regex(final?.text ?? '', /internet.*working/);
  t.is(events.at(-1)!.type, 'summary');
  t.log(`final "${final?.text}", decode ${final?.decodeMs} ms, RTF ${events.at(-1)!.rtf} (informational)`);
});

test('given a missing vosk model, when transcribing with --engine vosk, then exit 1 with a JSON error naming the path', async (t) => {
  const dir = tempDir();
  const wav = path.join(dir, 'x.wav');
  writeFileSync(wav, encodeWav(silence(100, 16000), 16000));
  const lines: string[] = [];
  t.is(await runSttTranscribe([wav, '--engine', 'vosk', '--model', '/nonexistent/model'], (l) => lines.push(l)), 1);
  t.like(JSON.parse(lines[0]!), { type: 'error', code: 'DESKLINE_NATIVE_MODEL_NOT_FOUND' });
  t.regex(lines[0]!, /\/nonexistent\/model/);
});
