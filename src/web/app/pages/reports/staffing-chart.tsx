// The forecast week in one SVG: a bar per half hour for the forecast calls (left axis) and a step
// line for the required agents (right axis), days marked and holidays shaded and named. 336 half
// hours are one tab stop: the chart is focused once, then the arrow keys move through the half
// hours (Home/End: the week's ends), and each one's numbers are its accessible name and the tooltip.
import { useRef, useState, type KeyboardEvent } from 'react';
import { ChartFigure, niceScale, Tip } from '../../charts/chart-parts.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { shortDate, type StaffingInterval } from './staffing-types.ts';

const W = 1000, H = 260;
const PAD = { left: 48, right: 44, top: 14, bottom: 40 };

export function StaffingChart({ intervals }: { intervals: StaffingInterval[] }) {
  const { t, locale } = useI18n();
  const [active, setActive] = useState<number>();
  const [focus, setFocus] = useState(0);
  const points = useRef<(SVGGElement | null)[]>([]);
  const calls = niceScale(Math.max(0, ...intervals.map((i) => i.calls)));
  const agents = niceScale(Math.max(0, ...intervals.map((i) => i.agents)));
  const plotW = W - PAD.left - PAD.right, plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, intervals.length);
  const x = (i: number) => PAD.left + i * slot;
  const yCalls = (v: number) => PAD.top + plotH - (v / calls.top) * plotH;
  const yAgents = (v: number) => PAD.top + plotH - (v / agents.top) * plotH;
  const count = (v: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(v);
  const dayName = (i: StaffingInterval) => t(`staffing.weekday.${i.weekday}` as MessageKey);
  const nameOf = (i: StaffingInterval) => t('staffing.point', { day: `${dayName(i)} ${shortDate(i.date, locale)}`, time: i.time, calls: count(i.calls), agents: i.agents });
  const dayStarts = intervals.flatMap((i, n) => (n === 0 || intervals[n - 1]!.date !== i.date ? [n] : []));

  const move = (to: number) => {
    const next = Math.max(0, Math.min(intervals.length - 1, to));
    setFocus(next);
    points.current[next]?.focus();
  };
  const onKey = (e: KeyboardEvent) => {
    const step = { ArrowRight: 1, ArrowLeft: -1, ArrowUp: 2, ArrowDown: -2, PageDown: 48, PageUp: -48 }[e.key];
    if (step !== undefined) move(focus + step);
    else if (e.key === 'Home') move(0);
    else if (e.key === 'End') move(intervals.length - 1);
    else return;
    e.preventDefault();
  };

  // The agents' step line: level over each half hour.
  const agentPath = intervals.map((i, n) => `${n === 0 ? 'M' : 'L'}${x(n).toFixed(1)},${yAgents(i.agents).toFixed(1)}H${(x(n) + slot).toFixed(1)}`).join('');
  const tipFor = active === undefined ? undefined : intervals[active];

  return (
    <ChartFigure id="staffing-week" title={t('staffing.chart')} note={t('staffing.chart.keys')}
      legend={[{ key: 'calls', label: t('staffing.series.calls'), tone: 'accent' }, { key: 'agents', label: t('staffing.series.agents'), tone: 'bad' }]}>
      <svg viewBox={`0 0 ${W} ${H}`} className="chart-svg staffing-svg" role="group" aria-label={t('staffing.chart')} onKeyDown={onKey}>
        {dayStarts.map((n, k) => {
          const first = intervals[n]!;
          const end = dayStarts[k + 1] ?? intervals.length;
          return (
            <g key={first.date} aria-hidden="true">
              {first.holiday !== undefined && <rect x={x(n)} y={PAD.top} width={(end - n) * slot} height={plotH} className="staffing-holiday" />}
              <line x1={x(n)} x2={x(n)} y1={PAD.top} y2={H - PAD.bottom + 4} className="chart-grid" />
              <text x={x(n) + ((end - n) * slot) / 2} y={H - PAD.bottom + 16} textAnchor="middle" className="chart-axis">{`${dayName(first)} ${shortDate(first.date, locale)}`}</text>
              {first.holiday !== undefined && <text x={x(n) + ((end - n) * slot) / 2} y={H - PAD.bottom + 32} textAnchor="middle" className="chart-axis">{first.holiday}</text>}
            </g>
          );
        })}
        {calls.ticks.map((v) => (
          <g key={`c${v}`} aria-hidden="true">
            <line x1={PAD.left} x2={W - PAD.right} y1={yCalls(v)} y2={yCalls(v)} className="chart-grid" />
            <text x={PAD.left - 6} y={yCalls(v) + 4} textAnchor="end" className="chart-axis">{count(v)}</text>
          </g>
        ))}
        {agents.ticks.map((v) => <text key={`a${v}`} aria-hidden="true" x={W - PAD.right + 6} y={yAgents(v) + 4} className="chart-axis staffing-agents-axis">{count(v)}</text>)}
        {intervals.map((i, n) => (
          <g key={i.start} role="img" aria-label={nameOf(i)} tabIndex={n === focus ? 0 : -1} className="chart-point"
            ref={(el) => { points.current[n] = el; }}
            onMouseEnter={() => setActive(n)} onMouseLeave={() => setActive(undefined)}
            onFocus={() => { setActive(n); setFocus(n); }} onBlur={() => setActive(undefined)}>
            <rect x={x(n)} y={PAD.top} width={slot} height={plotH} fill="transparent" />
            <rect x={x(n) + slot * 0.1} y={yCalls(i.calls)} width={slot * 0.8} height={Math.max(0, yCalls(0) - yCalls(i.calls))} className="fill-accent" />
          </g>
        ))}
        <path d={agentPath} className="line stroke-bad" aria-hidden="true" pointerEvents="none" />
        <line x1={PAD.left} x2={W - PAD.right} y1={yCalls(0)} y2={yCalls(0)} className="chart-baseline" aria-hidden="true" />
        {active !== undefined && <rect aria-hidden="true" x={x(active)} y={PAD.top} width={slot} height={plotH} className="staffing-cursor" pointerEvents="none" />}
        {tipFor && <Tip width={W} x={x(active!) + slot / 2} y={yCalls(tipFor.calls)} lines={[`${dayName(tipFor)} ${shortDate(tipFor.date, locale)} ${tipFor.time}`, `${t('staffing.series.calls')}: ${count(tipFor.calls)}`, `${t('staffing.series.agents')}: ${tipFor.agents}`]} />}
      </svg>
    </ChartFigure>
  );
}
