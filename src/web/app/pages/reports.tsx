// ReportsPage: placeholder until its page is built (issue 8).
import type { Me } from '../api.ts';
import { useI18n } from '../i18n/i18n.tsx';

export function ReportsPage(_props: { me: Me }) {
  const { t } = useI18n();
  return <main id="main" className="page"><h1>{t('reports.title')}</h1></main>;
}
