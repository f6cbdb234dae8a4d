// @vitest-environment jsdom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { loadSession, refreshTokens, saveSession, type RefreshAnswer, type Session } from './session';

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
