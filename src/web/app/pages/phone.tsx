// The desk phone: a browser softphone for people who test flows or listen in (admins,
// supervisors). It dials numbers like any phone on the site: a routed number reaches its flow.
import { useI18n } from '../i18n/i18n.tsx';
import { PhonePanel, useSoftphone } from '../softphone/phone-panel.tsx';
import './agent.css';

export function PhonePage() {
  const { t } = useI18n();
  const { phone, missing, error } = useSoftphone('desk');
  return (
    <main id="main" className="page">
      <h1>{t('phone.deskTitle')}</h1>
      <p className="summary">{t('phone.deskHelp')}</p>
      {error && <p className="form-error" role="alert">{t('app.error', { message: error })}</p>}
      <div className="phone-page">
        {missing ? <p>{t('phone.none')}</p> : <PhonePanel phone={phone} canDial title={t('phone.title')} />}
      </div>
    </main>
  );
}
