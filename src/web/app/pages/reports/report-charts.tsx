// The report's charts and headline figures: calls, service level, abandonment, handle time, IVR
// funnel, bot containment, CSAT and repeat callers, each chart's bars named with their numbers.
import { BarChart } from '../../charts/bar-chart.tsx';
import { FunnelChart } from '../../charts/funnel-chart.tsx';
import { LineChart } from '../../charts/line-chart.tsx';
import { duration, percent } from '../../format.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { useState } from 'react';
import { abandonRate, type Figures, type Report } from './report-types.ts';
import { intervalLabel } from './zoned-dates.ts';

export function ReportCharts({ report, funnel, busy }: { report: Report; funnel: NonNullable<Report['funnel']>; busy: boolean }) {
  const { t, locale } = useI18n();
  const { query, total } = report;
  const group = report.groups[0] ?? 'all';
  const points = report.series.filter((p) => p.group === group);
  const multiDay = points.length > 0 && points.at(-1)!.start - points[0]!.start >= 86_400_000;
  const label = (start: number) => intervalLabel(start, query.interval, locale, query.timezone, multiDay);
  const pct = (v: number) => percent(v, locale) ?? '—';
  const count = (v: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(v);
  const secs = (v: number) => duration(v) ?? '—';
  const dash = t('reports.none');
  const empty = t('reports.empty');
  const at = (pick: (f: Figures) => Record<string, number | null>) => points.map((p) => ({ label: label(p.start), values: pick(p.figures) }));
  const [flow, setFlow] = useState<string>();
  const shownFlow = funnel.find((f) => f.flow === flow) ?? funnel[0];
  const scope = query.filter ? t(`reports.scope.${query.filter.dimension}` as MessageKey, { id: query.filter.id }) : t('reports.scope.all');

  const tiles: [string, string, string][] = [
    ['calls', t('reports.tile.calls'), count(total.calls)],
    ['answered', t('reports.tile.answered'), t('reports.tile.answeredOf', { answered: total.answered, offered: total.offered })],
    ['sl', t('reports.tile.sl', { seconds: query.serviceLevelSeconds }), total.serviceLevel === null ? dash : pct(total.serviceLevel)],
    ['abandon', t('reports.tile.abandon'), abandonRate(total) === null ? dash : pct(abandonRate(total)!)],
    ['aht', t('reports.tile.aht'), total.ahtSeconds === null ? dash : secs(total.ahtSeconds)],
    ['asa', t('reports.tile.asa'), total.asaSeconds === null ? dash : secs(total.asaSeconds)],
    ['containment', t('reports.tile.containment'), total.bot.containmentRate === null ? dash : pct(total.bot.containmentRate)],
    ['csat', t('reports.tile.csat'), total.csat.average === null ? dash : t('reports.tile.csatValue', { average: total.csat.average, responses: total.csat.responses })],
    ['repeat', t('reports.tile.repeat'), total.repeatCallerRate === null ? dash : pct(total.repeatCallerRate)],
  ];

  return (
    <div aria-busy={busy}>
      <h2 className="scope">{scope}</h2>
      <dl className="report-tiles">
        {tiles.map(([key, name, value]) => <div key={key} className="card tile" data-tile={key}><dt>{name}</dt><dd>{value}</dd></div>)}
      </dl>
      <div className="chart-grid-layout">
        <BarChart id="calls" title={t('reports.chart.calls')} emptyText={empty} format={count}
          series={[{ key: 'calls', label: t('reports.series.calls') }, { key: 'answered', label: t('reports.series.answered'), tone: 'good' }, { key: 'abandoned', label: t('reports.series.abandoned'), tone: 'bad' }]}
          points={at((f) => ({ calls: f.calls, answered: f.answered, abandoned: f.abandoned }))} />
        <LineChart id="sl" title={t('reports.chart.sl', { seconds: query.serviceLevelSeconds })} emptyText={t('reports.empty.rate')} format={pct} max={1}
          series={[{ key: 'sl', label: t('reports.series.sl'), tone: 'good' }]} points={at((f) => ({ sl: f.serviceLevel }))} />
        <LineChart id="abandon" title={t('reports.chart.abandon')} emptyText={t('reports.empty.rate')} format={pct} max={1}
          series={[{ key: 'rate', label: t('reports.series.abandonRate'), tone: 'bad' }]} points={at((f) => ({ rate: abandonRate(f) }))} />
        <BarChart id="aht" title={t('reports.chart.aht')} emptyText={t('reports.empty.rate')} format={secs}
          series={[{ key: 'aht', label: t('reports.series.aht') }, { key: 'asa', label: t('reports.series.asa'), tone: 'warn' }]}
          points={at((f) => ({ aht: f.ahtSeconds, asa: f.asaSeconds }))} />
        <div>
          {funnel.length > 1 && (
            <div className="field-inline funnel-pick">
              <label htmlFor="funnel-flow">{t('reports.funnel.flow')}</label>
              <select id="funnel-flow" value={shownFlow?.flow} onChange={(e) => setFlow(e.target.value)}>{funnel.map((f) => <option key={f.flow} value={f.flow}>{f.flow}</option>)}</select>
            </div>
          )}
          <FunnelChart id="funnel" title={shownFlow ? t('reports.chart.funnelOf', { flow: shownFlow.flow }) : t('reports.chart.funnel')} emptyText={t('reports.empty.funnel')}
            note={query.filter ? t('reports.funnel.siteWide') : undefined}
            steps={(shownFlow?.nodes ?? []).map((n) => ({ label: n.node, reached: n.reached, dropped: n.dropped, text: t('reports.funnel.step', { node: n.node, reached: n.reached, dropped: n.dropped }) }))} />
        </div>
        <BarChart id="bot" title={t('reports.chart.bot')} emptyText={t('reports.empty.bot')} format={count} stacked
          note={total.bot.calls ? t('reports.bot.note', { rate: total.bot.containmentRate === null ? dash : pct(total.bot.containmentRate), match: total.bot.matchRate === null ? dash : pct(total.bot.matchRate) }) : undefined}
          series={[{ key: 'contained', label: t('reports.series.contained'), tone: 'good' }, { key: 'handedOff', label: t('reports.series.handedOff'), tone: 'accent' }, { key: 'unresolved', label: t('reports.series.unresolved'), tone: 'bad' }]}
          points={at((f) => ({ contained: f.bot.contained, handedOff: f.bot.handedOff, unresolved: f.bot.unresolved }))} />
        <BarChart id="csat" title={t('reports.chart.csat')} emptyText={t('reports.empty.csat')} format={count}
          note={total.csat.responses ? t('reports.csat.note', { average: total.csat.average ?? dash, satisfied: total.csat.satisfiedRate === null ? dash : pct(total.csat.satisfiedRate) }) : undefined}
          series={[{ key: 'responses', label: t('reports.series.responses') }]}
          points={total.csat.responses ? total.csat.scores.map((n, i) => ({ label: t('reports.csat.score', { score: i + 1 }), values: { responses: n } })) : []} />
        <BarChart id="repeat" title={t('reports.chart.repeat')} emptyText={empty} format={count}
          series={[{ key: 'repeat', label: t('reports.series.repeat'), tone: 'violet' }, { key: 'first', label: t('reports.series.firstTime'), tone: 'muted' }]} stacked
          points={at((f) => ({ repeat: f.repeatCalls, first: f.calls - f.repeatCalls }))} />
      </div>
    </div>
  );
}
