// The softphone as people see it: registration state, the call (ringing, connected, held,
// ended) with answer / hang up / hold / mute, a keypad that sends DTMF during a call, and (for
// the desk phone) a number to dial. Keyboard: every control is a button with a label.
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { api } from '../api.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/en.ts';
import { Softphone, type PhoneAccount, type PhoneSnapshot } from './softphone.ts';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

/** The user's phone of this purpose (GET /softphone), started while the component is mounted. */
export function useSoftphone(purpose: PhoneAccount['purpose']): { phone?: Softphone; missing: boolean; error?: string } {
  const [phone, setPhone] = useState<Softphone>();
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => {
    let current: Softphone | undefined;
    let stopped = false;
    api<{ phones: PhoneAccount[] }>('/softphone').then((r) => {
      if (stopped) return;
      const account = r.phones.find((p) => p.purpose === purpose);
      if (!account) { setMissing(true); return; }
      current = new Softphone(account);
      current.start();
      setPhone(current);
    }, (err: Error) => setError(err.message));
    return () => { stopped = true; current?.stop(); };
  }, [purpose]);
  return { phone, missing, ...(error ? { error } : {}) };
}

/**
 * The desk phone, registered only while the component using it is mounted (it takes the desk
 * phone's calls from any other browser); `whenReady` runs once, the first time it is registered.
 */
export function useDeskPhone(whenReady: (phone: Softphone) => void): ReturnType<typeof useSoftphone> {
  const desk = useSoftphone('desk');
  const state = usePhoneState(desk.phone);
  const done = useRef(false);
  const ready = useRef(whenReady);
  ready.current = whenReady;
  useEffect(() => {
    if (desk.phone && state.registration === 'registered' && !done.current) {
      done.current = true;
      ready.current(desk.phone);
    }
  }, [desk.phone, state.registration]);
  return desk;
}

const idle: PhoneSnapshot = { registration: 'off' };

export function usePhoneState(phone: Softphone | undefined): PhoneSnapshot {
  return useSyncExternalStore((cb) => phone?.subscribe(cb) ?? (() => undefined), () => phone?.state ?? idle);
}

export function PhonePanel({ phone, canDial, title }: { phone: Softphone | undefined; canDial: boolean; title: string }) {
  const { t } = useI18n();
  const state = usePhoneState(phone);
  const [number, setNumber] = useState('');
  const call = state.call;
  const live = call && call.status !== 'ended';
  return (
    <section className="card phone" aria-labelledby="phone-title" data-registration={state.registration} data-call={call?.status ?? 'none'}>
      <h2 id="phone-title">{title}</h2>
      <p className={`phone-reg reg-${state.registration}`} role="status">{t(`phone.reg.${state.registration}` as MessageKey)}{state.problem ? ` (${state.problem})` : ''}</p>
      {call && (
        <div className={`phone-call call-${call.status}`} aria-live="polite">
          <p className="phone-remote"><strong>{call.remoteName ? `${call.remoteName} ` : ''}{call.remote}</strong></p>
          <p>{t(`phone.call.${call.status}` as MessageKey)}{call.held ? ` · ${t('phone.held')}` : ''}{call.muted ? ` · ${t('phone.muted')}` : ''}{call.status === 'ended' && call.endCause ? ` (${call.endCause})` : ''}</p>
          {call.digits && <p className="phone-digits">{t('phone.digitsSent', { digits: call.digits })}</p>}
          <div className="phone-actions">
            {call.status === 'ringing' && call.direction === 'incoming' && <button type="button" className="answer" onClick={() => phone?.answer()}>{t('phone.answer')}</button>}
            {live && <button type="button" className="hangup" onClick={() => phone?.hangup()}>{call.status === 'ringing' && call.direction === 'incoming' ? t('phone.decline') : t('phone.hangup')}</button>}
            {call.status === 'connected' && <button type="button" aria-pressed={call.held} onClick={() => phone?.toggleHold()}>{call.held ? t('phone.resume') : t('phone.hold')}</button>}
            {call.status === 'connected' && <button type="button" aria-pressed={call.muted} onClick={() => phone?.toggleMute()}>{call.muted ? t('phone.unmute') : t('phone.mute')}</button>}
            {call.status === 'ended' && <button type="button" onClick={() => phone?.dismiss()}>{t('phone.dismiss')}</button>}
          </div>
        </div>
      )}
      {call?.status === 'connected' && (
        <div className="keypad" role="group" aria-label={t('phone.keypad')}>
          {KEYS.map((k) => <button key={k} type="button" onClick={() => phone?.dtmf(k)} aria-label={t('phone.key', { key: k })}>{k}</button>)}
        </div>
      )}
      {canDial && !live && (
        <form className="phone-dial" onSubmit={(e) => { e.preventDefault(); if (number.trim()) phone?.dial(number.trim()); }}>
          <label htmlFor="phone-number">{t('phone.number')}</label>
          <input id="phone-number" inputMode="tel" pattern="[0-9*#+]{1,32}" value={number} onChange={(e) => setNumber(e.target.value)} />
          <button type="submit" disabled={state.registration !== 'registered'}>{t('phone.call')}</button>
        </form>
      )}
    </section>
  );
}
