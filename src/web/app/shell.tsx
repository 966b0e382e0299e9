// The frame around every page after login: skip link, product name, navigation (only the pages
// the user's permissions allow), the language switch and the user with a logout button.
import type { ReactNode } from 'react';
import type { Me } from './api.ts';
import { LOCALE_NAMES, LOCALES, isLocale, useI18n } from './i18n/i18n.tsx';
import type { MessageKey } from './i18n/en.ts';
import { pageOf, type PageEntry } from './pages.ts';
import { Link, usePath } from './router.tsx';

export function LanguageSwitch() {
  const { t, locale, setLocale } = useI18n();
  return (
    <div className="field-inline lang">
      <label htmlFor="ui-language">{t('lang.label')}</label>
      <select id="ui-language" value={locale} onChange={(e) => { if (isLocale(e.target.value)) setLocale(e.target.value); }}>
        {LOCALES.map((l) => <option key={l} value={l} lang={l}>{LOCALE_NAMES[l]}</option>)}
      </select>
    </div>
  );
}

export function Shell({ me, pages, onLogout, children }: { me: Me; pages: PageEntry[]; onLogout: () => void; children: ReactNode }) {
  const { t } = useI18n();
  const path = usePath();
  const current = pageOf(pages, path);
  const known = current !== undefined;
  return (
    <>
      <a className="skip" href="#main">{t('app.skip')}</a>
      <header className="top">
        <span className="brand">{t('app.name')}</span>
        <nav aria-label={t('nav.label')}>
          <ul>
            {pages.map((p) => <li key={p.path}><Link to={p.path} aria-current={p === current ? 'page' : undefined}>{t(p.label)}</Link></li>)}
          </ul>
        </nav>
        <div className="top-right">
          <LanguageSwitch />
          <span className="who">{t('user.signedInAs', { username: me.username, role: t(`role.${me.role}` as MessageKey) })}</span>
          <button type="button" onClick={onLogout}>{t('user.logout')}</button>
        </div>
      </header>
      {pages.length === 0 ? <main id="main" className="page"><p>{t('nav.none')}</p></main>
        : known ? children
        : <main id="main" className="page"><h1>{t('notFound.title')}</h1><p><Link to={pages[0]!.path}>{t('notFound.back')}</Link></p></main>}
    </>
  );
}
