import { describe, expect, it } from 'vitest';
import { backoffMs, isDue, newRecord, provisionalReference, sendOrder, transition, type OutboxRecord, type ProvisionalReceipt } from './outbox';

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

  it('removes a sale the server refused for a business reason', () => {
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

  it('retries a transient server error without marking the sale offline', () => {
    const got = transition(record(), { kind: 'rejected', code: 'INTERNAL', message: '', extensions: {} }, 0, 0.5);

    expect(got.record).toMatchObject({ offline: false, attempts: 1 });
  });

  it('keeps a sale whose session must sign in again', () => {
    const got = transition(record(), { kind: 'auth' }, 0, 0.5);

    expect(got.result).toBe('retry');
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
