// Horizontal bars, one row per category (names can be long, in two scripts: they read better
// beside a bar than under it). Each row is focusable and named "<category>: <value>", the value is
// printed at the bar's end, and a second measure (e.g. how many calls a rate is of) shows on
// hover and focus.
import { useState } from 'react';
import { ChartFigure, type Tone } from '../../charts/chart-parts.tsx';

export interface CategoryBar { key: string; label: string; value: number; detail?: string }

const W = 640, ROW = 28, LABEL = 220, PAD = 8, VALUE = 90;

export function CategoryBars({ id, title, bars, max, format, tone = 'accent', emptyText, note }: {
  id: string; title: string; bars: CategoryBar[]; max?: number; format: (value: number) => string; tone?: Tone; emptyText: string; note?: string;
}) {
  const [active, setActive] = useState<string>();
  const top = Math.max(max ?? 0, ...bars.map((b) => b.value), 1e-9);
  const plot = W - LABEL - VALUE - PAD * 2;
  const height = Math.max(1, bars.length) * ROW + PAD * 2;
  return (
    <ChartFigure id={id} title={title} {...(note ? { note } : {})}>
      {bars.length === 0 ? <p className="chart-empty">{emptyText}</p> : (
        <svg viewBox={`0 0 ${W} ${height}`} className="chart-svg category-bars" role="group" aria-labelledby={`${id}-title`}>
          {bars.map((b, i) => {
            const y = PAD + i * ROW;
            const w = Math.max(b.value > 0 ? 2 : 0, (b.value / top) * plot);
            const name = `${b.label}: ${format(b.value)}${b.detail ? ` (${b.detail})` : ''}`;
            const shown = active === b.key;
            return (
              <g key={b.key} role="img" aria-label={name} tabIndex={0} className="chart-point" data-category={b.key}
                onMouseEnter={() => setActive(b.key)} onMouseLeave={() => setActive(undefined)} onFocus={() => setActive(b.key)} onBlur={() => setActive(undefined)}>
                <rect x={0} y={y} width={W} height={ROW - 4} fill="transparent" />
                <text aria-hidden="true" x={LABEL - PAD} y={y + ROW / 2} textAnchor="end" dominantBaseline="middle" className="chart-axis">{b.label.length > 28 ? `${b.label.slice(0, 27)}…` : b.label}</text>
                <text aria-hidden="true" x={LABEL + w + PAD} y={y + ROW / 2} dominantBaseline="middle" className="chart-axis">{shown && b.detail ? `${format(b.value)} · ${b.detail}` : format(b.value)}</text>
                {/* Last, so the focus ring (charts.css: rect:last-child) goes round the bar. */}
                <rect x={LABEL} y={y + 3} width={w} height={ROW - 10} className={`fill-${tone}`} />
              </g>
            );
          })}
        </svg>
      )}
    </ChartFigure>
  );
}
