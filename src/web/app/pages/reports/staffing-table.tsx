// One day of the forecast as a table: each half hour with calls expected (rows without any are
// folded into one line saying so, so the table shows the working day), then the day's total.
import { duration } from '../../format.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { StaffingInterval } from './staffing-types.ts';

export function StaffingTable({ intervals, caption, percent }: { intervals: StaffingInterval[]; caption: string; percent: (ratio: number) => string }) {
  const { t, locale } = useI18n();
  const count = (v: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(v);
  const busy = intervals.filter((i) => i.calls > 0);
  const calls = busy.reduce((s, i) => s + i.calls, 0);
  return (
    <div className="card staffing-table-wrap">
      <table className="staffing-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('staffing.col.time')}</th>
            <th scope="col">{t('staffing.col.calls')}</th>
            <th scope="col">{t('staffing.col.aht')}</th>
            <th scope="col">{t('staffing.col.agents')}</th>
            <th scope="col">{t('staffing.col.sl')}</th>
            <th scope="col">{t('staffing.col.abandon')}</th>
            <th scope="col">{t('staffing.col.occupancy')}</th>
          </tr>
        </thead>
        <tbody>
          {busy.length === 0 && <tr><td colSpan={7}>{t('staffing.closed')}</td></tr>}
          {busy.map((i) => (
            <tr key={i.start} data-time={i.time}>
              <th scope="row">{i.time}</th>
              <td>{count(i.calls)}</td>
              <td>{duration(i.ahtSeconds) ?? '—'}</td>
              <td className="staffing-agents">{i.agents}</td>
              <td>{percent(i.serviceLevel)}</td>
              <td>{i.probabilityOfAbandon === null ? '—' : percent(i.probabilityOfAbandon)}</td>
              <td>{percent(i.occupancy)}</td>
            </tr>
          ))}
        </tbody>
        {busy.length > 0 && (
          <tfoot>
            <tr>
              <th scope="row">{t('staffing.dayTotal')}</th>
              <td>{count(Math.round(calls))}</td>
              <td colSpan={5} />
            </tr>
          </tfoot>
        )}
      </table>
    </div>
  );
}
