// Business hours and holidays. They live in two places: number routes (a route may apply only
// during business hours, with a flow for when closed) — edited here through PUT /number-routes
// (one document with a revision: stale → reload) — and flows' business-hours nodes, shown here
// read-only with a link to the flow editor, where a flow's hours are changed and published.
import { useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { Link } from '../../router.tsx';
import { ConfirmButton, Field, inputProps, Loading, OutcomeView, useAction, useLoad } from './form.tsx';
import { draftOfHours, specOfDraft, WEEKDAYS, type HoursDraft } from './hours-model.ts';
import { errorsUnder, request } from './request.ts';

interface Route { number: string; flow: string; hours?: Record<string, unknown>; closedFlow?: string }
interface Table { routes: Route[]; revision: number; updatedAt: number; updatedBy: string; warnings: { path: (string | number)[]; message: string }[] }
interface FlowHours { flow: string; node: string; hours: Record<string, unknown> }

async function loadFlowHours(): Promise<{ ids: string[]; hours: FlowHours[] }> {
  const { flows } = await request<{ flows: { id: string }[] }>('/flows');
  const docs = await Promise.all(flows.map((f) => request<{ draft: { doc: { nodes?: Record<string, { kind?: string; hours?: Record<string, unknown> }> } } | null }>(`/flows/${encodeURIComponent(f.id)}`).then((r) => ({ id: f.id, doc: r.draft?.doc }), () => ({ id: f.id, doc: undefined }))));
  const hours = docs.flatMap(({ id, doc }) => Object.entries(doc?.nodes ?? {}).filter(([, n]) => n.kind === 'business-hours' && n.hours).map(([node, n]) => ({ flow: id, node, hours: n.hours! })));
  return { ids: flows.map((f) => f.id), hours };
}

export function HoursTab({ canWrite, timezone }: { canWrite: boolean; timezone: string }) {
  const { t } = useI18n();
  const { data, error, reload } = useLoad(async () => {
    const [table, flows] = await Promise.all([request<Table>('/number-routes'), loadFlowHours()]);
    return { table, flows };
  }, []);
  const [editing, setEditing] = useState<number>();
  const [fresh, setFresh] = useState(0);
  const save = useAction();
  if (!data) return <Loading error={error} retry={() => void reload()} />;
  const { table, flows } = data;

  const saveRoutes = (routes: Route[], message: string) => save.run(async () => {
    await request('/number-routes', { method: 'PUT', json: { routes }, revision: table.revision });
    await reload();
    return message;
  });
  const open = (i: number | undefined) => { save.reset(); setEditing(i); };

  return (
    <>
      <section aria-labelledby="hours-title">
        <h2 id="hours-title">{t('admin.hours.title')}</h2>
        <p className="hint">{t('admin.hours.intro')}</p>
        {editing === undefined && <OutcomeView outcome={save.outcome} onReload={() => { save.reset(); void reload(); }} />}
        {table.routes.length === 0 ? <p>{t('admin.hours.noRoutes')}</p> : (
          <div className="table-wrap">
            <table>
              <thead><tr><th scope="col">{t('admin.hours.number')}</th><th scope="col">{t('admin.hours.flow')}</th><th scope="col">{t('admin.hours.hours')}</th><th scope="col">{t('admin.hours.closedFlow')}</th><th scope="col"><span className="visually-hidden">{t('admin.col.actions')}</span></th></tr></thead>
              <tbody>
                {table.routes.map((r, i) => (
                  <tr key={`${r.number}-${i}`} data-route={r.number}>
                    <th scope="row">{r.number === '*' ? t('admin.hours.anyNumber') : r.number}</th>
                    <td><Link to={`/flows/${r.flow}`}>{r.flow}</Link></td>
                    <td>{r.hours ? <HoursSummary hours={r.hours} /> : t('admin.hours.always')}</td>
                    <td>{r.closedFlow ? <Link to={`/flows/${r.closedFlow}`}>{r.closedFlow}</Link> : r.hours ? t('admin.hours.nextRoute') : '—'}</td>
                    <td className="actions">
                      {canWrite && <button type="button" className="secondary" onClick={() => open(i)} aria-label={t('admin.hours.editFor', { number: r.number })}>{r.hours ? t('admin.hours.edit') : t('admin.hours.add')}</button>}
                      {canWrite && r.hours && <ConfirmButton label={t('admin.hours.remove')} question={t('admin.hours.removeQuestion', { number: r.number })} confirm={t('admin.removeConfirm')}
                        onConfirm={() => saveRoutes(table.routes.map((x, j) => { if (j !== i) return x; const { hours: _h, closedFlow: _c, ...rest } = x; return rest; }), t('admin.hours.removed', { number: r.number }))} />}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {editing !== undefined && table.routes[editing] && (
          <RouteHoursForm key={`${editing}-${fresh}`} index={editing} route={table.routes[editing]} flowIds={flows.ids} timezone={timezone} save={save}
            onSave={(route) => saveRoutes(table.routes.map((x, j) => (j === editing ? route : x)), t('admin.hours.saved', { number: route.number }))}
            onReload={async () => { save.reset(); await reload(); setFresh((n) => n + 1); }} onClose={() => open(undefined)} />
        )}
      </section>
      <section aria-labelledby="flow-hours-title" className="subsection">
        <h2 id="flow-hours-title">{t('admin.hours.inFlows')}</h2>
        <p className="hint">{t('admin.hours.inFlowsIntro')}</p>
        {flows.hours.length === 0 ? <p>{t('admin.hours.noFlowHours')}</p> : (
          <ul className="flow-hours">
            {flows.hours.map((h) => (
              <li key={`${h.flow}/${h.node}`} className="card" data-flow={h.flow}>
                <h3>{t('admin.hours.flowNode', { flow: h.flow, node: h.node })}</h3>
                <HoursSummary hours={h.hours} full />
                <p><Link to={`/flows/${h.flow}`}>{t('admin.hours.openFlow', { flow: h.flow })}</Link></p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function HoursSummary({ hours, full }: { hours: Record<string, unknown>; full?: boolean }) {
  const { t } = useI18n();
  const draft = draftOfHours(hours, '');
  return (
    <div className="hours-summary">
      <div className="hint">{t('admin.hours.zone', { zone: draft.timezone })}</div>
      <dl className="week">
        {WEEKDAYS.map((d) => <div key={d}><dt>{t(`admin.day.${d}` as MessageKey)}</dt><dd>{draft.weekly[d] || t('admin.hours.closed')}</dd></div>)}
      </dl>
      {draft.holidays.length > 0 && (full
        ? <ul className="holidays">{draft.holidays.map((h) => <li key={h.date}>{h.date}{h.name && ` ${h.name}`}: {h.hours || t('admin.hours.closed')}</li>)}</ul>
        : <div>{t('admin.hours.holidayCount', { count: draft.holidays.length })}</div>)}
    </div>
  );
}

function RouteHoursForm({ index, route, flowIds, timezone, save, onSave, onReload, onClose }: { index: number; route: Route; flowIds: string[]; timezone: string; save: ReturnType<typeof useAction>; onSave: (route: Route) => Promise<boolean>; onReload: () => void; onClose: () => void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<HoursDraft>(() => draftOfHours(route.hours, timezone));
  const [closedFlow, setClosedFlow] = useState(route.closedFlow ?? '');
  const err = (field: string) => errorsUnder(save.fields, `${index}.${field}`);
  const set = (change: Partial<HoursDraft>) => setDraft((d) => ({ ...d, ...change }));
  const setHoliday = (i: number, change: Partial<HoursDraft['holidays'][number]>) => set({ holidays: draft.holidays.map((h, j) => (j === i ? { ...h, ...change } : h)) });
  const labelOf = (field: string) => {
    const parts = field.split('.').slice(1);
    if (parts[0] === 'closedFlow') return t('admin.hours.closedFlow');
    if (parts[1] === 'timezone') return t('admin.hours.timezone');
    if (parts[1] === 'weekly' && parts[2]) return t(`admin.day.${parts[2]}` as MessageKey);
    if (parts[1] === 'holidays') return t('admin.hours.holidayN', { n: Number(parts[2] ?? 0) + 1 });
    return field;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const { closedFlow: _old, ...rest } = route;
    await onSave({ ...rest, hours: specOfDraft(draft) as unknown as Record<string, unknown>, ...(closedFlow ? { closedFlow } : {}) });
  };

  return (
    <form className="card admin-form" onSubmit={submit} aria-labelledby="route-hours-title" noValidate>
      <h3 id="route-hours-title">{t('admin.hours.formTitle', { number: route.number, flow: route.flow })}</h3>
      <p className="hint">{t('admin.hours.formIntro')}</p>
      <div className="grid">
        <Field id="hours-timezone" label={t('admin.hours.timezone')} error={err('hours.timezone')} hint={t('admin.hours.timezoneHint')}>
          <input {...inputProps('hours-timezone', err('hours.timezone'), true)} value={draft.timezone} onChange={(e) => set({ timezone: e.target.value })} />
        </Field>
        <Field id="hours-closedFlow" label={t('admin.hours.closedFlow')} error={err('closedFlow')} hint={t('admin.hours.closedFlowHint')}>
          <select {...inputProps('hours-closedFlow', err('closedFlow'), true)} value={closedFlow} onChange={(e) => setClosedFlow(e.target.value)}>
            <option value="">{t('admin.hours.nextRoute')}</option>
            {flowIds.map((id) => <option key={id} value={id}>{id}</option>)}
          </select>
        </Field>
      </div>
      <fieldset className="grid week-grid">
        <legend>{t('admin.hours.weekly')}</legend>
        <p className="hint wide">{t('admin.hours.rangesHint')}</p>
        {WEEKDAYS.map((d) => (
          <Field key={d} id={`hours-${d}`} label={t(`admin.day.${d}` as MessageKey)} error={err(`hours.weekly.${d}`)}>
            <input {...inputProps(`hours-${d}`, err(`hours.weekly.${d}`))} value={draft.weekly[d]} placeholder={t('admin.hours.closed')} onChange={(e) => set({ weekly: { ...draft.weekly, [d]: e.target.value } })} />
          </Field>
        ))}
      </fieldset>
      <fieldset className="rows">
        <legend>{t('admin.hours.holidays')}</legend>
        {draft.holidays.length === 0 && <p className="hint">{t('admin.hours.noHolidays')}</p>}
        {draft.holidays.map((h, i) => (
          <div className="row" key={i}>
            <Field id={`holiday-${i}-date`} label={t('admin.hours.holidayDate', { n: i + 1 })} error={err(`hours.holidays.${i}.date`)}>
              <input {...inputProps(`holiday-${i}-date`, err(`hours.holidays.${i}.date`))} type="date" value={h.date} onChange={(e) => setHoliday(i, { date: e.target.value })} />
            </Field>
            <Field id={`holiday-${i}-name`} label={t('admin.hours.holidayName', { n: i + 1 })} error={err(`hours.holidays.${i}.name`)}>
              <input {...inputProps(`holiday-${i}-name`, err(`hours.holidays.${i}.name`))} value={h.name} onChange={(e) => setHoliday(i, { name: e.target.value })} />
            </Field>
            <Field id={`holiday-${i}-hours`} label={t('admin.hours.holidayHours', { n: i + 1 })} error={err(`hours.holidays.${i}.hours`)}>
              <input {...inputProps(`holiday-${i}-hours`, err(`hours.holidays.${i}.hours`))} value={h.hours} placeholder={t('admin.hours.closed')} onChange={(e) => setHoliday(i, { hours: e.target.value })} />
            </Field>
            <button type="button" className="secondary" onClick={() => set({ holidays: draft.holidays.filter((_, j) => j !== i) })}>{t('admin.removeRow', { n: i + 1 })}</button>
          </div>
        ))}
        <button type="button" className="secondary" onClick={() => set({ holidays: [...draft.holidays, { date: '', name: '', hours: '' }] })}>{t('admin.hours.addHoliday')}</button>
      </fieldset>
      <OutcomeView outcome={save.outcome} onReload={onReload} labelOf={labelOf} />
      <div className="form-actions">
        <button type="submit" disabled={save.busy}>{save.busy ? t('admin.saving') : t('admin.save')}</button>
        <button type="button" className="secondary" onClick={onClose}>{t('admin.close')}</button>
      </div>
    </form>
  );
}
