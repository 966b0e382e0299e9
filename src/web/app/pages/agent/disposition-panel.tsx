// The wrap-up panel of the agent console: once the call is over (the agent is no longer on it),
// the suggested categories first (one click confirms), the whole tree to pick from, and a note.
// A queue whose policy is `required` says so, and its panel stays — even when the next call
// rings — until a classification is saved; `off` shows nothing.
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../../api.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { flattenTree, pathOf, type StoredCategory, type Suggested, type WrapUp } from './disposition-model.ts';
import './disposition.css';

/** callId: the call on screen; onCall: the agent is still on it (ringing or talking). */
export function DispositionPanel({ callId, onCall }: { callId: string | undefined; onCall: boolean }) {
  // Required classifications not yet saved: they outlive the call on screen.
  const [owed, setOwed] = useState<string[]>([]);
  const ready = callId !== undefined && !onCall ? callId : undefined;
  const shown = [...owed.filter((id) => id !== ready), ...(ready ? [ready] : [])];
  const settle = (id: string, required: boolean) => setOwed((all) => (required ? (all.includes(id) ? all : [...all, id]) : all.filter((x) => x !== id)));
  return <>{shown.map((id) => <WrapUpCard key={id} callId={id} onRequired={settle} />)}</>;
}

function WrapUpCard({ callId, onRequired }: { callId: string; onRequired: (callId: string, owed: boolean) => void }) {
  const { t, locale } = useI18n();
  const [wrap, setWrap] = useState<WrapUp>();
  const [categories, setCategories] = useState<StoredCategory[]>([]);
  const [chosen, setChosen] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  // The category just saved (its words are rendered in the current language, which may change).
  const [saved, setSaved] = useState<string>();
  const [error, setError] = useState<string>();
  const [closed, setClosed] = useState(false);

  useEffect(() => {
    let stale = false;
    const path = `/calls/${encodeURIComponent(callId)}/disposition/suggestions`;
    Promise.all([api<WrapUp>(path), api<{ categories: StoredCategory[] }>('/dispositions/categories')]).then(([w, c]) => {
      if (stale) return;
      setWrap(w);
      setCategories(c.categories);
      setChosen(w.current?.categoryId ?? w.suggestions[0]?.categoryId ?? '');
      onRequired(callId, w.policy === 'required' && !w.current);
    }, (err: Error) => { if (!stale) setError(err.message); });
    return () => { stale = true; };
  }, [callId]);

  const tree = flattenTree(categories.map((s) => s.value), locale);
  if (closed || wrap?.policy === 'off') return null;
  const required = wrap?.policy === 'required';

  const save = async (categoryId: string) => {
    if (!categoryId) { setError(t('dispositions.panel.choose')); return; }
    setBusy(true);
    setError(undefined);
    try {
      const r = await api<{ disposition: { categoryId: string } }>(`/calls/${encodeURIComponent(callId)}/disposition`, { method: 'PUT', json: { categoryId, ...(note.trim() ? { note: note.trim() } : {}) } });
      setSaved(r.disposition.categoryId);
      onRequired(callId, false);
      setWrap((w) => (w ? { ...w, current: { callId, categoryId: r.disposition.categoryId, history: [] } } : w));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: FormEvent) => { e.preventDefault(); void save(chosen); };
  const reasonText = (s: Suggested) => s.reasons.map((r) =>
    r.kind === 'article' ? t('dispositions.reason.article', { id: r.articleId, how: t(`dispositions.how.${r.how}` as MessageKey) })
    : r.kind === 'campaign' ? t('dispositions.reason.campaign', { id: r.campaignId })
    : r.kind === 'menu' ? t('dispositions.reason.menu', { keys: r.keys })
    : t('dispositions.reason.flow', { id: r.flowId })).join(locale === 'zh-CN' ? '；' : '; ');
  const titleId = `wrapup-title-${callId}`;
  const active = tree.filter((n) => n.category.active);

  return (
    <section className={`card wrap-up${required ? ' is-required' : ''}`} aria-labelledby={titleId} data-call={callId} data-policy={wrap?.policy}>
      <h2 id={titleId}>{t('dispositions.panel.title')}</h2>
      {wrap && !saved && <p className={required ? 'required-note' : 'hint'}>{required ? t('dispositions.panel.required') : t('dispositions.panel.optional')}</p>}
      {error && <p className="form-error" role="alert">{error}</p>}
      <p role="status" aria-live="polite" className="ok">{saved ? t('dispositions.panel.saved', { category: pathOf(tree, saved) }) : (wrap?.current ? t('dispositions.panel.current', { category: pathOf(tree, wrap.current.categoryId), by: wrap.current.history.at(-1)?.by ?? '' }) : '')}</p>
      {!wrap ? (!error && <p aria-busy="true">{t('app.loading')}</p>) : active.length === 0 ? <p>{t('dispositions.panel.none')}</p> : (
        <form onSubmit={submit} noValidate>
          <h3>{t('dispositions.panel.suggested')}</h3>
          {wrap.suggestions.length === 0 ? <p className="summary">{t('dispositions.panel.noSuggestions')}</p> : (
            <ol className="disposition-suggestions">
              {wrap.suggestions.map((s) => (
                <li key={s.categoryId} data-category={s.categoryId}>
                  <button type="button" disabled={busy} onClick={() => { setChosen(s.categoryId); void save(s.categoryId); }}>{t('dispositions.panel.confirm', { category: pathOf(tree, s.categoryId) })}</button>
                  <small className="hint"> {t('dispositions.panel.because', { reasons: reasonText(s) })}</small>
                </li>
              ))}
            </ol>
          )}
          <fieldset className="disposition-tree">
            <legend>{t('dispositions.panel.all')}</legend>
            <ul>
              {active.map((n) => (
                <li key={n.category.id} style={{ paddingInlineStart: `${n.depth * 1.25}rem` }}>
                  <label>
                    <input type="radio" name={`disposition-${callId}`} value={n.category.id} checked={chosen === n.category.id} onChange={() => setChosen(n.category.id)} aria-label={n.path} />
                    {' '}{locale === 'zh-CN' ? n.category.names['zh-CN'] : n.category.names.en}
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
          <div className="field">
            <label htmlFor={`disposition-note-${callId}`}>{t('dispositions.panel.note')}</label>
            <textarea id={`disposition-note-${callId}`} value={note} maxLength={2000} rows={2} onChange={(e) => setNote(e.target.value)} />
          </div>
          <div className="row">
            <button type="submit" disabled={busy}>{busy ? t('dispositions.panel.saving') : t('dispositions.panel.save')}</button>
            {wrap.current && !required && <button type="button" className="secondary" onClick={() => setClosed(true)}>{t('agent.suggest.close')}</button>}
          </div>
        </form>
      )}
    </section>
  );
}
