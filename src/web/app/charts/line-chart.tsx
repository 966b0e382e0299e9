// Rates over the intervals (service level, abandonment, containment…) as lines with focusable
// points named "<interval>, <series>: <value>"; a gap where an interval has no value (null),
// never a made-up zero.
import { useState } from 'react';
import { ChartFigure, labelEvery, niceScale, PLOT, Tip, toneOf, YGrid, type Series } from './chart-parts.tsx';

export interface LinePoint { label: string; values: Record<string, number | null> }

const { W, H, PAD } = PLOT;

export function LineChart({ id, title, series, points, format, max, note, emptyText }: {
  id: string; title: string; series: Series[]; points: LinePoint[]; format: (value: number) => string; max?: number; note?: string; emptyText: string;
}) {
  const [active, setActive] = useState<string>();
  const all = points.flatMap((p) => series.map((s) => p.values[s.key])).filter((v): v is number => v !== null && v !== undefined);
  const { top, ticks } = max !== undefined ? { top: max, ticks: [0, 0.25, 0.5, 0.75, 1].map((f) => f * max) } : niceScale(Math.max(0, ...all));
  const plotW = W - PAD.left - PAD.right, plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, points.length);
  const x = (i: number) => PAD.left + i * slot + slot / 2;
  const y = (v: number) => PAD.top + plotH - (Math.min(v, top) / top) * plotH;
  const every = labelEvery(points.length, 10);

  let tip: { x: number; y: number; lines: string[] } | undefined;
  const lines = series.map((s, k) => {
    // One path segment per run of known values.
    let d = '';
    let open = false;
    points.forEach((p, i) => {
      const v = p.values[s.key];
      if (v === null || v === undefined) { open = false; return; }
      d += `${open ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
      open = true;
    });
    return <path key={s.key} d={d} className={`line stroke-${toneOf(s, k)}`} aria-hidden="true" />;
  });
  const dots = points.flatMap((p, i) => series.map((s, k) => {
    const v = p.values[s.key];
    if (v === null || v === undefined) return null;
    const key = `${i}:${s.key}`;
    const text = format(v);
    if (active === key) tip = { x: x(i), y: y(v), lines: [p.label, `${s.label}: ${text}`] };
    return (
      <g key={key} role="img" aria-label={`${p.label}, ${s.label}: ${text}`} tabIndex={0} className="chart-point"
        onMouseEnter={() => setActive(key)} onMouseLeave={() => setActive(undefined)} onFocus={() => setActive(key)} onBlur={() => setActive(undefined)}>
        <circle cx={x(i)} cy={y(v)} r={10} fill="transparent" />
        <circle cx={x(i)} cy={y(v)} r={active === key ? 5 : 3.5} className={`fill-${toneOf(s, k)}`} />
      </g>
    );
  }));

  return (
    <ChartFigure id={id} title={title} legend={series} note={note}>
      {all.length === 0 ? <p className="chart-empty">{emptyText}</p> : (
        <svg viewBox={`0 0 ${W} ${H}`} className="chart-svg" role="group" aria-label={title}>
          <YGrid ticks={ticks} y={y} format={format} />
          {points.map((p, i) => (i % every === 0 ? <text key={i} aria-hidden="true" x={x(i)} y={H - PAD.bottom + 16} textAnchor="middle" className="chart-axis">{p.label}</text> : null))}
          {lines}
          {dots}
          {tip && <Tip width={W} {...tip} />}
        </svg>
      )}
    </ChartFigure>
  );
}
