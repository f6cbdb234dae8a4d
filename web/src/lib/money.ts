// Money and quantities as integers, never floats: amounts in minor units (cents), quantities
// and percentages in thousandths, all as BigInt. The arithmetic is CONVENTIONS.md's, the same
// as the server's domain/src/sales/arithmetic.rs: every division rounds half away from zero.
// Decimal strings go to and come from the API; Intl.NumberFormat shows them, fed a string so
// no value ever passes through a float.

export type Minor = bigint;
/** Thousandths: 0.375 kg is 375n; 10.5 % is 10_500n. */
export type Milli = bigint;

export const MILLI = 1000n;
const HUNDRED_PERCENT_MILLI = 100n * MILLI;
/** The server's bound on amounts: 10^15 minor units. */
const MAX_MINOR = 1_000_000_000_000_000n;
/** The server's bound on quantities: a billion units. */
const MAX_MILLI = 1_000_000_000n * MILLI;

export type ParseError = 'format' | 'decimals' | 'negative' | 'whole' | 'zero' | 'range';
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: ParseError };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(error: ParseError): Parsed<T> => ({ ok: false, error });

/** `numerator / denominator` rounded half away from zero; `denominator` is positive. */
export function divRound(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  const abs = remainder < 0n ? -remainder : remainder;
  if (2n * abs >= denominator) {
    return quotient + (numerator < 0n ? -1n : 1n);
  }
  return quotient;
}

// ---------------------------------------------------------------- currency

export interface Currency {
  code: string;
  /** Digits after the decimal point (EUR 2, JPY 0). */
  exponent: number;
}

export function currency(code: string): Currency {
  const exponent = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions()
    .maximumFractionDigits;
  return { code, exponent: exponent ?? 2 };
}

export const EUR: Currency = { code: 'EUR', exponent: 2 };

// ---------------------------------------------------------------- decimal strings

interface DecimalParts {
  negative: boolean;
  whole: string;
  /** Fraction digits with trailing zeros dropped. */
  fraction: string;
}

/** A Decimal string as the API writes it: digits, an optional sign and one point. */
function decimalParts(raw: string): DecimalParts | null {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(raw.trim());
  if (!match) return null;
  const whole = match[2] ?? '';
  const fraction = (match[3] ?? '').replace(/0+$/, '');
  if (whole === '' && (match[3] ?? '') === '') return null;
  return { negative: match[1] === '-', whole: whole === '' ? '0' : whole, fraction };
}

/** Scales a Decimal's parts to an integer with `digits` decimals; null if it has more. */
function scaled(parts: DecimalParts, digits: number): bigint | null {
  if (parts.fraction.length > digits) return null;
  const value = BigInt(parts.whole + parts.fraction.padEnd(digits, '0'));
  return parts.negative ? -value : value;
}

/** Writes an integer with `digits` implied decimals as a Decimal string ("12.50", "-3.00"). */
function toDecimal(value: bigint, digits: number): string {
  const negative = value < 0n;
  const digitsText = (negative ? -value : value).toString().padStart(digits + 1, '0');
  const cut = digitsText.length - digits;
  const text = digits === 0 ? digitsText : `${digitsText.slice(0, cut)}.${digitsText.slice(cut)}`;
  return negative ? `-${text}` : text;
}

// ---------------------------------------------------------------- amounts

/**
 * Reads an API Decimal string into minor units, by the server's rules (`Currency::parse_amount`):
 * more decimals than the currency has, after dropping trailing zeros, is an error.
 */
export function parseAmount(raw: string, cur: Currency, allowNegative = false): Parsed<Minor> {
  const parts = decimalParts(raw);
  if (!parts) return fail('format');
  const value = scaled(parts, cur.exponent);
  if (value === null) return fail('decimals');
  if (value < 0n && !allowNegative) return fail('negative');
  if ((value < 0n ? -value : value) > MAX_MINOR) return fail('range');
  return ok(value);
}

/** Reads an amount the API sent; it is always well formed, so a failure is a bug. */
export function amountOf(raw: string, cur: Currency): Minor {
  const parsed = parseAmount(raw, cur, true);
  if (!parsed.ok) throw new Error(`the server sent a malformed amount: ${raw}`);
  return parsed.value;
}

/** Minor units as the Decimal string the API takes: exactly the currency's decimals. */
export function formatAmount(minor: Minor, cur: Currency): string {
  return toDecimal(minor, cur.exponent);
}

/**
 * What a person types at the till: `,` or `.` as the decimal separator; with both, the last
 * one is the decimal separator and the other groups thousands. Spaces are ignored.
 */
export function normalizeUserNumber(raw: string): string | null {
  let text = raw.replace(/[\s\u00a0\u202f]/g, '');
  if (text === '') return null;
  const lastComma = text.lastIndexOf(',');
  const lastDot = text.lastIndexOf('.');
  if (lastComma >= 0 && lastDot >= 0) {
    const decimal = lastComma > lastDot ? ',' : '.';
    const group = decimal === ',' ? '.' : ',';
    text = text.split(group).join('');
    if (decimal === ',') text = text.replace(',', '.');
  } else if (lastComma >= 0) {
    const commas = text.split(',').length - 1;
    // "1,000,000" groups thousands; a single comma is a decimal separator.
    text = commas > 1 ? text.split(',').join('') : text.replace(',', '.');
  } else if (text.split('.').length - 1 > 1) {
    text = text.split('.').join('');
  }
  return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text) ? text : null;
}

/** An amount typed by the cashier, in minor units. */
export function parseUserAmount(raw: string, cur: Currency): Parsed<Minor> {
  const text = normalizeUserNumber(raw);
  if (text === null) return fail('format');
  return parseAmount(text, cur, false);
}

const formatters = new Map<string, Intl.NumberFormat>();

/** Shows an amount for people: "12,50 €" in Spanish, "€12.50" in English. */
export function formatMoney(minor: Minor, cur: Currency, locale: string): string {
  const key = `${locale}|${cur.code}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: cur.code,
      minimumFractionDigits: cur.exponent,
      maximumFractionDigits: cur.exponent,
    });
    formatters.set(key, formatter);
  }
  // A Decimal string keeps the exact value: Intl formats strings without a float.
  return formatter.format(formatAmount(minor, cur) as Intl.StringNumericLiteral);
}

// ---------------------------------------------------------------- quantities and percentages

/**
 * Reads a quantity into thousandths, by the server's rules (`parse_quantity` with a positive
 * sign): at most 3 decimals; with `whole`, no decimals (a product sold by the unit).
 */
export function parseQuantity(raw: string, whole: boolean): Parsed<Milli> {
  const parts = decimalParts(raw);
  if (!parts) return fail('format');
  const value = scaled(parts, 3);
  if (value === null) return fail('decimals');
  if (whole && parts.fraction.length > 0) return fail('whole');
  if ((value < 0n ? -value : value) > MAX_MILLI) return fail('range');
  if (value < 0n) return fail('negative');
  if (value === 0n) return fail('zero');
  return ok(value);
}

export function parseUserQuantity(raw: string, whole: boolean): Parsed<Milli> {
  const text = normalizeUserNumber(raw);
  if (text === null) return fail('format');
  return parseQuantity(text, whole);
}

/** A quantity the API sent (stock on hand may be zero or negative), in thousandths. */
export function milliOf(raw: string): Milli {
  const parts = decimalParts(raw);
  const value = parts ? scaled(parts, 3) : null;
  if (value === null) throw new Error(`the server sent a malformed quantity: ${raw}`);
  return value;
}

/** Thousandths as the shortest Decimal string: 375n → "0.375", 2000n → "2", -1500n → "-1.5". */
export function formatMilli(milli: Milli): string {
  const text = toDecimal(milli, 3);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** A quantity for people, in the locale's digits: "0,375" in Spanish. */
export function formatQuantity(milli: Milli, locale: string): string {
  const formatter = new Intl.NumberFormat(locale, { maximumFractionDigits: 3, useGrouping: true });
  return formatter.format(formatMilli(milli) as Intl.StringNumericLiteral);
}

/** A percentage, 0 to 100 with at most 3 decimals, into thousandths of a percent. */
export function parsePercent(raw: string): Parsed<Milli> {
  const parts = decimalParts(raw);
  if (!parts) return fail('format');
  const value = scaled(parts, 3);
  if (value === null) return fail('decimals');
  if (value < 0n) return fail('negative');
  if (value > HUNDRED_PERCENT_MILLI) return fail('range');
  return ok(value);
}

export function parseUserPercent(raw: string): Parsed<Milli> {
  const text = normalizeUserNumber(raw.replace('%', ''));
  if (text === null) return fail('format');
  return parsePercent(text);
}

// ---------------------------------------------------------------- sale arithmetic

export type Discount =
  | { kind: 'none' }
  | { kind: 'amount'; minor: Minor }
  | { kind: 'percent'; milli: Milli };

export interface LineInput {
  quantityMilli: Milli;
  /** The catalog price as the location shows it. */
  unitPriceMinor: Minor;
  discount: Discount;
  /** Thousandths of a percent. */
  taxRateMilli: Milli;
}

export interface LineAmounts {
  base: Minor;
  discount: Minor;
  tax: Minor;
  total: Minor;
}

/** One line, as the server computes it; null when the discount exceeds the line. */
export function lineAmounts(input: LineInput, pricesIncludeTax: boolean): LineAmounts | null {
  const base = divRound(input.quantityMilli * input.unitPriceMinor, MILLI);
  let discount: Minor;
  switch (input.discount.kind) {
    case 'none':
      discount = 0n;
      break;
    case 'amount':
      discount = input.discount.minor;
      break;
    case 'percent':
      discount = divRound(base * input.discount.milli, HUNDRED_PERCENT_MILLI);
      break;
  }
  if (discount > base) return null;
  const rate = input.taxRateMilli;
  if (pricesIncludeTax) {
    const total = base - discount;
    return { base, discount, tax: divRound(total * rate, HUNDRED_PERCENT_MILLI + rate), total };
  }
  const net = base - discount;
  const tax = divRound(net * rate, HUNDRED_PERCENT_MILLI);
  return { base, discount, tax, total: net + tax };
}

export interface Totals {
  subtotal: Minor;
  discount: Minor;
  tax: Minor;
  total: Minor;
}

export function totalsOf(lines: Iterable<LineAmounts>): Totals {
  const sum: Totals = { subtotal: 0n, discount: 0n, tax: 0n, total: 0n };
  for (const line of lines) {
    sum.subtotal += line.base;
    sum.discount += line.discount;
    sum.tax += line.tax;
    sum.total += line.total;
  }
  return sum;
}

export type PaymentMethod = 'CASH' | 'CARD' | 'TRANSFER' | 'OTHER';

export interface Tender {
  method: PaymentMethod;
  amount: Minor;
}

export type Settlement =
  | { ok: true; amountPaid: Minor; change: Minor }
  | { ok: false; error: 'non-cash-over-due'; index: number }
  | { ok: false; error: 'insufficient'; due: Minor; paid: Minor };

/**
 * The server's `settle`: only cash may exceed what is due (the excess is the change); a
 * non-cash tender that takes the non-cash sum past the total is refused, by its index.
 */
export function settle(total: Minor, tenders: readonly Tender[]): Settlement {
  let nonCash = 0n;
  for (const [index, tender] of tenders.entries()) {
    if (tender.method === 'CASH') continue;
    nonCash += tender.amount;
    if (nonCash > total) return { ok: false, error: 'non-cash-over-due', index };
  }
  const amountPaid = tenders.reduce((sum, t) => sum + t.amount, 0n);
  if (amountPaid < total) return { ok: false, error: 'insufficient', due: total, paid: amountPaid };
  return { ok: true, amountPaid, change: amountPaid - total };
}

/**
 * The share of a line that refunding `quantityMilli` of it gives back; the refund that
 * completes the line takes exactly what is left of it.
 */
export function refundShare(
  lineAmount: Minor,
  lineQuantityMilli: Milli,
  alreadyRefundedAmount: Minor,
  alreadyRefundedMilli: Milli,
  quantityMilli: Milli,
): Minor {
  if (alreadyRefundedMilli + quantityMilli >= lineQuantityMilli) {
    return lineAmount - alreadyRefundedAmount;
  }
  return divRound(lineAmount * quantityMilli, lineQuantityMilli);
}
