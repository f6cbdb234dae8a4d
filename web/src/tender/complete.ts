// Completing a sale: the record goes into the outbox (IndexedDB) before anything is sent, then
// one send is tried at once. Whatever the network does, the sale is kept until the server
// answers.
import type { Outbox } from '../outbox/sync';
import { newRecord, provisionalReference, type OutboxRecord, type SaleInputJson, type SendOutcome } from '../outbox/outbox';
import { cartView, saleLinesInput, type Cart } from '../sale/cart';
import { formatAmount, formatMilli, type Currency, type Tender } from '../lib/money';
import { changeOf } from './tender';

export interface CompleteArgs {
  cart: Cart;
  payments: readonly Tender[];
  registerSessionId: string;
  registerName: string;
  username: string;
  /** Who rang it up, as the receipt names them. */
  cashierName: string;
  currency: Currency;
  pricesIncludeTax: boolean;
}

export function buildRecord(args: CompleteArgs, now = new Date()): OutboxRecord {
  const { cart, currency: cur } = args;
  if (!cart.idempotencyKey) throw new Error('tender starts with an idempotency key');
  const view = cartView(cart, args.pricesIncludeTax);
  const input: SaleInputJson = {
    idempotencyKey: cart.idempotencyKey,
    registerSessionId: args.registerSessionId,
    customerId: cart.customer?.id ?? null,
    lines: saleLinesInput(cart, cur, true),
    payments: args.payments.map((p) => ({ method: p.method, amount: formatAmount(p.amount, cur) })),
  };
  return newRecord(
    input,
    args.username,
    {
      reference: provisionalReference(args.registerName, cart.idempotencyKey),
      lines: view.lines.map((l) => ({
        name: l.line.product.name,
        quantity: formatMilli(l.line.quantityMilli),
        total: formatAmount(l.amounts?.total ?? 0n, cur),
        unitPrice: formatAmount(l.line.product.priceMinor, cur),
      })),
      total: formatAmount(view.totals.total, cur),
      taxTotal: formatAmount(view.totals.tax, cur),
      payments: input.payments.map((p) => ({ method: p.method, amount: p.amount })),
      change: formatAmount(changeOf(view.totals.total, args.payments), cur),
      customer: cart.customer?.name ?? null,
      registerName: args.registerName,
      cashier: args.cashierName,
      currency: cur.code,
    },
    now,
  );
}

export async function completeSale(outbox: Outbox, record: OutboxRecord): Promise<SendOutcome> {
  await outbox.add(record);
  return outbox.sendNow(record.key);
}
