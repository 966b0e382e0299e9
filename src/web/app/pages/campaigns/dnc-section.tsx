// The do-not-call list (GET/POST /do-not-call, DELETE /do-not-call/{number}): every campaign
// checks it right before each dial, so a number added here is never called again.
import { useState, type FormEvent } from 'react';
import { api } from '../../api.ts';
import { dateTime } from '../../format.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { numbersOf, type DncEntry } from './campaign-model.ts';
import { ConfirmButton, Field, inputProps, Loading, OutcomeView, useAction, useLoad } from './parts.tsx';

export function DncSection({ canWrite }: { canWrite: boolean }) {
  const { t, locale } = useI18n();
  const { data, error, reload } = useLoad(() => api<{ numbers: DncEntry[] }>('/do-not-call').then((r) => r.numbers), []);
  const [numbers, setNumbers] = useState('');
  const [reason, setReason] = useState('');
  const [filter, setFilter] = useState('');
  const save = useAction();
  const typed = numbersOf(numbers);
  // The API names a bad number by its place in the request: numbers.2.number → the third typed.
  const bad = Object.entries(save.fields).map(([field, message]) => {
    const i = Number(field.split('.')[1]);
    return Number.isInteger(i) && typed[i] !== undefined ? `${typed[i]}: ${message}` : message;
  }).join('; ') || undefined;

  const add = (e: FormEvent) => {
    e.preventDefault();
    void save.run(async () => {
      const list = numbersOf(numbers);
      const r = await api<{ added: number }>('/do-not-call', { method: 'POST', json: { numbers: list.map((number) => ({ number, ...(reason.trim() ? { reason: reason.trim() } : {}) })) } });
      setNumbers('');
      setReason('');
      await reload();
      return { key: 'campaigns.dnc.added', values: { count: r.added } };
    });
  };
  const remove = (number: string) => save.run(async () => {
    await api(`/do-not-call/${encodeURIComponent(number)}`, { method: 'DELETE' });
    await reload();
    return { key: 'campaigns.dnc.removed', values: { number } };
  });
  const shown = (data ?? []).filter((n) => !filter.trim() || n.number.includes(filter.trim())).sort((a, b) => b.addedAt - a.addedAt);

  return (
    <section aria-labelledby="dnc-title">
      <h2 id="dnc-title">{t('campaigns.dnc.title')}</h2>
      <p className="hint">{t('campaigns.dnc.intro')}</p>
      {canWrite && (
        <form className="card dnc-form" onSubmit={add} noValidate>
          <div className="grid">
            <Field id="dnc-numbers" label={t('campaigns.dnc.numbers')} error={bad} hint={t('campaigns.dnc.numbers.hint')}>
              <textarea {...inputProps('dnc-numbers', bad, true)} rows={3} value={numbers} onChange={(e) => setNumbers(e.target.value)} />
            </Field>
            <Field id="dnc-reason" label={t('campaigns.dnc.reason')}>
              <input id="dnc-reason" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} />
            </Field>
          </div>
          <div className="form-actions"><button type="submit" disabled={save.busy || typed.length === 0}>{t('campaigns.dnc.add')}</button></div>
        </form>
      )}
      <OutcomeView outcome={save.outcome} hideFields />
      {!data ? <Loading error={error} retry={() => void reload()} /> : (
        <>
          <div className="row">
            <label htmlFor="dnc-filter">{t('campaigns.dnc.filter')}</label>
            <input id="dnc-filter" type="search" value={filter} onChange={(e) => setFilter(e.target.value)} inputMode="tel" />
          </div>
          <p className="summary" aria-live="polite">{t('campaigns.dnc.count', { count: data.length, shown: shown.length })}</p>
          {shown.length > 0 && (
            <div className="table-wrap">
              <table className="dnc">
                <thead><tr><th scope="col">{t('campaigns.dnc.number')}</th><th scope="col">{t('campaigns.dnc.reason')}</th><th scope="col">{t('campaigns.dnc.addedAt')}</th><th scope="col">{t('campaigns.dnc.by')}</th>{canWrite && <th scope="col"><span className="visually-hidden">{t('campaigns.dnc.actions')}</span></th>}</tr></thead>
                <tbody>
                  {shown.slice(0, 1000).map((n) => (
                    <tr key={n.number} data-dnc={n.number}>
                      <th scope="row">{n.number}</th><td>{n.reason ?? '—'}</td><td>{dateTime(n.addedAt, locale)}</td><td>{n.by}</td>
                      {canWrite && <td className="actions"><ConfirmButton label={t('campaigns.dnc.remove')} ariaLabel={t('campaigns.dnc.removeFor', { number: n.number })} question={t('campaigns.dnc.removeQuestion', { number: n.number })} confirm={t('campaigns.dnc.removeConfirm')} onConfirm={() => remove(n.number)} /></td>}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
