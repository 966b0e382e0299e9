/** Test audio: speech synthesized with flite / espeak-ng and converted with sox; tones; noise. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseWav } from '../wav.ts';
export { concat } from '../pcm.ts';

export function tempDir(prefix = 'deskline-speech-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Synthesizes text with flite (voice kal/slt/awb/rms) or espeak-ng, resampled by sox. */
export function synthesize(text: string, options: { engine?: 'flite' | 'espeak-ng'; voice?: string; rate: 8000 | 16000; dir: string }): Int16Array {
  const raw = path.join(options.dir, `tts-${Math.random().toString(36).slice(2)}.wav`);
  if ((options.engine ?? 'flite') === 'flite') {
    execFileSync('flite', ['-voice', options.voice ?? 'slt', '-t', text, '-o', raw]);
  } else {
    execFileSync('espeak-ng', ['-v', options.voice ?? 'en-us', '-w', raw, text]);
  }
  const out = path.join(options.dir, `tts-${Math.random().toString(36).slice(2)}-${options.rate}.wav`);
  execFileSync('sox', [raw, '-r', String(options.rate), '-b', '16', '-c', '1', '-e', 'signed-integer', out]);
  return parseWav(readFileSync(out)).samples;
}

export function tone(hz: number, ms: number, rate: number, amplitude = 8000): Int16Array {
  const n = Math.round((rate * ms) / 1000);
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / rate));
  return out;
}

export function silence(ms: number, rate: number): Int16Array {
  return new Int16Array(Math.round((rate * ms) / 1000));
}

/** Deterministic low-level noise (LCG), amplitude in sample units. */
export function noise(ms: number, rate: number, amplitude: number, seed = 1): Int16Array {
  const n = Math.round((rate * ms) / 1000);
  const out = new Int16Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = Math.round(((s / 2 ** 32) * 2 - 1) * amplitude);
  }
  return out;
}


/** Power of a frequency in a signal (Goertzel), as amplitude of the matching sinusoid. */
export function toneAmplitude(x: ArrayLike<number>, hz: number, rate: number, from = 0, to = x.length): number {
  const w = (2 * Math.PI * hz) / rate;
  const coeff = 2 * Math.cos(w);
  let s1 = 0, s2 = 0;
  for (let i = from; i < to; i++) {
    const s0 = (x[i] ?? 0) + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return (2 * Math.sqrt(Math.max(0, power))) / (to - from);
}
