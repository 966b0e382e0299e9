// A secret the API shows once (a new API token, a webhook's signing secret): shown in full with a
// copy button and a clear note that it will not be shown again.
import { useState } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';

export function SecretOnce({ label, value, onDone }: { label: string; value: string; onDone: () => void }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  const copy = () => navigator.clipboard?.writeText(value).then(() => setCopied(true), () => setCopied(false));
  return (
    <div className="secret-once card" role="region" aria-label={label}>
      <p><strong>{label}</strong></p>
      <p className="warn-text">{t('admin.secret.once')}</p>
      <div className="secret-row">
        <input readOnly value={value} aria-label={label} className="secret" data-secret onFocus={(e) => e.target.select()} />
        <button type="button" onClick={() => void copy()}>{t('admin.secret.copy')}</button>
        <button type="button" className="secondary" onClick={onDone}>{t('admin.secret.done')}</button>
      </div>
      <p aria-live="polite" className="hint">{copied ? t('admin.secret.copied') : ''}</p>
    </div>
  );
}
