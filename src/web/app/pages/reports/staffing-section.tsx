// The staffing part of the reports page: next week's forecast calls and required agents per half
// hour (GET /reports/staffing) for a queue or all queues and a target the supervisor sets, as a
// chart of the week and a table per day, with the CSV of every half hour a click away.
import { useEffect, useState, type FormEvent } from 'react';
import { api, API, type Me } from '../../api.ts';
import { duration, percent } from '../../format.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { StaffingChart } from './staffing-chart.tsx';
import { StaffingTable } from './staffing-table.tsx';
import { DEFAULT_CHOICES, shortDate, staffingQuery, type StaffingChoices, type StaffingForecast } from './staffing-types.ts';
import './staffing.css';

export function StaffingSection({ me }: { me: Me }) {
  const { t, locale } = useI18n();
  const [queues, setQueues] = useState<string[]>([]);
  const [choices, setChoices] = useState<StaffingChoices>(DEFAULT_CHOICES);
  // What the shown forecast was calculated for (the CSV link follows it, not half-typed inputs).
  const [applied, setApplied] = useState<StaffingChoices>(DEFAULT_CHOICES);
  const [forecast, setForecast] = useState<StaffingForecast>();
  const [day, setDay] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (me.permissions.includes('queues.read')) api<{ queues: { queueId: string }[] }>('/queues').then((r) => setQueues(r.queues.map((q) => q.queueId).filter((id) => !id.startsWith('@')).sort()), () => undefined);
  }, []);

  useEffect(() => {
    let stale = false;
    setBusy(true);
    setError(undefined);
    api<StaffingForecast>(`/reports/staffing?${staffingQuery(applied)}`).then((f) => {
      if (stale) return;
      setForecast(f);
      setDay((d) => (d && f.intervals.some((i) => i.date === d) ? d : f.intervals[0]?.date));
    }, (err: Error) => { if (!stale) setError(err.message); }).finally(() => { if (!stale) setBusy(false); });
    return () => { stale = true; };
  }, [applied]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setApplied({ ...choices });
  };
  const set = (field: keyof StaffingChoices) => (e: { target: { value: string } }) => setChoices((c) => ({ ...c, [field]: e.target.value }));

  const days = forecast ? [...new Map(forecast.intervals.map((i) => [i.date, i])).values()] : [];
  const totalCalls = forecast ? Math.round(forecast.intervals.reduce((s, i) => s + i.calls, 0)) : 0;
  const peakAgents = forecast ? Math.max(0, ...forecast.intervals.map((i) => i.agents)) : 0;
  const weekday = (n: number) => t(`staffing.weekday.${n}` as MessageKey);

  return (
    <section className="staffing" aria-labelledby="staffing-title">
      <h2 id="staffing-title">{t('staffing.title')}</h2>
      <p className="summary">{t('staffing.intro')}</p>
      <form className="card report-filters staffing-form" aria-label={t('staffing.form')} onSubmit={submit}>
        <div className="field">
          <label htmlFor="staffing-queue">{t('staffing.queue')}</label>
          <select id="staffing-queue" value={choices.queue} onChange={set('queue')}>
            <option value="">{t('staffing.queue.all')}</option>
            {queues.map((q) => <option key={q} value={q}>{t('staffing.queue.one', { id: q })}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="staffing-target">{t('staffing.target')}</label>
          <input id="staffing-target" type="number" inputMode="decimal" min={1} max={99.9} step="any" value={choices.target} onChange={set('target')} required />
        </div>
        <div className="field">
          <label htmlFor="staffing-threshold">{t('staffing.threshold')}</label>
          <input id="staffing-threshold" type="number" min={1} max={600} step={1} value={choices.thresholdSeconds} onChange={set('thresholdSeconds')} required />
        </div>
        <div className="field">
          <label htmlFor="staffing-abandon">{t('staffing.maxAbandon')}</label>
          <input id="staffing-abandon" type="number" inputMode="decimal" min={0.1} max={50} step="any" value={choices.maxAbandon} onChange={set('maxAbandon')} aria-describedby="staffing-abandon-hint" />
          <small id="staffing-abandon-hint" className="hint">{t('staffing.maxAbandon.hint')}</small>
        </div>
        <div className="field">
          <label htmlFor="staffing-weeks">{t('staffing.weeks')}</label>
          <input id="staffing-weeks" type="number" min={1} max={26} step={1} value={choices.weeks} onChange={set('weeks')} required />
        </div>
        <div className="field staffing-actions">
          <button type="submit" disabled={busy}>{t('staffing.submit')}</button>
          <a href={`${API}/reports/staffing?${staffingQuery(applied, 'csv')}`} download>{t('staffing.csv')}</a>
        </div>
      </form>
      {error && <p className="form-error" role="alert">{t('app.error', { message: error })}</p>}
      <p className="sr-status" role="status" aria-live="polite">{busy ? t('staffing.loading') : forecast ? t('staffing.ready', { calls: totalCalls, agents: peakAgents }) : ''}</p>
      {forecast && (
        <div aria-busy={busy} className="staffing-result">
          <ul className="staffing-facts">
            <li>{t('staffing.week', { from: shortDate(days[0]?.date ?? '', locale), to: shortDate(days.at(-1)?.date ?? '', locale), zone: forecast.timezone })}</li>
            <li>{forecast.model === 'erlang-a'
              ? t('staffing.model.erlangA', { patience: duration(forecast.patienceSeconds) ?? '—', weeks: Math.max(0, ...forecast.daysUsed) })
              : t('staffing.model.erlangC')}</li>
            <li>{t('staffing.aht', { aht: duration(forecast.ahtSeconds) ?? '—' })}</li>
            {forecast.holidaysLeftOut.length > 0 && <li>{t('staffing.holidaysLeftOut', { dates: forecast.holidaysLeftOut.map((d) => shortDate(d, locale)).join(', ') })}</li>}
            {forecast.holidaysAhead.length > 0 && <li className="staffing-holiday-note">{t('staffing.holidaysAhead', { list: forecast.holidaysAhead.map((h) => `${shortDate(h.date, locale)} ${h.name}`).join(', ') })}</li>}
          </ul>
          {totalCalls === 0 ? <p className="chart-empty">{t('staffing.noHistory')}</p> : <StaffingChart intervals={forecast.intervals} />}
          <div className="staffing-days" role="group" aria-label={t('staffing.days')}>
            {days.map((d) => (
              <button key={d.date} type="button" aria-pressed={d.date === day} className={d.holiday !== undefined ? 'is-holiday' : undefined} onClick={() => setDay(d.date)}>
                {t(d.holiday !== undefined ? 'staffing.dayTab.holiday' : 'staffing.dayTab', { day: weekday(d.weekday), date: shortDate(d.date, locale) })}
              </button>
            ))}
          </div>
          {day && <StaffingTable intervals={forecast.intervals.filter((i) => i.date === day)} caption={t('staffing.table', { day: weekday(forecast.intervals.find((i) => i.date === day)!.weekday), date: shortDate(day, locale) })} percent={(v) => percent(v, locale) ?? '—'} />}
        </div>
      )}
    </section>
  );
}
