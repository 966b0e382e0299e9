// Import and export. Export downloads the current articles (JSON or CSV, re-importable). Import
// uploads a file with a progress bar while it is sent, then says what came of it: every article
// imported, or — when any row is bad — nothing imported and every problem named by row and field.
import { useState } from 'react';
import { API } from '../../api.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { Link } from '../../router.tsx';
import { issuesOf, LANGUAGES, uploadImport, type FieldIssue } from './knowledge-api.ts';

type Phase = { kind: 'idle' } | { kind: 'sending'; sent: number; total: number } | { kind: 'processing' } | { kind: 'done'; imported: number; ids: string[] } | { kind: 'failed'; message: string; issues: FieldIssue[] };

const kb = (bytes: number) => Math.max(1, Math.round(bytes / 1024));

export function Transfer({ canWrite }: { canWrite: boolean }) {
  const { t } = useI18n();
  const [exportLanguage, setExportLanguage] = useState('');
  const [file, setFile] = useState<File>();
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const exportHref = (format: 'json' | 'csv') => `${API}/knowledge/export?${new URLSearchParams({ format, ...(exportLanguage ? { language: exportLanguage } : {}) })}`;

  const start = async () => {
    if (!file) return;
    const format = /\.csv$/i.test(file.name) ? 'csv' : 'json';
    setPhase({ kind: 'sending', sent: 0, total: file.size });
    try {
      const result = await uploadImport(file, format, (sent, total) => setPhase(sent >= total ? { kind: 'processing' } : { kind: 'sending', sent, total }));
      setPhase({ kind: 'done', imported: result.imported, ids: result.ids ?? [] });
    } catch (err) {
      setPhase({ kind: 'failed', message: (err as Error).message, issues: issuesOf(err) });
    }
  };
  const where = (i: FieldIssue) => (i.row !== undefined ? t('knowledge.import.row', { row: i.row }) : i.index !== undefined ? t('knowledge.import.index', { index: i.index + 1 }) : i.file ?? t('knowledge.import.file'));
  const busy = phase.kind === 'sending' || phase.kind === 'processing';

  return (
    <div className="transfer">
      <section className="card" aria-labelledby="export-title">
        <h2 id="export-title">{t('knowledge.export.title')}</h2>
        <div className="field-inline">
          <label htmlFor="export-language">{t('knowledge.field.language')}</label>
          <select id="export-language" value={exportLanguage} onChange={(e) => setExportLanguage(e.target.value)}>
            <option value="">{t('knowledge.language.any')}</option>
            {LANGUAGES.map((l) => <option key={l} value={l}>{t(`knowledge.language.${l}` as MessageKey)}</option>)}
          </select>
        </div>
        <p className="export-links">
          <a className="button-link" href={exportHref('json')} download>{t('knowledge.export.json')}</a>{' '}
          <a className="button-link" href={exportHref('csv')} download>{t('knowledge.export.csv')}</a>
        </p>
      </section>
      {canWrite && (
        <section className="card" aria-labelledby="import-title">
          <h2 id="import-title">{t('knowledge.import.title')}</h2>
          <p className="hint">{t('knowledge.import.hint')}</p>
          <form onSubmit={(e) => { e.preventDefault(); void start(); }}>
            <div className="field">
              <label htmlFor="import-file">{t('knowledge.import.file')}</label>
              <input id="import-file" type="file" accept=".json,.csv,application/json,text/csv" onChange={(e) => { setFile(e.target.files?.[0]); setPhase({ kind: 'idle' }); }} />
            </div>
            <div className="actions"><button type="submit" disabled={!file || busy}>{t('knowledge.import.start')}</button></div>
          </form>
          <div aria-live="polite" className="import-progress">
            {phase.kind === 'sending' && (
              <>
                <progress max={phase.total} value={phase.sent} aria-label={t('knowledge.import.progress')} />
                <span>{t('knowledge.import.sending', { sent: kb(phase.sent), total: kb(phase.total) })}</span>
              </>
            )}
            {phase.kind === 'processing' && <><progress aria-label={t('knowledge.import.progress')} /> <span>{t('knowledge.import.processing')}</span></>}
            {phase.kind === 'done' && (
              <div className="notice" role="status">
                <p>{t('knowledge.import.done', { count: phase.imported })}</p>
                {phase.ids.length > 0 && (
                  <ul className="import-result">
                    {phase.ids.slice(0, 200).map((id) => <li key={id}><Link to={`/knowledge/articles/${encodeURIComponent(id)}`}>{id}</Link> — {t('knowledge.import.ok')}</li>)}
                    {phase.ids.length > 200 && <li>{t('knowledge.import.more', { count: phase.ids.length - 200 })}</li>}
                  </ul>
                )}
              </div>
            )}
            {phase.kind === 'failed' && (
              <div role="alert">
                <p className="form-error">{t('knowledge.import.failed', { message: phase.message })}</p>
                {phase.issues.length > 0 && (
                  <ul className="import-issues">
                    {phase.issues.slice(0, 200).map((i, k) => <li key={k}><strong>{where(i)}</strong>{i.path ? ` · ${i.path}` : ''}: {i.message}</li>)}
                  </ul>
                )}
              </div>
            )}
          </div>
        </section>
      )}
    </div>
  );
}
