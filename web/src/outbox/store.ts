// The outbox in IndexedDB: the one place a completed sale lives until the server has it; and,
// apart, the sales a manager discarded (kept with the reason, never sent).
import { createStore, del, get, set, values } from 'idb-keyval';
import type { OutboxRecord } from './outbox';

const store = createStore('pos-outbox', 'sales');
const discardedStore = createStore('pos-outbox-discarded', 'sales');

/** A refused sale a manager discarded, as it was, with who did it and why. */
export interface DiscardedSale {
  record: OutboxRecord;
  reason: string;
  manager: string;
  /** When (ISO). */
  discardedAt: string;
}

export const outboxStore = {
  put: (record: OutboxRecord): Promise<void> => set(record.key, record, store),
  get: (key: string): Promise<OutboxRecord | undefined> => get<OutboxRecord>(key, store),
  remove: (key: string): Promise<void> => del(key, store),
  all: (): Promise<OutboxRecord[]> => values<OutboxRecord>(store),
  /** Moves a record to the discarded ones (written there first, then removed). */
  discard: async (discarded: DiscardedSale): Promise<void> => {
    await set(discarded.record.key, discarded, discardedStore);
    await del(discarded.record.key, store);
  },
  discarded: (): Promise<DiscardedSale[]> => values<DiscardedSale>(discardedStore),
};
