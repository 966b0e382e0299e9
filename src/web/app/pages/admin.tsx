// Administration: queues, agents, skills, users and roles, business hours and holidays, prompts,
// webhooks, settings and the audit log, one tab each at /admin/<tab>. A tab shows only when the
// user's permissions let them read it (pages/admin/tabs.ts), and its forms only when they may
// change it; the API checks again on every request.
import { useEffect } from 'react';
import type { Me } from '../api.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { Link, navigate, usePath } from '../router.tsx';
import { AgentsTab } from './admin/agents-tab.tsx';
import { AuditTab } from './admin/audit-tab.tsx';
import { DispositionsTab } from './admin/dispositions-tab.tsx';
import { HoursTab } from './admin/hours-tab.tsx';
import { PromptsTab } from './admin/prompts-tab.tsx';
import { QueuesTab } from './admin/queues-tab.tsx';
import { SettingsTab } from './admin/settings-tab.tsx';
import { SkillsTab } from './admin/skills-tab.tsx';
import { adminTabsFor, tabOfPath, type TabEntry } from './admin/tabs.ts';
import { UsersTab } from './admin/users-tab.tsx';
import { WebhooksTab } from './admin/webhooks-tab.tsx';
import './admin.css';

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export function AdminPage({ me }: { me: Me }) {
  const { t } = useI18n();
  const path = usePath();
  const tabs = adminTabsFor(me.permissions);
  const current = tabOfPath(path);
  const entry = tabs.find((e) => e.tab === current);

  // /admin itself opens the first tab this user may read.
  const first = tabs[0]?.tab;
  useEffect(() => {
    if ((path === '/admin' || path === '/admin/') && first) navigate(`/admin/${first}`, true);
  }, [path, first]);

  const can = (e: TabEntry) => me.permissions.includes(e.write);
  return (
    <main id="main" className="page admin">
      <h1>{t('admin.title')}</h1>
      {tabs.length === 0 ? <p>{t('admin.noTabs')}</p> : (
        <nav aria-label={t('admin.sections')} className="admin-tabs">
          <ul>
            {tabs.map((e) => <li key={e.tab}><Link to={`/admin/${e.tab}`} aria-current={e.tab === current ? 'page' : undefined}>{t(e.label)}</Link></li>)}
          </ul>
        </nav>
      )}
      <div className="admin-body">
        {!entry ? (path !== '/admin' && path !== '/admin/' && <p role="alert">{t('admin.noSuchTab')}</p>)
          : entry.tab === 'queues' ? <QueuesTab canWrite={can(entry)} />
          : entry.tab === 'agents' ? <AgentsTab canWrite={can(entry)} />
          : entry.tab === 'skills' ? <SkillsTab canWrite={can(entry)} />
          : entry.tab === 'users' ? <UsersTab me={me} canWrite={can(entry)} />
          : entry.tab === 'hours' ? <HoursTab canWrite={can(entry)} timezone={browserZone()} />
          : entry.tab === 'prompts' ? <PromptsTab canWrite={can(entry)} />
          : entry.tab === 'webhooks' ? <WebhooksTab canWrite={can(entry)} />
          : entry.tab === 'settings' ? <SettingsTab canWrite={can(entry)} />
          : entry.tab === 'dispositions' ? <DispositionsTab canWrite={can(entry)} />
          : <AuditTab />}
        {entry && !can(entry) && entry.tab !== 'audit' && <p className="hint read-only-note">{t('admin.readOnly')}</p>}
      </div>
    </main>
  );
}
