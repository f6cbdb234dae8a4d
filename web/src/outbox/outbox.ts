// The outbox's state machine: a completed sale waits here, written to IndexedDB before it is
// sent, until the server answers with the sale. Network failures (and the server's transient
// errors) keep it and retry with the same idempotency key after a backoff; from then on the
// customer holds a provisional receipt and has left with the goods, so the sale is "completed
// offline". A business error (the server refusing the sale) then does not remove it: it waits
// for a manager, who can see why, send it again, or discard it with a reason. Only a sale the
// server refuses while the cashier still has the cart (the first send, at tender) is removed,
// and the cashier fixes the cart.
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
  /** `unitPrice` (the shelf price) is absent on records written before it was kept. */
  lines: { name: string; quantity: string; total: string; unitPrice?: string }[];
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
  /**
   * Why the server refused this sale after the till had completed it: it waits for a manager
   * and is never sent again by itself. Absent on records written before it existed.
   */
  refused?: Refusal | null;
  /**
   * A manager chose to send it with the server's time rather than the till's (the till's
   * clock was wrong); the till's time goes in the sale's note.
   */
  serverTime?: boolean;
}

/** A business error the server answered for a sale completed offline. */
export interface Refusal {
  code: string;
  message: string;
  /** The input field the server named (`extensions.field`), if any. */
  field: string | null;
  extensions: Record<string, unknown>;
  /** When it was refused (epoch milliseconds). */
  at: number;
}

export type SendOutcome =
  | { kind: 'accepted'; saleId: string; number: string; receiptText: string; change: string }
  | { kind: 'rejected'; code: string; message: string; extensions: Record<string, unknown> }
  | { kind: 'network'; message: string }
  | { kind: 'auth' };

export type Transition =
  | { record: null; result: 'done' }
  | { record: null; result: 'rejected' }
  | { record: OutboxRecord; result: 'retry' }
  | { record: OutboxRecord; result: 'needs-manager' };

/** Codes that say "try again later" rather than "this sale is wrong". */
const TRANSIENT_CODES = new Set(['INTERNAL', 'RATE_LIMITED']);

export function isTransient(code: string): boolean {
  return TRANSIENT_CODES.has(code);
}

/**
 * Whether the till completes the sale without the server after this answer to its first send:
 * the record stays and is retried, the customer gets a provisional receipt.
 */
export function completesOffline(outcome: SendOutcome): boolean {
  return outcome.kind === 'network' || outcome.kind === 'auth' || (outcome.kind === 'rejected' && isTransient(outcome.code));
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

/** Whether the sale waits for a manager (refused after the goods had left). */
export function needsManager(record: OutboxRecord): boolean {
  return Boolean(record.refused);
}

/** What keeps a cashier from closing or signing out: sales not sent yet, and refused ones. */
export interface Waiting {
  unsynced: number;
  needsManager: number;
}

export function waitingOf(records: readonly OutboxRecord[], user: string | null): Waiting {
  const mine = records.filter((r) => r.username === user);
  const refused = mine.filter(needsManager).length;
  return { unsynced: mine.length - refused, needsManager: refused };
}

/** Whether the sender should try it now; a sale waiting for a manager never is. */
export function isDue(record: OutboxRecord, now: number): boolean {
  return !needsManager(record) && record.nextAttemptAt <= now;
}

/** What to do with a record after a send ended with `outcome`. */
export function transition(record: OutboxRecord, outcome: SendOutcome, now: number, jitter: number): Transition {
  switch (outcome.kind) {
    case 'accepted':
      return { record: null, result: 'done' };
    case 'rejected':
      if (isTransient(outcome.code)) {
        return { record: retry(record, now, jitter, outcome.code), result: 'retry' };
      }
      // The goods have left: the sale is kept until a manager decides.
      if (record.offline) return { record: refuse(record, outcome, now), result: 'needs-manager' };
      return { record: null, result: 'rejected' };
    case 'network':
      return { record: retry(record, now, jitter, outcome.message), result: 'retry' };
    case 'auth':
      // Waits for a refreshed or new sign-in of the same cashier; not the sale's fault.
      return { record: retry(record, now, jitter, 'UNAUTHENTICATED'), result: 'retry' };
  }
}

/** A retried sale was handed a provisional receipt (`completesOffline`): it is offline now. */
function retry(record: OutboxRecord, now: number, jitter: number, error: string): OutboxRecord {
  const attempts = record.attempts + 1;
  return { ...record, attempts, nextAttemptAt: now + backoffMs(attempts, jitter), lastError: error, offline: true };
}

function refuse(record: OutboxRecord, outcome: Extract<SendOutcome, { kind: 'rejected' }>, now: number): OutboxRecord {
  const field = typeof outcome.extensions.field === 'string' ? outcome.extensions.field : null;
  return {
    ...record,
    attempts: record.attempts + 1,
    lastError: outcome.code,
    refused: { code: outcome.code, message: outcome.message, field, extensions: outcome.extensions, at: now },
  };
}

/**
 * A manager sends a refused sale again (the cause fixed), optionally with the server's time
 * instead of the till's: it is due at once, and refused again if the cause remains.
 */
export function releaseForRetry(record: OutboxRecord, serverTime: boolean): OutboxRecord {
  return { ...record, refused: null, nextAttemptAt: 0, serverTime: serverTime || record.serverTime === true };
}

/** Whether the server refused the time the till gave the sale (a till clock that is wrong). */
export function refusedForTime(record: OutboxRecord): boolean {
  return record.refused?.field === 'occurredAt';
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
