// What an agent does around a call: their own state (log in, pause with a reason, resume, log
// out), a blind transfer to a queue, an agent or a number, and a follow-up created from the call.
import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../../api.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import type { AgentInfo } from './use-console.ts';

const PAUSE_REASONS = ['break', 'lunch', 'training', 'after-call-work'] as const;

function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const run = async (work: () => Promise<unknown>, doneText?: string) => {
    setBusy(true); setError(undefined); setDone(undefined);
    try {
      await work();
      if (doneText) setDone(doneText);
    } catch (err) {
      setError(err instanceof ApiError ? `${err.message}` : String(err));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, done, run };
}

export function StateBar({ agent, onChanged }: { agent: AgentInfo; onChanged: () => void }) {
  const { t } = useI18n();
  const [reason, setReason] = useState<(typeof PAUSE_REASONS)[number]>('break');
  const { busy, error, run } = useAction();
  const act = (action: 'login' | 'logout' | 'pause' | 'unpause') =>
    run(async () => { await api(`/agents/${encodeURIComponent(agent.id)}/state`, { method: 'POST', json: { action, ...(action === 'pause' ? { reason } : {}) } }); onChanged(); });
  const s = agent.state;
  return (
    <section className="card state-bar" aria-label={t('agent.state.label')} data-state={s}>
      <p className="agent-state"><span className={`swatch part-${s}`} aria-hidden="true" /><strong>{t(`state.${s}` as MessageKey)}</strong>{agent.reason && <span> · {t('agent.state.reason', { reason: agent.reason })}</span>}</p>
      <div className="row">
        {s === 'logged-out' && <button type="button" disabled={busy} onClick={() => void act('login')}>{t('agent.state.login')}</button>}
        {s !== 'logged-out' && s !== 'paused' && (
          <>
            <label htmlFor="pause-reason">{t('agent.state.pauseReason')}</label>
            <select id="pause-reason" value={reason} onChange={(e) => setReason(e.target.value as (typeof PAUSE_REASONS)[number])}>
              {PAUSE_REASONS.map((r) => <option key={r} value={r}>{t(`agent.reason.${r}` as MessageKey)}</option>)}
            </select>
            <button type="button" disabled={busy} onClick={() => void act('pause')}>{t('agent.state.pause')}</button>
          </>
        )}
        {s === 'paused' && <button type="button" disabled={busy} onClick={() => void act('unpause')}>{t('agent.state.resume')}</button>}
        {s !== 'logged-out' && <button type="button" className="secondary" disabled={busy} onClick={() => void act('logout')}>{t('agent.state.logout')}</button>}
      </div>
      {error && <p className="form-error" role="alert">{error}</p>}
    </section>
  );
}

export function TransferForm({ callId }: { callId: string }) {
  const { t } = useI18n();
  const [kind, setKind] = useState<'queue' | 'agent' | 'number'>('queue');
  const [to, setTo] = useState('');
  const { busy, error, done, run } = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const target = kind === 'queue' ? { kind, queueId: to } : kind === 'agent' ? { kind, agentId: to } : { kind, number: to };
    void run(() => api(`/calls/${encodeURIComponent(callId)}/transfer`, { method: 'POST', json: { mode: 'blind', to: target } }), t('agent.transfer.done'));
  };
  return (
    <form className="card transfer" onSubmit={submit} aria-labelledby="transfer-title">
      <h2 id="transfer-title">{t('agent.transfer.title')}</h2>
      <div className="row">
        <label htmlFor="transfer-kind">{t('agent.transfer.kind')}</label>
        <select id="transfer-kind" value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
          <option value="queue">{t('agent.transfer.queue')}</option>
          <option value="agent">{t('agent.transfer.agent')}</option>
          <option value="number">{t('agent.transfer.number')}</option>
        </select>
        <label htmlFor="transfer-to">{t('agent.transfer.to')}</label>
        <input id="transfer-to" required value={to} onChange={(e) => setTo(e.target.value)} />
        <button type="submit" disabled={busy}>{t('agent.transfer.submit')}</button>
      </div>
      {error && <p className="form-error" role="alert">{error}</p>}
      {done && <p role="status">{done}</p>}
    </form>
  );
}

export function FollowupForm({ callId, callerNumber }: { callId: string; callerNumber: string }) {
  const { t } = useI18n();
  const [title, setTitle] = useState('');
  const [hours, setHours] = useState(24);
  const [priority, setPriority] = useState<'low' | 'normal' | 'high' | 'urgent'>('normal');
  const { busy, error, done, run } = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await api('/followups', { method: 'POST', json: { title, priority, dueAt: Date.now() + hours * 3600_000, callId, callerNumber } });
      setTitle('');
    }, t('agent.followup.done'));
  };
  return (
    <form className="card followup-form" onSubmit={submit} aria-labelledby="followup-title">
      <h2 id="followup-title">{t('agent.followup.title')}</h2>
      <div className="grid-form">
        <label htmlFor="followup-text">{t('agent.followup.what')}</label>
        <input id="followup-text" required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} />
        <label htmlFor="followup-hours">{t('agent.followup.dueIn')}</label>
        <input id="followup-hours" type="number" min={1} max={720} value={hours} onChange={(e) => setHours(Number(e.target.value))} />
        <label htmlFor="followup-priority">{t('followups.col.priority')}</label>
        <select id="followup-priority" value={priority} onChange={(e) => setPriority(e.target.value as typeof priority)}>
          {(['low', 'normal', 'high', 'urgent'] as const).map((p) => <option key={p} value={p}>{t(`priority.${p}` as MessageKey)}</option>)}
        </select>
      </div>
      <button type="submit" disabled={busy}>{t('agent.followup.create')}</button>
      {error && <p className="form-error" role="alert">{error}</p>}
      {done && <p role="status">{done}</p>}
    </form>
  );
}
