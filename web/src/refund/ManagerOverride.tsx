import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../lib/errors';
import { authorise, type ManagerGrant } from './override';

export function ManagerOverride({ onGrant }: { onGrant: (grant: ManagerGrant) => void }) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: SyntheticEvent) {
    event.preventDefault();
    setBusy(true);
    const result = await authorise(username, password);
    setBusy(false);
    if (result.ok) onGrant(result.grant);
    else if (result.error === 'not-manager') setError(t('override.notManager', { name: result.name ?? username }));
    else setError(describeError(t, result.error));
  }

  return (
    <form className="stack override" onSubmit={(e) => void submit(e)} noValidate>
      <h3>{t('override.title')}</h3>
      <p className="muted">{t('override.subtitle')}</p>
      <label className="field">
        <span>{t('override.username')}</span>
        <input autoFocus autoComplete="off" value={username} onChange={(e) => setUsername(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('override.password')}</span>
        <input type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button button--primary" disabled={busy || !username || !password}>
        {t('override.submit')}
      </button>
    </form>
  );
}
