// @vitest-environment jsdom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { endSession, loadSession, refreshTokens, saveSession, storeSession, type RefreshAnswer, type Session, type SessionStore } from './session';

const inAnHour = () => new Date(Date.now() + 3600_000).toISOString();
const session = (accessToken: string, refreshToken: string, expiresAt = inAnHour()): Session => ({
  accessToken,
  refreshToken,
  expiresAt,
  user: { id: 'u1', username: 'ana', fullName: 'Ana', role: 'CASHIER' },
});

describe('single-flight refresh', () => {
  beforeEach(() => localStorage.clear());

  it('uses the tokens another tab already refreshed instead of presenting the rotated one', async () => {
    saveSession(session('new-access', 'new-refresh'));
    const exchange = vi.fn<(token: string) => Promise<RefreshAnswer>>();

    const got = await refreshTokens('old-access', exchange);

    expect(exchange).not.toHaveBeenCalled();
    expect(got?.accessToken).toBe('new-access');
  });

  it('exchanges the refresh token when this tab holds the token that failed, and stores the new ones', async () => {
    saveSession(session('old-access', 'old-refresh'));
    const exchange = vi.fn((token: string): Promise<RefreshAnswer> => {
      expect(token).toBe('old-refresh');
      return Promise.resolve({ kind: 'ok', accessToken: 'a2', refreshToken: 'r2', expiresAt: inAnHour() });
    });

    await refreshTokens('old-access', exchange);

    expect(loadSession()?.refreshToken).toBe('r2');
  });

  it('ends the session when the server says the refresh token is no good', async () => {
    saveSession(session('old-access', 'old-refresh'));

    const got = await refreshTokens('old-access', () => Promise.resolve({ kind: 'ended' }));

    expect(got).toBeNull();
    expect(loadSession()).toBeNull();
  });

  it('keeps the session when the server cannot be reached', async () => {
    saveSession(session('old-access', 'old-refresh'));

    const got = await refreshTokens('old-access', () => Promise.resolve({ kind: 'network' }));

    expect(got?.refreshToken).toBe('old-refresh');
  });

  it('refreshes a token about to expire before it fails', async () => {
    saveSession(session('access', 'refresh', new Date(Date.now() + 5_000).toISOString()));
    const exchange = vi.fn((): Promise<RefreshAnswer> => Promise.resolve({ kind: 'ok', accessToken: 'a2', refreshToken: 'r2', expiresAt: inAnHour() }));

    await refreshTokens(null, exchange);

    expect(exchange).toHaveBeenCalledOnce();
  });
});

/** The copy every tab shares (IndexedDB in the browser), here a variable. */
function sharedCopy(initial: Session | null | undefined) {
  const state = { value: initial, writes: [] as (Session | null)[] };
  const store: SessionStore = {
    read: () => Promise.resolve(state.value),
    write: (next) => {
      state.value = next;
      state.writes.push(next);
      return Promise.resolve();
    },
  };
  return { state, store };
}

describe('the shared copy of the session', () => {
  beforeEach(() => localStorage.clear());

  it('does not present a refresh token another tab rotated while this tab’s copy still shows it', async () => {
    // Another tab refreshed a moment ago: the shared copy has the new tokens, this tab's
    // localStorage has not heard yet (Chromium tells other tabs asynchronously).
    saveSession(session('old-access', 'old-refresh', new Date(Date.now() + 5_000).toISOString()));
    const { store } = sharedCopy(session('new-access', 'new-refresh'));
    const exchange = vi.fn<(token: string) => Promise<RefreshAnswer>>();

    const got = await refreshTokens(null, exchange, store);

    expect(exchange).not.toHaveBeenCalled();
    expect(got?.refreshToken).toBe('new-refresh');
    expect(loadSession()?.refreshToken).toBe('new-refresh');
  });

  it('writes the rotated tokens to the shared copy before the refresh ends', async () => {
    saveSession(session('old-access', 'old-refresh'));
    const { state, store } = sharedCopy(session('old-access', 'old-refresh'));

    await refreshTokens('old-access', () => Promise.resolve({ kind: 'ok', accessToken: 'a2', refreshToken: 'r2', expiresAt: inAnHour() }), store);

    expect(state.value?.refreshToken).toBe('r2');
  });

  it('finds the session ended when another tab signed out', async () => {
    saveSession(session('old-access', 'old-refresh'));
    const { store } = sharedCopy(null);
    const exchange = vi.fn<(token: string) => Promise<RefreshAnswer>>();

    const got = await refreshTokens('old-access', exchange, store);

    expect(exchange).not.toHaveBeenCalled();
    expect(got).toBeNull();
    expect(loadSession()).toBeNull();
  });

  it('signs in into both copies', async () => {
    const { state, store } = sharedCopy(undefined);

    await storeSession(session('a', 'r'), store);

    expect(state.value?.refreshToken).toBe('r');
    expect(loadSession()?.refreshToken).toBe('r');
  });

  it('signs out with the latest refresh token and forgets the session in both copies', async () => {
    saveSession(session('old-access', 'old-refresh'));
    const { state, store } = sharedCopy(session('new-access', 'new-refresh'));
    const logout = vi.fn<(token: string) => Promise<void>>(() => Promise.resolve());

    await endSession(logout, store);

    expect(logout).toHaveBeenCalledWith('new-refresh');
    expect(state.value).toBeNull();
    expect(loadSession()).toBeNull();
  });
});
