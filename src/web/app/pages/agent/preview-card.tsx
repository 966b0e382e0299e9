// A preview campaign's contact, shown to the agent before anything is dialled: who, why (the
// campaign and the contact's fields), earlier attempts; Call places the call for the agent (their
// phone rings first, then the customer is dialled), Skip puts the contact back for later. With
// auto-dial, a countdown says when the call will be placed by itself.
import { useEffect, useState } from 'react';
import { api, ApiError } from '../../api.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { AgentPreview } from './use-console.ts';

export function PreviewCard({ agentId, preview, onDone }: { agentId: string; preview: AgentPreview; onDone: () => void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (preview.autoDialAt === undefined) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [preview.autoDialAt]);
  const act = async (action: 'call' | 'skip') => {
    setBusy(true); setError(undefined);
    try {
      const r = await api<{ callId?: string; dnc?: boolean }>(`/agents/${encodeURIComponent(agentId)}/preview/${action}`, { method: 'POST' });
      if (r.dnc) setError(t('agent.preview.dnc'));
      onDone();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const { contact, campaign } = preview;
  const fields = Object.entries(contact.fields ?? {});
  const secondsLeft = preview.autoDialAt === undefined ? undefined : Math.max(0, Math.ceil((preview.autoDialAt - now) / 1000));
  return (
    <section className="card preview-card" aria-labelledby="preview-title">
      <h2 id="preview-title">{t('agent.preview.title', { campaign: campaign.name })}</h2>
      <p className="preview-who"><strong>{contact.name || contact.number}</strong>{contact.name && <span> · {contact.number}</span>}</p>
      {fields.length > 0 && (
        <dl className="preview-fields">
          {fields.map(([k, v]) => <div key={k}><dt>{k}</dt><dd>{v}</dd></div>)}
        </dl>
      )}
      <p className="hint">{contact.attempts.length === 0 ? t('agent.preview.firstTry') : t('agent.preview.attempts', { count: contact.attempts.length, last: contact.attempts.at(-1)?.outcome ?? '' })}</p>
      {secondsLeft !== undefined && <p role="timer" aria-live="polite">{t('agent.preview.autoDial', { seconds: secondsLeft })}</p>}
      <div className="row">
        <button type="button" disabled={busy} onClick={() => void act('call')}>{t('agent.preview.call')}</button>
        <button type="button" className="secondary" disabled={busy} onClick={() => void act('skip')}>{t('agent.preview.skip')}</button>
      </div>
      <p className="hint">{t('agent.preview.how')}</p>
      {error && <p className="form-error" role="alert">{error}</p>}
    </section>
  );
}
