import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Provider } from 'urql';
import { useTranslation } from 'react-i18next';
import { LoginScreen } from './auth/LoginScreen';
import { LogoutDocument, MeDocument } from './auth/operations';
import { loadSession, onSessionChange, saveSession, type Session } from './auth/session';
import { currentLocale } from './i18n';
import { bareClient, createPosClient } from './lib/client';
import { currency as currencyOf, EUR } from './lib/money';
import { makeSender } from './outbox/send';
import { Outbox } from './outbox/sync';
import { OpenRegisterScreen } from './register/OpenRegisterScreen';
import { loadRegister, saveRegister } from './register/registerStore';
import { RegisterScreen } from './register/RegisterScreen';
import { loadProductCache } from './sale/productCache';
import { AppContext, type AppState, type RegisterRef, type ShopLocation, type Toast } from './shell/context';
import { Toasts } from './shell/Toasts';

const LOCATION_KEY = 'pos.location';

function storedLocation(): ShopLocation | null {
  try {
    const raw = localStorage.getItem(LOCATION_KEY);
    return raw ? (JSON.parse(raw) as ShopLocation) : null;
  } catch {
    return null;
  }
}

export function App() {
  const { t, i18n } = useTranslation();
  const [session, setSession] = useState<Session | null>(loadSession);
  const [reachable, setReachable] = useState(true);
  const [unsynced, setUnsynced] = useState(0);
  const [location, setLocationState] = useState<ShopLocation | null>(storedLocation);
  const [register, setRegisterState] = useState<RegisterRef | null>(() => {
    const s = loadSession();
    return s ? loadRegister(s.user.username) : null;
  });
  const [toasts, setToasts] = useState<Toast[]>([]);
  const toastId = useRef(0);
  const signingOut = useRef(false);
  const [notice, setNotice] = useState<string | null>(null);

  const notify = useCallback((toast: Toast) => {
    const id = ++toastId.current;
    setToasts((list) => [...list.slice(-3), { ...toast, id }]);
    if (toast.kind !== 'error') setTimeout(() => setToasts((list) => list.filter((x) => x.id !== id)), 6000);
  }, []);

  const { client, dispose } = useMemo(() => createPosClient({ onReachable: setReachable }), []);
  useEffect(() => dispose, [dispose]);
  const outbox = useMemo(() => new Outbox(makeSender(client), () => loadSession()?.user.username ?? null), [client]);

  useEffect(() => {
    void loadProductCache();
    return onSessionChange((next) => {
      // A session that ends without the cashier signing out (a refresh refused): say so.
      if (!next && !signingOut.current) setNotice(t('errors.SESSION_ENDED'));
      signingOut.current = false;
      setSession(next);
      setRegisterState(next ? loadRegister(next.user.username) : null);
    });
  }, [t]);

  // The outbox runs while someone is signed in; its count and outcomes reach the screen.
  useEffect(() => {
    if (!session) return;
    const refreshCount = () =>
      void outbox.records().then((records) => setUnsynced(records.filter((r) => r.username === session.user.username).length));
    refreshCount();
    const unsubscribe = outbox.subscribe((event) => {
      refreshCount();
      if (event.type !== 'outcome') return;
      if (event.outcome.kind === 'network') setReachable(false);
      else setReachable(true);
      if (event.record.attempts === 0) return; // the tender screen shows a first attempt's answer itself
      if (event.outcome.kind === 'accepted') {
        notify({ kind: 'success', text: t('status.synced', { number: event.outcome.number }) });
      } else if (event.outcome.kind === 'rejected') {
        notify({ kind: 'error', text: t('status.rejected', { reference: event.record.receipt.reference, reason: t(`errors.${event.outcome.code}`, { defaultValue: t('errors.UNKNOWN'), name: '', available: '', seconds: '', field: '' }) }) });
      }
    });
    outbox.start();
    return () => {
      unsubscribe();
      outbox.stop();
    };
  }, [outbox, session, notify, t]);

  // While the server cannot be reached, ask it now and then whether it is back.
  useEffect(() => {
    if (reachable || !session) return;
    const timer = setInterval(() => {
      void client.query(MeDocument, {}, { requestPolicy: 'network-only' }).toPromise().then((r) => {
        if (!r.error || r.error.graphQLErrors.length > 0) {
          setReachable(true);
          void outbox.drain(true);
        }
      });
    }, 3000);
    const online = () => setReachable(true);
    window.addEventListener('online', online);
    return () => {
      clearInterval(timer);
      window.removeEventListener('online', online);
    };
  }, [reachable, session, client, outbox]);

  useEffect(() => {
    const offline = () => setReachable(false);
    window.addEventListener('offline', offline);
    return () => window.removeEventListener('offline', offline);
  }, []);

  const setRegister = useCallback(
    (next: RegisterRef | null) => {
      const user = loadSession()?.user.username;
      if (user) saveRegister(user, next);
      setRegisterState(next);
    },
    [],
  );

  const setLocation = useCallback((next: ShopLocation) => {
    localStorage.setItem(LOCATION_KEY, JSON.stringify(next));
    setLocationState(next);
  }, []);

  const signOut = useCallback(async () => {
    const current = loadSession();
    signingOut.current = true;
    setNotice(null);
    if (current) await bareClient().mutation(LogoutDocument, { refreshToken: current.refreshToken }).toPromise();
    saveSession(null);
  }, []);

  const state: AppState = {
    client,
    outbox,
    session,
    reachable,
    unsynced,
    location,
    currency: location ? currencyOf(location.currency) : EUR,
    locale: currentLocale(),
    register,
    setRegister,
    setLocation,
    signOut,
    notify,
  };

  let screen;
  if (!session) screen = <LoginScreen notice={notice} />;
  else if (!register || !location) screen = <OpenRegisterScreen />;
  else screen = <RegisterScreen key={register.sessionId} />;

  return (
    <AppContext.Provider value={state}>
      <Provider value={client}>
        <div className="app" lang={i18n.language}>
          {screen}
          <Toasts toasts={toasts} onDismiss={(id) => setToasts((list) => list.filter((x) => x.id !== id))} />
        </div>
      </Provider>
    </AppContext.Provider>
  );
}
