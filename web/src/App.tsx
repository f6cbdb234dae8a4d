import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Provider } from 'urql';
import { useTranslation } from 'react-i18next';
import { LoginScreen } from './auth/LoginScreen';
import { LogoutDocument, MeDocument } from './auth/operations';
import { endSession, loadSession, onSessionChange, type Session } from './auth/session';
import { currentLocale } from './i18n';
import { bareClient, createPosClient } from './lib/client';
import { currency as currencyOf, EUR } from './lib/money';
import { refusalText } from './outbox/refusal';
import { makeSender } from './outbox/send';
import { Outbox, waitingOf, type Waiting } from './outbox/sync';
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
  const [waiting, setWaiting] = useState<Waiting>({ unsynced: 0, needsManager: 0 });
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
    const duration = toast.durationMs ?? (toast.kind === 'error' ? null : 6000);
    if (duration !== null) setTimeout(() => setToasts((list) => list.filter((x) => x.id !== id)), duration);
  }, []);

  const { client, dispose } = useMemo(() => createPosClient({ onReachable: setReachable }), []);
  useEffect(() => dispose, [dispose]);
  const outbox = useMemo(() => new Outbox(makeSender(client), () => loadSession()?.user.username ?? null), [client]);

  useEffect(() => {
    void loadProductCache();
    return onSessionChange((next) => {
      // A session that ends without the cashier signing out (a refresh refused): say so.
      if (!next) {
        if (!signingOut.current) setNotice(t('errors.SESSION_ENDED'));
        signingOut.current = false;
      }
      setSession(next);
      setRegisterState(next ? loadRegister(next.user.username) : null);
    });
  }, [t]);

  // The outbox runs while someone is signed in; its count and outcomes reach the screen.
  useEffect(() => {
    if (!session) return;
    const refreshCount = () => void outbox.records().then((records) => setWaiting(waitingOf(records, session.user.username)));
    refreshCount();
    const unsubscribe = outbox.subscribe((event) => {
      refreshCount();
      if (event.type !== 'outcome') return;
      if (event.outcome.kind === 'network') setReachable(false);
      else setReachable(true);
      if (event.record.attempts === 0) return; // the tender screen shows a first attempt's answer itself
      if (event.outcome.kind === 'accepted') {
        notify({ kind: 'success', text: t('status.synced', { number: event.outcome.number }) });
      } else if (event.outcome.kind === 'rejected' && event.record.refused) {
        // The status and the register screen keep saying so until a manager decides.
        notify({ kind: 'error', durationMs: 10_000, text: t('status.refused', { reference: event.record.receipt.reference, reason: refusalText(t, event.record, currentLocale()) }) });
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
    signingOut.current = true;
    setNotice(null);
    await endSession((refreshToken) => bareClient().mutation(LogoutDocument, { refreshToken }).toPromise());
  }, []);

  const state: AppState = {
    client,
    outbox,
    session,
    reachable,
    unsynced: waiting.unsynced,
    needsManager: waiting.needsManager,
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
