// Reports: the contact center's figures over a date range (in the site's time zone), for all
// calls or one queue or one agent, as charts (GET /reports/calls, from the rollups written as calls
// end), with the CSV behind them a click away, and the overdue follow-ups linked.
import { useEffect, useMemo, useState } from 'react';
import { api, API, type Me } from '../api.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/en.ts';
import { Link } from '../router.tsx';
import '../charts/charts.css';
import './reports.css';
import { ReportCharts } from './reports/report-charts.tsx';
import { StaffingSection } from './reports/staffing-section.tsx';
import { DispositionsReport } from './reports/dispositions-report.tsx';
import { INTERVALS, type Interval, type Report } from './reports/report-types.ts';
import { addDays, dateIn, midnightIn } from './reports/zoned-dates.ts';

type Filter = { kind: 'all' } | { kind: 'queue' | 'agent'; id: string };
const ACTIVE_FOLLOWUPS = 'open,in-progress,waiting';

/** The interval that gives a readable number of bars for a range of `days`. */
const autoInterval = (days: number): Interval => (days <= 2 ? 'hour' : days <= 62 ? 'day' : days <= 370 ? 'week' : 'month');

export function ReportsPage({ me }: { me: Me }) {
  const { t } = useI18n();
  const can = (p: string) => me.permissions.includes(p);
  const [timeZone, setTimeZone] = useState<string>();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [interval, setIntervalChoice] = useState<Interval | 'auto'>('auto');
  const [filter, setFilter] = useState<Filter>({ kind: 'all' });
  const [queues, setQueues] = useState<string[]>([]);
  const [agents, setAgents] = useState<string[]>([]);
  const [report, setReport] = useState<Report>();
  const [funnel, setFunnel] = useState<Report['funnel']>();
  const [overdue, setOverdue] = useState<number>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  // The site's time zone: any report says which zone it counted in; a 15-minute one is the cheapest.
  useEffect(() => {
    const now = Date.now();
    api<Report>(`/reports/calls?from=${now - 900_000}&to=${now}&interval=total`).then((r) => {
      const zone = r.query.timezone;
      const today = dateIn(now, zone);
      setTimeZone(zone);
      setTo(today);
      setFrom(addDays(today, -6));
    }, (err: Error) => setError(err.message));
    if (can('queues.read')) api<{ queues: { queueId: string }[] }>('/queues').then((r) => setQueues(r.queues.map((q) => q.queueId).sort()), () => undefined);
    if (can('agents.read')) api<{ agents: { id: string }[] }>('/agents').then((r) => setAgents(r.agents.map((a) => a.id).sort()), () => undefined);
    if (can('followups.read')) {
      api<{ items: { dueAt: number }[] }>(`/followups?status=${ACTIVE_FOLLOWUPS}&limit=500`).then((r) => setOverdue(r.items.filter((f) => f.dueAt < Date.now()).length), () => undefined);
    }
  }, []);

  const days = from && to ? Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1 : 0;
  const rangeError = from && to && days < 1 ? t('reports.range.backwards') : days > 400 ? t('reports.range.tooLong') : undefined;
  const used: Interval = interval === 'auto' ? autoInterval(days) : interval;

  /** The query string for the current choices (the CSV links use the same). */
  const query = useMemo(() => {
    if (!timeZone || !from || !to || rangeError) return undefined;
    const q = new URLSearchParams({ from: String(midnightIn(from, timeZone)), to: String(midnightIn(addDays(to, 1), timeZone)), interval: used });
    if (filter.kind !== 'all') q.set(filter.kind, filter.id);
    return q;
  }, [timeZone, from, to, used, filter, rangeError]);

  useEffect(() => {
    if (!query) return;
    let stale = false;
    setBusy(true);
    setError(undefined);
    // The IVR funnel is kept per flow; flows cannot be combined with a queue or agent filter, so it is site-wide.
    const funnelQuery = new URLSearchParams({ from: query.get('from')!, to: query.get('to')!, interval: 'total', groupBy: 'flow' });
    Promise.all([api<Report>(`/reports/calls?${query}`), api<Report>(`/reports/calls?${funnelQuery}`)]).then(([main, flows]) => {
      if (stale) return;
      setReport(main);
      setFunnel(flows.funnel ?? []);
    }, (err: Error) => { if (!stale) setError(err.message); }).finally(() => { if (!stale) setBusy(false); });
    return () => { stale = true; };
  }, [query]);

  const csv = (table: 'series' | 'funnel') => {
    if (!query) return '#';
    const q = new URLSearchParams(query);
    if (table === 'funnel') { q.delete('queue'); q.delete('agent'); q.set('groupBy', 'flow'); q.set('interval', 'total'); }
    q.set('format', 'csv');
    q.set('table', table);
    return `${API}/reports/calls?${q}`;
  };

  const filterValue = filter.kind === 'all' ? '' : `${filter.kind}:${filter.id}`;
  const onFilter = (value: string) => {
    const [kind, ...rest] = value.split(':');
    setFilter(kind === 'queue' || kind === 'agent' ? { kind, id: rest.join(':') } : { kind: 'all' });
  };

  return (
    <main id="main" className="page reports">
      <div className="page-head">
        <h1>{t('reports.title')}</h1>
        {overdue !== undefined && (
          <Link to="/followups" className={`followups-link${overdue > 0 ? ' has-overdue' : ''}`}>{t('reports.followups', { count: overdue })}</Link>
        )}
      </div>
      <form className="card report-filters" aria-label={t('reports.filters')} onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="report-from">{t('reports.from')}</label>
          <input id="report-from" type="date" value={from} max={to || undefined} onChange={(e) => setFrom(e.target.value)} required />
        </div>
        <div className="field">
          <label htmlFor="report-to">{t('reports.to')}</label>
          <input id="report-to" type="date" value={to} min={from || undefined} onChange={(e) => setTo(e.target.value)} required />
        </div>
        <div className="field">
          <label htmlFor="report-interval">{t('reports.interval')}</label>
          <select id="report-interval" value={interval} onChange={(e) => setIntervalChoice(e.target.value as Interval | 'auto')}>
            <option value="auto">{t('reports.interval.auto', { interval: t(`reports.interval.${autoInterval(days)}` as MessageKey) })}</option>
            {INTERVALS.map((i) => <option key={i} value={i}>{t(`reports.interval.${i}` as MessageKey)}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="report-filter">{t('reports.filter')}</label>
          <select id="report-filter" value={filterValue} onChange={(e) => onFilter(e.target.value)} aria-describedby="report-filter-hint">
            <option value="">{t('reports.filter.all')}</option>
            {queues.length > 0 && <optgroup label={t('reports.filter.queues')}>{queues.map((q) => <option key={q} value={`queue:${q}`}>{t('reports.filter.queue', { id: q })}</option>)}</optgroup>}
            {agents.length > 0 && <optgroup label={t('reports.filter.agents')}>{agents.map((a) => <option key={a} value={`agent:${a}`}>{t('reports.filter.agent', { id: a })}</option>)}</optgroup>}
          </select>
          <small id="report-filter-hint" className="hint">{t('reports.filter.hint')}</small>
        </div>
        <div className="field csv-links">
          <span className="label-like">{t('reports.csv')}</span>
          <span>
            <a href={csv('series')} download aria-disabled={!query}>{t('reports.csv.series')}</a>
            {' · '}
            <a href={csv('funnel')} download aria-disabled={!query}>{t('reports.csv.funnel')}</a>
          </span>
        </div>
      </form>
      {timeZone && <p className="summary">{t('reports.timezone', { zone: timeZone })}</p>}
      {rangeError && <p className="form-error" role="alert">{rangeError}</p>}
      {error && <p className="form-error" role="alert">{t('app.error', { message: error })}</p>}
      <p className="sr-status" role="status" aria-live="polite">{busy ? t('app.loading') : report ? t('reports.ready', { calls: report.total.calls }) : ''}</p>
      {report && <ReportCharts report={report} funnel={funnel ?? []} busy={busy} />}
      <StaffingSection me={me} />
      <DispositionsReport query={query} />
    </main>
  );
}
