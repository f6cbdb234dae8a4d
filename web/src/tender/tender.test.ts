import { describe, expect, it } from 'vitest';
import { addPayment, canComplete, changeOf, quickCash, remainingDue } from './tender';

describe('split tender', () => {
  it('caps a card payment at what is due', () => {
    const result = addPayment(1550n, [], 'CARD', 2000n);

    expect(result).toEqual({ ok: true, payments: [{ method: 'CARD', amount: 1550n }], capped: true });
  });

  it('lets cash pay more than is due', () => {
    const result = addPayment(1550n, [], 'CASH', 2000n);

    expect(result).toEqual({ ok: true, payments: [{ method: 'CASH', amount: 2000n }], capped: false });
  });

  it('caps the card after cash at the remainder', () => {
    const result = addPayment(1550n, [{ method: 'CASH', amount: 1000n }], 'CARD', 1000n);

    expect(result.ok && result.payments[1]).toEqual({ method: 'CARD', amount: 550n });
  });

  it('gives change from cash on a split of card and cash', () => {
    const payments = [
      { method: 'CARD' as const, amount: 1000n },
      { method: 'CASH' as const, amount: 1000n },
    ];

    expect(changeOf(1550n, payments)).toBe(450n);
  });

  it('cannot complete while something is due', () => {
    const payments = [{ method: 'CASH' as const, amount: 1000n }];

    expect(canComplete(1550n, payments)).toBe(false);
    expect(remainingDue(1550n, payments)).toBe(550n);
  });

  it('refuses a payment when nothing is due', () => {
    const result = addPayment(1550n, [{ method: 'CASH', amount: 2000n }], 'CARD', 100n);

    expect(result).toEqual({ ok: false, error: 'nothing-due' });
  });

  it('offers the exact amount and the next notes as quick cash', () => {
    expect(quickCash(1550n, 2)).toEqual([1550n, 2000n, 5000n, 10000n]);
  });
});
