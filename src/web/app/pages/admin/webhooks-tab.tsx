// Webhooks: subscriptions (URL, events, enabled, failures), a form to subscribe a URL (the signing
// secret is shown once), enable/disable, rotate the secret (confirmed: the old one stops at once;
// the new one shown once), delete (confirmed), and each subscription's recent deliveries.
import { useState, type FormEvent } from 'react';
import { dateTime } from '../../format.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { ConfirmButton, Field, inputProps, Loading, OutcomeView, useAction, useLoad } from './form.tsx';
import { errorsUnder, request } from './request.ts';
import { SecretOnce } from './secret-once.tsx';

interface Subscription { id: string; url: string; events: string[]; description?: string; enabled: boolean; createdAt: number; createdBy: string; consecutiveFailures?: number; disabledReason?: string }
interface Delivery { at: number; eventId: string; eventType: string; attempt: number; result: 'delivered' | 'retry' | 'dead-lettered'; status?: number; ms: number; error?: string }

export function WebhooksTab({ canWrite }: { canWrite: boolean }) {
  const { t, locale } = useI18n();
  const { data, error, reload } = useLoad(async () => {
    const [subs, types] = await Promise.all([request<{ subscriptions: Subscription[] }>('/webhooks'), request<{ eventTypes: string[] }>('/webhooks/event-types')]);
    return { subscriptions: subs.subscriptions, eventTypes: types.eventTypes };
  }, []);
  const action = useAction();
  const create = useAction();
  const [secret, setSecret] = useState<{ url: string; secret: string }>();
  const [deliveriesOf, setDeliveriesOf] = useState<string>();
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<string[]>([]);
  const [description, setDescription] = useState('');
  const err = (field: string) => errorsUnder(create.fields, field);

  if (!data) return <Loading error={error} retry={() => void reload()} />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSecret(undefined);
    action.reset();
    await create.run(async () => {
      const made = await request<{ subscription: Subscription; secret: string }>('/webhooks', { method: 'POST', json: { url: url.trim(), events, ...(description.trim() ? { description: description.trim() } : {}) } });
      setSecret({ url: made.subscription.url, secret: made.secret });
      setUrl(''); setEvents([]); setDescription('');
      await reload();
      return t('admin.webhooks.created', { url: made.subscription.url });
    });
  };
  const rotate = (s: Subscription) => { create.reset(); setSecret(undefined); return action.run(async () => {
    const rotated = await request<{ subscription: Subscription; secret: string }>(`/webhooks/${encodeURIComponent(s.id)}/rotate-secret`, { method: 'POST' });
    setSecret({ url: s.url, secret: rotated.secret });
    return t('admin.webhooks.rotated', { url: s.url });
  }); };
  const setEnabled = (s: Subscription, enabled: boolean) => action.run(async () => {
    await request(`/webhooks/${encodeURIComponent(s.id)}`, { method: 'PATCH', json: { enabled } });
    await reload();
    return t(enabled ? 'admin.webhooks.enabledDone' : 'admin.webhooks.disabledDone', { url: s.url });
  });
  const remove = (s: Subscription) => action.run(async () => {
    await request(`/webhooks/${encodeURIComponent(s.id)}`, { method: 'DELETE' });
    await reload();
    return t('admin.webhooks.deleted', { url: s.url });
  });
  const eventLabel = (e: string) => (e === '*' ? t('admin.webhooks.allEvents') : e);

  return (
    <section aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">{t('admin.webhooks.title')}</h2>
      <p className="hint">{t('admin.webhooks.intro')}</p>
      <OutcomeView outcome={action.outcome} onReload={() => void reload()} />
      {secret && <SecretOnce label={t('admin.webhooks.secretLabel', { url: secret.url })} value={secret.secret} onDone={() => setSecret(undefined)} />}
      {data.subscriptions.length === 0 ? <p>{t('admin.webhooks.none')}</p> : (
        <div className="table-wrap">
          <table>
            <thead><tr>
              <th scope="col">{t('admin.webhooks.url')}</th><th scope="col">{t('admin.webhooks.events')}</th><th scope="col">{t('admin.webhooks.col.status')}</th>
              <th scope="col">{t('admin.webhooks.col.created')}</th><th scope="col"><span className="visually-hidden">{t('admin.col.actions')}</span></th>
            </tr></thead>
            <tbody>
              {data.subscriptions.map((s) => (
                <tr key={s.id} data-webhook={s.id}>
                  <th scope="row"><code>{s.url}</code>{s.description && <div className="hint">{s.description}</div>}</th>
                  <td>{s.events.map(eventLabel).join(', ')}</td>
                  <td>
                    {s.enabled ? <span className="badge good">{t('admin.webhooks.on')}</span> : <span className="badge bad">{t('admin.webhooks.off')}</span>}
                    {s.disabledReason && <div className="hint">{s.disabledReason}</div>}
                    {(s.consecutiveFailures ?? 0) > 0 && <div className="warn-text">{t('admin.webhooks.failures', { count: s.consecutiveFailures ?? 0 })}</div>}
                  </td>
                  <td>{t('admin.byAt', { by: s.createdBy, at: dateTime(s.createdAt, locale) })}</td>
                  <td className="actions">
                    <button type="button" className="secondary" aria-expanded={deliveriesOf === s.id} onClick={() => setDeliveriesOf(deliveriesOf === s.id ? undefined : s.id)}>{t('admin.webhooks.deliveries')}</button>
                    {canWrite && <>
                      <button type="button" className="secondary" onClick={() => void setEnabled(s, !s.enabled)}>{s.enabled ? t('admin.webhooks.disable') : t('admin.webhooks.enable')}</button>
                      <ConfirmButton label={t('admin.webhooks.rotate')} question={t('admin.webhooks.rotateQuestion')} confirm={t('admin.webhooks.rotateConfirm')} onConfirm={() => rotate(s)} />
                      <ConfirmButton label={t('admin.remove')} question={t('admin.webhooks.deleteQuestion', { url: s.url })} confirm={t('admin.removeConfirm')} onConfirm={() => remove(s)} />
                    </>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {deliveriesOf && <Deliveries id={deliveriesOf} url={data.subscriptions.find((s) => s.id === deliveriesOf)?.url ?? deliveriesOf} />}
      {canWrite && (
        <form className="card admin-form" onSubmit={submit} aria-labelledby="webhook-form-title" noValidate>
          <h3 id="webhook-form-title">{t('admin.webhooks.newTitle')}</h3>
          <div className="grid">
            <Field id="webhook-url" label={t('admin.webhooks.url')} error={err('url')} hint={t('admin.webhooks.urlHint')} wide>
              <input {...inputProps('webhook-url', err('url'), true)} type="url" value={url} onChange={(e) => setUrl(e.target.value)} />
            </Field>
            <Field id="webhook-description" label={t('admin.webhooks.description')} error={err('description')}>
              <input {...inputProps('webhook-description', err('description'))} value={description} onChange={(e) => setDescription(e.target.value)} />
            </Field>
          </div>
          <fieldset className="checks" aria-describedby={err('events') ? 'webhook-events-error' : undefined}>
            <legend>{t('admin.webhooks.events')}</legend>
            {['*', ...data.eventTypes].map((type) => (
              <label key={type} className="check"><input type="checkbox" checked={events.includes(type)} onChange={(e) => setEvents(e.target.checked ? [...events, type] : events.filter((x) => x !== type))} /> {type === '*' ? eventLabel(type) : <code>{type}</code>}</label>
            ))}
            {err('events') && <p className="field-error" id="webhook-events-error">{t('admin.fieldError', { message: err('events')! })}</p>}
          </fieldset>
          <OutcomeView outcome={create.outcome} labelOf={(f) => (['url', 'events', 'description'].includes(f.split('.')[0]!) ? t(`admin.webhooks.${f.split('.')[0]}` as MessageKey) : f)} />
          <div className="form-actions"><button type="submit" disabled={create.busy}>{t('admin.webhooks.create')}</button></div>
        </form>
      )}
    </section>
  );
}

function Deliveries({ id, url }: { id: string; url: string }) {
  const { t, locale } = useI18n();
  const { data, error, reload } = useLoad(() => request<{ items: Delivery[] }>(`/webhooks/${encodeURIComponent(id)}/deliveries?limit=20`).then((r) => r.items), [id]);
  return (
    <section className="card subsection" aria-labelledby="deliveries-title">
      <div className="tab-head"><h3 id="deliveries-title">{t('admin.webhooks.deliveriesOf', { url })}</h3><button type="button" className="secondary" onClick={() => void reload()}>{t('admin.refresh')}</button></div>
      {!data ? <Loading error={error} retry={() => void reload()} /> : data.length === 0 ? <p>{t('admin.webhooks.noDeliveries')}</p> : (
        <table>
          <thead><tr><th scope="col">{t('admin.col.time')}</th><th scope="col">{t('admin.webhooks.event')}</th><th scope="col">{t('admin.webhooks.attempt')}</th><th scope="col">{t('admin.webhooks.result')}</th><th scope="col">{t('admin.webhooks.answer')}</th></tr></thead>
          <tbody>
            {data.map((d) => (
              <tr key={`${d.eventId}-${d.attempt}`}>
                <td>{dateTime(d.at, locale)}</td><td><code>{d.eventType}</code></td><td>{d.attempt}</td>
                <td><span className={`badge ${d.result === 'delivered' ? 'good' : 'bad'}`}>{t(`admin.webhooks.result.${d.result}` as MessageKey)}</span></td>
                <td>{d.status ?? '—'} · {d.ms} ms{d.error ? ` · ${d.error}` : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
