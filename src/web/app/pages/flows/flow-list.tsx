// The list of flows (live version, versions, numbers that reach each) and the form for a new one.
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, type Me } from '../../api.ts';
import { LOCALE_NAMES, LOCALES, useI18n } from '../../i18n/i18n.tsx';
import { Link, navigate } from '../../router.tsx';
import { flowApi, messageOf, type FlowSummary, type Route } from './flow-api.ts';
import type { FlowDoc } from './node-kinds.ts';

const flowIdPattern = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export function FlowList({ me }: { me: Me }) {
  const { t } = useI18n();
  const client = flowApi;
  const canWrite = me.permissions.includes('flows.write');
  const [flows, setFlows] = useState<(FlowSummary & { name?: string })[]>();
  const [routes, setRoutes] = useState<Route[]>([]);
  const [error, setError] = useState<string>();

  useEffect(() => {
    let stopped = false;
    (async () => {
      const [list, table] = await Promise.all([client.list(), client.routes()]);
      // The name is in the draft, or (for a flow published from the flows folder) in its live version.
      const nameOf = async (f: FlowSummary) => (await client.get(f.id)).draft?.doc?.name ?? (f.publishedVersion !== undefined ? (await client.version(f.id, f.publishedVersion)).name : undefined);
      const named = await Promise.all(list.map(async (f) => ({ ...f, name: await nameOf(f) })));
      if (!stopped) {
        setFlows(named);
        setRoutes(table.routes);
      }
    })().catch((err: unknown) => setError(messageOf(err)));
    return () => { stopped = true; };
  }, [client]);

  return (
    <main id="main" className="page flows-page">
      <h1>{t('flows.title')}</h1>
      {error && <p className="form-error" role="alert">{t('app.error', { message: error })}</p>}
      {!flows && !error && <p aria-busy="true">{t('app.loading')}</p>}
      {flows?.length === 0 && <p>{t('flows.list.none')}</p>}
      {flows && flows.length > 0 && (
        <div className="table-wrap">
          <table className="flow-list">
            <thead>
              <tr>
                <th scope="col">{t('flows.list.col.id')}</th><th scope="col">{t('flows.list.col.name')}</th><th scope="col">{t('flows.list.col.live')}</th>
                <th scope="col">{t('flows.list.col.versions')}</th><th scope="col">{t('flows.list.col.draft')}</th><th scope="col">{t('flows.list.col.numbers')}</th>
              </tr>
            </thead>
            <tbody>
              {flows.map((f) => (
                <tr key={f.id} data-flow={f.id}>
                  <th scope="row"><Link to={`/flows/${encodeURIComponent(f.id)}`}>{f.id}</Link></th>
                  <td>{f.name ?? ''}</td>
                  <td>{f.publishedVersion !== undefined ? t('flows.history.version', { version: f.publishedVersion }) : <span className="muted">{t('flows.list.notLive')}</span>}</td>
                  <td>{f.versions}</td>
                  <td>{f.draftRevision || ''}</td>
                  <td>{routes.filter((r) => r.flow === f.id || r.closedFlow === f.id).map((r) => r.number).join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canWrite && <NewFlow existing={flows?.map((f) => f.id) ?? []} create={(doc) => client.save(doc.id, doc, 0)} />}
    </main>
  );
}

function NewFlow({ existing, create }: { existing: string[]; create: (doc: FlowDoc) => Promise<unknown> }) {
  const { t, locale } = useI18n();
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [languages, setLanguages] = useState<string[]>([locale]);
  const [defaultLanguage, setDefaultLanguage] = useState<string>(locale);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!flowIdPattern.test(id)) return setError(t('flows.new.badId'));
    if (existing.includes(id)) return setError(t('flows.new.exists', { id }));
    if (!languages.length) return setError(t('flows.new.noLanguage'));
    setBusy(true);
    setError(undefined);
    const doc: FlowDoc = { id, name: name || id, languages, defaultLanguage: languages.includes(defaultLanguage) ? defaultLanguage : languages[0]!, start: '', nodes: {} };
    try {
      await create(doc);
      navigate(`/flows/${encodeURIComponent(id)}`);
    } catch (err) {
      setBusy(false);
      setError(err instanceof ApiError && err.status === 409 ? t('flows.new.exists', { id }) : t('flows.status.failed', { message: messageOf(err) }));
    }
  };

  const toggle = (l: string, on: boolean) => setLanguages((ls) => (on ? [...ls, l] : ls.filter((x) => x !== l)));
  return (
    <form className="card new-flow" onSubmit={submit} aria-labelledby="new-flow-title" noValidate>
      <h2 id="new-flow-title">{t('flows.new.title')}</h2>
      <div className="form-grid">
        <label htmlFor="new-flow-id">{t('flows.new.id')}</label>
        <div>
          <input id="new-flow-id" value={id} onChange={(e) => setId(e.target.value.trim())} aria-describedby="new-flow-id-help" required pattern="[a-z0-9][a-z0-9_-]{0,63}" autoComplete="off" />
          <p id="new-flow-id-help" className="help">{t('flows.new.idHelp')}</p>
        </div>
        <label htmlFor="new-flow-name">{t('flows.new.name')}</label>
        <input id="new-flow-name" value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />
        <span id="new-flow-languages">{t('flows.new.languages')}</span>
        <div role="group" aria-labelledby="new-flow-languages" className="checks">
          {LOCALES.map((l) => (
            <label key={l}><input type="checkbox" checked={languages.includes(l)} onChange={(e) => toggle(l, e.target.checked)} /> {LOCALE_NAMES[l]}</label>
          ))}
        </div>
        <label htmlFor="new-flow-default">{t('flows.new.defaultLanguage')}</label>
        <select id="new-flow-default" value={defaultLanguage} onChange={(e) => setDefaultLanguage(e.target.value)}>
          {LOCALES.filter((l) => languages.includes(l)).map((l) => <option key={l} value={l}>{LOCALE_NAMES[l]}</option>)}
        </select>
      </div>
      {error && <p className="form-error" role="alert">{error}</p>}
      <button type="submit" disabled={busy}>{t('flows.new.create')}</button>
    </form>
  );
}
