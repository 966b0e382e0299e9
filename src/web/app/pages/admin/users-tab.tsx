// Users and roles: the accounts (GET /users), a form to create one (role, linked agent, language),
// one to change an account (PATCH with If-Match: its revision; 412 when someone else changed it),
// disabling confirmed. API tokens (GET/POST/DELETE /tokens) below: a new token's secret is shown
// once; revoking is confirmed.
import { useState, type FormEvent } from 'react';
import type { Me } from '../../api.ts';
import { LOCALE_NAMES, LOCALES, useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { ConfirmButton, Field, inputProps, Loading, OutcomeView, useAction, useLoad } from './form.tsx';
import type { AllSettings } from './queue-types.ts';
import { errorsUnder, request } from './request.ts';
import { TokensSection } from './tokens-section.tsx';

export const ROLES = ['admin', 'supervisor', 'agent', 'technician'] as const;
interface User { username: string; displayName: string; role: (typeof ROLES)[number]; agentId?: string; locale: 'en' | 'zh-CN'; disabled: boolean; revision: number; updatedAt: number }

export function UsersTab({ me, canWrite }: { me: Me; canWrite: boolean }) {
  const { t } = useI18n();
  const canSeeAgents = me.permissions.includes('queues.read');
  const { data, error, reload } = useLoad(async () => {
    const [users, settings] = await Promise.all([request<{ items: User[] }>('/users?limit=1000&sort=username'), canSeeAgents ? request<AllSettings>('/queue-settings') : Promise.resolve(undefined)]);
    return { users: users.items, agentIds: settings?.agents.map((a) => a.value.id) ?? [] };
  }, [canSeeAgents]);
  const [selected, setSelected] = useState<string>();
  const [fresh, setFresh] = useState(0);
  const save = useAction();
  const open = (name: string | undefined) => { save.reset(); setSelected(name); };

  if (!data) return <Loading error={error} retry={() => void reload()} />;
  const editing = data.users.find((u) => u.username === selected);

  return (
    <>
      <section aria-labelledby="users-title">
        <div className="tab-head">
          <h2 id="users-title">{t('admin.users.title')}</h2>
          {canWrite && <button type="button" onClick={() => open('+new')}>{t('admin.users.new')}</button>}
        </div>
        <p className="hint">{t('admin.users.rolesIntro')}</p>
        <div className="table-wrap">
          <table>
            <thead><tr>
              <th scope="col">{t('admin.users.username')}</th><th scope="col">{t('admin.users.displayName')}</th><th scope="col">{t('admin.users.role')}</th>
              <th scope="col">{t('admin.users.agentId')}</th><th scope="col">{t('admin.users.locale')}</th><th scope="col">{t('admin.users.col.status')}</th>
              <th scope="col"><span className="visually-hidden">{t('admin.col.actions')}</span></th>
            </tr></thead>
            <tbody>
              {data.users.map((u) => (
                <tr key={u.username} data-user={u.username}>
                  <th scope="row">{u.username}</th>
                  <td>{u.displayName}</td>
                  <td>{t(`role.${u.role}` as MessageKey)}</td>
                  <td>{u.agentId ?? '—'}</td>
                  <td>{LOCALE_NAMES[u.locale]}</td>
                  <td>{u.disabled ? <span className="badge bad">{t('admin.users.disabled')}</span> : t('admin.users.active')}</td>
                  <td className="actions">
                    <button type="button" className="secondary" onClick={() => open(u.username)} aria-label={t(canWrite ? 'admin.editNamed' : 'admin.viewNamed', { name: u.username })}>{t(canWrite ? 'admin.edit' : 'admin.view')}</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {selected === '+new' && <NewUserForm agentIds={data.agentIds} save={save} onCreated={async (name) => { await reload(); setSelected(name); }} onClose={() => open(undefined)} />}
        {editing && (
          <UserForm key={`${editing.username}-${fresh}`} user={editing} me={me} agentIds={data.agentIds} canWrite={canWrite} save={save}
            onSaved={() => reload()} onReload={async () => { save.reset(); await reload(); setFresh((n) => n + 1); }} onClose={() => open(undefined)} />
        )}
        {selected && selected !== '+new' && !editing && <OutcomeView outcome={save.outcome} />}
      </section>
      {me.permissions.includes('tokens.read') && <TokensSection me={me} canWrite={me.permissions.includes('tokens.write')} />}
    </>
  );
}

const userLabel = (t: ReturnType<typeof useI18n>['t'], field: string) =>
  ['username', 'password', 'role', 'displayName', 'agentId', 'locale'].includes(field) ? t(`admin.users.${field}` as MessageKey) : field;

function AgentIdInput({ id, value, onChange, agentIds, error }: { id: string; value: string; onChange: (v: string) => void; agentIds: string[]; error: string | undefined }) {
  return (
    <>
      <input {...inputProps(id, error, true)} list={`${id}-agents`} value={value} onChange={(e) => onChange(e.target.value)} />
      <datalist id={`${id}-agents`}>{agentIds.map((a) => <option key={a} value={a} />)}</datalist>
    </>
  );
}

function NewUserForm({ agentIds, save, onCreated, onClose }: { agentIds: string[]; save: ReturnType<typeof useAction>; onCreated: (username: string) => Promise<void>; onClose: () => void }) {
  const { t } = useI18n();
  const [f, setF] = useState({ username: '', password: '', displayName: '', role: 'agent', agentId: '', locale: 'en' });
  const set = (change: Partial<typeof f>) => setF((x) => ({ ...x, ...change }));
  const err = (field: string) => errorsUnder(save.fields, field);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const username = f.username.trim();
    await save.run(async () => {
      await request('/users', { method: 'POST', json: { username, password: f.password, role: f.role, locale: f.locale, ...(f.displayName.trim() ? { displayName: f.displayName.trim() } : {}), ...(f.agentId.trim() ? { agentId: f.agentId.trim() } : {}) } });
      await onCreated(username);
      return t('admin.users.created', { username });
    });
  };
  return (
    <form className="card admin-form" onSubmit={submit} aria-labelledby="new-user-title" noValidate>
      <h3 id="new-user-title">{t('admin.users.newTitle')}</h3>
      <div className="grid">
        <Field id="new-user-username" label={t('admin.users.username')} error={err('username')} hint={t('admin.users.usernameHint')}>
          <input {...inputProps('new-user-username', err('username'), true)} autoComplete="off" value={f.username} onChange={(e) => set({ username: e.target.value })} />
        </Field>
        <Field id="new-user-password" label={t('admin.users.password')} error={err('password')} hint={t('admin.users.passwordHint')}>
          <input {...inputProps('new-user-password', err('password'), true)} type="password" autoComplete="new-password" value={f.password} onChange={(e) => set({ password: e.target.value })} />
        </Field>
        <Field id="new-user-displayName" label={t('admin.users.displayName')} error={err('displayName')}>
          <input {...inputProps('new-user-displayName', err('displayName'))} value={f.displayName} onChange={(e) => set({ displayName: e.target.value })} />
        </Field>
        <Field id="new-user-role" label={t('admin.users.role')} error={err('role')} hint={t(`admin.role.${f.role}` as MessageKey)}>
          <select {...inputProps('new-user-role', err('role'), true)} value={f.role} onChange={(e) => set({ role: e.target.value })}>
            {ROLES.map((r) => <option key={r} value={r}>{t(`role.${r}` as MessageKey)}</option>)}
          </select>
        </Field>
        <Field id="new-user-agentId" label={t('admin.users.agentId')} error={err('agentId')} hint={t('admin.users.agentIdHint')}>
          <AgentIdInput id="new-user-agentId" value={f.agentId} onChange={(agentId) => set({ agentId })} agentIds={agentIds} error={err('agentId')} />
        </Field>
        <Field id="new-user-locale" label={t('admin.users.locale')} error={err('locale')}>
          <select {...inputProps('new-user-locale', err('locale'))} value={f.locale} onChange={(e) => set({ locale: e.target.value })}>
            {LOCALES.map((l) => <option key={l} value={l} lang={l}>{LOCALE_NAMES[l]}</option>)}
          </select>
        </Field>
      </div>
      <OutcomeView outcome={save.outcome} labelOf={(field) => userLabel(t, field)} />
      <div className="form-actions">
        <button type="submit" disabled={save.busy}>{save.busy ? t('admin.saving') : t('admin.create')}</button>
        <button type="button" className="secondary" onClick={onClose}>{t('admin.close')}</button>
      </div>
    </form>
  );
}

function UserForm({ user, me, agentIds, canWrite, save, onSaved, onReload, onClose }: { user: User; me: Me; agentIds: string[]; canWrite: boolean; save: ReturnType<typeof useAction>; onSaved: () => Promise<void>; onReload: () => void; onClose: () => void }) {
  const { t } = useI18n();
  const [f, setF] = useState({ displayName: user.displayName, role: user.role as string, agentId: user.agentId ?? '', locale: user.locale as string, password: '' });
  const set = (change: Partial<typeof f>) => setF((x) => ({ ...x, ...change }));
  const err = (field: string) => errorsUnder(save.fields, field);
  const self = user.username === me.username;

  const patch = (change: Record<string, unknown>, message: string) => save.run(async () => {
    await request(`/users/${encodeURIComponent(user.username)}`, { method: 'PATCH', json: change, revision: user.revision });
    await onSaved();
    return message;
  });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const change: Record<string, unknown> = {};
    if (f.displayName !== user.displayName) change.displayName = f.displayName.trim();
    if (f.role !== user.role) change.role = f.role;
    if (f.agentId.trim() !== (user.agentId ?? '') && f.agentId.trim() !== '') change.agentId = f.agentId.trim();
    if (f.locale !== user.locale) change.locale = f.locale;
    if (f.password) change.password = f.password;
    if (await patch(change, t('admin.users.saved', { username: user.username }))) set({ password: '' });
  };

  return (
    <form className="card admin-form" onSubmit={submit} aria-labelledby="user-form-title" noValidate>
      <h3 id="user-form-title">{t('admin.users.editTitle', { username: user.username })}</h3>
      <fieldset disabled={!canWrite} className="grid">
        <Field id="user-displayName" label={t('admin.users.displayName')} error={err('displayName')}>
          <input {...inputProps('user-displayName', err('displayName'))} value={f.displayName} onChange={(e) => set({ displayName: e.target.value })} />
        </Field>
        <Field id="user-role" label={t('admin.users.role')} error={err('role')} hint={t(`admin.role.${f.role}` as MessageKey)}>
          <select {...inputProps('user-role', err('role'), true)} value={f.role} onChange={(e) => set({ role: e.target.value })} disabled={self}>
            {ROLES.map((r) => <option key={r} value={r}>{t(`role.${r}` as MessageKey)}</option>)}
          </select>
        </Field>
        <Field id="user-agentId" label={t('admin.users.agentId')} error={err('agentId')} hint={t('admin.users.agentIdHint')}>
          <AgentIdInput id="user-agentId" value={f.agentId} onChange={(agentId) => set({ agentId })} agentIds={agentIds} error={err('agentId')} />
        </Field>
        <Field id="user-locale" label={t('admin.users.locale')} error={err('locale')}>
          <select {...inputProps('user-locale', err('locale'))} value={f.locale} onChange={(e) => set({ locale: e.target.value })}>
            {LOCALES.map((l) => <option key={l} value={l} lang={l}>{LOCALE_NAMES[l]}</option>)}
          </select>
        </Field>
        <Field id="user-password" label={t('admin.users.newPassword')} error={err('password')} hint={t('admin.users.newPasswordHint')}>
          <input {...inputProps('user-password', err('password'), true)} type="password" autoComplete="new-password" value={f.password} onChange={(e) => set({ password: e.target.value })} />
        </Field>
      </fieldset>
      <OutcomeView outcome={save.outcome} onReload={onReload} labelOf={(field) => userLabel(t, field)} />
      <div className="form-actions">
        {canWrite && <button type="submit" disabled={save.busy}>{save.busy ? t('admin.saving') : t('admin.save')}</button>}
        {canWrite && !self && (user.disabled
          ? <button type="button" className="secondary" onClick={() => void patch({ disabled: false }, t('admin.users.enabledDone', { username: user.username }))}>{t('admin.users.enable')}</button>
          : <ConfirmButton label={t('admin.users.disable')} question={t('admin.users.disableQuestion', { username: user.username })} confirm={t('admin.users.disableConfirm')}
              onConfirm={() => patch({ disabled: true }, t('admin.users.disabledDone', { username: user.username }))} />)}
        <button type="button" className="secondary" onClick={onClose}>{t('admin.close')}</button>
      </div>
    </form>
  );
}
