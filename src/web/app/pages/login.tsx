// The login form: POST /auth/login; the answer is the user (with the CSRF token for changes).
import { useState, type FormEvent } from 'react';
import { ApiError, login, type Me } from '../api.ts';
import { useT } from '../i18n/i18n.tsx';

export function LoginPage({ onLogin }: { onLogin: (me: Me) => void }) {
  const t = useT();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onLogin(await login(username.trim(), password));
    } catch (err) {
      setPassword('');
      if (err instanceof ApiError && err.status === 401) setError(t('login.failed'));
      else if (err instanceof ApiError && err.status === 429) {
        const seconds = (err.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds ?? 900;
        setError(t('login.locked', { minutes: Math.ceil(seconds / 60) }));
      } else setError(t('login.unexpected', { message: err instanceof Error ? err.message : String(err) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="login">
      <form className="card login-form" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">{t('login.title')}</h1>
        <label htmlFor="login-username">{t('login.username')}</label>
        <input id="login-username" name="username" autoComplete="username" required autoFocus value={username} onChange={(e) => setUsername(e.target.value)} />
        <label htmlFor="login-password">{t('login.password')}</label>
        <input id="login-password" name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        {error && <p className="form-error" role="alert">{error}</p>}
        <button type="submit" disabled={busy}>{busy ? t('login.busy') : t('login.submit')}</button>
      </form>
    </main>
  );
}
