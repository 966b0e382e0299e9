// The audit log (GET /audit), newest first: who did what to what, with the before/after detail on
// demand; filtered by actor, action and day; older pages through nextCursor.
import { useState, type FormEvent } from 'react';
import { dateTime } from '../../format.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { Field, Loading, useLoad } from './form.tsx';
import { request } from './request.ts';

interface Entry { id: string; at: number; actor: string; action: string; target?: string; detail?: Record<string, unknown> }
interface Filter { actor: string; action: string; day: string }

export function AuditTab() {
  const { t, locale } = useI18n();
  const [form, setForm] = useState<Filter>({ actor: '', action: '', day: '' });
  const [filter, setFilter] = useState<Filter>(form);
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const { data, error, reload } = useLoad(() => {
    const q = new URLSearchParams({ limit: '50' });
    if (filter.actor.trim()) q.set('actor', filter.actor.trim());
    if (filter.action.trim()) q.set('action', filter.action.trim());
    if (filter.day) { const from = new Date(`${filter.day}T00:00:00`).getTime(); q.set('from', String(from)); q.set('to', String(from + 86_400_000)); }
    if (cursor) q.set('cursor', cursor);
    return request<{ items: Entry[]; nextCursor: string | null }>(`/audit?${q}`);
  }, [filter, cursor]);
  const submit = (e: FormEvent) => { e.preventDefault(); setCursors([]); setFilter(form); };

  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">{t('admin.audit.title')}</h2>
      <form className="filters" onSubmit={submit} aria-label={t('admin.audit.filters')}>
        <Field id="audit-actor" label={t('admin.audit.actor')}><input id="audit-actor" value={form.actor} onChange={(e) => setForm({ ...form, actor: e.target.value })} /></Field>
        <Field id="audit-action" label={t('admin.audit.action')} hint={t('admin.audit.actionHint')}><input id="audit-action" aria-describedby="audit-action-hint" value={form.action} onChange={(e) => setForm({ ...form, action: e.target.value })} /></Field>
        <Field id="audit-day" label={t('admin.audit.day')}><input id="audit-day" type="date" value={form.day} onChange={(e) => setForm({ ...form, day: e.target.value })} /></Field>
        <div className="form-actions"><button type="submit">{t('admin.audit.apply')}</button></div>
      </form>
      {!data ? <Loading error={error} retry={() => void reload()} /> : data.items.length === 0 ? <p>{t('admin.audit.none')}</p> : (
        <>
          <div className="table-wrap">
            <table className="audit">
              <thead><tr><th scope="col">{t('admin.col.time')}</th><th scope="col">{t('admin.audit.actor')}</th><th scope="col">{t('admin.audit.action')}</th><th scope="col">{t('admin.audit.target')}</th><th scope="col">{t('admin.audit.detail')}</th></tr></thead>
              <tbody>
                {data.items.map((e) => (
                  <tr key={e.id}>
                    <td>{dateTime(e.at, locale)}</td><td>{e.actor}</td><td><code>{e.action}</code></td><td>{e.target ?? '—'}</td>
                    <td>{e.detail ? <details><summary>{t('admin.audit.show')}</summary><pre>{JSON.stringify(e.detail, null, 2)}</pre></details> : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="form-actions">
            {cursors.length > 0 && <button type="button" className="secondary" onClick={() => setCursors(cursors.slice(0, -1))}>{t('admin.audit.newer')}</button>}
            {data.nextCursor && <button type="button" className="secondary" onClick={() => setCursors([...cursors, data.nextCursor!])}>{t('admin.audit.older')}</button>}
          </div>
        </>
      )}
    </section>
  );
}
