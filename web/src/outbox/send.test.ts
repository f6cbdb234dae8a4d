import type { OperationResult } from '@urql/core';
import { CombinedError } from '@urql/core';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { CreateSaleInput, CreateSaleMutation } from '../gql/graphql';
import { newRecord, releaseForRetry, transition, type OutboxRecord } from './outbox';
import { saleInput, sendRecord } from './send';

function record(): OutboxRecord {
  return newRecord(
    { idempotencyKey: 'k1', registerSessionId: 's1', lines: [{ productId: 'p', quantity: '1', unitPrice: '1.05' }], payments: [{ method: 'CASH', amount: '1.05' }] },
    'ana',
    { reference: 'PROV-X', lines: [], total: '1.05', taxTotal: '0.04', payments: [], change: '0.00', customer: null, registerName: 'Caja 1', cashier: 'ana', currency: 'EUR' },
    new Date('2026-12-04T10:00:00Z'),
  );
}

const offline = (r: OutboxRecord) => {
  const got = transition(r, { kind: 'network', message: 'down' }, 0, 0.5).record;
  if (!got) throw new Error('kept');
  return got;
};

const sale = { id: 'sale-1', number: 'MAIN-000007', receiptText: 'FACTURA SIMPLIFICADA', change: { amount: '0.00' } } as CreateSaleMutation['createSale'];
const answer = (data: CreateSaleMutation | null, error?: CombinedError) => ({ data: data ?? undefined, error }) as OperationResult<CreateSaleMutation>;
const refusal = (code: string, field?: string) =>
  answer(null, new CombinedError({ graphQLErrors: [new GraphQLError('no', { extensions: { code, ...(field ? { field } : {}) } })] }));

describe('the input sent', () => {
  it('leaves the time to the server for an online sale', () => {
    expect(saleInput(record())).not.toHaveProperty('occurredAt');
    expect(saleInput(record())).not.toHaveProperty('offline');
  });

  it('carries the till’s time for a sale completed offline', () => {
    expect(saleInput(offline(record()))).toMatchObject({ occurredAt: '2026-12-04T10:00:00.000Z', offline: true });
  });

  it('goes offline with the server’s time, the till’s in the note, when a manager says so', () => {
    const input = saleInput(releaseForRetry(offline(record()), true));

    expect(input).not.toHaveProperty('occurredAt');
    expect(input.offline).toBe(true);
    expect(input.note).toContain('2026-12-04T10:00:00.000Z');
  });
});

describe('sending a record', () => {
  it('sends an offline record once, in the offline form, and takes the sale it answers with', async () => {
    const sent: CreateSaleInput[] = [];
    const got = await sendRecord(offline(record()), (input) => {
      sent.push(input);
      return Promise.resolve(answer({ createSale: sale }));
    });

    expect(got).toMatchObject({ kind: 'accepted', saleId: 'sale-1', number: 'MAIN-000007' });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ idempotencyKey: 'k1', offline: true });
    expect(sent[0]?.occurredAt).toBeDefined();
  });

  it('shows a key used for another sale as a refusal, sent once', async () => {
    let sends = 0;
    const got = await sendRecord(offline(record()), () => {
      sends++;
      return Promise.resolve(refusal('CONFLICT', 'idempotencyKey'));
    });

    expect(got).toMatchObject({ kind: 'rejected', code: 'CONFLICT' });
    expect(sends).toBe(1);
  });

  it('does not send twice for another refusal', async () => {
    let sends = 0;
    const got = await sendRecord(offline(record()), () => {
      sends++;
      return Promise.resolve(refusal('BAD_USER_INPUT', 'occurredAt'));
    });

    expect(got).toMatchObject({ kind: 'rejected', code: 'BAD_USER_INPUT' });
    expect(sends).toBe(1);
  });

  it('sorts a lost answer, a session to renew and a timeout apart from refusals', async () => {
    const network = await sendRecord(record(), () => Promise.resolve(answer(null, new CombinedError({ networkError: new Error('Failed to fetch') }))));
    const auth = await sendRecord(record(), () => Promise.resolve(refusal('UNAUTHENTICATED')));
    const timeout = await sendRecord(record(), () => Promise.resolve(null));

    expect([network.kind, auth.kind, timeout.kind]).toEqual(['network', 'auth', 'network']);
  });
});
