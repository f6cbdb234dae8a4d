// The GraphQL client: urql over same-origin /graphql, with the session's token on every
// request (refreshed once across tabs when it expires or is refused), and subscriptions over
// graphql-ws on /graphql/ws with the token in connection_init's payload.
import { Client, cacheExchange, fetchExchange, mapExchange, subscriptionExchange, type ExecutionResult } from '@urql/core';
import { authExchange } from '@urql/exchange-auth';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { RefreshSessionDocument } from '../auth/operations';
import { clockedFetch } from './serverClock';
import { expiresSoon, loadSession, refreshTokens, type RefreshAnswer, type Session } from '../auth/session';

export const GRAPHQL_PATH = '/graphql';

/** A client without the session: sign-in, refresh, sign-out, and a manager's one action. */
export function bareClient(accessToken?: string): Client {
  return new Client({
    url: GRAPHQL_PATH,
    fetch: clockedFetch,
    exchanges: [fetchExchange],
    preferGetMethod: false,
    requestPolicy: 'network-only',
    fetchOptions: accessToken ? { headers: { Authorization: `Bearer ${accessToken}` } } : {},
  });
}

const refresher = bareClient();

async function exchangeRefreshToken(refreshToken: string): Promise<RefreshAnswer> {
  const result = await refresher.mutation(RefreshSessionDocument, { refreshToken }).toPromise();
  const tokens = result.data?.refreshSession;
  if (tokens) return { kind: 'ok', ...tokens };
  const codes = result.error?.graphQLErrors.map((e) => e.extensions.code) ?? [];
  return codes.includes('UNAUTHENTICATED') ? { kind: 'ended' } : { kind: 'network' };
}

/** Refreshes the session's tokens (single-flight across tabs); null when the session ended. */
export function refresh(staleAccessToken: string | null): Promise<Session | null> {
  return refreshTokens(staleAccessToken, exchangeRefreshToken);
}

export interface ClientHooks {
  /** The server answered (true) or could not be reached (false). */
  onReachable: (reachable: boolean) => void;
}

function wsUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}${GRAPHQL_PATH}/ws`;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Closes that mean the token was refused at connection_init (async-graphql closes with 1002). */
const AUTH_CLOSE_CODES = new Set([1002, 4401, 4403]);

function closeCode(error: unknown): number | null {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'number') return error.code;
  return null;
}

function createSubscriptions(): WsClient {
  return createWsClient({
    url: wsUrl,
    lazy: true,
    // A register runs all day: keep reconnecting, with a capped backoff.
    retryAttempts: Number.MAX_SAFE_INTEGER,
    shouldRetry: () => true,
    retryWait: (retries) => sleep(Math.min(15_000, 500 * 2 ** retries)),
    // Read at every (re)connection, so a reconnect after the token expired carries a fresh one.
    connectionParams: async () => {
      let session = loadSession();
      if (session && expiresSoon(session)) session = await refresh(null);
      return session ? { authorization: `Bearer ${session.accessToken}` } : {};
    },
  });
}

export function createPosClient(hooks: ClientHooks): { client: Client; dispose: () => void } {
  const ws = createSubscriptions();
  const client = new Client({
    url: GRAPHQL_PATH,
    fetch: clockedFetch,
    preferGetMethod: false,
    requestPolicy: 'cache-first',
    exchanges: [
      cacheExchange,
      mapExchange({
        onResult(result) {
          const network = result.error && result.error.graphQLErrors.length === 0 && result.error.networkError;
          hooks.onReachable(!network);
        },
      }),
      authExchange(async (utils) => {
        await Promise.resolve();
        // The token the server refused, if it refused one; null when the token is only about
        // to expire (then a tab that finds fresh tokens stored by another tab uses them).
        const refused = { token: null as string | null, lastSent: null as string | null };
        return {
          addAuthToOperation(operation) {
            const session = loadSession();
            refused.lastSent = session?.accessToken ?? null;
            return session ? utils.appendHeaders(operation, { Authorization: `Bearer ${session.accessToken}` }) : operation;
          },
          willAuthError() {
            const session = loadSession();
            return session !== null && expiresSoon(session);
          },
          didAuthError(error) {
            const failed = error.graphQLErrors.some((e) => e.extensions.code === 'UNAUTHENTICATED');
            if (failed) refused.token = refused.lastSent;
            return failed;
          },
          async refreshAuth() {
            const stale = refused.token;
            refused.token = null;
            await refresh(stale);
          },
        };
      }),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const payload = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              const state = { stopped: false };
              let dispose: () => void = () => undefined;
              // graphql-ws gives up on a refused connection_init; refresh the token and
              // subscribe again, so a socket closed for an expired token comes back by itself.
              const start = (attempt: number) => {
                dispose = ws.subscribe<ExecutionResult['data']>(payload, {
                  next: (value) => sink.next(value as ExecutionResult),
                  complete: () => sink.complete(),
                  error: (error: unknown) => {
                    if (state.stopped) return;
                    const code = closeCode(error);
                    const authFailure = code !== null && AUTH_CLOSE_CODES.has(code);
                    void (async () => {
                      if (authFailure) await refresh(loadSession()?.accessToken ?? null);
                      await sleep(Math.min(15_000, 500 * 2 ** attempt));
                      if (!state.stopped && loadSession()) start(attempt + 1);
                    })();
                  },
                });
              };
              start(0);
              return {
                unsubscribe() {
                  state.stopped = true;
                  dispose();
                },
              };
            },
          };
        },
      }),
    ],
  });
  return { client, dispose: () => void ws.dispose() };
}
