// Bars per interval (one or more series side by side, or stacked), hand-written SVG. Every bar is
// focusable and named "<interval>, <series>: <value>", so a keyboard or screen-reader user gets
// the numbers a mouse user sees in the tooltip.
import { useState } from 'react';
import { ChartFigure, labelEvery, niceScale, PLOT, Tip, toneOf, YGrid, type Series } from './chart-parts.tsx';

export interface BarPoint { label: string; values: Record<string, number | null> }

const { W, H, PAD } = PLOT;

export function BarChart({ id, title, series, points, format, stacked = false, note, emptyText }: {
  id: string; title: string; series: Series[]; points: BarPoint[]; format: (value: number) => string; stacked?: boolean; note?: string; emptyText: string;
}) {
  const [active, setActive] = useState<string>();
  const sums = points.map((p) => (stacked ? series.reduce((s, x) => s + (p.values[x.key] ?? 0), 0) : Math.max(0, ...series.map((x) => p.values[x.key] ?? 0))));
  const { top, ticks } = niceScale(Math.max(0, ...sums));
  const plotW = W - PAD.left - PAD.right, plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, points.length);
  const barW = Math.max(2, (slot * 0.75) / (stacked ? 1 : series.length));
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const every = labelEvery(points.length, 10);
  // Nothing to draw when every value is zero or unknown: say so in words instead of an empty axis.
  const empty = points.every((p) => series.every((s) => !p.values[s.key]));

  let tip: { x: number; y: number; lines: string[] } | undefined;
  const bars = points.flatMap((p, i) => {
    let base = 0;
    return series.map((s, k) => {
      const value = p.values[s.key];
      const v = value ?? 0;
      const x = PAD.left + i * slot + (slot - barW * (stacked ? 1 : series.length)) / 2 + (stacked ? 0 : k * barW);
      const y0 = stacked ? y(base + v) : y(v);
      const h = Math.max(0, (stacked ? y(base) : y(0)) - y0);
      if (stacked) base += v;
      const key = `${i}:${s.key}`;
      const text = value === null || value === undefined ? '—' : format(value);
      const name = `${p.label}, ${s.label}: ${text}`;
      if (active === key) tip = { x: x + barW / 2, y: y0, lines: [p.label, `${s.label}: ${text}`] };
      return (
        <g key={key} role="img" aria-label={name} tabIndex={0} className="chart-point"
          onMouseEnter={() => setActive(key)} onMouseLeave={() => setActive(undefined)} onFocus={() => setActive(key)} onBlur={() => setActive(undefined)}>
          {/* A hit area the height of the plot, so a zero bar can still be hovered. */}
          <rect x={x} y={PAD.top} width={barW} height={plotH} fill="transparent" />
          <rect x={x} y={y0} width={barW} height={h} className={`fill-${toneOf(s, k)}`} />
        </g>
      );
    });
  });

  return (
    <ChartFigure id={id} title={title} legend={series} note={note}>
      {empty ? <p className="chart-empty">{emptyText}</p> : (
        <svg viewBox={`0 0 ${W} ${H}`} className="chart-svg" role="group" aria-label={title}>
          <YGrid ticks={ticks} y={y} format={format} />
          {points.map((p, i) => (i % every === 0 ? <text key={i} aria-hidden="true" x={PAD.left + i * slot + slot / 2} y={H - PAD.bottom + 16} textAnchor="middle" className="chart-axis">{p.label}</text> : null))}
          <line x1={PAD.left} x2={W - PAD.right} y1={y(0)} y2={y(0)} className="chart-baseline" aria-hidden="true" />
          {bars}
          {tip && <Tip width={W} {...tip} />}
        </svg>
      )}
    </ChartFigure>
  );
}
