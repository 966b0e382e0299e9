// Every campaign with its state and progress (GET /campaigns), asked again every few seconds
// while any of them runs, so the bars move without a reload.
import { api } from '../../api.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { Link } from '../../router.tsx';
import type { Campaign, Progress } from './campaign-model.ts';
import { StateBadge } from './campaign-detail.tsx';
import { ProgressCharts } from './progress-chart.tsx';
import { LIVE_EVERY_MS, Loading, useLoad } from './parts.tsx';

export function CampaignList({ canWrite }: { canWrite: boolean }) {
  const { t } = useI18n();
  const { data, error, reload, isLive } = useLoad(
    () => api<{ campaigns: { campaign: Campaign; progress: Progress }[] }>('/campaigns').then((r) => [...r.campaigns].sort((a, b) => b.campaign.createdAt - a.campaign.createdAt)),
    [], (list) => list.some((c) => c.campaign.state === 'running'));
  return (
    <section aria-labelledby="campaign-list-title">
      <div className="tab-head">
        <h2 id="campaign-list-title">{t('campaigns.list.title')}</h2>
        {canWrite && <Link className="button-link" to="/campaigns/new">{t('campaigns.new')}</Link>}
      </div>
      {!data ? <Loading error={error} retry={() => void reload()} /> : (
        <>
          <p className="summary" aria-live="polite">
            {t('campaigns.list.count', { count: data.length, running: data.filter((c) => c.campaign.state === 'running').length })}
            {isLive && ` ${t('campaigns.live', { seconds: LIVE_EVERY_MS / 1000 })}`}
          </p>
          {error && <p className="form-error" role="alert">{t('app.error', { message: error })}</p>}
          {data.length === 0 ? <p>{t('campaigns.list.none')}</p> : (
            <ul className="campaign-cards">
              {data.map(({ campaign, progress }) => (
                <li key={campaign.id} className="card" data-campaign={campaign.id}>
                  <div className="tab-head">
                    <h3><Link to={`/campaigns/${campaign.id}`}>{campaign.name}</Link></h3>
                    <StateBadge state={campaign.state} />
                  </div>
                  <p className="hint">{t(`campaigns.type.${campaign.type}` as MessageKey)}{campaign.flowId ? ` · ${t('campaigns.list.flow', { flow: campaign.flowId })}` : ''}{campaign.queueId ? ` · ${t('campaigns.list.queue', { queue: campaign.queueId })}` : ''}</p>
                  <ProgressCharts id={`list-${campaign.id}`} progress={progress} />
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
