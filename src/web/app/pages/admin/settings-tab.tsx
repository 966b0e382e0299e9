// Settings: the settings that may be changed here (GET /settings/editable: each says whether it
// applies at once or at the next start), a form that sends only what changed (PATCH /settings with
// the revision read; each refused value named beside its field), what waits for a restart, and
// every other setting read-only (GET /settings, secrets redacted: those come from the site file).
import { useState, type FormEvent } from 'react';
import { dateTime } from '../../format.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { Field, inputProps, Loading, OutcomeView, useAction, useLoad } from './form.tsx';
import { request } from './request.ts';

interface Editable { editable: Record<string, 'now' | 'restart'>; overrides: Record<string, unknown>; revision: number; updatedAt: number; updatedBy: string; restartRequired: string[] }
type Kind = { type: 'text' } | { type: 'number' } | { type: 'choice'; options: readonly string[] } | { type: 'lines' };

/** How each editable setting is typed in (src/config/schema.ts); unknown ones are text. */
const KINDS: Record<string, Kind> = {
  'site.locale': { type: 'choice', options: ['en', 'zh-CN'] },
  'speech.transcribe': { type: 'choice', options: ['off', 'caller', 'both'] },
  'log.level': { type: 'choice', options: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] },
  'calls.idleTimeoutSeconds': { type: 'number' }, 'calls.maxCallSeconds': { type: 'number' }, 'acd.serviceLevelSeconds': { type: 'number' },
  'acd.repeatCallerWindowHours': { type: 'number' }, 'recordings.retentionDays': { type: 'number' }, 'knowledge.assistDebounceMs': { type: 'number' },
  'knowledge.escalationPhrases': { type: 'lines' }, 'knowledge.agentPhrases': { type: 'lines' },
};
const kindOf = (key: string): Kind => KINDS[key] ?? { type: 'text' };

const read = (config: unknown, key: string) => key.split('.').reduce<unknown>((n, part) => (n && typeof n === 'object' ? (n as Record<string, unknown>)[part] : undefined), config);
const textOf = (key: string, value: unknown) => (value === undefined || value === null ? '' : kindOf(key).type === 'lines' && Array.isArray(value) ? value.join('\n') : String(value));
/** The text as the API should get it; a number field's text that is no number goes as typed, so the API names it. */
function valueOf(key: string, text: string): unknown {
  const kind = kindOf(key);
  if (kind.type === 'number') return text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
  if (kind.type === 'lines') return text.split('\n').map((l) => l.trim()).filter(Boolean);
  return text;
}
const settingLabel = (t: ReturnType<typeof useI18n>['t'], key: string) => {
  const label = t(`admin.setting.${key}` as MessageKey);
  return label === undefined ? key : label;
};

export function SettingsTab({ canWrite }: { canWrite: boolean }) {
  const { t, locale } = useI18n();
  const { data, error, reload } = useLoad(async () => {
    const [editable, settings] = await Promise.all([request<Editable>('/settings/editable'), request<Record<string, unknown>>('/settings')]);
    return { editable, settings };
  }, []);
  const [fresh, setFresh] = useState(0);
  const save = useAction();
  if (!data) return <Loading error={error} retry={() => void reload()} />;
  const { editable, settings } = data;
  return (
    <section aria-labelledby="settings-title">
      <h2 id="settings-title">{t('admin.settings.title')}</h2>
      <p className="hint">{t('admin.settings.intro')}</p>
      <div aria-live="polite">
        {editable.restartRequired.length > 0 && (
          <p className="restart-note" role="status"><strong>{t('admin.settings.pendingRestart')}</strong> {editable.restartRequired.map((k) => settingLabel(t, k)).join(', ')}</p>
        )}
      </div>
      <SettingsForm key={fresh} editable={editable} settings={settings} canWrite={canWrite} save={save}
        onSaved={() => reload()} onReload={async () => { save.reset(); await reload(); setFresh((n) => n + 1); }} />
      <p className="hint">{t('admin.revisionBy', { revision: editable.revision, by: editable.updatedBy, at: dateTime(editable.updatedAt, locale) })}</p>
      <details className="all-settings">
        <summary>{t('admin.settings.all')}</summary>
        <p className="hint">{t('admin.settings.allHint')}</p>
        <table>
          <thead><tr><th scope="col">{t('admin.settings.name')}</th><th scope="col">{t('admin.settings.value')}</th></tr></thead>
          <tbody>{flatten(settings).map(([key, value]) => <tr key={key}><th scope="row"><code>{key}</code></th><td><code>{value}</code></td></tr>)}</tbody>
        </table>
      </details>
    </section>
  );
}

function flatten(value: unknown, prefix = ''): [string, string][] {
  if (value && typeof value === 'object' && !Array.isArray(value)) return Object.entries(value).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
  return [[prefix, JSON.stringify(value) ?? '']];
}

function SettingsForm({ editable, settings, canWrite, save, onSaved, onReload }: { editable: Editable; settings: Record<string, unknown>; canWrite: boolean; save: ReturnType<typeof useAction>; onSaved: () => Promise<void>; onReload: () => void }) {
  const { t } = useI18n();
  const keys = Object.keys(editable.editable);
  const [texts, setTexts] = useState<Record<string, string>>(() => Object.fromEntries(keys.map((k) => [k, textOf(k, read(settings, k))])));
  const initial = (k: string) => textOf(k, read(settings, k));
  const changed = keys.filter((k) => texts[k] !== initial(k));
  const err = (k: string) => save.fields[k];

  const send = (changes: Record<string, unknown>) => save.run(async () => {
    const answer = await request<Editable & { appliedNow: string[] }>('/settings', { method: 'PATCH', json: { changes }, revision: editable.revision });
    await onSaved();
    const names = (list: string[]) => list.map((k) => settingLabel(t, k)).join(', ');
    const later = Object.keys(changes).filter((k) => answer.editable[k] === 'restart');
    const parts = [t('admin.settings.saved')];
    if (answer.appliedNow.length) parts.push(t('admin.settings.appliedNow', { names: names(answer.appliedNow) }));
    if (later.length) parts.push(t('admin.settings.afterRestart', { names: names(later) }));
    if (!answer.appliedNow.length && !later.length) parts.push(t('admin.settings.noEffect'));
    return parts.join(' ');
  });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await send(Object.fromEntries(changed.map((k) => [k, valueOf(k, texts[k] ?? '')])));
  };

  return (
    <form className="card admin-form" onSubmit={submit} aria-labelledby="settings-form-title" noValidate>
      <h3 id="settings-form-title">{t('admin.settings.editable')}</h3>
      <fieldset disabled={!canWrite} className="grid">
        {keys.map((k) => {
          const id = `setting-${k.replace(/\./g, '-')}`;
          const kind = kindOf(k);
          const when = editable.editable[k] === 'now' ? t('admin.settings.now') : t('admin.settings.restart');
          const overridden = Object.hasOwn(editable.overrides, k);
          const hint = `${when}${overridden ? ` · ${t('admin.settings.overridden')}` : ''}${kind.type === 'lines' ? ` · ${t('admin.settings.linesHint')}` : ''}`;
          const common = { ...inputProps(id, err(k), true), value: texts[k] ?? '', onChange: (e: { target: { value: string } }) => setTexts((x) => ({ ...x, [k]: e.target.value })) };
          return (
            <Field key={k} id={id} label={settingLabel(t, k)} error={err(k)} hint={hint} wide={kind.type === 'lines'}>
              {kind.type === 'choice' ? <select {...common}>{kind.options.map((o) => <option key={o} value={o}>{o}</option>)}</select>
                : kind.type === 'lines' ? <textarea {...common} rows={4} />
                : <input {...common} type="text" inputMode={kind.type === 'number' ? 'decimal' : undefined} />}
              {overridden && canWrite && <button type="button" className="link-button" onClick={() => void send({ [k]: null })}>{t('admin.settings.reset')}</button>}
            </Field>
          );
        })}
      </fieldset>
      <OutcomeView outcome={save.outcome} onReload={onReload} labelOf={(k) => settingLabel(t, k)} />
      {canWrite && (
        <div className="form-actions">
          <button type="submit" disabled={save.busy || changed.length === 0}>{save.busy ? t('admin.saving') : t('admin.settings.saveN', { count: changed.length })}</button>
        </div>
      )}
    </form>
  );
}
