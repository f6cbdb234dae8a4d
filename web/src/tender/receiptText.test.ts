import { describe, expect, it } from 'vitest';
import type { ProvisionalReceipt } from '../outbox/outbox';
import { provisionalReceiptText, receiptDate, WIDTH, type ReceiptLabels } from './receiptText';

const es: ReceiptLabels = {
  provisional: 'Ticket provisional',
  taxId: 'NIF',
  date: 'Fecha',
  register: 'Caja',
  cashier: 'Cajero',
  total: 'Total',
  taxIncluded: 'IVA incluido',
  tax: 'IVA',
  change: 'Cambio',
  customer: 'Cliente',
  pending: 'Sin conexión: la factura simplificada se emite al enviar la venta.',
  footer: '¡Gracias por su compra!',
  methods: { CASH: 'Efectivo', CARD: 'Tarjeta' },
};

const receipt: ProvisionalReceipt = {
  reference: 'PROV-CAJA1-ABCD1234',
  lines: [
    { name: 'Aguacate Hass', quantity: '0.642', total: '2.88', unitPrice: '4.49' },
    { name: 'Leche entera 1 L', quantity: '3', total: '3.15', unitPrice: '1.05' },
  ],
  total: '6.03',
  taxTotal: '0.23',
  payments: [{ method: 'CASH', amount: '10.00' }],
  change: '3.97',
  customer: null,
  registerName: 'Caja 1',
  cashier: 'Ana García',
  currency: 'EUR',
};

const shop = { name: "Supermercado O'data", legalName: "O'data Alimentación S.L.", taxId: 'B12345674', address: 'Calle Mayor 1, 28013 Madrid' };

describe('provisional receipt', () => {
  it('carries the provisional reference and the shop, and fits 42 columns', () => {
    const text = provisionalReceiptText(receipt, shop, es, { locale: 'es-ES', when: '04/12/2026 10:00' });

    expect(text).toContain('PROV-CAJA1-ABCD1234');
    expect(text).toContain('NIF B12345674');
    expect(text).toContain("O'data Alimentación S.L.");
    expect(Math.max(...text.split('\n').map((l) => l.length))).toBeLessThanOrEqual(WIDTH);
  });

  it('writes amounts and quantities in the receipt language’s digits, as the server does', () => {
    const text = provisionalReceiptText(receipt, shop, es, { locale: 'es-ES', when: '04/12/2026 10:00' });

    expect(text).toMatch(/Aguacate Hass\s+2,88\n {2}0,642 x 4,49/);
    expect(text).toMatch(/TOTAL EUR\s+6,03/);
    expect(text).toMatch(/Cambio\s+3,97/);
  });

  it('leaves out the unit line of a sale recorded before unit prices were kept', () => {
    const old = { ...receipt, lines: [{ name: 'Pan', quantity: '1', total: '1.00' }] };

    expect(provisionalReceiptText(old, null, es, { locale: 'es-ES', when: '' })).not.toContain(' x ');
  });

  it('dates it as the server dates its receipts', () => {
    const at = new Date(2026, 11, 4, 9, 5);

    expect([receiptDate(at, 'es'), receiptDate(at, 'en')]).toEqual(['04/12/2026 09:05', '2026-12-04 09:05']);
  });
});
