// The reports page's call-classification part: for the range and queue the page is showing,
// classified calls by top-level category and by category, and which categories drive repeat
// calls (GET /reports/dispositions; the repeat window is the site's repeat-caller window).
import { useEffect, useState } from 'react';
import { api } from '../../api.ts';
import { percent } from '../../format.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { flattenTree, pathOf, type StoredCategory } from '../agent/disposition-model.ts';
import { CategoryBars } from './dispositions-chart.tsx';

interface Count { categoryId: string; calls: number; share: number }
interface RepeatRow { categoryId: string; calls: number; repeated: number; rate: number | null; anonymous: number }
interface Report { query: { windowHours: number }; classified: number; byCategory: Count[]; byTopLevel: Count[]; repeat: { byCategory: RepeatRow[]; byTopLevel: RepeatRow[] } }

/** query: the reports page's own (from, to, and queue when it filters by one); undefined while it has none. */
export function DispositionsReport({ query }: { query: URLSearchParams | undefined }) {
  const { t, locale } = useI18n();
  const [report, setReport] = useState<Report>();
  const [categories, setCategories] = useState<StoredCategory[]>([]);
  const [error, setError] = useState<string>();
  const from = query?.get('from'), to = query?.get('to'), queue = query?.get('queue');

  useEffect(() => {
    if (!from || !to) return;
    let stale = false;
    const q = new URLSearchParams({ from, to, ...(queue ? { queue } : {}) });
    Promise.all([api<Report>(`/reports/dispositions?${q}`), api<{ categories: StoredCategory[] }>('/dispositions/categories').catch(() => ({ categories: [] }))]).then(([r, c]) => {
      if (stale) return;
      setReport(r);
      setCategories(c.categories);
      setError(undefined);
    }, (err: Error) => { if (!stale) setError(err.message); });
    return () => { stale = true; };
  }, [from, to, queue]);

  if (error) return <p className="form-error" role="alert">{t('app.error', { message: error })}</p>;
  if (!report) return null;
  const tree = flattenTree(categories.map((s) => s.value), locale);
  const count = (v: number) => new Intl.NumberFormat(locale).format(v);
  const pct = (v: number) => percent(v, locale) ?? '—';
  const empty = t('dispositions.report.empty');
  const counts = (rows: Count[]) => rows.map((r) => ({ key: r.categoryId, label: pathOf(tree, r.categoryId), value: r.calls, detail: pct(r.share) }));
  const repeats = report.repeat.byCategory.filter((r) => r.rate !== null);
  const worst = repeats[0];

  return (
    <section className="dispositions-report" aria-labelledby="dispositions-report-title" data-classified={report.classified}>
      <h2 id="dispositions-report-title">{t('dispositions.report.title')}</h2>
      <p className="summary" role="status">{t('dispositions.report.summary', { count: report.classified })}</p>
      <div className="chart-grid-layout">
        <CategoryBars id="dispositions-top" title={t('dispositions.report.byTop')} bars={counts(report.byTopLevel)} format={count} emptyText={empty} />
        <CategoryBars id="dispositions-all" title={t('dispositions.report.byCategory')} bars={counts(report.byCategory)} format={count} emptyText={empty} />
        <CategoryBars id="dispositions-repeat" title={t('dispositions.report.repeat', { hours: report.query.windowHours })} tone="violet" max={1} format={pct} emptyText={empty}
          {...(worst && worst.repeated > 0 ? { note: t('dispositions.report.repeatNote', { category: pathOf(tree, worst.categoryId), rate: pct(worst.rate ?? 0) }) } : {})}
          bars={repeats.map((r) => ({ key: r.categoryId, label: pathOf(tree, r.categoryId), value: r.rate ?? 0, detail: `${r.repeated}/${r.calls - r.anonymous}` }))} />
      </div>
    </section>
  );
}
