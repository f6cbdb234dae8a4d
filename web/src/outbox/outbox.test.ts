import { describe, expect, it } from 'vitest';
import {
  backoffMs,
  completesOffline,
  isDue,
  needsManager,
  newRecord,
  provisionalReference,
  refusedForTime,
  releaseForRetry,
  sendOrder,
  transition,
  waitingOf,
  type OutboxRecord,
  type ProvisionalReceipt,
  type SendOutcome,
} from './outbox';

const receipt: ProvisionalReceipt = {
  reference: 'PROV-CAJA1-0000AAAA',
  lines: [],
  total: '1.05',
  taxTotal: '0.04',
  payments: [],
  change: '0.00',
  customer: null,
  registerName: 'Caja 1',
  cashier: 'ana',
  currency: 'EUR',
};

function record(key = 'k1', at = new Date('2026-12-04T10:00:00Z')): OutboxRecord {
  return newRecord(
    { idempotencyKey: key, registerSessionId: 's1', lines: [{ productId: 'p', quantity: '1' }], payments: [{ method: 'CASH', amount: '1.05' }] },
    'ana',
    receipt,
    at,
  );
}

describe('outbox', () => {
  it('is due at once when written', () => {
    expect(isDue(record(), Date.now())).toBe(true);
  });

  it('removes a sale the server accepted', () => {
    const got = transition(record(), { kind: 'accepted', saleId: 'x', number: 'MAIN-000001', receiptText: '', change: '0.00' }, 0, 0.5);

    expect(got).toEqual({ record: null, result: 'done' });
  });

  it('removes a sale the server refused while the cashier still has the cart (online)', () => {
    const got = transition(record(), { kind: 'rejected', code: 'REGISTER_CLOSED', message: '', extensions: {} }, 0, 0.5);

    expect(got).toEqual({ record: null, result: 'rejected' });
  });

  it('keeps a sale after a network error, marked offline, with a later attempt', () => {
    const got = transition(record(), { kind: 'network', message: 'Failed to fetch' }, 10_000, 0.5);

    expect(got.result).toBe('retry');
    expect(got.record).toMatchObject({ attempts: 1, offline: true, nextAttemptAt: 11_000, key: 'k1' });
  });

  it('keeps the same idempotency key on every retry', () => {
    const first = transition(record(), { kind: 'network', message: 'down' }, 0, 0.5);
    const second = first.record && transition(first.record, { kind: 'network', message: 'down' }, 1000, 0.5);

    expect(second?.record?.input.idempotencyKey).toBe('k1');
    expect(second?.record?.attempts).toBe(2);
  });

  it('retries a transient server error, the sale completed offline (its receipt is provisional)', () => {
    const got = transition(record(), { kind: 'rejected', code: 'INTERNAL', message: '', extensions: {} }, 0, 0.5);

    expect(got.result).toBe('retry');
    expect(got.record).toMatchObject({ offline: true, attempts: 1 });
  });

  it('keeps a sale whose session must sign in again, completed offline', () => {
    const got = transition(record(), { kind: 'auth' }, 0, 0.5);

    expect(got.result).toBe('retry');
    expect(got.record?.offline).toBe(true);
  });

  it('completes the sale offline after a first send that got no sale and no business error', () => {
    const outcomes: SendOutcome[] = [
      { kind: 'network', message: 'down' },
      { kind: 'auth' },
      { kind: 'rejected', code: 'RATE_LIMITED', message: '', extensions: {} },
      { kind: 'rejected', code: 'INSUFFICIENT_STOCK', message: '', extensions: {} },
      { kind: 'accepted', saleId: 'x', number: 'MAIN-000001', receiptText: '', change: '0.00' },
    ];

    expect(outcomes.map(completesOffline)).toEqual([true, true, true, false, false]);
  });

  it('backs off from 1 s doubling up to 30 s', () => {
    expect([1, 2, 3, 6, 10].map((n) => backoffMs(n, 0.5))).toEqual([1000, 2000, 4000, 30_000, 30_000]);
  });

  it('sends the oldest sale first', () => {
    const late = record('b', new Date('2026-12-04T10:05:00Z'));
    const early = record('a', new Date('2026-12-04T10:01:00Z'));

    expect(sendOrder([late, early]).map((r) => r.key)).toEqual(['a', 'b']);
  });

  it('gives an unsynced sale a provisional reference from its register and key', () => {
    expect(provisionalReference('Caja 1', '0190aaaa-bbbb-7ccc-8ddd-eeeeffff1234')).toBe('PROV-CAJA1-FFFF1234');
  });
});

/** A sale whose first send failed for want of the network: the customer has left with it. */
function offlineRecord(key = 'k1'): OutboxRecord {
  const got = transition(record(key), { kind: 'network', message: 'down' }, 0, 0.5);
  if (!got.record) throw new Error('kept');
  return got.record;
}

const refusedTime: SendOutcome = {
  kind: 'rejected',
  code: 'BAD_USER_INPUT',
  message: "occurredAt is in the future: check the till's clock",
  extensions: { code: 'BAD_USER_INPUT', field: 'occurredAt' },
};

describe('outbox: a sale completed offline that the server refuses', () => {
  it('is kept, waiting for a manager, with the reason', () => {
    const got = transition(offlineRecord(), refusedTime, 5000, 0.5);

    expect(got.result).toBe('needs-manager');
    expect(got.record).toMatchObject({ key: 'k1', attempts: 2, lastError: 'BAD_USER_INPUT' });
    expect(got.record?.refused).toMatchObject({ code: 'BAD_USER_INPUT', field: 'occurredAt', at: 5000 });
  });

  it('is never due again by itself, however late it gets', () => {
    const waiting = transition(offlineRecord(), refusedTime, 0, 0.5).record;

    expect(waiting && needsManager(waiting)).toBe(true);
    expect(waiting && isDue(waiting, Number.MAX_SAFE_INTEGER)).toBe(false);
  });

  it('is kept for a refusal that is not about time too (stock, a closed register)', () => {
    const got = transition(offlineRecord(), { kind: 'rejected', code: 'REGISTER_CLOSED', message: '', extensions: {} }, 0, 0.5);

    expect(got.result).toBe('needs-manager');
    expect(got.record && refusedForTime(got.record)).toBe(false);
  });

  it('says when the till’s time was what the server refused', () => {
    const waiting = transition(offlineRecord(), refusedTime, 0, 0.5).record;

    expect(waiting && refusedForTime(waiting)).toBe(true);
  });

  it('is due at once when a manager sends it again, with the same key', () => {
    const waiting = transition(offlineRecord(), refusedTime, 0, 0.5).record;
    if (!waiting) throw new Error('kept');

    const released = releaseForRetry(waiting, false);

    expect(needsManager(released)).toBe(false);
    expect(isDue(released, 0)).toBe(true);
    expect(released.input.idempotencyKey).toBe('k1');
    expect(released.serverTime).toBe(false);
  });

  it('goes with the server’s time when a manager says so', () => {
    const waiting = transition(offlineRecord(), refusedTime, 0, 0.5).record;
    if (!waiting) throw new Error('kept');

    expect(releaseForRetry(waiting, true).serverTime).toBe(true);
  });

  it('waits for a manager again when refused again', () => {
    const waiting = transition(offlineRecord(), refusedTime, 0, 0.5).record;
    if (!waiting) throw new Error('kept');

    const again = transition(releaseForRetry(waiting, false), refusedTime, 9000, 0.5);

    expect(again.result).toBe('needs-manager');
    expect(again.record?.refused?.at).toBe(9000);
  });

  it('is removed once the server accepts it', () => {
    const waiting = transition(offlineRecord(), refusedTime, 0, 0.5).record;
    if (!waiting) throw new Error('kept');

    const got = transition(releaseForRetry(waiting, true), { kind: 'accepted', saleId: 'x', number: 'MAIN-000002', receiptText: '', change: '0.00' }, 0, 0.5);

    expect(got).toEqual({ record: null, result: 'done' });
  });

  it('still retries a transient error rather than waiting for a manager', () => {
    const got = transition(offlineRecord(), { kind: 'rejected', code: 'INTERNAL', message: '', extensions: {} }, 0, 0.5);

    expect(got.result).toBe('retry');
  });

  it('is counted apart from the unsynced ones, for its cashier only', () => {
    const waiting = transition(offlineRecord('a'), refusedTime, 0, 0.5).record;
    if (!waiting) throw new Error('kept');
    const other = { ...offlineRecord('c'), username: 'luis' };

    expect(waitingOf([waiting, offlineRecord('b'), other], 'ana')).toEqual({ unsynced: 1, needsManager: 1 });
  });
});
