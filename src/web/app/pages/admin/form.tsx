// Parts every administration form shares: loading with retry, a labelled field with its error
// beside it, the outcome of a save (done / refused with every field named / stale revision with a
// reload button), and a two-step confirmation for destructive actions.
import { useCallback, useEffect, useState, type DependencyList, type ReactNode } from 'react';
import { ApiError } from '../../api.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { fieldErrors, isConflict } from './request.ts';

export const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Data loaded from the API, with a reload. */
export function useLoad<T>(load: () => Promise<T>, deps: DependencyList) {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const reload = useCallback(async () => {
    setError(undefined);
    try {
      setData(await load());
    } catch (err) {
      setError(messageOf(err));
    }
  }, deps);
  useEffect(() => { void reload(); }, [reload]);
  return { data, error, reload, setData };
}

export function Loading({ error, retry }: { error: string | undefined; retry: () => void }) {
  const { t } = useI18n();
  if (error) return <p className="form-error" role="alert">{t('app.error', { message: error })} <button type="button" onClick={retry}>{t('app.retry')}</button></p>;
  return <p aria-busy="true">{t('app.loading')}</p>;
}

export type Outcome =
  | { kind: 'idle' }
  | { kind: 'busy' }
  | { kind: 'done'; message: string }
  | { kind: 'error'; message: string; code: string; fields: Record<string, string> }
  | { kind: 'conflict'; message: string };

/** Runs a change and keeps how it went; the job answers the success message. */
export function useAction() {
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const run = useCallback(async (job: () => Promise<string>): Promise<boolean> => {
    setOutcome({ kind: 'busy' });
    try {
      setOutcome({ kind: 'done', message: await job() });
      return true;
    } catch (error) {
      if (isConflict(error)) setOutcome({ kind: 'conflict', message: messageOf(error) });
      else setOutcome({ kind: 'error', message: messageOf(error), code: error instanceof ApiError ? error.code : 'ERROR', fields: fieldErrors(error) });
      return false;
    }
  }, []);
  const reset = useCallback(() => setOutcome({ kind: 'idle' }), []);
  const fields = outcome.kind === 'error' ? outcome.fields : {};
  return { outcome, run, reset, fields, busy: outcome.kind === 'busy' };
}

/** What became of the last change, announced politely; a stale revision offers a reload. */
export function OutcomeView({ outcome, onReload, labelOf }: { outcome: Outcome; onReload?: () => void; labelOf?: (field: string) => string }) {
  const { t } = useI18n();
  return (
    <div className="outcome" aria-live="polite">
      {outcome.kind === 'done' && <p role="status" className="ok"><span aria-hidden="true">✓ </span>{outcome.message}</p>}
      {outcome.kind === 'conflict' && (
        <div role="alert" className="conflict">
          <p><strong>{t('admin.conflict.title')}</strong> {t('admin.conflict.body')}</p>
          <p className="detail">{outcome.message}</p>
          {onReload && <button type="button" onClick={onReload}>{t('admin.conflict.reload')}</button>}
        </div>
      )}
      {outcome.kind === 'error' && (
        <div role="alert" className="form-error">
          <p>{t('admin.refused', { message: outcome.message })}</p>
          {Object.keys(outcome.fields).length > 0 && (
            <ul>{Object.entries(outcome.fields).map(([field, message]) => <li key={field}>{t('admin.fieldProblem', { field: labelOf?.(field) ?? field, message })}</li>)}</ul>
          )}
        </div>
      )}
    </div>
  );
}

/** id, aria-invalid and aria-describedby for an input whose error (if any) sits below it. */
export const inputProps = (id: string, error: string | undefined, hint?: boolean) => ({
  id,
  'aria-invalid': error ? true : undefined,
  'aria-describedby': [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined,
});

export function Field({ id, label, error, hint, children, wide }: { id: string; label: string; error?: string | undefined; hint?: string | undefined; children: ReactNode; wide?: boolean }) {
  const { t } = useI18n();
  return (
    <div className={`field${error ? ' has-error' : ''}${wide ? ' wide' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && <p className="hint" id={`${id}-hint`}>{hint}</p>}
      {error && <p className="field-error" id={`${id}-error`}>{t('admin.fieldError', { message: error })}</p>}
    </div>
  );
}

/** A destructive action: the first click asks, the second (or Cancel) decides. */
export function ConfirmButton({ label, question, confirm, onConfirm, disabled, ariaLabel }: { label: string; question: string; confirm: string; onConfirm: () => void | Promise<unknown>; disabled?: boolean; ariaLabel?: string }) {
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  if (!asking) return <button type="button" className="danger" disabled={disabled} aria-label={ariaLabel} onClick={() => setAsking(true)}>{label}</button>;
  return (
    <span className="confirm" role="group" aria-label={question}>
      <span className="question">{question}</span>
      <button type="button" className="danger" autoFocus onClick={() => { setAsking(false); void onConfirm(); }}>{confirm}</button>
      <button type="button" className="secondary" onClick={() => setAsking(false)}>{t('admin.cancel')}</button>
    </span>
  );
}

/** A number input's text as the API should get it: a number, or null when empty (the API names the field). */
export const numberOrNull = (text: string): number | null => (text.trim() === '' || !Number.isFinite(Number(text)) ? null : Number(text));
