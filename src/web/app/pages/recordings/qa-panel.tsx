// QA of one call: the reviewer's scoring form (criteria from GET /qa/criteria, one score each,
// a comment; the server computes the total), everyone's evaluations, and the comment thread.
// Those allowed (recordings.qa) also get the criteria editor.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, type Me } from '../../api.ts';
import { dateTime } from '../../format.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { CriteriaEditor } from './criteria-editor.tsx';
import type { CallQa, CriteriaDocument, Criterion, Evaluation } from './types.ts';

/** The field names in a 400's details (QA issues say `field`, schema issues `path`). */
export const badFields = (error: unknown): string[] =>
  error instanceof ApiError && Array.isArray(error.details) ? (error.details as { field?: string; path?: string }[]).map((d) => d.field ?? d.path ?? '').filter(Boolean) : [];

export function QaPanel({ callId, me }: { callId: string; me: Me }) {
  const { t, locale } = useI18n();
  const canScore = me.permissions.includes('recordings.qa');
  const [criteria, setCriteria] = useState<CriteriaDocument>();
  const [qa, setQa] = useState<CallQa>();
  const [scores, setScores] = useState<Record<string, string>>({});
  const [comment, setComment] = useState('');
  const [status, setStatus] = useState<{ kind: 'saved' | 'error'; text: string }>();
  const [invalid, setInvalid] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string>();

  const load = useCallback(async () => {
    try {
      const [c, q] = await Promise.all([api<CriteriaDocument>('/qa/criteria'), api<CallQa>(`/calls/${encodeURIComponent(callId)}/qa`)]);
      setCriteria(c);
      setQa(q);
      const mine = q.evaluations.find((e) => e.reviewer === me.username);
      setScores(Object.fromEntries(c.criteria.map((k) => [k.id, mine?.scores[k.id] !== undefined ? String(mine.scores[k.id]) : ''])));
      setComment(mine?.comment ?? '');
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }, [callId, me.username]);
  useEffect(() => { void load(); }, [load]);

  const label = (c: Criterion) => c.label[locale] || c.label.en;

  const onSave = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setStatus(undefined);
    setInvalid([]);
    try {
      const body = { scores: Object.fromEntries(Object.entries(scores).map(([id, v]) => [id, v.trim() === '' ? null : Number(v)]).filter(([, v]) => v !== null)), comment };
      const { evaluation } = await api<{ evaluation: Evaluation }>(`/calls/${encodeURIComponent(callId)}/qa`, { method: 'POST', json: body });
      setQa((q) => (q ? { ...q, evaluations: [...q.evaluations.filter((x) => x.reviewer !== evaluation.reviewer), evaluation].sort((a, b) => a.reviewer.localeCompare(b.reviewer)) } : q));
      setStatus({ kind: 'saved', text: t('recordings.qa.saved', { percent: evaluation.percent }) });
    } catch (err) {
      setInvalid(badFields(err).map((f) => f.replace(/^scores\./, '')));
      setStatus({ kind: 'error', text: t('app.error', { message: err instanceof Error ? err.message : String(err) }) });
    } finally {
      setBusy(false);
    }
  };

  const onComment = async (e: FormEvent) => {
    e.preventDefault();
    if (!note.trim()) return;
    try {
      const { comment: added } = await api<{ comment: CallQa['comments'][number] }>(`/calls/${encodeURIComponent(callId)}/qa/comments`, { method: 'POST', json: { text: note } });
      setQa((q) => (q ? { ...q, comments: [...q.comments, added] } : q));
      setNote('');
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  if (error) return <section className="card rec-qa"><h2>{t('recordings.qa')}</h2><p className="form-error" role="alert">{t('app.error', { message: error })}</p></section>;
  if (!criteria || !qa) return <section className="card rec-qa"><h2>{t('recordings.qa')}</h2><p aria-busy="true">{t('app.loading')}</p></section>;
  const byId = new Map(criteria.criteria.map((c) => [c.id, c]));

  return (
    <section className="card rec-qa" aria-labelledby="rec-qa-title">
      <h2 id="rec-qa-title">{t('recordings.qa')}</h2>
      {canScore && (
        <form className="qa-form" onSubmit={onSave} aria-label={t('recordings.qa.form')}>
          {criteria.criteria.map((c) => (
            <div className="field qa-score" key={c.id}>
              <label htmlFor={`qa-${c.id}`}>{label(c)} <span className="hint">{t('recordings.qa.range', { max: c.maxScore, weight: c.weight })}</span></label>
              <input
                id={`qa-${c.id}`} type="number" min={0} max={c.maxScore} step={1} required inputMode="numeric"
                value={scores[c.id] ?? ''} onChange={(e) => setScores((s) => ({ ...s, [c.id]: e.target.value }))}
                aria-invalid={invalid.includes(c.id) || undefined}
              />
            </div>
          ))}
          <div className="field qa-comment">
            <label htmlFor="qa-comment">{t('recordings.qa.comment')}</label>
            <textarea id="qa-comment" rows={3} maxLength={4000} value={comment} onChange={(e) => setComment(e.target.value)} />
          </div>
          <div className="actions">
            <button type="submit" disabled={busy}>{t('recordings.qa.save')}</button>
            <span role="status" className={status?.kind === 'error' ? 'form-error' : 'ok'}>{status?.text ?? ''}</span>
          </div>
        </form>
      )}
      <h3>{t('recordings.qa.evaluations')}</h3>
      {qa.evaluations.length === 0 ? <p>{t('recordings.qa.noEvaluations')}</p> : (
        <ul className="qa-evaluations">
          {qa.evaluations.map((ev) => (
            <li key={ev.reviewer} data-reviewer={ev.reviewer}>
              <p className="qa-head">
                <strong>{ev.reviewer === me.username ? t('recordings.qa.you', { name: ev.reviewer }) : ev.reviewer}</strong>{' '}
                <span className="qa-total">{t('recordings.qa.total', { total: ev.total, max: ev.maxTotal, percent: ev.percent })}</span>{' '}
                <span className="summary">{dateTime(ev.updatedAt, locale)}</span>
              </p>
              <ul className="qa-scores">
                {Object.entries(ev.scores).map(([id, score]) => {
                  const c = byId.get(id);
                  return <li key={id}>{c ? label(c) : id}: <strong>{score}</strong>{c ? ` / ${c.maxScore}` : ''}</li>;
                })}
              </ul>
              {ev.comment && <p className="qa-said">{ev.comment}</p>}
            </li>
          ))}
        </ul>
      )}
      <h3>{t('recordings.qa.comments')}</h3>
      {qa.comments.length === 0 ? <p>{t('recordings.qa.noComments')}</p> : (
        <ul className="qa-comments">
          {qa.comments.map((c) => <li key={c.id}><strong>{c.author}</strong> <span className="summary">{dateTime(c.at, locale)}</span><p>{c.text}</p></li>)}
        </ul>
      )}
      {canScore && (
        <form className="qa-add-comment" onSubmit={onComment}>
          <label htmlFor="qa-note">{t('recordings.qa.addComment')}</label>
          <textarea id="qa-note" rows={2} maxLength={4000} value={note} onChange={(e) => setNote(e.target.value)} />
          <button type="submit" disabled={!note.trim()}>{t('recordings.qa.post')}</button>
        </form>
      )}
      {canScore && <CriteriaEditor doc={criteria} onSaved={(doc) => { setCriteria(doc); void load(); }} />}
    </section>
  );
}
