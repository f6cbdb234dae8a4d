// The signed-in session's tokens, shared by the tabs of this browser, and the one refresh that
// may run at a time across them: a refresh token works once, and presenting a rotated one ends
// the whole session by design, so two tabs must never refresh with the same token.
//
// Two copies: localStorage, read synchronously for every request and whose `storage` event
// tells the other tabs; and IndexedDB, the one that counts for a refresh. Every change of the
// tokens (sign in, refresh, end) is made under a Web Lock, and inside it the IndexedDB copy is
// read first and written before the lock is released. localStorage alone is not enough: in
// Chromium each tab's process keeps its own copy and hears of another tab's write a moment
// later, so a tab that got the lock right after another tab rotated the tokens could still read
// the old refresh token and present it again (the flaky two-tab test; tried with a probe, a
// read right after the lock saw the old value in about half the tries). IndexedDB is served by
// the browser process: a transaction begun after another committed sees its data.
import { createStore, get, set } from 'idb-keyval';
import { withLock } from '../lib/locks';
import { serverNow } from '../lib/serverClock';

export type Role = 'ADMIN' | 'MANAGER' | 'CASHIER';

export interface SessionUser {
  id: string;
  username: string;
  fullName: string;
  role: Role;
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  /** When the access token stops working (ISO). */
  expiresAt: string;
  user: SessionUser;
}

export type RefreshAnswer =
  | { kind: 'ok'; accessToken: string; refreshToken: string; expiresAt: string }
  | { kind: 'ended' }
  | { kind: 'network' };

/** The copy of the session every tab sees at once (IndexedDB in the browser). */
export interface SessionStore {
  /** The stored session, null once signed out, undefined when nothing was ever stored. */
  read(): Promise<Session | null | undefined>;
  write(session: Session | null): Promise<void>;
}

const KEY = 'pos.session';
const LOCK = 'pos-auth-refresh';
const listeners = new Set<(session: Session | null) => void>();

function browserStore(): SessionStore {
  if (typeof indexedDB === 'undefined') {
    // Unit tests under Node: one tab, localStorage is the only copy.
    return { read: () => Promise.resolve(undefined), write: () => Promise.resolve() };
  }
  const store = createStore('pos-auth', 'session');
  // A browser that refuses IndexedDB (some private modes) still signs in, as one tab.
  return {
    read: () => get<Session | null>(KEY, store).catch(() => undefined),
    write: (session) => set(KEY, session, store).catch(() => undefined),
  };
}

let shared: SessionStore | null = null;
const sharedStore = (): SessionStore => (shared ??= browserStore());

export function loadSession(): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

/** This tab's synchronous copy only; the app changes the session with `storeSession`. */
export function saveSession(session: Session | null): void {
  if (session) localStorage.setItem(KEY, JSON.stringify(session));
  else localStorage.removeItem(KEY);
  for (const listener of listeners) listener(session);
}

export function onSessionChange(listener: (session: Session | null) => void): () => void {
  listeners.add(listener);
  const fromOtherTab = (event: StorageEvent) => {
    if (event.key === KEY) listener(loadSession());
  };
  window.addEventListener('storage', fromOtherTab);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', fromOtherTab);
  };
}

/**
 * Whether the access token ends within `marginMs` (so it is refreshed before it fails), on the
 * server's clock (`expiresAt` is the server's).
 */
export function expiresSoon(session: Session, now = serverNow(), marginMs = 20_000): boolean {
  return Date.parse(session.expiresAt) - now <= marginMs;
}

const sameTokens = (a: Session | null, b: Session | null) =>
  a === b || (a !== null && b !== null && a.accessToken === b.accessToken && a.refreshToken === b.refreshToken);

/** Under the lock: the session as the last tab to change it left it (this tab's copy follows). */
async function latest(store: SessionStore): Promise<Session | null> {
  const mine = loadSession();
  const stored = await store.read();
  if (stored === undefined) return mine;
  if (!sameTokens(stored, mine)) saveSession(stored);
  return stored;
}

/** Under the lock: both copies, the shared one first. */
async function persist(store: SessionStore, session: Session | null): Promise<void> {
  await store.write(session);
  saveSession(session);
}

/** Signs in or out: stores the session (or its end) for every tab, in turn with any refresh. */
export async function storeSession(session: Session | null, store: SessionStore = sharedStore()): Promise<void> {
  await withLock(LOCK, () => persist(store, session));
}

/** Signs out: the server is told with the latest refresh token, then every tab forgets it. */
export async function endSession(logout: (refreshToken: string) => Promise<unknown>, store: SessionStore = sharedStore()): Promise<void> {
  await withLock(LOCK, async () => {
    const current = await latest(store);
    if (current) await logout(current.refreshToken);
    await persist(store, null);
  });
}

/**
 * Refreshes the tokens once across tabs. `staleAccessToken` is the token that failed (or null
 * to refresh only if it is about to expire). Returns the session to use, or null when it ended.
 */
export async function refreshTokens(
  staleAccessToken: string | null,
  exchange: (refreshToken: string) => Promise<RefreshAnswer>,
  store: SessionStore = sharedStore(),
): Promise<Session | null> {
  return withLock(LOCK, async () => {
    const current = await latest(store);
    if (!current) return null;
    const alreadyFresh = staleAccessToken === null || current.accessToken !== staleAccessToken;
    if (alreadyFresh && !expiresSoon(current)) return current;
    const answer = await exchange(current.refreshToken);
    switch (answer.kind) {
      case 'ok': {
        const next: Session = { ...current, accessToken: answer.accessToken, refreshToken: answer.refreshToken, expiresAt: answer.expiresAt };
        await persist(store, next);
        return next;
      }
      case 'ended':
        await persist(store, null);
        return null;
      case 'network':
        return current;
    }
  });
}
