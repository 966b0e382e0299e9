// API tokens (for scripts and integrations): list, create with the scopes the creator holds (the
// secret is shown once, here), revoke after confirmation.
import { useState, type FormEvent } from 'react';
import type { Me } from '../../api.ts';
import { dateTime } from '../../format.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { ConfirmButton, Field, inputProps, Loading, OutcomeView, useAction, useLoad } from './form.tsx';
import { errorsUnder, request } from './request.ts';
import { SecretOnce } from './secret-once.tsx';

interface Token { id: string; name: string; scopes: string[]; owner: string; createdAt: number; expiresAt?: number; revokedAt?: number; lastUsedAt?: number }

export function TokensSection({ me, canWrite }: { me: Me; canWrite: boolean }) {
  const { t, locale } = useI18n();
  const { data, error, reload } = useLoad(() => request<{ items: Token[] }>('/tokens?limit=1000').then((r) => r.items), []);
  const action = useAction();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>([]);
  const [expires, setExpires] = useState('');
  const [secret, setSecret] = useState<{ name: string; token: string }>();
  const err = (field: string) => errorsUnder(action.fields, field);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSecret(undefined);
    await action.run(async () => {
      const expiresAt = expires ? new Date(`${expires}T23:59:59`).getTime() : undefined;
      const created = await request<{ token: string; info: Token }>('/tokens', { method: 'POST', json: { name: name.trim(), scopes, ...(expiresAt ? { expiresAt } : {}) } });
      setSecret({ name: created.info.name, token: created.token });
      setName(''); setScopes([]); setExpires('');
      await reload();
      return t('admin.tokens.created', { name: created.info.name });
    });
  };

  return (
    <section aria-labelledby="tokens-title" className="subsection">
      <h2 id="tokens-title">{t('admin.tokens.title')}</h2>
      <p className="hint">{t('admin.tokens.intro')}</p>
      {!data ? <Loading error={error} retry={() => void reload()} /> : data.length === 0 ? <p>{t('admin.tokens.none')}</p> : (
        <div className="table-wrap">
          <table>
            <thead><tr><th scope="col">{t('admin.tokens.name')}</th><th scope="col">{t('admin.tokens.scopes')}</th><th scope="col">{t('admin.tokens.owner')}</th><th scope="col">{t('admin.tokens.col.status')}</th><th scope="col"><span className="visually-hidden">{t('admin.col.actions')}</span></th></tr></thead>
            <tbody>
              {data.map((token) => (
                <tr key={token.id} data-token={token.id}>
                  <th scope="row">{token.name}</th>
                  <td>{token.scopes.join(', ')}</td>
                  <td>{token.owner}</td>
                  <td>{token.revokedAt ? <span className="badge bad">{t('admin.tokens.revokedAt', { at: dateTime(token.revokedAt, locale) })}</span>
                    : token.expiresAt ? t('admin.tokens.expires', { at: dateTime(token.expiresAt, locale) }) : t('admin.tokens.noExpiry')}</td>
                  <td className="actions">{canWrite && !token.revokedAt && (
                    <ConfirmButton label={t('admin.tokens.revoke')} question={t('admin.tokens.revokeQuestion', { name: token.name })} confirm={t('admin.tokens.revokeConfirm')}
                      onConfirm={() => action.run(async () => { await request(`/tokens/${encodeURIComponent(token.id)}`, { method: 'DELETE' }); await reload(); return t('admin.tokens.revoked', { name: token.name }); })} />
                  )}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {secret && <SecretOnce label={t('admin.tokens.secretLabel', { name: secret.name })} value={secret.token} onDone={() => setSecret(undefined)} />}
      {canWrite && (
        <form className="card admin-form" onSubmit={submit} aria-labelledby="token-form-title" noValidate>
          <h3 id="token-form-title">{t('admin.tokens.newTitle')}</h3>
          <div className="grid">
            <Field id="token-name" label={t('admin.tokens.name')} error={err('name')}>
              <input {...inputProps('token-name', err('name'))} value={name} onChange={(e) => setName(e.target.value)} />
            </Field>
            <Field id="token-expires" label={t('admin.tokens.expiresOn')} error={err('expiresAt')} hint={t('admin.tokens.expiresHint')}>
              <input {...inputProps('token-expires', err('expiresAt'), true)} type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
            </Field>
          </div>
          <fieldset className="checks" aria-describedby={err('scopes') ? 'token-scopes-error' : undefined}>
            <legend>{t('admin.tokens.scopes')}</legend>
            {me.permissions.map((p) => (
              <label key={p} className="check"><input type="checkbox" checked={scopes.includes(p)} onChange={(e) => setScopes(e.target.checked ? [...scopes, p] : scopes.filter((s) => s !== p))} /> <code>{p}</code></label>
            ))}
            {err('scopes') && <p className="field-error" id="token-scopes-error">{t('admin.fieldError', { message: err('scopes')! })}</p>}
          </fieldset>
          <OutcomeView outcome={action.outcome} labelOf={(f) => (f === 'name' ? t('admin.tokens.name') : f.startsWith('scopes') ? t('admin.tokens.scopes') : f)} />
          <div className="form-actions"><button type="submit" disabled={action.busy}>{t('admin.tokens.create')}</button></div>
        </form>
      )}
      {!canWrite && <OutcomeView outcome={action.outcome} />}
    </section>
  );
}
