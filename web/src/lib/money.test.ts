// The server's own cases (domain/src/sales/arithmetic.rs, domain/src/money.rs and
// domain/src/quantity.rs), reproduced row for row: the same inputs give the same cents on both
// sides of the wire.
import { describe, expect, it } from 'vitest';
import {
  EUR,
  divRound,
  formatAmount,
  formatMilli,
  formatMoney,
  lineAmounts,
  parseAmount,
  parsePercent,
  parseQuantity,
  parseUserAmount,
  parseUserQuantity,
  refundShare,
  settle,
  totalsOf,
  type Discount,
  type Currency,
} from './money';

const JPY: Currency = { code: 'JPY', exponent: 0 };

describe('divRound (arithmetic.rs rounding_is_half_away_from_zero)', () => {
  const cases: [number, number, number][] = [
    [5, 10, 1],
    [4, 10, 0],
    [15, 10, 2],
    [25, 10, 3],
    [-5, 10, -1],
    [-4, 10, 0],
    [-25, 10, -3],
    [3, 2, 2],
    [1, 3, 0],
    [2, 3, 1],
    [-2, 3, -1],
    [3, 6, 1],
    [7, 7, 1],
    [0, 7, 0],
    [13, 26, 1],
    [12, 26, 0],
    [121, 121, 1],
  ];
  it.each(cases)('%i / %i rounds to %i', (n, d, expected) => {
    const got = divRound(BigInt(n), BigInt(d));
    expect(got).toBe(BigInt(expected));
  });
});

describe('lineAmounts (arithmetic.rs lines_match_hand_computed_values)', () => {
  const none: Discount = { kind: 'none' };
  const amount = (minor: number): Discount => ({ kind: 'amount', minor: BigInt(minor) });
  const percent = (milli: number): Discount => ({ kind: 'percent', milli: BigInt(milli) });
  // (quantity milli, price minor, discount, rate milli, tax included, [base, discount, tax, total])
  const cases: [number, number, Discount, number, boolean, [number, number, number, number]][] = [
    [1000, 1210, none, 21_000, true, [1210, 0, 210, 1210]],
    [1000, 1000, none, 21_000, false, [1000, 0, 210, 1210]],
    [3000, 199, none, 0, true, [597, 0, 0, 597]],
    [3000, 199, none, 0, false, [597, 0, 0, 597]],
    [1000, 100, none, 4_000, true, [100, 0, 4, 100]],
    [1000, 99, none, 4_000, false, [99, 0, 4, 103]],
    [1000, 235, none, 10_000, true, [235, 0, 21, 235]],
    [1000, 5, none, 10_000, false, [5, 0, 1, 6]],
    [375, 1299, none, 10_000, true, [487, 0, 44, 487]],
    [375, 398, none, 4_000, false, [149, 0, 6, 155]],
    [125, 200, none, 21_000, false, [25, 0, 5, 30]],
    [1005, 100, none, 0, true, [101, 0, 0, 101]],
    [2000, 500, amount(150), 21_000, true, [1000, 150, 148, 850]],
    [2000, 500, amount(150), 21_000, false, [1000, 150, 179, 1029]],
    [3000, 333, percent(15_000), 10_000, true, [999, 150, 77, 849]],
    [1000, 10, percent(12_500), 4_000, false, [10, 1, 0, 9]],
    [1000, 250, percent(100_000), 21_000, true, [250, 250, 0, 0]],
    [1000, 250, amount(250), 21_000, false, [250, 250, 0, 0]],
    [1000, 5, none, 21_000, true, [5, 0, 1, 5]],
    [7000, 15, none, 21_000, false, [105, 0, 22, 127]],
  ];
  it.each(cases)('quantity %i × %i, %o, rate %i, included %s', (q, price, discount, rate, included, expected) => {
    const input = { quantityMilli: BigInt(q), unitPriceMinor: BigInt(price), discount, taxRateMilli: BigInt(rate) };

    const got = lineAmounts(input, included);

    expect(got).toEqual({
      base: BigInt(expected[0]),
      discount: BigInt(expected[1]),
      tax: BigInt(expected[2]),
      total: BigInt(expected[3]),
    });
  });

  it('rounds tax per line, so ten lines of 0.05 at 21 % added carry 0.10 of tax, not 0.11', () => {
    const line = lineAmounts({ quantityMilli: 1000n, unitPriceMinor: 5n, discount: none, taxRateMilli: 21_000n }, false);
    const lines = Array.from({ length: 10 }, () => line).filter((l) => l !== null);

    const totals = totalsOf(lines);

    expect(totals).toEqual({ subtotal: 50n, discount: 0n, tax: 10n, total: 60n });
  });

  it('refuses a discount above the line', () => {
    const input = { quantityMilli: 1000n, unitPriceMinor: 100n, discount: amount(101), taxRateMilli: 0n };

    const got = lineAmounts(input, true);

    expect(got).toBeNull();
  });
});

describe('settle (arithmetic.rs payments_settle_with_change_only_from_cash)', () => {
  it('gives change from cash', () => {
    expect(settle(1550n, [{ method: 'CASH', amount: 2000n }])).toEqual({ ok: true, amountPaid: 2000n, change: 450n });
  });

  it('gives change from cash beside a card', () => {
    const got = settle(1550n, [
      { method: 'CARD', amount: 1000n },
      { method: 'CASH', amount: 1000n },
    ]);
    expect(got).toEqual({ ok: true, amountPaid: 2000n, change: 450n });
  });

  it('settles a zero total with no payments', () => {
    expect(settle(0n, [])).toEqual({ ok: true, amountPaid: 0n, change: 0n });
  });

  it('refuses non-cash paying more than is due, naming the payment', () => {
    const got = settle(1550n, [
      { method: 'CARD', amount: 1000n },
      { method: 'TRANSFER', amount: 600n },
    ]);
    expect(got).toEqual({ ok: false, error: 'non-cash-over-due', index: 1 });
  });

  it('reports payments short of the total', () => {
    const got = settle(1550n, [
      { method: 'CASH', amount: 1000n },
      { method: 'CARD', amount: 500n },
    ]);
    expect(got.ok ? '' : got.error).toBe('insufficient');
    expect(got).toMatchObject({ due: 1550n, paid: 1500n });
    expect(formatAmount(1550n, EUR)).toBe('15.50');
    expect(formatAmount(1500n, EUR)).toBe('15.00');
  });
});

describe('refundShare (arithmetic.rs refunds_of_a_line_add_up_to_the_line)', () => {
  it('refunds a line of 10.00 in three thirds as 3.33, 3.33, 3.34', () => {
    const first = refundShare(1000n, 3000n, 0n, 0n, 1000n);
    const second = refundShare(1000n, 3000n, first, 1000n, 1000n);
    const third = refundShare(1000n, 3000n, first + second, 2000n, 1000n);

    expect([first, second, third]).toEqual([333n, 333n, 334n]);
  });
});

describe('parseAmount (money.rs amounts_parse_into_minor_units)', () => {
  it.each([
    ['12.50', 1250n],
    ['12.5', 1250n],
    ['3', 300n],
    ['0.100', 10n],
  ])('reads %s as %i cents', (raw, expected) => {
    expect(parseAmount(raw, EUR)).toEqual({ ok: true, value: expected });
  });

  it('reads a negative amount where one is allowed', () => {
    expect(parseAmount('-3', EUR, true)).toEqual({ ok: true, value: -300n });
  });

  it('reads yen without decimals', () => {
    expect(parseAmount('500', JPY)).toEqual({ ok: true, value: 500n });
  });
});

describe('parseAmount refusals (money.rs malformed_or_too_precise_amounts_are_bad_input)', () => {
  it.each(['12.505', 'abc', '', '1e3', '12,50', '--1', '1.2.3', '99999999999999999999'])('refuses %j', (raw) => {
    expect(parseAmount(raw, EUR).ok).toBe(false);
  });

  it('refuses a negative amount where none is allowed', () => {
    expect(parseAmount('-1', EUR)).toEqual({ ok: false, error: 'negative' });
  });

  it('refuses decimals of yen', () => {
    expect(parseAmount('1.5', JPY)).toEqual({ ok: false, error: 'decimals' });
  });
});

describe('formatAmount (money.rs amounts_are_formatted_with_the_currencys_decimals)', () => {
  it.each([
    [1250n, EUR, '12.50'],
    [5n, EUR, '0.05'],
    [-300n, EUR, '-3.00'],
    [500n, JPY, '500'],
  ])('writes %i as %s', (minor, cur, expected) => {
    expect(formatAmount(minor, cur)).toBe(expected);
  });
});

describe('quantities (quantity.rs)', () => {
  it.each([
    ['0.375', false, 375n],
    ['2', true, 2000n],
  ])('reads %s as %i thousandths', (raw, whole, expected) => {
    expect(parseQuantity(raw, whole)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['0.3755', false],
    ['1.5', true],
    ['0', false],
    ['-1', false],
    ['lots', false],
  ])('refuses %s (whole %s)', (raw, whole) => {
    expect(parseQuantity(raw, whole).ok).toBe(false);
  });

  it('names a fraction of a UNIT product as the error', () => {
    expect(parseQuantity('1.5', true)).toEqual({ ok: false, error: 'whole' });
  });

  it.each([
    [375n, '0.375'],
    [2000n, '2'],
    [-1500n, '-1.5'],
    [0n, '0'],
  ])('prints %i as %s', (milli, expected) => {
    expect(formatMilli(milli)).toBe(expected);
  });

  it.each([
    ['10.5', 10_500n],
    ['21', 21_000n],
  ])('reads the percentage %s', (raw, expected) => {
    expect(parsePercent(raw)).toEqual({ ok: true, value: expected });
  });

  it.each(['100.001', '-4'])('refuses the percentage %s', (raw) => {
    expect(parsePercent(raw).ok).toBe(false);
  });
});

describe('what the cashier types', () => {
  it.each([
    ['12,5', 1250n],
    ['12.50', 1250n],
    [' 1.234,56 ', 123456n],
    ['1,234.56', 123456n],
    ['20', 2000n],
    [',5', 50n],
  ])('reads %j as %i cents', (raw, expected) => {
    expect(parseUserAmount(raw, EUR)).toEqual({ ok: true, value: expected });
  });

  it('reads a weighed quantity with a comma', () => {
    expect(parseUserQuantity('0,375', false)).toEqual({ ok: true, value: 375n });
  });

  it('refuses a comma fraction of a UNIT product', () => {
    expect(parseUserQuantity('1,5', true)).toEqual({ ok: false, error: 'whole' });
  });

  it('refuses letters', () => {
    expect(parseUserAmount('12a', EUR)).toEqual({ ok: false, error: 'format' });
  });
});

describe('formatMoney', () => {
  it('shows euros in Spanish with a comma and the sign after', () => {
    expect(formatMoney(123456n, EUR, 'es-ES').replace(/\s/g, ' ')).toBe('1234,56 €');
  });

  it('shows euros in English with the sign before', () => {
    expect(formatMoney(123456n, EUR, 'en-GB')).toBe('€1,234.56');
  });

  it('keeps every digit of an amount too large for a float', () => {
    expect(formatMoney(900719925474099312n, EUR, 'en-GB')).toBe('€9,007,199,254,740,993.12');
  });
});
