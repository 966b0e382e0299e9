// The knowledge base: articles (editor with version history), publishing, "test a question",
// the questions callers asked that nothing answered, synonyms, and import/export. Each view is a
// sub-path of /knowledge so it can be bookmarked; the API checks every permission again.
import { useCallback, useEffect, useState } from 'react';
import { api, type Me } from '../api.ts';
import { dateTime } from '../format.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/en.ts';
import { Link, usePath } from '../router.tsx';
import './knowledge.css';
import { ArticleEditor } from './knowledge/article-editor.tsx';
import { ArticleList } from './knowledge/article-list.tsx';
import { AskBox } from './knowledge/ask-box.tsx';
import { publishedCount, type Published } from './knowledge/knowledge-api.ts';
import { Synonyms } from './knowledge/synonyms.tsx';
import { Transfer } from './knowledge/transfer.tsx';
import { Unmatched } from './knowledge/unmatched.tsx';

const TABS: { path: string; label: MessageKey; permission: string }[] = [
  { path: '/knowledge', label: 'knowledge.tab.articles', permission: 'knowledge.read' },
  { path: '/knowledge/ask', label: 'knowledge.tab.ask', permission: 'knowledge.read' },
  { path: '/knowledge/unmatched', label: 'knowledge.tab.unmatched', permission: 'reports.read' },
  { path: '/knowledge/synonyms', label: 'knowledge.tab.synonyms', permission: 'knowledge.read' },
  { path: '/knowledge/transfer', label: 'knowledge.tab.transfer', permission: 'knowledge.read' },
];

export function KnowledgePage({ me }: { me: Me }) {
  const { t, locale } = useI18n();
  const path = usePath();
  const can = useCallback((p: string) => me.permissions.includes(p), [me.permissions]);
  const [published, setPublished] = useState<Published | null>();
  const [publishing, setPublishing] = useState(false);
  // The figures, not the sentence: a language switch re-says it.
  const [notice, setNotice] = useState<{ version: number; count: number }>();
  const [error, setError] = useState<string>();

  const loadPublished = useCallback(() => api<{ published: Published | null }>('/knowledge/published').then((r) => setPublished(r.published), (err: Error) => setError(err.message)), []);
  // Again on every view: someone may have published from elsewhere (the API, the CLI).
  useEffect(() => { void loadPublished(); }, [loadPublished, path]);
  // The "published" notice belongs to the view where the button was pressed.
  useEffect(() => setNotice(undefined), [path]);

  const publish = async () => {
    setPublishing(true);
    setError(undefined);
    setNotice(undefined);
    try {
      const r = await api<{ published: Published }>('/knowledge/publish', { method: 'POST' });
      setPublished(r.published);
      setNotice({ version: r.published.version, count: publishedCount(r.published) });
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setPublishing(false);
    }
  };

  const tabs = TABS.filter((tab) => can(tab.permission));
  const sub = path.replace(/\/+$/, '');
  const current = tabs.find((tab) => tab.path === sub) ?? (sub.startsWith('/knowledge/articles/') || sub === '/knowledge/new' ? tabs[0] : undefined);
  const editing = sub === '/knowledge/new' ? '' : sub.startsWith('/knowledge/articles/') ? decodeURIComponent(sub.slice('/knowledge/articles/'.length)) : undefined;

  return (
    <main id="main" className="page knowledge">
      <div className="page-head">
        <h1>{t('knowledge.title')}</h1>
        <div className="publish-bar">
          <span role="status" className="published-state">
            {published === undefined ? t('app.loading')
              : published === null ? t('knowledge.published.never')
              : t('knowledge.published.state', { version: published.version, count: publishedCount(published), at: dateTime(published.publishedAt, locale), by: published.by })}
          </span>
          {can('knowledge.publish') && <button type="button" onClick={() => void publish()} disabled={publishing}>{publishing ? t('knowledge.publishing') : t('knowledge.publish')}</button>}
        </div>
      </div>
      {notice && <p className="notice" role="status">{t('knowledge.published.done', notice)}</p>}
      {error && <p className="form-error" role="alert">{t('app.error', { message: error })}</p>}
      <nav className="tabs" aria-label={t('knowledge.tabs')}>
        <ul>{tabs.map((tab) => <li key={tab.path}><Link to={tab.path} aria-current={tab === current ? 'page' : undefined}>{t(tab.label)}</Link></li>)}</ul>
      </nav>
      {editing !== undefined ? <ArticleEditor key={editing || 'new'} id={editing || undefined} me={me} publishedAt={published?.publishedAt} />
        : sub === '/knowledge/ask' ? <AskBox />
        : sub === '/knowledge/unmatched' && can('reports.read') ? <Unmatched canWrite={can('knowledge.write')} />
        : sub === '/knowledge/synonyms' ? <Synonyms canWrite={can('knowledge.write')} />
        : sub === '/knowledge/transfer' ? <Transfer canWrite={can('knowledge.write')} />
        : sub === '/knowledge' ? <ArticleList canWrite={can('knowledge.write')} publishedAt={published?.publishedAt} />
        : <p>{t('knowledge.noSuchView')} <Link to="/knowledge">{t('knowledge.tab.articles')}</Link></p>}
    </main>
  );
}
