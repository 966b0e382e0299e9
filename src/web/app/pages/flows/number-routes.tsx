// Which numbers reach this flow: the shared number-route table (GET/PUT /number-routes, with its
// revision) seen from one flow. Adding a number routed elsewhere moves it here; the other routes
// are saved untouched.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../../api.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { messageOf, type FlowApi, type Route, type RouteTable } from './flow-api.ts';

const numberPattern = /^(\*|[0-9a-zA-Z+#]{1,40}\*?)$/;

export function NumberRoutes({ flowId, client, readOnly, onSaved }: { flowId: string; client: FlowApi; readOnly: boolean; onSaved?: () => void }) {
  const { t } = useI18n();
  const [table, setTable] = useState<RouteTable>();
  const [number, setNumber] = useState('');
  // A message key (not text), so it follows a language switch.
  const [message, setMessage] = useState<{ bad: boolean; key: MessageKey; values?: Record<string, string> }>();
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => client.routes().then(setTable, (err: unknown) => setMessage({ bad: true, key: 'flows.status.failed', values: { message: messageOf(err) } })), [client]);
  useEffect(() => { void load(); }, [load]);

  const save = async (routes: Route[]) => {
    if (!table) return;
    setBusy(true);
    try {
      const saved = await client.saveRoutes(routes, table.revision);
      setTable(saved);
      setMessage({ bad: false, key: 'flows.routes.saved' });
      setNumber('');
      onSaved?.();
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        await load();
        setMessage({ bad: true, key: 'flows.routes.conflict' });
      } else {
        const details = err instanceof ApiError && Array.isArray(err.details) ? (err.details as { message: string }[]).map((d) => d.message).join('; ') : '';
        setMessage({ bad: true, key: 'flows.status.failed', values: { message: details || messageOf(err) } });
      }
    } finally {
      setBusy(false);
    }
  };

  const mine = table?.routes.filter((r) => r.flow === flowId || r.closedFlow === flowId) ?? [];
  const elsewhere = table?.routes.find((r) => r.number === number && r.flow !== flowId);
  const add = (e: FormEvent) => {
    e.preventDefault();
    if (!table || !numberPattern.test(number)) return setMessage({ bad: true, key: 'flows.routes.numberHelp' });
    const others = table.routes.filter((r) => r.number !== number);
    void save([...others, { number, flow: flowId }]);
  };
  const warnings = table?.warnings.filter((w) => mine.includes(table.routes[Number(w.path[0])]!)) ?? [];

  return (
    <section className="card routes" aria-labelledby="routes-title">
      <h2 id="routes-title">{t('flows.routes.title')}</h2>
      <p className="muted">{t('flows.routes.intro')}</p>
      {table && mine.length === 0 && <p>{t('flows.routes.none')}</p>}
      {mine.length > 0 && (
        <ul className="route-list">
          {mine.map((r) => (
            <li key={r.number} data-route={r.number}>
              <strong className="mono">{r.number}</strong>
              {r.hours && <span className="muted"> · {t('flows.routes.hours')}</span>}
              {!readOnly && <button type="button" className="secondary small" disabled={busy} onClick={() => void save(table!.routes.filter((x) => x !== r))}>{t('flows.routes.remove', { number: r.number })}</button>}
            </li>
          ))}
        </ul>
      )}
      {warnings.length > 0 && <ul className="problems">{warnings.map((w, i) => <li key={i} className="problem-warning">{w.message}</li>)}</ul>}
      {!readOnly && (
        <form onSubmit={add} className="row" noValidate>
          <label htmlFor="route-number">{t('flows.routes.number')}</label>
          <input id="route-number" value={number} onChange={(e) => setNumber(e.target.value.trim())} aria-describedby="route-number-help" className="mono" autoComplete="off" />
          <button type="submit" disabled={busy || !table}>{t('flows.routes.add')}</button>
        </form>
      )}
      <p id="route-number-help" className="help">{elsewhere ? `${number} ${t('flows.routes.other', { flow: elsewhere.flow })}` : t('flows.routes.numberHelp')}</p>
      {message && <p className={message.bad ? 'form-error' : 'tone-text-good'} role={message.bad ? 'alert' : 'status'}>{t(message.key, message.values)}</p>}
    </section>
  );
}
