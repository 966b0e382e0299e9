// AdminPage: placeholder until its page is built (issue 8).
import type { Me } from '../api.ts';
import { useI18n } from '../i18n/i18n.tsx';

export function AdminPage(_props: { me: Me }) {
  const { t } = useI18n();
  return <main id="main" className="page"><h1>{t('admin.title')}</h1></main>;
}
