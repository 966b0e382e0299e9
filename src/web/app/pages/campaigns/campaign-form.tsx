// Create or change a campaign: POST /campaigns, or PUT /campaigns/{id} with If-Match: the revision
// read (someone else saved meanwhile → 409 → reload). The flows to pick come from GET /flows (only
// a published one can run), the queues from GET /queues. The API validates every field; its
// error.details[].field puts each message beside its input.
import { useState, type FormEvent } from 'react';
import { api } from '../../api.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { navigate } from '../../router.tsx';
import { CAMPAIGN_TYPES, draftOf, errorsUnder, inputOf, PACING_KEYS, RETRY_KINDS, WEEKDAYS, type Campaign, type CampaignDraft } from './campaign-model.ts';
import { Field, inputProps, Loading, OutcomeView, useAction, useLoad } from './parts.tsx';

interface FlowRow { id: string; publishedVersion?: number }
interface Choices { flows: FlowRow[] | undefined; queues: string[] | undefined }

/** Flows and queues to pick from; a list the user may not read becomes a text input instead. */
async function loadChoices(): Promise<Choices> {
  const [flows, queues] = await Promise.all([
    api<{ flows: FlowRow[] }>('/flows').then((r) => r.flows, () => undefined),
    api<{ queues: { queueId: string }[] }>('/queues').then((r) => r.queues.map((q) => q.queueId).sort(), () => undefined),
  ]);
  return { flows, queues };
}

export function CampaignFormPage({ id }: { id?: string }) {
  const { t } = useI18n();
  const { data, error, reload } = useLoad(async () => {
    const [choices, campaign] = await Promise.all([loadChoices(), id ? api<{ campaign: Campaign }>(`/campaigns/${encodeURIComponent(id)}`).then((r) => r.campaign) : undefined]);
    return { choices, campaign };
  }, [id]);
  const [fresh, setFresh] = useState(0);
  return (
    <section aria-labelledby="campaign-form-title">
      <h2 id="campaign-form-title">{id ? t('campaigns.form.editTitle', { name: data?.campaign?.name ?? id }) : t('campaigns.form.newTitle')}</h2>
      {!data ? <Loading error={error} retry={() => void reload()} />
        : <CampaignForm key={`${data.campaign?.revision ?? 'new'}-${fresh}`} campaign={data.campaign} choices={data.choices} onReload={async () => { await reload(); setFresh((n) => n + 1); }} />}
    </section>
  );
}

function CampaignForm({ campaign, choices, onReload }: { campaign: Campaign | undefined; choices: Choices; onReload: () => Promise<void> }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<CampaignDraft>(() => draftOf(campaign));
  const save = useAction();
  const set = (change: Partial<CampaignDraft>) => setDraft((d) => ({ ...d, ...change }));
  const err = (field: string) => errorsUnder(save.fields, field);
  const locked = campaign?.state === 'running';

  const labelOf = (field: string): string => {
    const [head, sub, day] = field.split('.');
    if (head === 'schedule' && sub === 'windows' && day) return t('campaigns.form.windowOf', { day: t(`campaigns.day.${day}` as MessageKey) });
    if (head === 'schedule' && sub === 'holidays') return t('campaigns.form.holidays');
    if (head === 'callerId') return sub === 'name' ? t('campaigns.form.callerName') : t('campaigns.form.callerNumber');
    if (head === 'pacing' && sub) return t(`campaigns.pacing.${sub}` as MessageKey);
    if (head === 'retry' && sub) return t(`campaigns.retry.${sub}` as MessageKey);
    const simple: Record<string, MessageKey> = { name: 'campaigns.form.name', type: 'campaigns.form.type', flowId: 'campaigns.form.flow', queueId: 'campaigns.form.queue', dial: 'campaigns.form.dial', timezone: 'campaigns.form.timezone', 'preview.autoDialSeconds': 'campaigns.form.autoDial' };
    return head && simple[head] ? t(simple[head]) : field;
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save.run(async () => {
      const input = inputOf(draft);
      if (campaign) {
        await api(`/campaigns/${encodeURIComponent(campaign.id)}`, { method: 'PUT', json: input, headers: { 'if-match': `"${campaign.revision}"` } });
        navigate(`/campaigns/${campaign.id}`);
        return { key: 'campaigns.form.saved', values: { name: draft.name } };
      }
      const created = await api<{ campaign: Campaign }>('/campaigns', { method: 'POST', json: input });
      navigate(`/campaigns/${created.campaign.id}`);
      return { key: 'campaigns.form.created', values: { name: created.campaign.name } };
    });
  };

  const flowKnown = choices.flows?.some((f) => f.id === draft.flowId);
  return (
    <form className="campaign-form card" onSubmit={submit} noValidate>
      {locked && <p className="notice-warn" role="status">{t('campaigns.form.pauseFirst')}</p>}
      <fieldset>
        <legend>{t('campaigns.form.basics')}</legend>
        <div className="grid">
          <Field id="campaign-name" label={t('campaigns.form.name')} error={err('name')}>
            <input {...inputProps('campaign-name', err('name'))} value={draft.name} onChange={(e) => set({ name: e.target.value })} required maxLength={200} />
          </Field>
          <Field id="campaign-type" label={t('campaigns.form.type')} error={err('type')} hint={t(`campaigns.type.${draft.type}.hint` as MessageKey)}>
            <select {...inputProps('campaign-type', err('type'), true)} value={draft.type} onChange={(e) => set({ type: e.target.value as CampaignDraft['type'] })}>
              {CAMPAIGN_TYPES.map((type) => <option key={type} value={type}>{t(`campaigns.type.${type}` as MessageKey)}</option>)}
            </select>
          </Field>
          {draft.type !== 'preview' && <Field id="campaign-flow" label={t('campaigns.form.flow')} error={err('flowId')} hint={t('campaigns.form.flow.hint')}>
            {choices.flows ? (
              <select {...inputProps('campaign-flow', err('flowId'), true)} value={draft.flowId} onChange={(e) => set({ flowId: e.target.value })}>
                <option value="">{t('campaigns.form.choose')}</option>
                {!flowKnown && draft.flowId && <option value={draft.flowId}>{draft.flowId}</option>}
                {choices.flows.map((f) => <option key={f.id} value={f.id}>{f.publishedVersion ? t('campaigns.form.flowPublished', { id: f.id, version: f.publishedVersion }) : t('campaigns.form.flowDraft', { id: f.id })}</option>)}
              </select>
            ) : <input {...inputProps('campaign-flow', err('flowId'), true)} value={draft.flowId} onChange={(e) => set({ flowId: e.target.value })} />}
          </Field>}
          {draft.type !== 'automated' && (
            <Field id="campaign-queue" label={t('campaigns.form.queue')} error={err('queueId')} hint={t(draft.type === 'preview' ? 'campaigns.form.queue.previewHint' : 'campaigns.form.queue.hint')}>
              {choices.queues ? (
                <select {...inputProps('campaign-queue', err('queueId'), true)} value={draft.queueId} onChange={(e) => set({ queueId: e.target.value })}>
                  <option value="">{t('campaigns.form.choose')}</option>
                  {draft.queueId && !choices.queues.includes(draft.queueId) && <option value={draft.queueId}>{draft.queueId}</option>}
                  {choices.queues.map((q) => <option key={q} value={q}>{q}</option>)}
                </select>
              ) : <input {...inputProps('campaign-queue', err('queueId'), true)} value={draft.queueId} onChange={(e) => set({ queueId: e.target.value })} />}
            </Field>
          )}
          {draft.type === 'preview' && (
            <Field id="campaign-autodial" label={t('campaigns.form.autoDial')} error={err('preview.autoDialSeconds')} hint={t('campaigns.form.autoDial.hint')}>
              <input {...inputProps('campaign-autodial', err('preview.autoDialSeconds'))} type="number" min={0} max={600} step={1} value={draft.autoDialSeconds} onChange={(e) => set({ autoDialSeconds: e.target.value })} />
            </Field>
          )}
          <Field id="campaign-dial" label={t('campaigns.form.dial')} error={err('dial')} hint={t('campaigns.form.dial.hint')}>
            <input {...inputProps('campaign-dial', err('dial'), true)} value={draft.dial} onChange={(e) => set({ dial: e.target.value })} spellCheck={false} />
          </Field>
          <Field id="campaign-caller-number" label={t('campaigns.form.callerNumber')} error={err('callerId.number')}>
            <input {...inputProps('campaign-caller-number', err('callerId.number'))} value={draft.callerNumber} onChange={(e) => set({ callerNumber: e.target.value })} inputMode="tel" />
          </Field>
          <Field id="campaign-caller-name" label={t('campaigns.form.callerName')} error={err('callerId.name')}>
            <input {...inputProps('campaign-caller-name', err('callerId.name'))} value={draft.callerName} onChange={(e) => set({ callerName: e.target.value })} maxLength={60} />
          </Field>
          <Field id="campaign-timezone" label={t('campaigns.form.timezone')} error={err('timezone')} hint={t('campaigns.form.timezone.hint')}>
            <input {...inputProps('campaign-timezone', err('timezone'), true)} value={draft.timezone} onChange={(e) => set({ timezone: e.target.value })} placeholder="Asia/Shanghai" spellCheck={false} />
          </Field>
        </div>
      </fieldset>

      <fieldset className="rows">
        <legend>{t('campaigns.form.windows')}</legend>
        <p className="hint" id="campaign-windows-hint">{t('campaigns.form.windows.hint')}</p>
        <div className="grid week-grid">
          {WEEKDAYS.map((day) => {
            const id = `campaign-window-${day}`, e = err(`schedule.windows.${day}`);
            return (
              <Field key={day} id={id} label={t(`campaigns.day.${day}` as MessageKey)} error={e}>
                <input {...inputProps(id, e)} aria-describedby={['campaign-windows-hint', e ? `${id}-error` : ''].filter(Boolean).join(' ')} value={draft.windows[day]} placeholder={t('campaigns.form.closed')} onChange={(ev) => set({ windows: { ...draft.windows, [day]: ev.target.value } })} />
              </Field>
            );
          })}
        </div>
        <Field id="campaign-holidays" label={t('campaigns.form.holidays')} error={err('schedule.holidays')} hint={t('campaigns.form.holidays.hint')} wide>
          <input {...inputProps('campaign-holidays', err('schedule.holidays'), true)} value={draft.holidays} onChange={(e) => set({ holidays: e.target.value })} placeholder="2026-10-01, 2026-10-02" />
        </Field>
      </fieldset>

      <fieldset className="rows">
        <legend>{t('campaigns.form.pacing')}</legend>
        <div className="grid">
          {PACING_KEYS.filter((k) => k !== 'overdialRatio' || draft.type === 'progressive').map((k) => {
            const id = `campaign-pacing-${k}`, e = err(`pacing.${k}`);
            return (
              <Field key={k} id={id} label={t(`campaigns.pacing.${k}` as MessageKey)} error={e} hint={t(`campaigns.pacing.${k}.hint` as MessageKey)}>
                <input {...inputProps(id, e, true)} type="number" min={0} step={k === 'overdialRatio' ? 0.05 : 1} value={draft.pacing[k]} onChange={(ev) => set({ pacing: { ...draft.pacing, [k]: ev.target.value } })} />
              </Field>
            );
          })}
        </div>
      </fieldset>

      <fieldset className="rows">
        <legend>{t('campaigns.form.retry')}</legend>
        <p className="hint">{t('campaigns.form.retry.hint')}</p>
        <div className="grid">
          {RETRY_KINDS.map((k) => (['afterMinutes', 'maxAttempts'] as const).map((part) => {
            const id = `campaign-retry-${k}-${part}`, e = err(`retry.${k}.${part}`);
            return (
              <Field key={id} id={id} label={t(`campaigns.retry.${part}`, { outcome: t(`campaigns.retry.${k}` as MessageKey) })} error={e}>
                <input {...inputProps(id, e)} type="number" min={part === 'maxAttempts' ? 1 : 0} step={1} value={draft.retry[k][part]}
                  onChange={(ev) => set({ retry: { ...draft.retry, [k]: { ...draft.retry[k], [part]: ev.target.value } } })} />
              </Field>
            );
          }))}
        </div>
      </fieldset>

      <OutcomeView outcome={save.outcome} labelOf={labelOf} onReload={() => { save.reset(); void onReload(); }} />
      <div className="form-actions">
        <button type="submit" disabled={save.busy || locked}>{campaign ? t('campaigns.form.save') : t('campaigns.form.create')}</button>
        <button type="button" className="secondary" onClick={() => navigate(campaign ? `/campaigns/${campaign.id}` : '/campaigns')}>{t('campaigns.cancel')}</button>
      </div>
    </form>
  );
}
