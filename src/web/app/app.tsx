// The app: who is logged in (GET /auth/me), the UI language, and the page for the current path.
// Anonymous visitors see the login page; the shell's navigation shows only permitted pages.
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { api, currentUser, logout, type Me } from './api.ts';
import { browserLocale, I18nProvider, isLocale, rememberedLocale, rememberLocale, type Locale } from './i18n/i18n.tsx';
import { pageOf, pagesFor, startPage } from './pages.ts';
import { FollowupsPage } from './pages/followups.tsx';
import { LoginPage } from './pages/login.tsx';
import { WallboardPage } from './pages/wallboard.tsx';
import { navigate, usePath } from './router.tsx';
import { LanguageSwitch, Shell } from './shell.tsx';

// Big pages load when first opened: the flow editor brings React Flow, the phone pages JsSIP.
const AdminPage = lazy(() => import('./pages/admin.tsx').then((m) => ({ default: m.AdminPage })));
const AgentPage = lazy(() => import('./pages/agent.tsx').then((m) => ({ default: m.AgentPage })));
const FlowsPage = lazy(() => import('./pages/flows.tsx').then((m) => ({ default: m.FlowsPage })));
const PhonePage = lazy(() => import('./pages/phone.tsx').then((m) => ({ default: m.PhonePage })));
const KnowledgePage = lazy(() => import('./pages/knowledge.tsx').then((m) => ({ default: m.KnowledgePage })));
const RecordingsPage = lazy(() => import('./pages/recordings.tsx').then((m) => ({ default: m.RecordingsPage })));
const ReportsPage = lazy(() => import('./pages/reports.tsx').then((m) => ({ default: m.ReportsPage })));
const CampaignsPage = lazy(() => import('./pages/campaigns.tsx').then((m) => ({ default: m.CampaignsPage })));

export function App() {
  // undefined: still asking the API; null: nobody is logged in.
  const [me, setMe] = useState<Me | null>();
  const [error, setError] = useState<string>();
  const [locale, setLocaleState] = useState<Locale>(() => rememberedLocale() ?? browserLocale());
  const path = usePath();

  const signedIn = useCallback((user: Me) => {
    // The account's language: chosen once, it follows the user to every browser.
    setLocaleState(isLocale(user.locale) ? user.locale : 'en');
    setMe(user);
  }, []);

  useEffect(() => {
    currentUser().then((user) => (user ? signedIn(user) : setMe(null)), (err: Error) => setError(err.message));
  }, [signedIn]);

  useEffect(() => { document.documentElement.lang = locale; }, [locale]);

  const setLocale = useCallback((next: Locale) => {
    setLocaleState(next);
    rememberLocale(next);
    if (me) {
      api<Me>('/auth/me', { method: 'PATCH', json: { locale: next } }).then((user) => setMe((current) => (current ? { ...current, locale: user.locale } : current)), (err: Error) => setError(err.message));
    }
  }, [me]);

  const pages = me ? pagesFor(me.permissions) : [];
  // The start page, and the login page's target: the first page this user may open.
  useEffect(() => {
    if (me === null && path !== '/login') navigate('/login', true);
    if (me && (path === '/' || path === '/login')) navigate(startPage(pages, me.agentId) ?? '/', true);
  }, [me, path, pages]);

  const onLogout = async () => {
    await logout().catch(() => undefined); // a session that already ended is logged out too
    setMe(null);
    navigate('/login');
  };

  let content;
  if (error) content = <main id="main" className="page"><p role="alert" className="form-error">{error}</p></main>;
  else if (me === undefined) content = <main id="main" className="page"><p aria-busy="true">…</p></main>;
  else if (me === null) {
    content = (
      <>
        <header className="top"><span className="brand">Deskline</span><div className="top-right"><LanguageSwitch /></div></header>
        <LoginPage onLogin={signedIn} />
      </>
    );
  }
  else {
    const page = pageOf(pages, path);
    content = (
      <Shell me={me} pages={pages} onLogout={onLogout}>
        <Suspense fallback={<main id="main" className="page"><p aria-busy="true">…</p></main>}>
        {page?.path === '/wallboard' ? <WallboardPage canSeeAgents={me.permissions.includes('agents.read')} canMonitor={me.permissions.includes('live.monitor')} canSeeAlerts={me.permissions.includes('alerts.read')} />
          : page?.path === '/followups' ? <FollowupsPage />
          : page?.path === '/agent' ? <AgentPage me={me} />
          : page?.path === '/flows' ? <FlowsPage me={me} />
          : page?.path === '/recordings' ? <RecordingsPage me={me} />
          : page?.path === '/knowledge' ? <KnowledgePage me={me} />
          : page?.path === '/reports' ? <ReportsPage me={me} />
          : page?.path === '/campaigns' ? <CampaignsPage me={me} />
          : page?.path === '/admin' ? <AdminPage me={me} />
          : page?.path === '/phone' ? <PhonePage />
          : null}
        </Suspense>
      </Shell>
    );
  }
  return <I18nProvider locale={locale} setLocale={setLocale}>{content}</I18nProvider>;
}
