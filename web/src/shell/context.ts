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
  /** What its receipts show (absent in a location stored before they were kept). */
  legalName?: string | null;
  taxId?: string | null;
  address?: string | null;
  receiptFooter?: string | null;
  /** The language of its receipts. */
  language?: 'ES' | 'EN';
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
  /** This cashier's sales waiting to be sent. */
  unsynced: number;
  /** This cashier's sales the server refused after the goods had left: a manager decides. */
  needsManager: number;
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
  /** How long it shows; by default 6 s, an error until dismissed. */
  durationMs?: number;
}

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const state = useContext(AppContext);
  if (!state) throw new Error('useApp outside the app');
  return state;
}
