import { describe, expect, it } from 'vitest';
import { provisionalReceiptText, type ReceiptLabels } from './receiptText';

const labels: ReceiptLabels = {
  provisional: 'Provisional receipt',
  reference: 'Reference',
  date: 'Date',
  register: 'Register',
  cashier: 'Cashier',
  total: 'Total',
  tax: 'Tax',
  change: 'Change',
  customer: 'Customer',
  methods: { CASH: 'Cash', CARD: 'Card' },
};

describe('provisional receipt', () => {
  it('carries the provisional reference and fits 42 columns', () => {
    const text = provisionalReceiptText(
      {
        reference: 'PROV-CAJA1-ABCD1234',
        lines: [{ name: 'Leche entera 1 L', quantity: '3', total: '3.15' }],
        total: '3.15',
        taxTotal: '0.12',
        payments: [{ method: 'CASH', amount: '5.00' }],
        change: '1.85',
        customer: null,
        registerName: 'Caja 1',
        cashier: 'ana',
        currency: 'EUR',
      },
      labels,
      '04/12/2026 10:00',
    );

    expect(text).toContain('PROV-CAJA1-ABCD1234');
    expect(text).toContain('Change');
    expect(Math.max(...text.split('\n').map((l) => l.length))).toBeLessThanOrEqual(42);
  });
});
