// A funnel as horizontal bars, one per step, widest first: how many reached each step and how
// many dropped there. Each row is focusable and says its numbers in words.
import { ChartFigure } from './chart-parts.tsx';

export interface FunnelStep { label: string; reached: number; dropped: number; text: string }

const W = 560, ROW = 30, LABEL = 150;

export function FunnelChart({ id, title, steps, note, emptyText }: { id: string; title: string; steps: FunnelStep[]; note?: string; emptyText: string }) {
  const max = Math.max(1, ...steps.map((s) => s.reached));
  const H = steps.length * ROW + 8;
  const barW = (v: number) => ((W - LABEL - 60) * v) / max;
  return (
    <ChartFigure id={id} title={title} note={note}>
      {steps.length === 0 ? <p className="chart-empty">{emptyText}</p> : (
        <svg viewBox={`0 0 ${W} ${H}`} className="chart-svg" role="group" aria-label={title}>
          {steps.map((s, i) => (
            <g key={s.label} role="img" aria-label={s.text} tabIndex={0} className="chart-point">
              <title>{s.text}</title>
              <text x={LABEL - 8} y={i * ROW + 20} textAnchor="end" className="chart-axis">{s.label}</text>
              <rect x={LABEL} y={i * ROW + 6} width={Math.max(1, barW(s.reached - s.dropped))} height={ROW - 10} className="fill-accent" />
              <rect x={LABEL + barW(s.reached - s.dropped)} y={i * ROW + 6} width={barW(s.dropped)} height={ROW - 10} className="fill-bad" />
              <text x={LABEL + barW(s.reached) + 6} y={i * ROW + 20} className="chart-axis">{s.reached}</text>
            </g>
          ))}
        </svg>
      )}
    </ChartFigure>
  );
}
