// Skills: which agents have each skill (level 1–5) and which queues require it (GET /skills), and
// a form to give an agent a skill or change its level. A skill belongs to an agent's settings, so
// giving or taking one is a PUT /agents/{id}/settings on the revision read (stale: reload).
import { useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import { ConfirmButton, Field, inputProps, Loading, numberOrNull, OutcomeView, useAction, useLoad } from './form.tsx';
import type { AllSettings } from './queue-types.ts';
import { errorsUnder, request } from './request.ts';

interface Skill { skill: string; agents: { agentId: string; level: number }[]; queues: { queueId: string; minLevel: number }[] }
interface Loaded { skills: Skill[]; settings: AllSettings }

export function SkillsTab({ canWrite }: { canWrite: boolean }) {
  const { t } = useI18n();
  const { data, error, reload } = useLoad(async (): Promise<Loaded> => {
    const [skills, settings] = await Promise.all([request<{ skills: Skill[] }>('/skills'), request<AllSettings>('/queue-settings')]);
    return { skills: skills.skills, settings };
  }, []);
  const action = useAction();
  const [agentId, setAgentId] = useState('');
  const [skill, setSkill] = useState('');
  const [level, setLevel] = useState('3');

  if (!data) return <Loading error={error} retry={() => void reload()} />;

  const setAgentSkill = (id: string, name: string, value: number | null | undefined, message: string) => action.run(async () => {
    const stored = data.settings.agents.find((a) => a.value.id === id);
    const skills = { ...(stored?.value.skills ?? {}) } as Record<string, number | null>;
    if (value === undefined) delete skills[name];
    else skills[name] = value;
    await request(`/agents/${encodeURIComponent(id || '-')}/settings`, { method: 'PUT', json: { ...(stored?.value ?? { id }), skills }, revision: stored?.revision ?? 0 });
    await reload();
    return message;
  });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const name = skill.trim();
    if (await setAgentSkill(agentId, name, numberOrNull(level), t('admin.skills.given', { agent: agentId, skill: name, level }))) setSkill('');
  };
  const err = (field: string) => errorsUnder(action.fields, field);
  const known = data.skills.map((s) => s.skill);

  return (
    <section aria-labelledby="skills-title">
      <h2 id="skills-title">{t('admin.skills.title')}</h2>
      <p className="hint">{t('admin.skills.intro')}</p>
      {canWrite && (
        <form className="card admin-form inline-form" onSubmit={submit} aria-labelledby="skill-form-title" noValidate>
          <h3 id="skill-form-title">{t('admin.skills.giveTitle')}</h3>
          <div className="grid">
            <Field id="skill-agent" label={t('admin.skills.agent')} error={err('id')}>
              <select {...inputProps('skill-agent', err('id'))} value={agentId} onChange={(e) => setAgentId(e.target.value)} required>
                <option value="">{t('admin.choose')}</option>
                {data.settings.agents.map((a) => <option key={a.value.id} value={a.value.id}>{a.value.name ? `${a.value.name} (${a.value.id})` : a.value.id}</option>)}
              </select>
            </Field>
            <Field id="skill-name" label={t('admin.skills.skill')} error={err('skills')} hint={t('admin.skills.nameHint')}>
              <input {...inputProps('skill-name', err('skills'), true)} list="skill-names" value={skill} onChange={(e) => setSkill(e.target.value)} required />
              <datalist id="skill-names">{known.map((s) => <option key={s} value={s} />)}</datalist>
            </Field>
            <Field id="skill-level" label={t('admin.skills.level')}>
              <select id="skill-level" value={level} onChange={(e) => setLevel(e.target.value)}>
                {[1, 2, 3, 4, 5].map((n) => <option key={n} value={n}>{n}</option>)}
              </select>
            </Field>
          </div>
          <div className="form-actions"><button type="submit" disabled={action.busy || !agentId}>{t('admin.skills.give')}</button></div>
        </form>
      )}
      <OutcomeView outcome={action.outcome} onReload={() => { action.reset(); void reload(); }} labelOf={(f) => (f.startsWith('skills') ? t('admin.skills.skill') : f)} />
      {data.skills.length === 0 ? <p>{t('admin.skills.none')}</p> : (
        <div className="table-wrap">
          <table className="skills">
            <thead><tr><th scope="col">{t('admin.skills.skill')}</th><th scope="col">{t('admin.skills.agents')}</th><th scope="col">{t('admin.skills.queues')}</th></tr></thead>
            <tbody>
              {data.skills.map((s) => (
                <tr key={s.skill} data-skill={s.skill}>
                  <th scope="row">{s.skill}</th>
                  <td>
                    {s.agents.length === 0 ? <span className="warn-text">{t('admin.skills.nobody')}</span> : (
                      <ul className="chips">
                        {s.agents.map((a) => (
                          <li key={a.agentId} data-agent={a.agentId}>
                            <span>{t('admin.skills.agentLevel', { agent: a.agentId, level: a.level })}</span>
                            {canWrite && <ConfirmButton label={t('admin.skills.take')} question={t('admin.skills.takeQuestion', { agent: a.agentId, skill: s.skill })} confirm={t('admin.skills.takeConfirm')}
                              onConfirm={() => setAgentSkill(a.agentId, s.skill, undefined, t('admin.skills.taken', { agent: a.agentId, skill: s.skill }))} />}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td>{s.queues.length ? s.queues.map((q) => t('admin.skills.queueMin', { queue: q.queueId, level: q.minLevel })).join(', ') : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
