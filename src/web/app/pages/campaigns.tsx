// Outbound campaigns (issue 10): the campaigns with their live progress, a campaign's page
// (state buttons, contacts, results), the create / edit form, and the do-not-call list. Each view
// is a sub-path of /campaigns so it can be bookmarked; the API checks every permission again.
import type { Me } from '../api.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/en.ts';
import { Link, usePath } from '../router.tsx';
import './campaigns.css';
import { CampaignDetail } from './campaigns/campaign-detail.tsx';
import { CampaignFormPage } from './campaigns/campaign-form.tsx';
import { CampaignList } from './campaigns/campaign-list.tsx';
import { DncSection } from './campaigns/dnc-section.tsx';

const TABS: { path: string; label: MessageKey }[] = [
  { path: '/campaigns', label: 'campaigns.tab.campaigns' },
  { path: '/campaigns/do-not-call', label: 'campaigns.tab.dnc' },
];

export function CampaignsPage({ me }: { me: Me }) {
  const { t } = useI18n();
  const sub = usePath().replace(/\/+$/, '');
  const canWrite = me.permissions.includes('campaigns.write');
  // /campaigns/<id>[/edit]; campaign ids never contain a slash (the API makes them: c…).
  const [, , id, more] = sub.split('/');
  const onDnc = sub === '/campaigns/do-not-call';
  const current = onDnc ? TABS[1] : TABS[0];

  let view;
  if (onDnc) view = <DncSection canWrite={canWrite} />;
  else if (sub === '/campaigns') view = <CampaignList canWrite={canWrite} />;
  else if (sub === '/campaigns/new' && canWrite) view = <CampaignFormPage />;
  else if (id && more === 'edit' && canWrite) view = <CampaignFormPage key={id} id={decodeURIComponent(id)} />;
  else if (id && more === undefined) view = <CampaignDetail key={id} id={decodeURIComponent(id)} canWrite={canWrite} />;
  else view = <p>{t('campaigns.noSuchView')} <Link to="/campaigns">{t('campaigns.tab.campaigns')}</Link></p>;

  return (
    <main id="main" className="page campaigns">
      <h1>{t('campaigns.title')}</h1>
      <nav className="campaign-tabs" aria-label={t('campaigns.tabs')}>
        <ul>{TABS.map((tab) => <li key={tab.path}><Link to={tab.path} aria-current={tab === current ? 'page' : undefined}>{t(tab.label)}</Link></li>)}</ul>
      </nav>
      {view}
    </main>
  );
}
