// An article's versions, newest first: who changed it when, what changed (field by field, against
// the version before), and "restore" to make an old version current again (as a new version).
import { useState } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { changedFields } from './article-form.ts';
import { restoreVersion, type ArticleVersion } from './knowledge-api.ts';

export function VersionHistory({ id, history, current, canWrite, onRestored }: { id: string; history: ArticleVersion[]; current: number; canWrite: boolean; onRestored: (v: ArticleVersion) => void }) {
  const { t, locale } = useI18n();
  const [open, setOpen] = useState<number>();
  const [error, setError] = useState<string>();
  const when = (iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

  const restore = async (version: number) => {
    setError(undefined);
    try {
      onRestored(await restoreVersion(id, version, current));
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <section className="card versions" aria-labelledby="versions-title">
      <h2 id="versions-title">{t('knowledge.versions.title')}</h2>
      {error && <p className="form-error" role="alert">{t('app.error', { message: error })}</p>}
      <ol reversed className="version-list">
        {[...history].reverse().map((v) => {
          const before = history.find((h) => h.version === v.version - 1)?.article ?? null;
          const changes = changedFields(before, v.article);
          return (
            <li key={v.version} data-version={v.version}>
              <div className="version-head">
                <strong>{t('knowledge.versions.version', { version: v.version })}</strong>
                {v.version === current && <span className="badge">{t('knowledge.versions.current')}</span>}
                <span>{t(v.version === 1 && v.change === 'put' ? 'knowledge.versions.change.create' : `knowledge.versions.change.${v.change}` as MessageKey, { from: v.restoredFrom ?? 0 })}</span>
                <span className="muted">{t('knowledge.versions.by', { author: v.author, at: when(v.at) })}</span>
              </div>
              <div className="version-actions">
                <button type="button" className="secondary" aria-expanded={open === v.version} aria-controls={`changes-${v.version}`} onClick={() => setOpen(open === v.version ? undefined : v.version)}>
                  {t('knowledge.versions.changes', { count: changes.length })}
                </button>
                {canWrite && v.version !== current && v.article && <button type="button" className="secondary" onClick={() => void restore(v.version)}>{t('knowledge.versions.restore', { version: v.version })}</button>}
              </div>
              {open === v.version && (
                <dl id={`changes-${v.version}`} className="changes">
                  {changes.map((c) => (
                    <div key={c.field}>
                      <dt>{t(`knowledge.diff.${c.field}` as MessageKey)}</dt>
                      <dd>{c.before && <del>{c.before}</del>}{c.before && c.after && ' → '}{c.after && <ins>{c.after}</ins>}</dd>
                    </div>
                  ))}
                </dl>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
