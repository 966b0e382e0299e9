// What the campaign views share: data loaded (and, while a campaign runs, reloaded on each
// progress event of the live stream, or every few seconds while the stream is down), a labelled field with its API error beside it, how the last change went (done /
// refused with the fields named / stale revision with a reload), and a two-step confirmation.
import { useCallback, useEffect, useRef, useState, type DependencyList, type ReactNode } from 'react';
import { API } from '../../api.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { fieldErrors, isCampaignConflict } from './campaign-model.ts';
import { messageOf } from '../admin/form.tsx';

// The same field, error and confirmation parts as the administration pages.
export { ConfirmButton, Field, inputProps, messageOf } from '../admin/form.tsx';

/** How often a page showing a running campaign asks again while the event stream is down. */
export const LIVE_EVERY_MS = 3000;

/** Data from the API with a reload; `live(data)` true → reloaded on campaign.progress events (at most 1/s per campaign), quietly. */
export function useLoad<T>(load: () => Promise<T>, deps: DependencyList, live?: (data: T) => boolean) {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const reload = useCallback(async () => {
    try {
      setData(await load());
      setError(undefined);
    } catch (err) {
      setError(messageOf(err));
    }
  }, deps);
  useEffect(() => { void reload(); }, [reload]);
  const liveRef = useRef(live);
  liveRef.current = live;
  const isLive = data !== undefined && (liveRef.current?.(data) ?? false);
  useEffect(() => {
    if (!isLive) return undefined;
    let timer: ReturnType<typeof setInterval> | undefined;
    const poll = (on: boolean) => {
      if (on && !timer) timer = setInterval(() => void reload(), LIVE_EVERY_MS);
      if (!on && timer) { clearInterval(timer); timer = undefined; }
    };
    poll(true);
    const events = new EventSource(`${API}/events?types=campaign.progress`);
    events.onopen = () => { poll(false); void reload(); };
    events.onerror = () => poll(true);
    events.addEventListener('campaign.progress', () => void reload());
    return () => { events.close(); poll(false); };
  }, [isLive, reload]);
  return { data, error, reload, isLive };
}

export function Loading({ error, retry }: { error: string | undefined; retry: () => void }) {
  const { t } = useI18n();
  if (error) return <p className="form-error" role="alert">{t('app.error', { message: error })} <button type="button" onClick={retry}>{t('app.retry')}</button></p>;
  return <p aria-busy="true">{t('app.loading')}</p>;
}

export type Outcome =
  | { kind: 'idle' } | { kind: 'busy' } | { kind: 'done'; message: Said }
  | { kind: 'error'; message: string; fields: Record<string, string>; error: unknown }
  | { kind: 'conflict'; message: string };

/** A message kept as key and values, not as text: a language switch says it again in the new language. */
export interface Said { key: MessageKey; values?: Record<string, string | number> }

/** Runs a change and keeps how it went; the job answers the success message. */
export function useAction() {
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const run = useCallback(async (job: () => Promise<Said>): Promise<boolean> => {
    setOutcome({ kind: 'busy' });
    try {
      setOutcome({ kind: 'done', message: await job() });
      return true;
    } catch (error) {
      setOutcome(isCampaignConflict(error) ? { kind: 'conflict', message: messageOf(error) } : { kind: 'error', message: messageOf(error), fields: fieldErrors(error), error });
      return false;
    }
  }, []);
  const reset = useCallback(() => setOutcome({ kind: 'idle' }), []);
  return { outcome, run, reset, fields: outcome.kind === 'error' ? outcome.fields : {}, busy: outcome.kind === 'busy' };
}

/** The last change's outcome, announced; field problems are listed (and shown at their fields). */
export function OutcomeView({ outcome, onReload, labelOf, hideFields }: { outcome: Outcome; onReload?: () => void; labelOf?: (field: string) => string; hideFields?: boolean }) {
  const { t } = useI18n();
  return (
    <div className="outcome" aria-live="polite">
      {outcome.kind === 'done' && <p role="status" className="ok"><span aria-hidden="true">✓ </span>{t(outcome.message.key, outcome.message.values)}</p>}
      {outcome.kind === 'conflict' && (
        <div role="alert" className="conflict">
          <p><strong>{t('campaigns.conflict')}</strong></p>
          <p className="detail">{outcome.message}</p>
          {onReload && <button type="button" onClick={onReload}>{t('campaigns.conflict.reload')}</button>}
        </div>
      )}
      {outcome.kind === 'error' && (
        <div role="alert" className="form-error">
          <p>{t('campaigns.refused', { message: outcome.message })}</p>
          {!hideFields && Object.keys(outcome.fields).length > 0 && (
            <ul>{Object.entries(outcome.fields).map(([field, message]) => <li key={field}>{t('campaigns.fieldProblem', { field: labelOf?.(field) ?? field, message })}</li>)}</ul>
          )}
        </div>
      )}
    </div>
  );
}


