// Queues: every queue's settings (GET /queue-settings) with the agents whose skills serve it; one
// queue at a time edited in a form (PUT /queues/{id}/settings with its revision, applied to the
// running ACD at once), new queues created with revision 0, removal confirmed (409 QUEUE_BUSY
// while callers wait in it).
import { useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { dateTime } from '../../format.ts';
import { ConfirmButton, Field, inputProps, Loading, numberOrNull, OutcomeView, useAction, useLoad } from './form.tsx';
import { agentsServing, CALLBACK_MODES, OVERFLOW_KINDS, RECORDING, STRATEGIES, TRANSCRIPTION, type AllSettings, type QueueSettings, type Stored } from './queue-types.ts';
import { errorsUnder, request } from './request.ts';

const NUMBERS = ['ringTimeoutSeconds', 'maxWaitSeconds', 'maxLength', 'wrapUpSeconds', 'autoPauseAfterMisses', 'announceEverySeconds'] as const;
type NumberField = (typeof NUMBERS)[number];
/** Queue fields with a label of their own (error messages name them by it). */
const LABELLED = ['id', 'name', 'strategy', 'requiredSkills', 'relaxation', 'overflow', 'recording', 'callbackMode', 'transcription', 'musicOnHold', 'whisper', ...NUMBERS] as const;

export function QueuesTab({ canWrite }: { canWrite: boolean }) {
  const { t, locale } = useI18n();
  const { data, error, reload } = useLoad(() => request<AllSettings>('/queue-settings'), []);
  const [selected, setSelected] = useState<string>();
  const removal = useAction();
  // The save's outcome outlives the form (a created queue's form is mounted anew under its id).
  const save = useAction();
  const [fresh, setFresh] = useState(0);
  const open = (id: string | undefined) => { removal.reset(); save.reset(); setSelected(id); };
  const reloadFresh = async () => { save.reset(); await reload(); setFresh((n) => n + 1); };

  if (!data) return <Loading error={error} retry={() => void reload()} />;
  const agents = data.agents.map((a) => a.value);
  const editing = selected === '+new' ? undefined : data.queues.find((q) => q.value.id === selected);

  const remove = (stored: Stored<QueueSettings>) => removal.run(async () => {
    await request(`/queues/${encodeURIComponent(stored.value.id)}/settings`, { method: 'DELETE', revision: stored.revision });
    setSelected(undefined);
    await reload();
    return t('admin.queues.removed', { id: stored.value.id });
  });

  return (
    <section aria-labelledby="queues-title">
      <div className="tab-head">
        <h2 id="queues-title">{t('admin.queues.title')}</h2>
        {canWrite && <button type="button" onClick={() => open('+new')}>{t('admin.queues.new')}</button>}
      </div>
      <OutcomeView outcome={removal.outcome} onReload={() => void reload()} />
      {data.queues.length === 0 ? <p>{t('admin.queues.none')}</p> : (
        <div className="table-wrap">
          <table>
            <thead><tr>
              <th scope="col">{t('admin.queues.col.queue')}</th><th scope="col">{t('admin.queues.strategy')}</th><th scope="col">{t('admin.queues.requiredSkills')}</th>
              <th scope="col">{t('admin.queues.col.agents')}</th><th scope="col">{t('admin.col.revision')}</th><th scope="col"><span className="visually-hidden">{t('admin.col.actions')}</span></th>
            </tr></thead>
            <tbody>
              {data.queues.map((stored) => {
                const q = stored.value;
                const serving = agentsServing(q, agents);
                return (
                  <tr key={q.id} data-queue={q.id} aria-selected={q.id === selected || undefined}>
                    <th scope="row">{q.name ? `${q.name} (${q.id})` : q.id}</th>
                    <td>{t(`admin.strategy.${q.strategy}` as MessageKey)}</td>
                    <td>{q.requiredSkills.length ? q.requiredSkills.map((r) => t('admin.skillAtLeast', { skill: r.skill, level: r.minLevel })).join(', ') : t('admin.queues.anySkill')}</td>
                    <td>{serving.length ? serving.map((a) => a.id).join(', ') : <span className="warn-text">{t('admin.queues.noAgents')}</span>}</td>
                    <td>{t('admin.revisionBy', { revision: stored.revision, by: stored.updatedBy, at: dateTime(stored.updatedAt, locale) })}</td>
                    <td className="actions">
                      <button type="button" className="secondary" onClick={() => open(q.id)} aria-label={t(canWrite ? 'admin.editNamed' : 'admin.viewNamed', { name: q.id })}>{t(canWrite ? 'admin.edit' : 'admin.view')}</button>
                      {canWrite && <ConfirmButton label={t('admin.remove')} question={t('admin.queues.removeQuestion', { id: q.id })} confirm={t('admin.removeConfirm')} onConfirm={() => remove(stored)} />}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {selected && (
        <QueueForm key={`${selected}-${fresh}`} stored={editing} queueIds={data.queues.map((q) => q.value.id)} canWrite={canWrite} save={save}
          onSaved={async (id) => { await reload(); setSelected(id); }} onReload={() => void reloadFresh()} onClose={() => open(undefined)} />
      )}
    </section>
  );
}

interface Draft {
  id: string; name: string; strategy: string; recording: string; callbackMode: string; transcription: string; whisper: boolean; musicOnHold: string;
  numbers: Record<NumberField, string>;
  overflowKind: string; overflowQueue: string;
  requiredSkills: { skill: string; minLevel: string }[];
  relaxation: { afterSeconds: string; minLevel: string; skill: string }[];
}

const DEFAULTS = { ringTimeoutSeconds: 15, maxWaitSeconds: 900, maxLength: 200, wrapUpSeconds: 10, autoPauseAfterMisses: 3 };

function draftOf(q: QueueSettings | undefined): Draft {
  const num = (field: NumberField) => { const v = q ? q[field] : (DEFAULTS as Record<string, number>)[field]; return v === undefined ? '' : String(v); };
  return {
    id: q?.id ?? '', name: q?.name ?? '', strategy: q?.strategy ?? 'longest-idle', recording: q?.recording ?? 'none', callbackMode: q?.callbackMode ?? 'customer-first',
    transcription: q?.transcription ?? 'off', whisper: q?.whisper ?? true, musicOnHold: q?.musicOnHold ?? 'default',
    numbers: Object.fromEntries(NUMBERS.map((f) => [f, num(f)])) as Record<NumberField, string>,
    overflowKind: q?.overflow.kind ?? 'hangup', overflowQueue: q?.overflow.kind === 'queue' ? q.overflow.queueId : '',
    requiredSkills: (q?.requiredSkills ?? []).map((r) => ({ skill: r.skill, minLevel: String(r.minLevel) })),
    relaxation: (q?.relaxation ?? []).map((r) => ({ afterSeconds: String(r.afterSeconds), minLevel: String(r.minLevel), skill: r.skill ?? '' })),
  };
}

/** The body PUT sends: the stored value (fields this form does not know stay) with the form's changes. */
function bodyOf(draft: Draft, stored: QueueSettings | undefined): Record<string, unknown> {
  const body: Record<string, unknown> = { ...(stored ?? {}), id: draft.id.trim(), strategy: draft.strategy, recording: draft.recording, callbackMode: draft.callbackMode, transcription: draft.transcription, whisper: draft.whisper, musicOnHold: draft.musicOnHold.trim() };
  if (draft.name.trim()) body.name = draft.name.trim();
  else delete body.name;
  for (const f of NUMBERS) {
    if (f === 'announceEverySeconds' && draft.numbers[f].trim() === '') delete body[f];
    else body[f] = numberOrNull(draft.numbers[f]);
  }
  body.overflow = draft.overflowKind === 'queue' ? { kind: 'queue', queueId: draft.overflowQueue } : { kind: draft.overflowKind };
  body.requiredSkills = draft.requiredSkills.map((r) => ({ skill: r.skill.trim(), minLevel: numberOrNull(r.minLevel) }));
  body.relaxation = draft.relaxation.map((r) => ({ afterSeconds: numberOrNull(r.afterSeconds), minLevel: numberOrNull(r.minLevel), ...(r.skill.trim() ? { skill: r.skill.trim() } : {}) }));
  return body;
}

function QueueForm({ stored, queueIds, canWrite, save, onSaved, onReload, onClose }: { stored: Stored<QueueSettings> | undefined; queueIds: string[]; canWrite: boolean; save: ReturnType<typeof useAction>; onSaved: (id: string) => Promise<void>; onReload: () => void; onClose: () => void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState(() => draftOf(stored?.value));
  const set = (change: Partial<Draft>) => setDraft((d) => ({ ...d, ...change }));
  const setNumber = (field: NumberField, value: string) => setDraft((d) => ({ ...d, numbers: { ...d.numbers, [field]: value } }));
  const err = (field: string) => errorsUnder(save.fields, field);
  const isNew = !stored;
  const labelOf = (field: string) => {
    const head = field.split('.')[0]!;
    if (!(LABELLED as readonly string[]).includes(head)) return field;
    return `${t(`admin.queues.${head}` as MessageKey)}${field.includes('.') ? ` (${field.slice(head.length + 1)})` : ''}`;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const id = draft.id.trim();
    await save.run(async () => {
      await request(`/queues/${encodeURIComponent(id || '-')}/settings`, { method: 'PUT', json: bodyOf(draft, stored?.value), revision: stored?.revision ?? 0 });
      await onSaved(id);
      return t(isNew ? 'admin.queues.created' : 'admin.queues.saved', { id });
    });
  };

  const fid = (name: string) => `queue-${name}`;
  return (
    <form className="card admin-form" onSubmit={submit} aria-labelledby="queue-form-title" noValidate>
      <h3 id="queue-form-title">{isNew ? t('admin.queues.newTitle') : t('admin.queues.editTitle', { id: stored.value.id })}</h3>
      <fieldset disabled={!canWrite} className="grid">
        <Field id={fid('id')} label={t('admin.queues.id')} error={err('id')} hint={isNew ? t('admin.idHint') : undefined}>
          <input {...inputProps(fid('id'), err('id'), isNew)} value={draft.id} readOnly={!isNew} onChange={(e) => set({ id: e.target.value })} required />
        </Field>
        <Field id={fid('name')} label={t('admin.queues.name')} error={err('name')}>
          <input {...inputProps(fid('name'), err('name'))} value={draft.name} onChange={(e) => set({ name: e.target.value })} />
        </Field>
        <Field id={fid('strategy')} label={t('admin.queues.strategy')} error={err('strategy')}>
          <select {...inputProps(fid('strategy'), err('strategy'))} value={draft.strategy} onChange={(e) => set({ strategy: e.target.value })}>
            {STRATEGIES.map((s) => <option key={s} value={s}>{t(`admin.strategy.${s}` as MessageKey)}</option>)}
          </select>
        </Field>
        {NUMBERS.map((f) => (
          <Field key={f} id={fid(f)} label={t(`admin.queues.${f}` as MessageKey)} error={err(f)} hint={f === 'announceEverySeconds' ? t('admin.queues.announceHint') : undefined}>
            <input {...inputProps(fid(f), err(f), f === 'announceEverySeconds')} type="number" inputMode="decimal" value={draft.numbers[f]} onChange={(e) => setNumber(f, e.target.value)} />
          </Field>
        ))}
        <Field id={fid('recording')} label={t('admin.queues.recording')} error={err('recording')}>
          <select {...inputProps(fid('recording'), err('recording'))} value={draft.recording} onChange={(e) => set({ recording: e.target.value })}>
            {RECORDING.map((s) => <option key={s} value={s}>{t(`admin.recording.${s}` as MessageKey)}</option>)}
          </select>
        </Field>
        <Field id={fid('callbackMode')} label={t('admin.queues.callbackMode')} error={err('callbackMode')}>
          <select {...inputProps(fid('callbackMode'), err('callbackMode'))} value={draft.callbackMode} onChange={(e) => set({ callbackMode: e.target.value })}>
            {CALLBACK_MODES.map((s) => <option key={s} value={s}>{t(`admin.callbackMode.${s}` as MessageKey)}</option>)}
          </select>
        </Field>
        <Field id={fid('transcription')} label={t('admin.queues.transcription')} error={err('transcription')}>
          <select {...inputProps(fid('transcription'), err('transcription'))} value={draft.transcription} onChange={(e) => set({ transcription: e.target.value })}>
            {TRANSCRIPTION.map((s) => <option key={s} value={s}>{t(`admin.transcription.${s}` as MessageKey)}</option>)}
          </select>
        </Field>
        <Field id={fid('musicOnHold')} label={t('admin.queues.musicOnHold')} error={err('musicOnHold')}>
          <input {...inputProps(fid('musicOnHold'), err('musicOnHold'))} value={draft.musicOnHold} onChange={(e) => set({ musicOnHold: e.target.value })} />
        </Field>
        <Field id={fid('overflow')} label={t('admin.queues.overflow')} error={err('overflow')}>
          <select {...inputProps(fid('overflow'), err('overflow'))} value={draft.overflowKind} onChange={(e) => set({ overflowKind: e.target.value })}>
            {OVERFLOW_KINDS.map((k) => <option key={k} value={k}>{t(`admin.overflow.${k}` as MessageKey)}</option>)}
          </select>
        </Field>
        {draft.overflowKind === 'queue' && (
          <Field id={fid('overflowQueue')} label={t('admin.queues.overflowQueue')} error={err('overflow.queueId')}>
            <select {...inputProps(fid('overflowQueue'), err('overflow.queueId'))} value={draft.overflowQueue} onChange={(e) => set({ overflowQueue: e.target.value })}>
              <option value="">{t('admin.choose')}</option>
              {queueIds.filter((id) => id !== draft.id).map((id) => <option key={id} value={id}>{id}</option>)}
            </select>
          </Field>
        )}
        <div className="field check">
          <input id={fid('whisper')} type="checkbox" checked={draft.whisper} onChange={(e) => set({ whisper: e.target.checked })} />
          <label htmlFor={fid('whisper')}>{t('admin.queues.whisper')}</label>
        </div>
      </fieldset>

      <fieldset disabled={!canWrite} className="rows">
        <legend>{t('admin.queues.requiredSkills')}</legend>
        {draft.requiredSkills.length === 0 && <p className="hint">{t('admin.queues.anySkill')}</p>}
        {draft.requiredSkills.map((r, i) => (
          <div className="row" key={i}>
            <Field id={fid(`req-${i}-skill`)} label={t('admin.skillN', { n: i + 1 })} error={err(`requiredSkills.${i}.skill`)}>
              <input {...inputProps(fid(`req-${i}-skill`), err(`requiredSkills.${i}.skill`))} value={r.skill} onChange={(e) => set({ requiredSkills: draft.requiredSkills.map((x, j) => (j === i ? { ...x, skill: e.target.value } : x)) })} />
            </Field>
            <Field id={fid(`req-${i}-level`)} label={t('admin.minLevelN', { n: i + 1 })} error={err(`requiredSkills.${i}.minLevel`)}>
              <input {...inputProps(fid(`req-${i}-level`), err(`requiredSkills.${i}.minLevel`))} type="number" min={1} max={5} value={r.minLevel} onChange={(e) => set({ requiredSkills: draft.requiredSkills.map((x, j) => (j === i ? { ...x, minLevel: e.target.value } : x)) })} />
            </Field>
            <button type="button" className="secondary" onClick={() => set({ requiredSkills: draft.requiredSkills.filter((_, j) => j !== i) })}>{t('admin.removeRow', { n: i + 1 })}</button>
          </div>
        ))}
        <button type="button" className="secondary" onClick={() => set({ requiredSkills: [...draft.requiredSkills, { skill: '', minLevel: '1' }] })}>{t('admin.queues.addSkill')}</button>
      </fieldset>

      <fieldset disabled={!canWrite} className="rows">
        <legend>{t('admin.queues.relaxation')}</legend>
        <p className="hint">{t('admin.queues.relaxationHint')}</p>
        {draft.relaxation.map((r, i) => (
          <div className="row" key={i}>
            <Field id={fid(`rel-${i}-after`)} label={t('admin.queues.afterSecondsN', { n: i + 1 })} error={err(`relaxation.${i}.afterSeconds`)}>
              <input {...inputProps(fid(`rel-${i}-after`), err(`relaxation.${i}.afterSeconds`))} type="number" value={r.afterSeconds} onChange={(e) => set({ relaxation: draft.relaxation.map((x, j) => (j === i ? { ...x, afterSeconds: e.target.value } : x)) })} />
            </Field>
            <Field id={fid(`rel-${i}-level`)} label={t('admin.minLevelN', { n: i + 1 })} error={err(`relaxation.${i}.minLevel`)}>
              <input {...inputProps(fid(`rel-${i}-level`), err(`relaxation.${i}.minLevel`))} type="number" min={0} max={5} value={r.minLevel} onChange={(e) => set({ relaxation: draft.relaxation.map((x, j) => (j === i ? { ...x, minLevel: e.target.value } : x)) })} />
            </Field>
            <Field id={fid(`rel-${i}-skill`)} label={t('admin.queues.relaxSkillN', { n: i + 1 })} error={err(`relaxation.${i}.skill`)}>
              <input {...inputProps(fid(`rel-${i}-skill`), err(`relaxation.${i}.skill`))} value={r.skill} onChange={(e) => set({ relaxation: draft.relaxation.map((x, j) => (j === i ? { ...x, skill: e.target.value } : x)) })} />
            </Field>
            <button type="button" className="secondary" onClick={() => set({ relaxation: draft.relaxation.filter((_, j) => j !== i) })}>{t('admin.removeRow', { n: i + 1 })}</button>
          </div>
        ))}
        <button type="button" className="secondary" onClick={() => set({ relaxation: [...draft.relaxation, { afterSeconds: '60', minLevel: '1', skill: '' }] })}>{t('admin.queues.addRelaxation')}</button>
      </fieldset>

      <OutcomeView outcome={save.outcome} onReload={onReload} labelOf={labelOf} />
      <div className="form-actions">
        {canWrite && <button type="submit" disabled={save.busy}>{save.busy ? t('admin.saving') : isNew ? t('admin.create') : t('admin.save')}</button>}
        <button type="button" className="secondary" onClick={onClose}>{t('admin.close')}</button>
      </div>
    </form>
  );
}
