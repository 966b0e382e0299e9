// What the report charts share: "nice" axis ticks, the palette (CSS variables, so the page's
// contrast rules hold), the legend (series told by name, not only colour), and the tooltip that
// shows a point's value on hover and on keyboard focus.
import type { ReactNode } from 'react';

export interface Series { key: string; label: string; tone?: Tone }
export type Tone = 'accent' | 'good' | 'bad' | 'warn' | 'violet' | 'muted';
export const TONES: Tone[] = ['accent', 'good', 'bad', 'warn', 'violet', 'muted'];
export const toneOf = (s: Series, i: number): Tone => s.tone ?? TONES[i % TONES.length]!;

/** A round upper bound and ticks for values up to `max` (at least 1, so an empty chart has an axis). */
export function niceScale(max: number, count = 4): { top: number; ticks: number[] } {
  const target = Math.max(max, 1e-9) / count;
  const power = 10 ** Math.floor(Math.log10(target));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= target) ?? 10 * power;
  const top = Math.max(step * count, step * Math.ceil(max / step));
  const ticks: number[] = [];
  for (let v = 0; v <= top + step / 2; v += step) ticks.push(Math.round(v * 1e6) / 1e6);
  return { top, ticks };
}

/** Every k-th label, so a month of days does not print thirty labels on top of each other. */
export const labelEvery = (count: number, room: number) => Math.max(1, Math.ceil(count / Math.max(1, room)));

export function Legend({ series }: { series: Series[] }) {
  return (
    <ul className="legend chart-legend">
      {series.map((s, i) => <li key={s.key}><span className={`swatch fill-${toneOf(s, i)}`} aria-hidden="true" />{s.label}</li>)}
    </ul>
  );
}

/** The figure around a chart: its name as the caption (the accessible name), the chart, a note. */
export function ChartFigure({ id, title, note, children, legend }: { id: string; title: string; note?: ReactNode; children: ReactNode; legend?: Series[] }) {
  return (
    <figure className="chart card" aria-labelledby={`${id}-title`} data-chart={id}>
      <figcaption id={`${id}-title`} className="chart-title">{title}</figcaption>
      {legend && legend.length > 1 && <Legend series={legend} />}
      {children}
      {note && <p className="chart-note">{note}</p>}
    </figure>
  );
}

/** The value box drawn inside the SVG next to the hovered or focused point. */
export function Tip({ x, y, width, lines }: { x: number; y: number; width: number; lines: string[] }) {
  const w = Math.min(width, Math.max(...lines.map((l) => l.length)) * 7 + 16);
  const h = lines.length * 16 + 10;
  const left = Math.min(Math.max(0, x - w / 2), width - w);
  const top = Math.max(0, y - h - 8);
  return (
    <g className="chart-tip" aria-hidden="true" pointerEvents="none">
      <rect x={left} y={top} width={w} height={h} rx={4} />
      {lines.map((l, i) => <text key={i} x={left + 8} y={top + 18 + i * 16}>{l}</text>)}
    </g>
  );
}

/** The plot area both the bar and the line chart draw in. */
export const PLOT = { W: 560, H: 230, PAD: { left: 52, right: 12, top: 14, bottom: 34 } } as const;

/** Horizontal grid lines with their values on the y axis (decoration: the points carry the numbers). */
export function YGrid({ ticks, y, format }: { ticks: number[]; y: (value: number) => number; format: (value: number) => string }) {
  const { W, PAD } = PLOT;
  return (
    <>
      {ticks.map((t) => (
        <g key={t} aria-hidden="true">
          <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} className="chart-grid" />
          <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end" className="chart-axis">{format(t)}</text>
        </g>
      ))}
    </>
  );
}
