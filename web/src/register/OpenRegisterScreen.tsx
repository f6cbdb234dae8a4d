import { useEffect, useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { describeError, errorOf } from '../lib/errors';
import { formatAmount, parseUserAmount } from '../lib/money';
import { useApp } from '../shell/context';
import { TopBar } from '../shell/TopBar';
import { LocationsDocument, OpenRegisterDocument, OpenRegisterSessionsDocument, shopLocation } from './operations';

const LAST_NAME_KEY = 'pos.registerName';

export function OpenRegisterScreen() {
  const { t } = useTranslation();
  const app = useApp();
  const [{ data: locations, error: locationsError }] = useQuery({ query: LocationsDocument });
  const location = app.location;

  useEffect(() => {
    const list = locations?.locations;
    if (!list || list.length === 0) return;
    const same = list.find((l) => l.id === location?.id) ?? list[0];
    if (same) {
      const next = shopLocation(same);
      if (JSON.stringify(next) !== JSON.stringify(location)) app.setLocation(next);
    }
  }, [locations, location, app]);

  const [{ data: open }, refetchOpen] = useQuery({
    query: OpenRegisterSessionsDocument,
    variables: { locationId: location?.id ?? '' },
    pause: !location,
    requestPolicy: 'network-only',
  });

  const [registerName, setRegisterName] = useState(() => localStorage.getItem(LAST_NAME_KEY) ?? (app.locale.startsWith('en') ? 'Till 1' : 'Caja 1'));
  const [float, setFloat] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: SyntheticEvent) {
    event.preventDefault();
    if (!location) return;
    const amount = parseUserAmount(float, app.currency);
    if (!amount.ok) {
      setError(t('tender.amountInvalid'));
      return;
    }
    setBusy(true);
    setError(null);
    const result = await app.client
      .mutation(OpenRegisterDocument, {
        input: { locationId: location.id, registerName: registerName.trim(), openingFloat: formatAmount(amount.value, app.currency) },
      })
      .toPromise();
    setBusy(false);
    const opened = result.data?.openRegister;
    if (opened) {
      localStorage.setItem(LAST_NAME_KEY, opened.registerName);
      app.setRegister({ sessionId: opened.id, registerName: opened.registerName, locationId: location.id, openedAt: opened.openedAt });
      return;
    }
    if (result.error) {
      setError(describeError(t, errorOf(result.error), { conflictKey: 'errors.REGISTER_OPEN' }));
      refetchOpen({ requestPolicy: 'network-only' });
    }
  }

  const sessions = open?.openRegisterSessions ?? [];
  const mine = sessions.filter((s) => s.openedBy?.username === app.session?.user.username || app.session?.user.role !== 'CASHIER');
  const time = (iso: string) => new Intl.DateTimeFormat(app.locale, { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));

  return (
    <div className="screen">
      <TopBar>
        <span className="topbar__who">{app.session?.user.fullName}</span>
      </TopBar>
      <main className="centered">
        <div className="open-layout">
          <form className="card card--narrow" onSubmit={(e) => void submit(e)} noValidate>
            <h1>{t('open.title')}</h1>
            <p className="muted">{t('open.subtitle')}</p>
            {location && locations?.locations.length === 1 && (
              <p className="store-line">
                <span className="muted">{t('open.location')}</span> <strong>{location.name}</strong> <span className="muted">({location.code})</span>
              </p>
            )}
            {locations && locations.locations.length > 1 && (
              <label className="field">
                <span>{t('open.location')}</span>
                <select
                  value={location?.id ?? ''}
                  onChange={(e) => {
                    const l = locations.locations.find((x) => x.id === e.target.value);
                    if (l) app.setLocation(shopLocation(l));
                  }}
                >
                  {locations.locations.map((l) => (
                    <option key={l.id} value={l.id}>
                      {l.name} ({l.code})
                    </option>
                  ))}
                </select>
              </label>
            )}
            <label className="field">
              <span>{t('open.registerName')}</span>
              <input value={registerName} onChange={(e) => setRegisterName(e.target.value)} required />
            </label>
            <label className="field">
              <span>{t('open.openingFloat')}</span>
              <input inputMode="decimal" autoFocus value={float} onChange={(e) => setFloat(e.target.value)} placeholder="150,00" required />
            </label>
            {(error ?? locationsError) && (
              <p className="error" role="alert">
                {error ?? (locationsError ? describeError(t, errorOf(locationsError)) : '')}
              </p>
            )}
            <button type="submit" className="button button--primary button--block" disabled={busy || !location || !registerName.trim() || !float.trim()}>
              {t('open.submit')}
            </button>
          </form>
          {mine.length > 0 && location && (
            <section className="card card--narrow" aria-labelledby="resume-title">
              <h2 id="resume-title">{t('open.resumeTitle')}</h2>
              <ul className="plain-list">
                {mine.map((s) => (
                  <li key={s.id}>
                    <button
                      type="button"
                      className="button button--block"
                      onClick={() => app.setRegister({ sessionId: s.id, registerName: s.registerName, locationId: location.id, openedAt: s.openedAt })}
                    >
                      {t('open.resume', { name: s.registerName })}
                      <small className="muted"> · {t('open.openedBy', { user: s.openedBy?.username ?? '', time: time(s.openedAt) })}</small>
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          )}
        </div>
      </main>
    </div>
  );
}
