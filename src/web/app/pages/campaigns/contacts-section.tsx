// A campaign's contacts: a CSV upload (POST /campaigns/{id}/contacts as text/csv; any bad row and
// nothing is added, so every problem is listed by row and column), the contacts with their
// attempts and results (GET /campaigns/{id}/contacts), and the results as CSV.
import { useRef, useState, type FormEvent } from 'react';
import { api } from '../../api.ts';
import { dateTime } from '../../format.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { isOver, rowProblems, type Campaign, type Contact, type RowProblem } from './campaign-model.ts';
import { messageOf } from './parts.tsx';

/** More rows than this are left out of the table (the results CSV has them all). */
const SHOWN = 500;

type Upload = { kind: 'idle' } | { kind: 'busy' } | { kind: 'done'; added: number; file: string } | { kind: 'refused'; message: string; problems: RowProblem[] };

export function ContactsSection({ campaign, contacts, canWrite, onChanged, resultsHref }: { campaign: Campaign; contacts: Contact[]; canWrite: boolean; onChanged: () => Promise<void>; resultsHref: string }) {
  const { t, locale } = useI18n();
  const file = useRef<HTMLInputElement>(null);
  const [upload, setUpload] = useState<Upload>({ kind: 'idle' });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const chosen = file.current?.files?.[0];
    if (!chosen) return setUpload({ kind: 'refused', message: t('campaigns.upload.none'), problems: [] });
    setUpload({ kind: 'busy' });
    try {
      const r = await api<{ added: number }>(`/campaigns/${encodeURIComponent(campaign.id)}/contacts`, { method: 'POST', body: chosen, contentType: 'text/csv' });
      setUpload({ kind: 'done', added: r.added, file: chosen.name });
      if (file.current) file.current.value = '';
      await onChanged();
    } catch (error) {
      setUpload({ kind: 'refused', message: messageOf(error), problems: rowProblems(error) });
    }
  };

  const outcomeText = (c: Contact) => {
    const last = c.attempts.at(-1);
    if (!last) return '—';
    return last.outcome ? t(`campaigns.outcome.${last.outcome}` as MessageKey) : t('campaigns.contacts.inProgress');
  };
  const resultText = (c: Contact) => {
    if (!c.result) return '—';
    const parts = [c.result.digits ? t('campaigns.contacts.digits', { digits: c.result.digits }) : '', c.result.reachedAgent ? t('campaigns.contacts.agent', { agent: c.result.reachedAgent }) : ''].filter(Boolean);
    const vars = Object.entries(c.result.vars).filter(([, v]) => v !== '' && v !== undefined && v !== null).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
    return [...parts, ...vars].join(' · ') || t('campaigns.contacts.answered');
  };

  return (
    <section aria-labelledby="contacts-title" className="subsection">
      <div className="tab-head">
        <h3 id="contacts-title">{t('campaigns.contacts.title', { count: contacts.length })}</h3>
        <a className="button-link secondary" href={resultsHref} download>{t('campaigns.contacts.results')}</a>
      </div>
      {canWrite && !isOver(campaign.state) && (
        <form className="upload card" onSubmit={(e) => void submit(e)} aria-labelledby="upload-title">
          <h4 id="upload-title">{t('campaigns.upload.title')}</h4>
          <p className="hint" id="upload-hint">{t('campaigns.upload.hint')}</p>
          <div className="row">
            <label htmlFor="contacts-file">{t('campaigns.upload.file')}</label>
            <input id="contacts-file" ref={file} type="file" accept=".csv,text/csv" aria-describedby="upload-hint" />
            <button type="submit" disabled={upload.kind === 'busy'}>{upload.kind === 'busy' ? t('campaigns.upload.busy') : t('campaigns.upload.submit')}</button>
          </div>
          <div className="outcome" aria-live="polite">
            {upload.kind === 'done' && <p role="status" className="ok"><span aria-hidden="true">✓ </span>{t('campaigns.upload.done', { added: upload.added, file: upload.file })}</p>}
            {upload.kind === 'refused' && (
              <div role="alert" className="form-error">
                <p>{t('campaigns.upload.refused', { message: upload.message })}</p>
                {upload.problems.length > 0 && (
                  <table className="problems">
                    <caption>{t('campaigns.upload.problems', { count: upload.problems.length })}</caption>
                    <thead><tr><th scope="col">{t('campaigns.upload.row')}</th><th scope="col">{t('campaigns.upload.column')}</th><th scope="col">{t('campaigns.upload.problem')}</th></tr></thead>
                    <tbody>{upload.problems.map((p, i) => <tr key={i} data-row={p.row}><td>{p.row || '—'}</td><td>{p.field}</td><td>{p.message}</td></tr>)}</tbody>
                  </table>
                )}
              </div>
            )}
          </div>
        </form>
      )}
      {contacts.length === 0 ? <p>{t('campaigns.contacts.none')}</p> : (
        <div className="table-wrap">
          <table className="contacts">
            <thead>
              <tr>
                <th scope="col">{t('campaigns.contacts.number')}</th><th scope="col">{t('campaigns.contacts.name')}</th><th scope="col">{t('campaigns.contacts.state')}</th>
                <th scope="col">{t('campaigns.contacts.attempts')}</th><th scope="col">{t('campaigns.contacts.last')}</th><th scope="col">{t('campaigns.contacts.next')}</th><th scope="col">{t('campaigns.contacts.result')}</th>
              </tr>
            </thead>
            <tbody>
              {contacts.slice(0, SHOWN).map((c) => (
                <tr key={c.id} data-contact={c.id}>
                  <th scope="row">{c.number}</th>
                  <td>{c.name ?? '—'}</td>
                  <td><span className={`contact-state cs-${c.state}`}>{t(`campaigns.contactState.${c.state}` as MessageKey)}</span></td>
                  <td>{c.attempts.length}</td>
                  <td>{outcomeText(c)}{c.attempts.at(-1) && <span className="hint"> {dateTime(c.attempts.at(-1)!.startedAt, locale)}</span>}</td>
                  <td>{c.state === 'retry-wait' && c.nextAt ? dateTime(c.nextAt, locale) : '—'}</td>
                  <td>{resultText(c)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {contacts.length > SHOWN && <p className="hint">{t('campaigns.contacts.more', { shown: SHOWN, total: contacts.length })}</p>}
    </section>
  );
}
