// Follow-ups (work orders): GET /followups filtered by status, soonest due first; the ones past
// their due time and not finished are highlighted (and say so in words, not only colour).
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api.ts';
import { dateTime } from '../format.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/en.ts';

type Status = 'open' | 'in-progress' | 'waiting' | 'done' | 'cancelled';
interface Followup {
  id: string; kind: 'voicemail' | 'callback' | 'bot-failure' | 'manual'; title: string;
  assignee: { agent: string } | { skill: string } | null; priority: 'low' | 'normal' | 'high' | 'urgent';
  dueAt: number; status: Status; callerNumber: string;
}

const ACTIVE: Status[] = ['open', 'in-progress', 'waiting'];
const STATUSES: Status[] = [...ACTIVE, 'done', 'cancelled'];
type Filter = 'active' | 'all' | Status;

export const isOverdue = (f: Pick<Followup, 'dueAt' | 'status'>, now: number) => ACTIVE.includes(f.status) && f.dueAt < now;

export function FollowupsPage() {
  const { t, locale } = useI18n();
  const [filter, setFilter] = useState<Filter>('active');
  const [items, setItems] = useState<Followup[]>();
  const [error, setError] = useState<string>();

  const load = useCallback(async () => {
    setError(undefined);
    const status = filter === 'active' ? ACTIVE.join(',') : filter === 'all' ? undefined : filter;
    const query = new URLSearchParams({ limit: '500', sort: 'dueAt', ...(status ? { status } : {}) });
    try {
      setItems((await api<{ items: Followup[] }>(`/followups?${query}`)).items);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }, [filter]);
  useEffect(() => { void load(); }, [load]);

  const now = Date.now();
  const overdue = items?.filter((f) => isOverdue(f, now)).length ?? 0;
  const assignee = (a: Followup['assignee']) => (!a ? t('followups.unassigned') : 'agent' in a ? a.agent : t('followups.skill', { skill: a.skill }));

  return (
    <main id="main" className="page">
      <div className="page-head">
        <h1>{t('followups.title')}</h1>
        <div className="field-inline">
          <label htmlFor="followup-status">{t('followups.filter')}</label>
          <select id="followup-status" value={filter} onChange={(e) => setFilter(e.target.value as Filter)}>
            <option value="active">{t('followups.filter.active')}</option>
            {STATUSES.map((s) => <option key={s} value={s}>{t(`status.${s}` as MessageKey)}</option>)}
            <option value="all">{t('followups.filter.all')}</option>
          </select>
        </div>
      </div>
      {error && <p className="form-error" role="alert">{t('app.error', { message: error })} <button type="button" onClick={() => void load()}>{t('app.retry')}</button></p>}
      {!items && !error && <p aria-busy="true">{t('app.loading')}</p>}
      {items && (
        <>
          <p className="summary" aria-live="polite">{t('followups.count', { count: items.length, overdue })}</p>
          {items.length === 0 ? <p>{t('followups.none')}</p> : (
            <div className="table-wrap">
              <table className="followups">
                <thead>
                  <tr>
                    <th scope="col">{t('followups.col.title')}</th><th scope="col">{t('followups.col.kind')}</th><th scope="col">{t('followups.col.priority')}</th>
                    <th scope="col">{t('followups.col.assignee')}</th><th scope="col">{t('followups.col.due')}</th><th scope="col">{t('followups.col.status')}</th><th scope="col">{t('followups.col.caller')}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((f) => {
                    const late = isOverdue(f, now);
                    return (
                      <tr key={f.id} className={late ? 'overdue' : undefined} data-followup={f.id}>
                        <th scope="row">{f.title}</th>
                        <td>{t(`kind.${f.kind}` as MessageKey)}</td>
                        <td><span className={`priority priority-${f.priority}`}>{t(`priority.${f.priority}` as MessageKey)}</span></td>
                        <td>{assignee(f.assignee)}</td>
                        <td>{dateTime(f.dueAt, locale)}{late && <> <span className="badge-overdue">{t('followups.overdue')}</span></>}</td>
                        <td>{t(`status.${f.status}` as MessageKey)}</td>
                        <td>{f.callerNumber}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </main>
  );
}
