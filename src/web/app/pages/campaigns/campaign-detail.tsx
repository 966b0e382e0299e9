// One campaign: its state and the buttons it allows (start / pause / resume / stop: POST
// /campaigns/{id}/{action}), its progress live while it runs, its settings in short, and its
// contacts (upload, table, results CSV). A stopped or completed campaign says so.
import { API, api } from '../../api.ts';
import { dateTime } from '../../format.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { Link, navigate } from '../../router.tsx';
import { actionsFor, isOver, WEEKDAYS, windowsText, type Action, type Campaign, type Contact, type Progress } from './campaign-model.ts';
import { ContactsSection } from './contacts-section.tsx';
import { ProgressCharts } from './progress-chart.tsx';
import { ConfirmButton, Loading, OutcomeView, useAction, useLoad } from './parts.tsx';

export function StateBadge({ state }: { state: Campaign['state'] }) {
  const { t } = useI18n();
  return <span className={`campaign-state state-${state}`}>{t(`campaigns.state.${state}` as MessageKey)}</span>;
}

export function CampaignDetail({ id, canWrite }: { id: string; canWrite: boolean }) {
  const { t, locale } = useI18n();
  const path = `/campaigns/${encodeURIComponent(id)}`;
  const { data, error, reload, isLive } = useLoad(async () => {
    const [one, list] = await Promise.all([api<{ campaign: Campaign; progress: Progress }>(path), api<{ contacts: Contact[] }>(`${path}/contacts`)]);
    return { ...one, contacts: list.contacts };
  }, [path], (d) => d.campaign.state === 'running');
  const act = useAction();
  if (!data) return <Loading error={error} retry={() => void reload()} />;
  const { campaign, progress, contacts } = data;

  const run = (action: Action) => act.run(async () => {
    await api(`${path}/${action}`, { method: 'POST' });
    await reload();
    return { key: `campaigns.done.${action}` as MessageKey, values: { name: campaign.name } };
  });
  const remove = () => act.run(async () => {
    await api(path, { method: 'DELETE' });
    navigate('/campaigns');
    return { key: 'campaigns.deleted', values: { name: campaign.name } };
  });
  const days = WEEKDAYS.filter((d) => campaign.schedule.windows[d]?.length);

  return (
    <section aria-labelledby="campaign-title" className="campaign-detail" data-campaign={campaign.id}>
      <p><Link to="/campaigns">{t('campaigns.back')}</Link></p>
      <div className="tab-head">
        <h2 id="campaign-title">{campaign.name}</h2>
        <p className="campaign-status" role="status" aria-live="polite">
          {t('campaigns.stateIs')} <StateBadge state={campaign.state} />
          {isLive && <span className="live-note"> {t('campaigns.live', { seconds: 3 })}</span>}
        </p>
      </div>
      {campaign.state === 'stopped' && <p className="notice-over">{t('campaigns.over.stopped', { at: dateTime(campaign.updatedAt, locale) })}</p>}
      {campaign.state === 'completed' && <p className="notice-over">{t('campaigns.over.completed', { at: dateTime(campaign.updatedAt, locale) })}</p>}
      {canWrite && (
        <div className="form-actions campaign-actions">
          {actionsFor(campaign.state).map((action) => action === 'stop'
            ? <ConfirmButton key={action} label={t('campaigns.action.stop')} question={t('campaigns.stopQuestion', { name: campaign.name })} confirm={t('campaigns.action.stopConfirm')} onConfirm={() => run('stop')} disabled={act.busy} />
            : <button key={action} type="button" onClick={() => void run(action)} disabled={act.busy}>{t(`campaigns.action.${action}` as MessageKey)}</button>)}
          {!isOver(campaign.state) && campaign.state !== 'running' && <Link className="button-link" to={`${path}/edit`}>{t('campaigns.edit')}</Link>}
          {campaign.state !== 'running' && <ConfirmButton label={t('campaigns.delete')} question={t('campaigns.deleteQuestion', { name: campaign.name })} confirm={t('campaigns.deleteConfirm')} onConfirm={remove} disabled={act.busy} />}
        </div>
      )}
      <OutcomeView outcome={act.outcome} />
      <ProgressCharts id={`campaign-${campaign.id}`} progress={progress} />
      <dl className="campaign-facts">
        <div><dt>{t('campaigns.form.type')}</dt><dd>{t(`campaigns.type.${campaign.type}` as MessageKey)}</dd></div>
        {campaign.flowId && <div><dt>{t('campaigns.form.flow')}</dt><dd><Link to={`/flows/${campaign.flowId}`}>{campaign.flowId}</Link></dd></div>}
        {campaign.queueId && <div><dt>{t('campaigns.form.queue')}</dt><dd>{campaign.queueId}</dd></div>}
        <div><dt>{t('campaigns.form.dial')}</dt><dd><code>{campaign.dial}</code></dd></div>
        <div><dt>{t('campaigns.facts.callerId')}</dt><dd>{campaign.callerId.name ? `${campaign.callerId.name} <${campaign.callerId.number}>` : campaign.callerId.number}</dd></div>
        <div><dt>{t('campaigns.form.timezone')}</dt><dd>{campaign.timezone ?? t('campaigns.facts.siteZone')}</dd></div>
        <div><dt>{t('campaigns.form.windows')}</dt><dd>{days.length ? days.map((d) => `${t(`campaigns.day.${d}` as MessageKey)} ${windowsText(campaign.schedule.windows[d])}`).join('; ') : t('campaigns.facts.noWindows')}</dd></div>
        {campaign.schedule.holidays.length > 0 && <div><dt>{t('campaigns.form.holidays')}</dt><dd>{campaign.schedule.holidays.join(', ')}</dd></div>}
        <div><dt>{t('campaigns.form.pacing')}</dt><dd>{t('campaigns.facts.pacing', { concurrent: campaign.pacing.maxConcurrent, perMinute: campaign.pacing.callsPerMinute, ring: campaign.pacing.ringSeconds })}</dd></div>
      </dl>
      <ContactsSection campaign={campaign} contacts={contacts} canWrite={canWrite} onChanged={reload} resultsHref={`${API}${path}/results.csv`} />
    </section>
  );
}
