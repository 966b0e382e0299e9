// Finding recorded calls: date range, caller, agent, queue, outcome and words said (GET /calls
// filters), joined with the recordings of the calls found (GET /recordings). The last search is
// kept while the page is open, so coming back from a recording shows the same list.
import { useEffect, useState, type FormEvent } from 'react';
import { api, type Me } from '../../api.ts';
import { dateTime, duration } from '../../format.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { Link } from '../../router.tsx';
import { OUTCOMES, type CallRow, type Recording } from './types.ts';

interface Filters { from: string; to: string; caller: string; agent: string; queue: string; outcome: string; text: string; recordedOnly: boolean }
interface Found { calls: CallRow[]; recordings: Map<string, Recording[]> }

const EMPTY: Filters = { from: '', to: '', caller: '', agent: '', queue: '', outcome: '', text: '', recordedOnly: true };
let remembered: { filters: Filters; found?: Found } = { filters: EMPTY };
/** Each search's number: an answer to an older search than the latest is dropped. */
let searches = 0;

/** A local calendar day as epoch ms: its first moment, or (end) the first moment of the next day. */
const dayStart = (day: string, end = false) => {
  const d = new Date(`${day}T00:00:00`);
  if (end) d.setDate(d.getDate() + 1);
  return d.getTime();
};

export function SearchView({ me }: { me: Me }) {
  const { t, locale } = useI18n();
  const [filters, setFilters] = useState<Filters>(remembered.filters);
  const [found, setFound] = useState<Found | undefined>(remembered.found);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [agents, setAgents] = useState<string[]>([]);
  const [queues, setQueues] = useState<string[]>([]);

  useEffect(() => {
    if (me.permissions.includes('agents.read')) api<{ agents: { id: string }[] }>('/agents').then((r) => setAgents(r.agents.map((a) => a.id).sort()), () => undefined);
    if (me.permissions.includes('queues.read')) api<{ queues: { queueId: string }[] }>('/queues').then((r) => setQueues(r.queues.map((q) => q.queueId).filter((id) => !id.startsWith('@')).sort()), () => undefined);
  }, [me]);

  const search = async (f: Filters) => {
    const mine = ++searches;
    setBusy(true);
    setError(undefined);
    try {
      const query = new URLSearchParams({ limit: '200' });
      if (f.from) query.set('from', String(dayStart(f.from)));
      if (f.to) query.set('to', String(dayStart(f.to, true) - 1));
      for (const key of ['caller', 'agent', 'queue', 'outcome', 'text'] as const) if (f[key].trim()) query.set(key, f[key].trim());
      const { items } = await api<{ items: CallRow[] }>(`/calls?${query}`);
      const recordings = new Map<string, Recording[]>();
      if (items.length) {
        const earliest = Math.min(...items.map((c) => c.startedAt));
        const list = await api<{ recordings: Recording[] }>(`/recordings?from=${earliest}&limit=1000`);
        for (const r of list.recordings) recordings.set(r.callId, [...(recordings.get(r.callId) ?? []), r]);
      }
      if (mine !== searches) return;
      const result = { calls: items, recordings };
      remembered = { filters: f, found: result };
      setFound(result);
    } catch (err) {
      if (mine === searches) setError(err instanceof Error ? err.message : String(err));
    } finally {
      if (mine === searches) setBusy(false);
    }
  };

  // The first visit lists the latest recorded calls at once.
  useEffect(() => { if (!remembered.found) void search(remembered.filters); }, []);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void search(filters);
  };
  const set = <K extends keyof Filters>(key: K) => (value: Filters[K]) => setFilters((f) => ({ ...f, [key]: value }));
  const text = (key: 'caller' | 'agent' | 'queue' | 'text', list?: string) => (
    <div className="field">
      <label htmlFor={`rec-${key}`}>{t(`recordings.filter.${key}` as MessageKey)}</label>
      <input id={`rec-${key}`} value={filters[key]} onChange={(e) => set(key)(e.target.value)} {...(list ? { list } : {})} {...(key === 'caller' ? { inputMode: 'tel' as const } : {})} />
    </div>
  );
  const rows = found ? found.calls.filter((c) => !filters.recordedOnly || found.recordings.has(c.callId)) : [];

  return (
    <main id="main" className="page recordings">
      <h1>{t('recordings.title')}</h1>
      <form className="card rec-search" onSubmit={onSubmit} aria-label={t('recordings.search')}>
        <div className="field">
          <label htmlFor="rec-from">{t('recordings.filter.from')}</label>
          <input id="rec-from" type="date" value={filters.from} onChange={(e) => set('from')(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="rec-to">{t('recordings.filter.to')}</label>
          <input id="rec-to" type="date" value={filters.to} onChange={(e) => set('to')(e.target.value)} />
        </div>
        {text('caller')}
        {text('agent', 'rec-agents')}
        <datalist id="rec-agents">{agents.map((a) => <option key={a} value={a} />)}</datalist>
        {text('queue', 'rec-queues')}
        <datalist id="rec-queues">{queues.map((q) => <option key={q} value={q} />)}</datalist>
        <div className="field">
          <label htmlFor="rec-outcome">{t('recordings.filter.outcome')}</label>
          <select id="rec-outcome" value={filters.outcome} onChange={(e) => set('outcome')(e.target.value)}>
            <option value="">{t('recordings.filter.anyOutcome')}</option>
            {OUTCOMES.map((o) => <option key={o} value={o}>{t(`recordings.outcome.${o}` as MessageKey)}</option>)}
          </select>
        </div>
        {text('text')}
        <div className="field check">
          <input id="rec-recorded" type="checkbox" checked={filters.recordedOnly} onChange={(e) => set('recordedOnly')(e.target.checked)} />
          <label htmlFor="rec-recorded">{t('recordings.filter.recordedOnly')}</label>
        </div>
        <div className="actions">
          <button type="submit" disabled={busy}>{t('recordings.search')}</button>
          <button type="button" className="secondary" onClick={() => { setFilters(EMPTY); void search(EMPTY); }}>{t('recordings.clear')}</button>
        </div>
      </form>
      {error && <p className="form-error" role="alert">{t('app.error', { message: error })}</p>}
      <p className="summary" aria-live="polite">{busy ? t('app.loading') : found ? (rows.length === 1 ? t('recordings.countOne') : t('recordings.count', { count: rows.length })) : ''}</p>
      {found && rows.length === 0 && !busy && <p>{t('recordings.none')}</p>}
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="rec-results">
            <caption className="sr-only">{t('recordings.results')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('recordings.col.started')}</th><th scope="col">{t('recordings.col.caller')}</th><th scope="col">{t('recordings.col.agent')}</th>
                <th scope="col">{t('recordings.col.queue')}</th><th scope="col">{t('recordings.col.duration')}</th><th scope="col">{t('recordings.col.outcome')}</th>
                <th scope="col">{t('recordings.col.recording')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => {
                const recs = found!.recordings.get(c.callId) ?? [];
                const first = recs[0];
                const length = c.endedAt !== undefined ? duration((c.endedAt - c.startedAt) / 1000) : undefined;
                return (
                  <tr key={c.callId} data-call={c.callId}>
                    <th scope="row"><Link to={`/recordings/${encodeURIComponent(c.callId)}`}>{dateTime(c.startedAt, locale)}</Link></th>
                    <td>{c.caller.number || t('recordings.noNumber')}</td>
                    <td>{first?.agentId ?? '—'}</td>
                    <td>{first?.queueId ?? '—'}</td>
                    <td>{length ?? t('recordings.live')}</td>
                    <td>{c.outcome ? t(`recordings.outcome.${c.outcome}` as MessageKey) : t('recordings.live')}</td>
                    <td>{first ? t('recordings.recorded', { length: duration(recs.reduce((s, r) => s + r.durationSeconds, 0)) ?? '' }) : t('recordings.notRecorded')}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </main>
  );
}
