// The outbox's state machine: a completed sale waits here, written to IndexedDB before it is
// sent, until the server answers with the sale or with a business error. Network failures (and
// the server's transient ones) keep it and retry with the same idempotency key after a backoff.
// Pure: the store (store.ts) and the sender (sync.ts) apply these transitions.

/** createSale's input as JSON (Decimal strings only). */
export interface SaleInputJson {
  idempotencyKey: string;
  registerSessionId: string;
  customerId?: string | null;
  lines: { productId: string; quantity: string; discount?: string; discountPercent?: string; unitPrice?: string }[];
  payments: { method: 'CASH' | 'CARD' | 'TRANSFER' | 'OTHER'; amount: string; reference?: string | null }[];
  note?: string | null;
  occurredAt?: string;
  offline?: boolean;
}

/** What the screen needs to show a receipt before the server knows the sale. */
export interface ProvisionalReceipt {
  reference: string;
  lines: { name: string; quantity: string; total: string }[];
  total: string;
  taxTotal: string;
  payments: { method: string; amount: string }[];
  change: string;
  customer: string | null;
  registerName: string;
  cashier: string;
  currency: string;
}

export interface OutboxRecord {
  key: string;
  input: SaleInputJson;
  /** Who rang it up: only their session sends it. */
  username: string;
  /** When the till completed the sale (ISO). */
  occurredAt: string;
  /** Whether a send ever failed for want of the network: the goods have left offline. */
  offline: boolean;
  attempts: number;
  /** Epoch milliseconds before which no retry is made. */
  nextAttemptAt: number;
  lastError: string | null;
  receipt: ProvisionalReceipt;
}

export type SendOutcome =
  | { kind: 'accepted'; saleId: string; number: string; receiptText: string; change: string }
  | { kind: 'rejected'; code: string; message: string; extensions: Record<string, unknown> }
  | { kind: 'network'; message: string }
  | { kind: 'auth' };

export type Transition =
  | { record: null; result: 'done' }
  | { record: null; result: 'rejected' }
  | { record: OutboxRecord; result: 'retry' };

/** Codes that say "try again later" rather than "this sale is wrong". */
const TRANSIENT_CODES = new Set(['INTERNAL', 'RATE_LIMITED']);

export function isTransient(code: string): boolean {
  return TRANSIENT_CODES.has(code);
}

/** Exponential backoff, 1 s doubling to 30 s, with jitter in [0, 1) as given. */
export function backoffMs(attempts: number, jitter: number): number {
  const base = Math.min(30_000, 1000 * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.75 + jitter * 0.5));
}

export function newRecord(
  input: SaleInputJson,
  username: string,
  receipt: ProvisionalReceipt,
  now: Date,
): OutboxRecord {
  return {
    key: input.idempotencyKey,
    input,
    username,
    occurredAt: now.toISOString(),
    offline: false,
    attempts: 0,
    nextAttemptAt: 0,
    lastError: null,
    receipt,
  };
}

export function isDue(record: OutboxRecord, now: number): boolean {
  return record.nextAttemptAt <= now;
}

/** What to do with a record after a send ended with `outcome`. */
export function transition(record: OutboxRecord, outcome: SendOutcome, now: number, jitter: number): Transition {
  switch (outcome.kind) {
    case 'accepted':
      return { record: null, result: 'done' };
    case 'rejected':
      if (isTransient(outcome.code)) {
        return { record: retry(record, now, jitter, outcome.code, record.offline), result: 'retry' };
      }
      return { record: null, result: 'rejected' };
    case 'network':
      return { record: retry(record, now, jitter, outcome.message, true), result: 'retry' };
    case 'auth':
      // Waits for a refreshed or new sign-in of the same cashier; not the sale's fault.
      return { record: retry(record, now, jitter, 'UNAUTHENTICATED', record.offline), result: 'retry' };
  }
}

function retry(record: OutboxRecord, now: number, jitter: number, error: string, offline: boolean): OutboxRecord {
  const attempts = record.attempts + 1;
  return { ...record, attempts, nextAttemptAt: now + backoffMs(attempts, jitter), lastError: error, offline };
}

/** The order records are sent in: oldest sale first. */
export function sendOrder(records: readonly OutboxRecord[]): OutboxRecord[] {
  return [...records].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.key.localeCompare(b.key));
}

/** A short reference for an unsynced sale's receipt, until the server gives its number. */
export function provisionalReference(registerName: string, key: string): string {
  const till = registerName.replace(/[^A-Za-z0-9]/g, '').toUpperCase().slice(0, 8) || 'TPV';
  return `PROV-${till}-${key.replace(/-/g, '').slice(-8).toUpperCase()}`;
}
