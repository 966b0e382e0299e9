import test from 'ava';
import { Upsampler8to16, upsamplerTaps } from './dsp.ts';
import { tone, toneAmplitude } from './testing/audio-fixtures.ts';

/** |H(f)| of the FIR taps at f Hz (16 kHz rate), normalized so the passband gain is 1. */
function response(taps: Float64Array, hz: number): number {
  let re = 0, im = 0;
  for (let n = 0; n < taps.length; n++) {
    re += taps[n]! * Math.cos((2 * Math.PI * hz * n) / 16000);
    im -= taps[n]! * Math.sin((2 * Math.PI * hz * n) / 16000);
  }
  return Math.hypot(re, im) / 2;  // taps have gain 2 to make up for zero-stuffing
}
const db = (x: number) => 20 * Math.log10(x);

test('given the anti-imaging filter, when its response is measured, then 0-3.4 kHz is flat within 0.1 dB', (t) => {
  const taps = upsamplerTaps();
  let worst = 0;
  for (let hz = 0; hz <= 3400; hz += 25) worst = Math.max(worst, Math.abs(db(response(taps, hz))));
  t.true(worst < 0.1, `passband deviation ${worst.toFixed(3)} dB`);
});

test('given the anti-imaging filter, when its response is measured, then everything from 4 kHz to 8 kHz is down at least 40 dB', (t) => {
  const taps = upsamplerTaps();
  let loudest = -Infinity;
  for (let hz = 4000; hz <= 8000; hz += 10) loudest = Math.max(loudest, db(response(taps, hz)));
  t.true(loudest <= -40, `stopband peak ${loudest.toFixed(1)} dB`);
  t.log(`stopband peak from 4 kHz: ${loudest.toFixed(1)} dB`);
});

test('given 8 kHz tones across the telephone band, when upsampled, then the tone keeps its level and its image (8 kHz - f) is at least 40 dB down', (t) => {
  const failures: string[] = [];
  for (let hz = 200; hz <= 3400; hz += 200) {
    const out = new Upsampler8to16().process(tone(hz, 500, 8000, 10000));
    const from = 400, to = out.length - 400;  // skip the filter's start-up
    const kept = toneAmplitude(out, hz, 16000, from, to);
    const image = toneAmplitude(out, 8000 - hz, 16000, from, to);
    if (Math.abs(db(kept / 10000)) > 0.2) failures.push(`${hz} Hz level ${db(kept / 10000).toFixed(2)} dB`);
    if (db(image / kept) > -40) failures.push(`${hz} Hz image ${db(image / kept).toFixed(1)} dB`);
  }
  t.deepEqual(failures, []);
});

test('given a signal cut into odd-sized chunks, when upsampled chunk by chunk, then the output equals one-shot upsampling', (t) => {
  const input = tone(1234, 300, 8000, 12000);
  const whole = new Upsampler8to16().process(input);
  const streaming = new Upsampler8to16();
  const parts: number[] = [];
  for (let at = 0, size = 1; at < input.length; at += size, size = (size * 7) % 173 + 1) {
    parts.push(...streaming.process(input.subarray(at, at + size)));
  }
  t.deepEqual(parts, [...whole]);
});

test('given full-scale input, when upsampled, then the output saturates instead of wrapping around', (t) => {
  const square = Int16Array.from({ length: 800 }, (_, i) => (Math.floor(i / 20) % 2 ? 32767 : -32768));
  const out = new Upsampler8to16().process(square);
  // Ringing overshoots a full-scale square wave; wrapped values would flip sign mid-plateau.
  const flips = [...out].filter((v, i) => i > 200 && Math.abs(v - (out[i - 1] ?? v)) > 40000).length;
  t.is(flips, 0);
  t.is(Math.max(...out), 32767);
});
