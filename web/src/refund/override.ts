// Manager override: a manager signs in for one action at this register; the session ends right
// after it, whatever the action's outcome.
import type { Client } from '@urql/core';
import { LoginDocument, LogoutDocument } from '../auth/operations';
import { bareClient } from '../lib/client';
import { errorOf, type AppError } from '../lib/errors';

export interface ManagerGrant {
  client: Client;
  name: string;
  end: () => Promise<void>;
}

export type OverrideResult = { ok: true; grant: ManagerGrant } | { ok: false; error: AppError | 'not-manager'; name?: string };

export async function authorise(username: string, password: string): Promise<OverrideResult> {
  const r = await bareClient().mutation(LoginDocument, { username: username.trim(), password }).toPromise();
  const login = r.data?.login;
  if (!login) return { ok: false, error: r.error ? errorOf(r.error) : { code: 'UNKNOWN', field: null, extensions: {} } };
  const end = async () => {
    await bareClient().mutation(LogoutDocument, { refreshToken: login.refreshToken }).toPromise();
  };
  if (login.user.role === 'CASHIER') {
    await end();
    return { ok: false, error: 'not-manager', name: login.user.fullName };
  }
  return { ok: true, grant: { client: bareClient(login.accessToken), name: login.user.fullName, end } };
}
