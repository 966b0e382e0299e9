import test from 'ava';
import { VoiceActivityDetector, type VadEvent } from './dsp.ts';
import { concat, noise, silence, synthesize, tempDir, tone } from './testing/audio-fixtures.ts';

const RATE = 16000;
const ms = (samples: number) => (samples * 1000) / RATE;

function run(audio: Int16Array, chunkMs = 20): VadEvent[] {
  const vad = new VoiceActivityDetector({ sampleRate: RATE, hangoverMs: 400 });
  const events: VadEvent[] = [];
  const chunk = (RATE * chunkMs) / 1000;
  for (let at = 0; at < audio.length; at += chunk) events.push(...vad.process(audio.subarray(at, at + chunk)));
  return events;
}

test('given digital silence, when run through the VAD, then no speech is reported', (t) => {
  t.deepEqual(run(silence(5000, RATE)), []);
});

test('given steady low-level line noise, when run through the VAD, then no speech is reported', (t) => {
  t.deepEqual(run(noise(5000, RATE, 150)), []);
});

test('given a 1 s tone burst in line noise, when run through the VAD, then one turn starts at the burst and ends at its end', (t) => {
  const audio = concat(noise(1000, RATE, 150, 1), tone(440, 1000, RATE, 6000), noise(1500, RATE, 150, 2));
  const events = run(audio);
  t.deepEqual(events.map((e) => e.kind), ['start', 'end']);
  t.true(Math.abs(ms(events[0]!.sample) - 1000) <= 10, `start at ${ms(events[0]!.sample)} ms`);
  t.true(Math.abs(ms(events[1]!.sample) - 2000) <= 10, `end at ${ms(events[1]!.sample)} ms`);
});

test('given two bursts 200 ms apart, when the hangover is 400 ms, then they form one turn; 1 s apart, two turns', (t) => {
  const burst = () => tone(300, 400, RATE, 6000);
  const close = run(concat(silence(500, RATE), burst(), silence(200, RATE), burst(), silence(1000, RATE)));
  t.deepEqual(close.map((e) => e.kind), ['start', 'end']);
  const apart = run(concat(silence(500, RATE), burst(), silence(1000, RATE), burst(), silence(1000, RATE)));
  t.deepEqual(apart.map((e) => e.kind), ['start', 'end', 'start', 'end']);
});

test('given a click shorter than the start time, when run through the VAD, then no speech is reported', (t) => {
  t.deepEqual(run(concat(silence(500, RATE), tone(1000, 30, RATE, 10000), silence(1000, RATE))), []);
});

test('given a spoken sentence (espeak-ng) between silences, when run through the VAD, then one turn covers it', (t) => {
  const speech = synthesize('please connect me to technical support', { engine: 'espeak-ng', rate: RATE, dir: tempDir() });
  let first = speech.findIndex((v) => Math.abs(v) > 300);
  let last = speech.length - 1;
  while (last > 0 && Math.abs(speech[last]!) <= 300) last--;
  const lead = 800;
  const events = run(concat(noise(lead, RATE, 100, 3), speech, noise(1500, RATE, 100, 4)));
  t.deepEqual(events.map((e) => e.kind), ['start', 'end']);
  first += (lead * RATE) / 1000;
  last += (lead * RATE) / 1000;
  t.true(Math.abs(ms(events[0]!.sample - first)) <= 60, `start ${ms(events[0]!.sample)} vs onset ${ms(first)}`);
  t.true(Math.abs(ms(events[1]!.sample - last)) <= 150, `end ${ms(events[1]!.sample)} vs offset ${ms(last)}`);
});

test('given a turn longer than maxUtteranceMs, when run through the VAD, then an end is forced', (t) => {
  const vad = new VoiceActivityDetector({ sampleRate: RATE, maxUtteranceMs: 2000 });
  const events = vad.process(tone(500, 3000, RATE, 8000));
  t.is(events[0]?.kind, 'start');
  t.is(events[1]?.kind, 'end');
  t.true(Math.abs(ms(events[1]!.sample - events[0]!.sample) - 2000) <= 20);
});

test('given bad options, when a VAD is made, then BAD_ARG names the option', (t) => {
  t.throws(() => new VoiceActivityDetector({ sampleRate: 44100 as 16000 }), { code: 'DESKLINE_NATIVE_BAD_ARG' });
  t.throws(() => new VoiceActivityDetector({ sampleRate: 8000, hangoverMs: -5 }), { message: /hangoverMs/ });
});
