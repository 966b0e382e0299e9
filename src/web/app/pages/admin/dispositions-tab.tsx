// Call classification: the category tree (names in English and Chinese, where each sits, active
// or retired, and what makes it suggested: IVR flows, menu keys, knowledge articles, campaigns),
// and each queue's wrap-up policy (required, optional, off). Categories and policies are
// documents with revisions: a save sends the revision read (If-Match), a stale one offers a reload.
import { useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { flattenTree, listOf, POLICIES, type Category, type Policy, type StoredCategory, type StoredPolicy } from '../agent/disposition-model.ts';
import { ConfirmButton, Field, inputProps, Loading, OutcomeView, useAction, useLoad } from './form.tsx';
import type { AllSettings } from './queue-types.ts';
import { errorsUnder, request } from './request.ts';

interface Loaded { categories: StoredCategory[]; policies: StoredPolicy[]; queues: string[] }
interface Draft { id: string; en: string; zh: string; parentId: string; active: boolean; flows: string; menuKeys: string; articles: string; campaigns: string }
const EMPTY: Draft = { id: '', en: '', zh: '', parentId: '', active: true, flows: '', menuKeys: '', articles: '', campaigns: '' };
const RULES = ['flows', 'menuKeys', 'articles', 'campaigns'] as const;

const draftOf = (c: Category): Draft => ({
  id: c.id, en: c.names.en, zh: c.names['zh-CN'], parentId: c.parentId ?? '', active: c.active,
  flows: (c.match?.flows ?? []).join(', '), menuKeys: (c.match?.menuKeys ?? []).join(', '), articles: (c.match?.articles ?? []).join(', '), campaigns: (c.match?.campaigns ?? []).join(', '),
});

function bodyOf(d: Draft) {
  const match = Object.fromEntries(RULES.map((r) => [r, listOf(d[r])] as const).filter(([, v]) => v.length > 0));
  return { names: { en: d.en, 'zh-CN': d.zh }, ...(d.parentId ? { parentId: d.parentId } : {}), active: d.active, ...(Object.keys(match).length ? { match } : {}) };
}

export function DispositionsTab({ canWrite }: { canWrite: boolean }) {
  const { t, locale } = useI18n();
  const { data, error, reload } = useLoad(async (): Promise<Loaded> => {
    const [c, p, q] = await Promise.all([
      request<{ categories: StoredCategory[] }>('/dispositions/categories'),
      request<{ policies: StoredPolicy[] }>('/dispositions/queues'),
      request<AllSettings>('/queue-settings').catch(() => ({ queues: [], agents: [] }) as AllSettings),
    ]);
    return { categories: c.categories, policies: p.policies, queues: q.queues.map((s) => s.value.id).sort() };
  }, []);
  const action = useAction();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [editing, setEditing] = useState<string>();

  if (!data) return <Loading error={error} retry={() => void reload()} />;
  const tree = flattenTree(data.categories.map((s) => s.value), locale);
  const stored = (id: string) => data.categories.find((s) => s.value.id === id);
  const nameOf = (c: Category) => (locale === 'zh-CN' ? c.names['zh-CN'] : c.names.en);
  const err = (field: string) => errorsUnder(action.fields, field);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const id = draft.id.trim();
    const ok = await action.run(async () => {
      await request(`/dispositions/categories/${encodeURIComponent(id || '-')}`, { method: 'PUT', json: bodyOf(draft), revision: editing ? stored(editing)?.revision ?? 0 : 0 });
      await reload();
      return t('dispositions.admin.saved', { name: locale === 'zh-CN' ? draft.zh : draft.en });
    });
    if (ok) { setDraft(EMPTY); setEditing(undefined); }
  };
  const remove = (c: StoredCategory) => action.run(async () => {
    await request(`/dispositions/categories/${encodeURIComponent(c.value.id)}`, { method: 'DELETE', revision: c.revision });
    await reload();
    return t('dispositions.admin.deleted', { name: nameOf(c.value) });
  });
  const setPolicy = (queue: string, policy: Policy) => action.run(async () => {
    const current = data.policies.find((p) => p.queueId === queue);
    await request(`/dispositions/queues/${encodeURIComponent(queue)}`, { method: 'PUT', json: { policy }, revision: current?.revision ?? 0 });
    await reload();
    return t('dispositions.admin.policySaved', { queue, policy: t(`dispositions.policy.${policy}` as MessageKey) });
  });
  const policyOf = (queue: string): Policy => data.policies.find((p) => p.queueId === queue)?.policy ?? 'optional';
  const queues = [...new Set([...data.queues, ...data.policies.map((p) => p.queueId)])].sort();
  const labelOf = (f: string) => (f.startsWith('names.zh') ? t('dispositions.admin.nameZh') : f.startsWith('names') ? t('dispositions.admin.nameEn') : f === 'parentId' ? t('dispositions.admin.parent') : f === 'id' ? t('dispositions.admin.id') : f);
  const rulesText = (c: Category) => RULES.flatMap((r) => (c.match?.[r]?.length ? [`${t(`dispositions.admin.${r}` as MessageKey)}: ${c.match[r]!.join(', ')}`] : [])).join(' · ') || '—';

  return (
    <section aria-labelledby="dispositions-title">
      <h2 id="dispositions-title">{t('dispositions.admin.title')}</h2>
      <p className="hint">{t('dispositions.admin.intro')}</p>
      <OutcomeView outcome={action.outcome} onReload={() => { action.reset(); void reload(); }} labelOf={labelOf} />
      <h3>{t('dispositions.admin.categories')}</h3>
      {tree.length === 0 ? <p>{t('dispositions.admin.none')}</p> : (
        <div className="table-wrap">
          <table className="dispositions">
            <thead><tr><th scope="col">{t('dispositions.admin.col.category')}</th><th scope="col">{t('dispositions.admin.col.state')}</th><th scope="col">{t('dispositions.admin.col.rules')}</th>{canWrite && <th scope="col">{t('dispositions.admin.col.actions')}</th>}</tr></thead>
            <tbody>
              {tree.map((n) => (
                <tr key={n.category.id} data-category={n.category.id}>
                  <th scope="row" style={{ paddingInlineStart: `${0.5 + n.depth * 1.25}rem` }}>{nameOf(n.category)} <small className="hint">({n.category.id})</small></th>
                  <td>{n.category.active ? t('dispositions.admin.state.active') : <span className="warn-text">{t('dispositions.admin.state.retired')}</span>}</td>
                  <td>{rulesText(n.category)}</td>
                  {canWrite && (
                    <td>
                      <button type="button" className="secondary" aria-label={`${t('dispositions.admin.edit')} ${n.path}`} onClick={() => { setEditing(n.category.id); setDraft(draftOf(n.category)); action.reset(); }}>{t('dispositions.admin.edit')}</button>
                      {' '}
                      <ConfirmButton label={t('dispositions.admin.delete')} question={t('dispositions.admin.deleteQuestion', { name: n.path })} confirm={t('dispositions.admin.deleteConfirm')} onConfirm={() => remove(stored(n.category.id)!)} />
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canWrite && (
        <form className="card admin-form" onSubmit={submit} aria-labelledby="disposition-form-title" noValidate>
          <h3 id="disposition-form-title">{editing ? t('dispositions.admin.editTitle', { name: tree.find((n) => n.category.id === editing)?.path ?? editing }) : t('dispositions.admin.new')}</h3>
          <div className="grid">
            <Field id="disp-id" label={t('dispositions.admin.id')} error={err('id')} hint={t('dispositions.admin.idHint')}>
              <input {...inputProps('disp-id', err('id'), true)} value={draft.id} disabled={editing !== undefined} onChange={(e) => set('id', e.target.value)} required />
            </Field>
            <Field id="disp-en" label={t('dispositions.admin.nameEn')} error={err('names.en')}>
              <input {...inputProps('disp-en', err('names.en'))} value={draft.en} onChange={(e) => set('en', e.target.value)} required />
            </Field>
            <Field id="disp-zh" label={t('dispositions.admin.nameZh')} error={err('names.zh-CN')}>
              <input {...inputProps('disp-zh', err('names.zh-CN'))} lang="zh-CN" value={draft.zh} onChange={(e) => set('zh', e.target.value)} required />
            </Field>
            <Field id="disp-parent" label={t('dispositions.admin.parent')} error={err('parentId')}>
              <select {...inputProps('disp-parent', err('parentId'))} value={draft.parentId} onChange={(e) => set('parentId', e.target.value)}>
                <option value="">{t('dispositions.admin.topLevel')}</option>
                {tree.filter((n) => n.category.id !== editing).map((n) => <option key={n.category.id} value={n.category.id}>{n.path}</option>)}
              </select>
            </Field>
            {RULES.map((r) => (
              <Field key={r} id={`disp-${r}`} label={t(`dispositions.admin.${r}` as MessageKey)} error={err(`match.${r}`)} hint={r === 'menuKeys' ? t('dispositions.admin.menuHint') : t('dispositions.admin.listHint')}>
                <input {...inputProps(`disp-${r}`, err(`match.${r}`), true)} value={draft[r]} onChange={(e) => set(r, e.target.value)} />
              </Field>
            ))}
            <div className="field checkbox">
              <label><input type="checkbox" checked={draft.active} onChange={(e) => set('active', e.target.checked)} /> {t('dispositions.admin.active')}</label>
            </div>
          </div>
          <div className="form-actions">
            <button type="submit" disabled={action.busy}>{t('dispositions.admin.save')}</button>
            {editing && <button type="button" className="secondary" onClick={() => { setEditing(undefined); setDraft(EMPTY); }}>{t('dispositions.admin.cancelEdit')}</button>}
          </div>
        </form>
      )}
      <h3>{t('dispositions.admin.policies')}</h3>
      {queues.length === 0 ? <p>{t('dispositions.admin.noQueues')}</p> : (
        <div className="table-wrap">
          <table className="disposition-policies">
            <thead><tr><th scope="col">{t('dispositions.admin.col.queue')}</th><th scope="col">{t('dispositions.admin.col.policy')}</th></tr></thead>
            <tbody>
              {queues.map((q) => (
                <tr key={q} data-queue={q}>
                  <th scope="row">{q}</th>
                  <td>
                    <select aria-label={t('dispositions.admin.policyFor', { queue: q })} value={policyOf(q)} disabled={!canWrite || action.busy} onChange={(e) => void setPolicy(q, e.target.value as Policy)}>
                      {POLICIES.map((p) => <option key={p} value={p}>{t(`dispositions.policy.${p}` as MessageKey)}</option>)}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
