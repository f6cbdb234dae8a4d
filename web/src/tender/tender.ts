// Split tender: payment lines until nothing is due. Only cash may pay more than is due (the
// excess is the change); the screen caps every other method at what remains, so it never sends
// a payment the server would refuse.
import { settle, type Minor, type PaymentMethod, type Tender } from '../lib/money';

export const METHODS: readonly PaymentMethod[] = ['CASH', 'CARD', 'TRANSFER', 'OTHER'];

export function paid(payments: readonly Tender[]): Minor {
  return payments.reduce((sum, p) => sum + p.amount, 0n);
}

/** What is still to pay (never negative). */
export function remainingDue(total: Minor, payments: readonly Tender[]): Minor {
  const rest = total - paid(payments);
  return rest > 0n ? rest : 0n;
}

/** The most a payment of this method may take now. */
export function maxFor(method: PaymentMethod, total: Minor, payments: readonly Tender[]): Minor | null {
  return method === 'CASH' ? null : remainingDue(total, payments);
}

export type AddResult =
  | { ok: true; payments: Tender[]; capped: boolean }
  | { ok: false; error: 'zero' | 'nothing-due' };

/** Adds a payment, capping a non-cash one at what remains due. */
export function addPayment(total: Minor, payments: readonly Tender[], method: PaymentMethod, amount: Minor): AddResult {
  if (amount <= 0n) return { ok: false, error: 'zero' };
  const due = remainingDue(total, payments);
  if (due === 0n) return { ok: false, error: 'nothing-due' };
  const max = maxFor(method, total, payments);
  if (max !== null && amount > max) return { ok: true, payments: [...payments, { method, amount: max }], capped: true };
  return { ok: true, payments: [...payments, { method, amount }], capped: false };
}

export function removePayment(payments: readonly Tender[], index: number): Tender[] {
  return payments.filter((_, i) => i !== index);
}

/** The change the cash gives back, when the payments cover the total. */
export function changeOf(total: Minor, payments: readonly Tender[]): Minor {
  const result = settle(total, payments);
  return result.ok ? result.change : 0n;
}

export function canComplete(total: Minor, payments: readonly Tender[]): boolean {
  return settle(total, payments).ok;
}

/** Quick cash amounts a cashier taps: exact, then the next notes above the total. */
export function quickCash(total: Minor, exponent: number): Minor[] {
  const unit = 10n ** BigInt(exponent);
  const notes = [5n, 10n, 20n, 50n, 100n].map((n) => n * unit);
  const above = notes.filter((n) => n > total).slice(0, 3);
  return [total, ...above];
}
