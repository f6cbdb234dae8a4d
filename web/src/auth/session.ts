// The signed-in session's tokens, shared by the tabs of this browser (localStorage), and the one
// refresh that may run at a time across them: a refresh token works once, and presenting a
// rotated one ends the whole session by design, so two tabs must never refresh with the same
// token. The refresh runs under a Web Lock; a tab that waited finds the new tokens the other
// tab stored and uses them instead of refreshing again.
import { withLock } from '../lib/locks';

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

const KEY = 'pos.session';
const listeners = new Set<(session: Session | null) => void>();

export function loadSession(): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

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

/** Whether the access token ends within `marginMs` (so it is refreshed before it fails). */
export function expiresSoon(session: Session, now = Date.now(), marginMs = 20_000): boolean {
  return Date.parse(session.expiresAt) - now <= marginMs;
}

/**
 * Refreshes the tokens once across tabs. `staleAccessToken` is the token that failed (or null
 * to refresh only if it is about to expire). Returns the session to use, or null when it ended.
 */
export async function refreshTokens(
  staleAccessToken: string | null,
  exchange: (refreshToken: string) => Promise<RefreshAnswer>,
): Promise<Session | null> {
  const result = await withLock('pos-auth-refresh', async () => {
    const current = loadSession();
    if (!current) return null;
    const alreadyFresh = staleAccessToken === null || current.accessToken !== staleAccessToken;
    if (alreadyFresh && !expiresSoon(current)) return current;
    const answer = await exchange(current.refreshToken);
    switch (answer.kind) {
      case 'ok': {
        const next: Session = { ...current, accessToken: answer.accessToken, refreshToken: answer.refreshToken, expiresAt: answer.expiresAt };
        saveSession(next);
        return next;
      }
      case 'ended':
        saveSession(null);
        return null;
      case 'network':
        return current;
    }
  });
  return result;
}
