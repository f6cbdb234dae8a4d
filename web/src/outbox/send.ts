// createSale for an outbox record, its answer sorted into the outbox's outcomes.
import type { Client, OperationResult } from '@urql/core';
import { CreateSaleDocument } from '../tender/operations';
import type { CreateSaleInput, CreateSaleMutation } from '../gql/graphql';
import type { OutboxRecord, SendOutcome } from './outbox';

const TIMEOUT_MS = 15_000;

/**
 * The input as sent. Every line carries the shelf price the till showed (the server refuses
 * an online sale whose price changed, with the new price). A sale the till completed while
 * the server could not be reached goes with `offline: true` and the till's time of it: the
 * server then records it as rung up. An online sale leaves the time to the server, so a till
 * whose clock is off never has its sales refused for it. A sale a manager sent again with the
 * server's time (the till's clock was wrong) goes offline without it, the till's time in its note.
 */
export function saleInput(record: OutboxRecord): CreateSaleInput {
  const { input } = record;
  const base: CreateSaleInput = {
    idempotencyKey: input.idempotencyKey,
    registerSessionId: input.registerSessionId,
    customerId: input.customerId ?? null,
    note: input.note ?? null,
    payments: input.payments,
    lines: input.lines.map((l) => ({
      productId: l.productId,
      quantity: l.quantity,
      ...(l.discount !== undefined ? { discount: l.discount } : {}),
      ...(l.discountPercent !== undefined ? { discountPercent: l.discountPercent } : {}),
      ...(l.unitPrice !== undefined ? { unitPrice: l.unitPrice } : {}),
    })),
  };
  if (!record.offline) return base;
  if (record.serverTime) return { ...base, offline: true, note: tillTimeNote(input.note ?? null, record.occurredAt) };
  return { ...base, occurredAt: record.occurredAt, offline: true };
}

export function tillTimeNote(note: string | null, occurredAt: string): string {
  const line = `Hora de la caja / till time: ${occurredAt}`;
  return note ? `${note}\n${line}` : line;
}

type Post = (input: CreateSaleInput) => Promise<OperationResult<CreateSaleMutation> | null>;

function outcomeOf(result: OperationResult<CreateSaleMutation> | null): SendOutcome {
  if (!result) return { kind: 'network', message: 'timeout' };
  const sale = result.data?.createSale;
  if (sale) {
    return { kind: 'accepted', saleId: sale.id, number: sale.number, receiptText: sale.receiptText, change: sale.change.amount };
  }
  const first = result.error?.graphQLErrors[0];
  if (!first) return { kind: 'network', message: result.error?.networkError?.message ?? 'network' };
  const code = typeof first.extensions.code === 'string' ? first.extensions.code : 'UNKNOWN';
  if (code === 'UNAUTHENTICATED') return { kind: 'auth' };
  return { kind: 'rejected', code, message: first.message, extensions: first.extensions };
}

/**
 * Sends a record. Neither `offline` nor the till's time is part of the server's idempotency
 * comparison, so a retry in the offline form of a sale whose first answer was lost gets back
 * the sale the server already made.
 */
export async function sendRecord(record: OutboxRecord, post: Post): Promise<SendOutcome> {
  return outcomeOf(await post(saleInput(record)));
}

export function makeSender(client: Client): (record: OutboxRecord) => Promise<SendOutcome> {
  const post: Post = (input) => {
    const request = client.mutation(CreateSaleDocument, { input }, { requestPolicy: 'network-only' }).toPromise();
    const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), TIMEOUT_MS));
    return Promise.race([request, timeout]);
  };
  return (record) => sendRecord(record, post);
}
