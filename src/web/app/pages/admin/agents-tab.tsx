// Agents: each agent's settings (where their phone rings, extension, skills 1–5) from GET
// /queue-settings, their state from GET /agents; edited one at a time (PUT /agents/{id}/settings
// with the revision read), created with revision 0, removed after confirmation (409 AGENT_BUSY
// while logged in).
import { useState, type FormEvent } from 'react';
import { dateTime } from '../../format.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { ConfirmButton, Field, inputProps, Loading, numberOrNull, OutcomeView, useAction, useLoad } from './form.tsx';
import type { AgentSettings, AllSettings, Stored } from './queue-types.ts';
import { errorsUnder, request } from './request.ts';

interface Loaded extends AllSettings { states: Record<string, string> }

export function AgentsTab({ canWrite }: { canWrite: boolean }) {
  const { t, locale } = useI18n();
  const { data, error, reload } = useLoad(async (): Promise<Loaded> => {
    const [settings, live] = await Promise.all([request<AllSettings>('/queue-settings'), request<{ agents: { id: string; status?: { kind?: string } }[] }>('/agents')]);
    return { ...settings, states: Object.fromEntries(live.agents.map((a) => [a.id, a.status?.kind ?? 'logged-out'])) };
  }, []);
  const [selected, setSelected] = useState<string>();
  const [fresh, setFresh] = useState(0);
  const removal = useAction();
  const save = useAction();
  const open = (id: string | undefined) => { removal.reset(); save.reset(); setSelected(id); };

  if (!data) return <Loading error={error} retry={() => void reload()} />;
  const editing = selected === '+new' ? undefined : data.agents.find((a) => a.value.id === selected);
  const remove = (stored: Stored<AgentSettings>) => removal.run(async () => {
    await request(`/agents/${encodeURIComponent(stored.value.id)}/settings`, { method: 'DELETE', revision: stored.revision });
    setSelected(undefined);
    await reload();
    return t('admin.agents.removed', { id: stored.value.id });
  });

  return (
    <section aria-labelledby="agents-title">
      <div className="tab-head">
        <h2 id="agents-title">{t('admin.agents.title')}</h2>
        {canWrite && <button type="button" onClick={() => open('+new')}>{t('admin.agents.new')}</button>}
      </div>
      <OutcomeView outcome={removal.outcome} onReload={() => void reload()} />
      {data.agents.length === 0 ? <p>{t('admin.agents.none')}</p> : (
        <div className="table-wrap">
          <table>
            <thead><tr>
              <th scope="col">{t('admin.agents.col.agent')}</th><th scope="col">{t('admin.agents.endpoint')}</th><th scope="col">{t('admin.agents.extension')}</th>
              <th scope="col">{t('admin.agents.skills')}</th><th scope="col">{t('admin.agents.col.state')}</th><th scope="col">{t('admin.col.revision')}</th>
              <th scope="col"><span className="visually-hidden">{t('admin.col.actions')}</span></th>
            </tr></thead>
            <tbody>
              {data.agents.map((stored) => {
                const a = stored.value;
                const state = data.states[a.id] ?? 'logged-out';
                return (
                  <tr key={a.id} data-agent={a.id}>
                    <th scope="row">{a.name ? `${a.name} (${a.id})` : a.id}</th>
                    <td><code>{a.endpoint}</code></td>
                    <td>{a.extension ?? '—'}</td>
                    <td>{Object.keys(a.skills).length ? Object.entries(a.skills).map(([s, l]) => t('admin.skillLevel', { skill: s, level: l })).join(', ') : t('admin.agents.noSkills')}</td>
                    <td>{t(`state.${state}` as MessageKey)}</td>
                    <td>{t('admin.revisionBy', { revision: stored.revision, by: stored.updatedBy, at: dateTime(stored.updatedAt, locale) })}</td>
                    <td className="actions">
                      <button type="button" className="secondary" onClick={() => open(a.id)} aria-label={t(canWrite ? 'admin.editNamed' : 'admin.viewNamed', { name: a.id })}>{t(canWrite ? 'admin.edit' : 'admin.view')}</button>
                      {canWrite && <ConfirmButton label={t('admin.remove')} question={t('admin.agents.removeQuestion', { id: a.id })} confirm={t('admin.removeConfirm')} onConfirm={() => remove(stored)} />}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {selected && (
        <AgentForm key={`${selected}-${fresh}`} stored={editing} canWrite={canWrite} save={save}
          onSaved={async (id) => { await reload(); setSelected(id); }} onReload={async () => { save.reset(); await reload(); setFresh((n) => n + 1); }} onClose={() => open(undefined)} />
      )}
    </section>
  );
}

function AgentForm({ stored, canWrite, save, onSaved, onReload, onClose }: { stored: Stored<AgentSettings> | undefined; canWrite: boolean; save: ReturnType<typeof useAction>; onSaved: (id: string) => Promise<void>; onReload: () => void; onClose: () => void }) {
  const { t } = useI18n();
  const a = stored?.value;
  const [id, setId] = useState(a?.id ?? '');
  const [name, setName] = useState(a?.name ?? '');
  const [endpoint, setEndpoint] = useState(a?.endpoint ?? '');
  const [extension, setExtension] = useState(a?.extension ?? '');
  const [skills, setSkills] = useState(() => Object.entries(a?.skills ?? {}).map(([skill, level]) => ({ skill, level: String(level) })));
  const isNew = !stored;
  const err = (field: string) => errorsUnder(save.fields, field);
  const labelOf = (field: string) => {
    const head = field.split('.')[0]!;
    return ['id', 'name', 'endpoint', 'extension', 'skills'].includes(head) ? `${t(`admin.agents.${head}` as MessageKey)}${field.includes('.') ? ` (${field.slice(head.length + 1)})` : ''}` : field;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const agentId = id.trim();
    const body: Record<string, unknown> = { ...(a ?? {}), id: agentId, endpoint: endpoint.trim(), skills: Object.fromEntries(skills.map((s) => [s.skill.trim(), numberOrNull(s.level)])) };
    if (name.trim()) body.name = name.trim(); else delete body.name;
    if (extension.trim()) body.extension = extension.trim(); else delete body.extension;
    await save.run(async () => {
      await request(`/agents/${encodeURIComponent(agentId || '-')}/settings`, { method: 'PUT', json: body, revision: stored?.revision ?? 0 });
      await onSaved(agentId);
      return t(isNew ? 'admin.agents.created' : 'admin.agents.saved', { id: agentId });
    });
  };

  return (
    <form className="card admin-form" onSubmit={submit} aria-labelledby="agent-form-title" noValidate>
      <h3 id="agent-form-title">{isNew ? t('admin.agents.newTitle') : t('admin.agents.editTitle', { id: a!.id })}</h3>
      <fieldset disabled={!canWrite} className="grid">
        <Field id="agent-id" label={t('admin.agents.id')} error={err('id')} hint={isNew ? t('admin.idHint') : undefined}>
          <input {...inputProps('agent-id', err('id'), isNew)} value={id} readOnly={!isNew} onChange={(e) => setId(e.target.value)} />
        </Field>
        <Field id="agent-name" label={t('admin.agents.name')} error={err('name')}>
          <input {...inputProps('agent-name', err('name'))} value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field id="agent-endpoint" label={t('admin.agents.endpoint')} error={err('endpoint')} hint={t('admin.agents.endpointHint')}>
          <input {...inputProps('agent-endpoint', err('endpoint'), true)} value={endpoint} onChange={(e) => setEndpoint(e.target.value)} />
        </Field>
        <Field id="agent-extension" label={t('admin.agents.extension')} error={err('extension')} hint={t('admin.agents.extensionHint')}>
          <input {...inputProps('agent-extension', err('extension'), true)} value={extension} onChange={(e) => setExtension(e.target.value)} />
        </Field>
      </fieldset>
      <fieldset disabled={!canWrite} className="rows">
        <legend>{t('admin.agents.skills')}</legend>
        {err('skills') && <p className="field-error">{t('admin.fieldError', { message: err('skills')! })}</p>}
        {skills.map((s, i) => (
          <div className="row" key={i}>
            <Field id={`agent-skill-${i}`} label={t('admin.skillN', { n: i + 1 })}>
              <input id={`agent-skill-${i}`} value={s.skill} onChange={(e) => setSkills(skills.map((x, j) => (j === i ? { ...x, skill: e.target.value } : x)))} />
            </Field>
            <Field id={`agent-level-${i}`} label={t('admin.levelN', { n: i + 1 })}>
              <input id={`agent-level-${i}`} type="number" min={1} max={5} value={s.level} onChange={(e) => setSkills(skills.map((x, j) => (j === i ? { ...x, level: e.target.value } : x)))} />
            </Field>
            <button type="button" className="secondary" onClick={() => setSkills(skills.filter((_, j) => j !== i))}>{t('admin.removeRow', { n: i + 1 })}</button>
          </div>
        ))}
        <button type="button" className="secondary" onClick={() => setSkills([...skills, { skill: '', level: '1' }])}>{t('admin.agents.addSkill')}</button>
      </fieldset>
      <OutcomeView outcome={save.outcome} onReload={onReload} labelOf={labelOf} />
      <div className="form-actions">
        {canWrite && <button type="submit" disabled={save.busy}>{save.busy ? t('admin.saving') : isNew ? t('admin.create') : t('admin.save')}</button>}
        <button type="button" className="secondary" onClick={onClose}>{t('admin.close')}</button>
      </div>
    </form>
  );
}
