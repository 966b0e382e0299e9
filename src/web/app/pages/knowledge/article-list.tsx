// The articles: search by text, filter by language, see which are published, open one to edit.
import { useEffect, useState } from 'react';
import { api } from '../../api.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { Link } from '../../router.tsx';
import { dropDraft, LANGUAGES, type ListedArticle } from './knowledge-api.ts';

const PAGE = 50;
interface Page { items: ListedArticle[]; total: number; nextCursor: string | null }
const queryOf = (q: string, language: string, cursor?: string) =>
  new URLSearchParams({ limit: String(PAGE), sort: 'id', ...(q.trim() ? { q: q.trim() } : {}), ...(language ? { language } : {}), ...(cursor ? { cursor } : {}) });

export function ArticleList({ canWrite, publishedAt }: { canWrite: boolean; publishedAt: number | undefined }) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [language, setLanguage] = useState('');
  const [items, setItems] = useState<ListedArticle[]>();
  const [total, setTotal] = useState(0);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  // Back at the list: a draft started from an unmatched question and left unsaved is gone.
  useEffect(dropDraft, []);

  useEffect(() => {
    let stale = false;
    // A short pause while typing, so each keystroke is not a request.
    const timer = setTimeout(() => {
      api<Page>(`/knowledge/articles?${queryOf(q, language)}`).then((r) => { if (!stale) { setItems(r.items); setTotal(r.total); setNext(r.nextCursor); setError(undefined); } }, (err: Error) => { if (!stale) setError(err.message); });
    }, 200);
    return () => { stale = true; clearTimeout(timer); };
    // publishedAt: after a publish, the list says again which versions are live.
  }, [q, language, publishedAt]);

  const more = () => {
    if (!next) return;
    api<Page>(`/knowledge/articles?${queryOf(q, language, next)}`).then((r) => { setItems((have) => [...(have ?? []), ...r.items]); setNext(r.nextCursor); }, (err: Error) => setError(err.message));
  };

  return (
    <section aria-labelledby="articles-title">
      <div className="toolbar">
        <h2 id="articles-title">{t('knowledge.articles')}</h2>
        <div className="field-inline">
          <label htmlFor="kb-search">{t('knowledge.search')}</label>
          <input id="kb-search" type="search" value={q} onChange={(e) => setQ(e.target.value)} />
        </div>
        <div className="field-inline">
          <label htmlFor="kb-language">{t('knowledge.language')}</label>
          <select id="kb-language" value={language} onChange={(e) => setLanguage(e.target.value)}>
            <option value="">{t('knowledge.language.any')}</option>
            {LANGUAGES.map((l) => <option key={l} value={l}>{t(`knowledge.language.${l}` as MessageKey)}</option>)}
          </select>
        </div>
        {canWrite && <Link className="button-link" to="/knowledge/new">{t('knowledge.new')}</Link>}
      </div>
      {error && <p className="form-error" role="alert">{t('app.error', { message: error })}</p>}
      {!items && !error && <p aria-busy="true">{t('app.loading')}</p>}
      {items && <p className="summary" aria-live="polite">{items.length < total ? t('knowledge.countShown', { count: total, shown: items.length }) : t('knowledge.count', { count: total })}</p>}
      {items && items.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead><tr>
              <th scope="col">{t('knowledge.col.title')}</th><th scope="col">{t('knowledge.col.question')}</th><th scope="col">{t('knowledge.col.language')}</th>
              <th scope="col">{t('knowledge.col.category')}</th><th scope="col">{t('knowledge.col.published')}</th>
            </tr></thead>
            <tbody>
              {items.map((a) => {
                const version = a.publishedVersion;
                return (
                  <tr key={a.id} data-article={a.id}>
                    <th scope="row"><Link to={`/knowledge/articles/${encodeURIComponent(a.id)}`}>{a.title}</Link><br /><small className="muted">{a.id}</small></th>
                    <td lang={a.language}>{a.standardQuestion}</td>
                    <td>{t(`knowledge.language.${a.language}` as MessageKey)}</td>
                    <td lang={a.language}>{a.categoryPath.join(' / ')}{a.tags.length > 0 && <><br /><small className="muted">{a.tags.map((tag) => `#${tag}`).join(' ')}</small></>}</td>
                    <td>{version === null ? t('knowledge.notPublished') : t('knowledge.publishedVersion', { version })}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {next && <p><button type="button" className="secondary" onClick={more}>{t('knowledge.more', { count: Math.min(PAGE, total - (items?.length ?? 0)) })}</button></p>}
    </section>
  );
}
