// The QA criteria, edited as a small table: id, label in each language, weight, maximum score.
// Saving sends the revision read; if someone else saved first (409) the form says so and offers
// their version.
import { useEffect, useState } from 'react';
import { api, ApiError } from '../../api.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { badFields } from './qa-panel.tsx';
import type { CriteriaDocument, Criterion } from './types.ts';

interface Row { id: string; en: string; zh: string; weight: string; maxScore: string }
const toRow = (c: Criterion): Row => ({ id: c.id, en: c.label.en, zh: c.label['zh-CN'], weight: String(c.weight), maxScore: String(c.maxScore) });

export function CriteriaEditor({ doc, onSaved }: { doc: CriteriaDocument; onSaved: (doc: CriteriaDocument) => void }) {
  const { t } = useI18n();
  const [rows, setRows] = useState<Row[]>(doc.criteria.map(toRow));
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const [invalid, setInvalid] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  useEffect(() => setRows(doc.criteria.map(toRow)), [doc]);

  const set = (i: number, key: keyof Row, value: string) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, [key]: value } : r)));
  const save = async () => {
    setBusy(true);
    setMessage(undefined);
    setInvalid([]);
    try {
      const criteria = rows.map((r) => ({ id: r.id.trim(), label: { en: r.en, 'zh-CN': r.zh }, weight: Number(r.weight), maxScore: Number(r.maxScore) }));
      const saved = await api<CriteriaDocument>('/qa/criteria', { method: 'PUT', json: { revision: doc.revision, criteria } });
      setMessage({ kind: 'ok', text: t('recordings.criteria.saved', { revision: saved.revision }) });
      onSaved(saved);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) setMessage({ kind: 'error', text: t('recordings.criteria.conflict') });
      else setMessage({ kind: 'error', text: t('app.error', { message: err instanceof Error ? err.message : String(err) }) });
      setInvalid(badFields(err));
    } finally {
      setBusy(false);
    }
  };
  const bad = (i: number, key: string) => invalid.some((f) => f === `criteria.${i}.${key}` || f.startsWith(`criteria.${i}.${key}.`)) || undefined;

  return (
    <details className="criteria-editor">
      <summary>{t('recordings.criteria.edit')}</summary>
      <div className="table-wrap">
        <table>
          <caption className="sr-only">{t('recordings.criteria.edit')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('recordings.criteria.id')}</th><th scope="col">{t('recordings.criteria.labelEn')}</th><th scope="col">{t('recordings.criteria.labelZh')}</th>
              <th scope="col">{t('recordings.criteria.weight')}</th><th scope="col">{t('recordings.criteria.max')}</th><th scope="col"><span className="sr-only">{t('recordings.criteria.remove')}</span></th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => {
              const n = i + 1;
              return (
                <tr key={i}>
                  <td><input aria-label={t('recordings.criteria.rowId', { n })} value={r.id} onChange={(e) => set(i, 'id', e.target.value)} aria-invalid={bad(i, 'id')} size={12} /></td>
                  <td><input aria-label={t('recordings.criteria.rowEn', { n })} value={r.en} onChange={(e) => set(i, 'en', e.target.value)} aria-invalid={bad(i, 'label')} lang="en" /></td>
                  <td><input aria-label={t('recordings.criteria.rowZh', { n })} value={r.zh} onChange={(e) => set(i, 'zh', e.target.value)} aria-invalid={bad(i, 'label')} lang="zh-CN" /></td>
                  <td><input aria-label={t('recordings.criteria.rowWeight', { n })} type="number" min={0.1} max={100} step="any" value={r.weight} onChange={(e) => set(i, 'weight', e.target.value)} aria-invalid={bad(i, 'weight')} className="num" /></td>
                  <td><input aria-label={t('recordings.criteria.rowMax', { n })} type="number" min={1} max={100} step={1} value={r.maxScore} onChange={(e) => set(i, 'maxScore', e.target.value)} aria-invalid={bad(i, 'maxScore')} className="num" /></td>
                  <td><button type="button" className="secondary" onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))} disabled={rows.length <= 1}>{t('recordings.criteria.removeRow', { n })}</button></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="actions">
        <button type="button" className="secondary" onClick={() => setRows((rs) => [...rs, { id: '', en: '', zh: '', weight: '1', maxScore: '5' }])}>{t('recordings.criteria.add')}</button>
        <button type="button" onClick={() => void save()} disabled={busy}>{t('recordings.criteria.save')}</button>
        <span role="status" className={message?.kind === 'error' ? 'form-error' : 'ok'}>{message?.text ?? ''}</span>
      </div>
    </details>
  );
}
