import { createContext, useContext } from 'react';
import type { Client } from '@urql/core';
import type { Session } from '../auth/session';
import type { Currency } from '../lib/money';
import type { Outbox } from '../outbox/sync';

export interface ShopLocation {
  id: string;
  code: string;
  name: string;
  currency: string;
  pricesIncludeTax: boolean;
}

export interface RegisterRef {
  sessionId: string;
  registerName: string;
  locationId: string;
  openedAt: string;
}

export interface AppState {
  client: Client;
  outbox: Outbox;
  session: Session | null;
  /** false once the server could not be reached, until it answers again. */
  reachable: boolean;
  unsynced: number;
  location: ShopLocation | null;
  currency: Currency;
  locale: string;
  register: RegisterRef | null;
  setRegister: (register: RegisterRef | null) => void;
  setLocation: (location: ShopLocation) => void;
  signOut: () => Promise<void>;
  notify: (toast: Toast) => void;
}

export interface Toast {
  id?: number;
  kind: 'info' | 'error' | 'success';
  text: string;
}

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const state = useContext(AppContext);
  if (!state) throw new Error('useApp outside the app');
  return state;
}
