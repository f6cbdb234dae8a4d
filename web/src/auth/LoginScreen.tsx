import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { bareClient } from '../lib/client';
import { describeError, errorOf } from '../lib/errors';
import { TopBar } from '../shell/TopBar';
import { LoginDocument } from './operations';
import { storeSession, type Session } from './session';

export function LoginScreen({ notice }: { notice: string | null }) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: SyntheticEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const result = await bareClient().mutation(LoginDocument, { username: username.trim(), password }).toPromise();
    setBusy(false);
    const login = result.data?.login;
    if (login) {
      const session: Session = {
        accessToken: login.accessToken,
        refreshToken: login.refreshToken,
        expiresAt: login.expiresAt,
        user: { id: login.user.id, username: login.user.username, fullName: login.user.fullName, role: login.user.role },
      };
      await storeSession(session);
      return;
    }
    if (result.error) setError(describeError(t, errorOf(result.error)));
  }

  return (
    <div className="screen">
      <TopBar />
      <main className="centered">
        <div className="login">
          <section className="login__brand" aria-hidden="true">
            <span className="login__mark">◼</span>
            <p className="login__name">O'data POS</p>
            <p className="login__tagline">{t('login.tagline')}</p>
            <ul className="login__points">
              <li>{t('login.point1')}</li>
              <li>{t('login.point2')}</li>
              <li>{t('login.point3')}</li>
            </ul>
          </section>
        <form className="card card--narrow login__form" onSubmit={(e) => void submit(e)} noValidate>
          <h1>{t('login.title')}</h1>
          <p className="muted">{t('login.subtitle')}</p>
          {notice && <p className="notice">{notice}</p>}
          <label className="field">
            <span>{t('login.username')}</span>
            <input name="username" autoComplete="username" autoFocus value={username} onChange={(e) => setUsername(e.target.value)} required />
          </label>
          <label className="field">
            <span>{t('login.password')}</span>
            <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
          </label>
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="button button--primary button--block" disabled={busy || !username || !password}>
            {busy ? t('login.signingIn') : t('login.submit')}
          </button>
        </form>
        </div>
      </main>
    </div>
  );
}
