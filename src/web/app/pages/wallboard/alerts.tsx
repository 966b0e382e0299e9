// Wallboard alerts: escalation phrases heard on calls (live `alert` events, for alerts.read) and
// callers waiting too long (from the queue figures). Announced politely to screen readers.
import { dateTime, duration } from '../../format.ts';
import { useI18n } from '../../i18n/i18n.tsx';

export interface Alert { key: string; at: number; callId?: string; kind: string; phrase?: string; leg?: string; text?: string }

export function Alerts({ alerts, longWaits }: { alerts: Alert[]; longWaits: { queueId: string; seconds: number }[] }) {
  const { t, locale } = useI18n();
  const none = alerts.length === 0 && longWaits.length === 0;
  return (
    <section className="card alerts" aria-labelledby="alerts-title">
      <h2 id="alerts-title">{t('wallboard.alerts')}</h2>
      {none ? <p className="summary">{t('wallboard.noAlerts')}</p> : (
        <ul className="alert-list" aria-live="polite">
          {longWaits.map((w) => <li key={`wait-${w.queueId}`} className="alert-wait" data-alert="long-wait">{t('wallboard.longWaitAlert', { queue: w.queueId, wait: duration(w.seconds) ?? '' })}</li>)}
          {alerts.map((a) => (
            <li key={a.key} className="alert-escalation" data-alert={a.kind} data-call={a.callId}>
              <strong>{t('wallboard.escalation', { phrase: a.phrase ?? '' })}</strong> · {dateTime(a.at, locale)}{a.text ? <> · “{a.text}”</> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
