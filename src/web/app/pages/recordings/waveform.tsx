// The recording's waveform on a canvas: peaks computed once from the decoded audio, the played
// part drawn in the accent colour, a playhead, and click (or arrow keys) to seek.
import { useEffect, useRef, type KeyboardEvent, type MouseEvent } from 'react';
import { duration } from '../../format.ts';

/** Min and max of each of `buckets` slices of the first channel, interleaved [min0, max0, min1, …]. */
export function peaksOf(samples: Float32Array, buckets: number): Float32Array {
  const peaks = new Float32Array(buckets * 2);
  const size = samples.length / buckets;
  for (let b = 0; b < buckets; b++) {
    let min = 0, max = 0;
    const end = Math.min(samples.length, Math.floor((b + 1) * size));
    for (let i = Math.floor(b * size); i < end; i++) {
      const v = samples[i]!;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    peaks[b * 2] = min;
    peaks[b * 2 + 1] = max;
  }
  return peaks;
}

function draw(canvas: HTMLCanvasElement, peaks: Float32Array, progress: number): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth, height = canvas.clientHeight;
  if (canvas.width !== Math.round(width * ratio)) canvas.width = Math.round(width * ratio);
  if (canvas.height !== Math.round(height * ratio)) canvas.height = Math.round(height * ratio);
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  const styles = getComputedStyle(canvas);
  const played = styles.getPropertyValue('--accent').trim() || '#0b5cad';
  const rest = styles.getPropertyValue('--muted').trim() || '#4a5568';
  const buckets = peaks.length / 2;
  const mid = height / 2;
  // Quiet recordings still show their shape: scale to the loudest peak.
  let loudest = 0.01;
  for (const v of peaks) loudest = Math.max(loudest, Math.abs(v));
  const step = width / buckets;
  for (let b = 0; b < buckets; b++) {
    const x = b * step;
    ctx.fillStyle = x / width <= progress ? played : rest;
    const top = mid - (peaks[b * 2 + 1]! / loudest) * (mid - 2);
    const bottom = mid - (peaks[b * 2]! / loudest) * (mid - 2);
    ctx.fillRect(x, top, Math.max(1, step - 0.5), Math.max(1, bottom - top));
  }
  ctx.fillStyle = styles.getPropertyValue('--ink').trim() || '#17202e';
  ctx.fillRect(Math.min(width - 2, progress * width), 0, 2, height);
}

export function Waveform({ peaks, position, durationSeconds, label, onSeek }: { peaks: Float32Array | undefined; position: number; durationSeconds: number; label: string; onSeek: (seconds: number) => void }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const progress = durationSeconds > 0 ? Math.min(1, position / durationSeconds) : 0;

  useEffect(() => {
    if (canvas.current && peaks) draw(canvas.current, peaks, progress);
  }, [peaks, progress]);
  useEffect(() => {
    const redraw = () => { if (canvas.current && peaks) draw(canvas.current, peaks, progress); };
    window.addEventListener('resize', redraw);
    return () => window.removeEventListener('resize', redraw);
  }, [peaks, progress]);

  const onClick = (e: MouseEvent<HTMLCanvasElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    onSeek(((e.clientX - box.left) / box.width) * durationSeconds);
  };
  const onKey = (e: KeyboardEvent<HTMLCanvasElement>) => {
    const step = e.key === 'ArrowRight' ? 5 : e.key === 'ArrowLeft' ? -5 : e.key === 'Home' ? -Infinity : e.key === 'End' ? Infinity : 0;
    if (!step) return;
    e.preventDefault();
    onSeek(Math.max(0, Math.min(durationSeconds, position + step)));
  };
  return (
    <canvas
      ref={canvas} className="waveform" tabIndex={0} role="slider" aria-label={label}
      aria-valuemin={0} aria-valuemax={Math.round(durationSeconds)} aria-valuenow={Math.round(position)} aria-valuetext={`${duration(position)} / ${duration(durationSeconds)}`}
      onClick={onClick} onKeyDown={onKey}
    />
  );
}
