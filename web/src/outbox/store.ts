// The outbox in IndexedDB: the one place a completed sale lives until the server has it.
import { createStore, del, get, set, values } from 'idb-keyval';
import type { OutboxRecord } from './outbox';

const store = createStore('pos-outbox', 'sales');

export const outboxStore = {
  put: (record: OutboxRecord): Promise<void> => set(record.key, record, store),
  get: (key: string): Promise<OutboxRecord | undefined> => get<OutboxRecord>(key, store),
  remove: (key: string): Promise<void> => del(key, store),
  all: (): Promise<OutboxRecord[]> => values<OutboxRecord>(store),
};
