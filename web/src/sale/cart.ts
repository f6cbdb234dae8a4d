// The cart as a reducer: what is being sold, before it is paid. No React and no network here;
// the sale screen dispatches these actions and shows what `cartView` computes.
import {
  formatMilli,
  formatAmount,
  lineAmounts,
  totalsOf,
  type Currency,
  type Discount,
  type LineAmounts,
  type Milli,
  type Minor,
  type Totals,
} from '../lib/money';

export type Unit = 'UNIT' | 'KG' | 'G' | 'L' | 'ML' | 'M';

/** What the cart needs to know of a product (from a scan, a search or the offline cache). */
export interface CartProduct {
  id: string;
  sku: string;
  barcode: string | null;
  name: string;
  unit: Unit;
  priceMinor: Minor;
  taxRateMilli: Milli;
}

export interface CartLine {
  product: CartProduct;
  quantityMilli: Milli;
  discount: Discount;
}

export interface CartCustomer {
  id: string;
  name: string;
}

export interface Cart {
  lines: CartLine[];
  customer: CartCustomer | null;
  /** Made once, when tender starts; any change to what is sold drops it. */
  idempotencyKey: string | null;
}

export type CartAction =
  | { type: 'add'; product: CartProduct; quantityMilli?: Milli }
  | { type: 'setQuantity'; productId: string; quantityMilli: Milli }
  | { type: 'setDiscount'; productId: string; discount: Discount }
  | { type: 'setPrice'; productId: string; priceMinor: Minor }
  | { type: 'remove'; productId: string }
  | { type: 'setCustomer'; customer: CartCustomer | null }
  | { type: 'startTender'; idempotencyKey: string }
  | { type: 'load'; cart: Cart }
  | { type: 'clear' };

export const emptyCart: Cart = { lines: [], customer: null, idempotencyKey: null };

export const isWhole = (unit: Unit): boolean => unit === 'UNIT';

const ONE: Milli = 1000n;

function changeLines(cart: Cart, lines: CartLine[]): Cart {
  return { ...cart, lines, idempotencyKey: null };
}

export function cartReducer(cart: Cart, action: CartAction): Cart {
  switch (action.type) {
    case 'add': {
      const quantity = action.quantityMilli ?? ONE;
      const index = cart.lines.findIndex((l) => l.product.id === action.product.id);
      if (index < 0) {
        return changeLines(cart, [...cart.lines, { product: action.product, quantityMilli: quantity, discount: { kind: 'none' } }]);
      }
      return changeLines(
        cart,
        cart.lines.map((l, i) => (i === index ? { ...l, quantityMilli: l.quantityMilli + quantity } : l)),
      );
    }
    case 'setQuantity': {
      if (action.quantityMilli <= 0n) return cart;
      const line = cart.lines.find((l) => l.product.id === action.productId);
      if (!line || (isWhole(line.product.unit) && action.quantityMilli % ONE !== 0n)) return cart;
      return changeLines(
        cart,
        cart.lines.map((l) => (l.product.id === action.productId ? { ...l, quantityMilli: action.quantityMilli } : l)),
      );
    }
    case 'setDiscount':
      return changeLines(
        cart,
        cart.lines.map((l) => (l.product.id === action.productId ? { ...l, discount: action.discount } : l)),
      );
    case 'setPrice':
      return changeLines(
        cart,
        cart.lines.map((l) =>
          l.product.id === action.productId ? { ...l, product: { ...l.product, priceMinor: action.priceMinor } } : l,
        ),
      );
    case 'remove':
      return changeLines(
        cart,
        cart.lines.filter((l) => l.product.id !== action.productId),
      );
    case 'setCustomer':
      return { ...cart, customer: action.customer, idempotencyKey: null };
    case 'startTender':
      return cart.idempotencyKey ? cart : { ...cart, idempotencyKey: action.idempotencyKey };
    case 'load':
      return action.cart;
    case 'clear':
      return emptyCart;
  }
}

export interface LineView {
  line: CartLine;
  /** null when the discount is above the line (the screen refuses such a discount first). */
  amounts: LineAmounts | null;
}

export interface CartView {
  lines: LineView[];
  totals: Totals;
  /** Number of items, counting a weighed line as one. */
  items: number;
}

export function cartView(cart: Cart, pricesIncludeTax: boolean): CartView {
  const lines = cart.lines.map((line) => ({
    line,
    amounts: lineAmounts(
      {
        quantityMilli: line.quantityMilli,
        unitPriceMinor: line.product.priceMinor,
        discount: line.discount,
        taxRateMilli: line.product.taxRateMilli,
      },
      pricesIncludeTax,
    ),
  }));
  const totals = totalsOf(lines.flatMap((l) => (l.amounts ? [l.amounts] : [])));
  const items = cart.lines.reduce(
    (n, l) => n + (isWhole(l.product.unit) ? Number(l.quantityMilli / ONE) : 1),
    0,
  );
  return { lines, totals, items };
}

/** Whether the discount fits the line (the server refuses one above it). */
export function discountFits(line: CartLine, discount: Discount): boolean {
  return (
    lineAmounts(
      {
        quantityMilli: line.quantityMilli,
        unitPriceMinor: line.product.priceMinor,
        discount,
        taxRateMilli: line.product.taxRateMilli,
      },
      true,
    ) !== null
  );
}

/** The lines as CreateSaleInput takes them: Decimal strings. */
export function saleLinesInput(
  cart: Cart,
  cur: Currency,
  withUnitPrice: boolean,
): { productId: string; quantity: string; discount?: string; discountPercent?: string; unitPrice?: string }[] {
  return cart.lines.map((l) => ({
    productId: l.product.id,
    quantity: formatMilli(l.quantityMilli),
    ...(l.discount.kind === 'amount' ? { discount: formatAmount(l.discount.minor, cur) } : {}),
    ...(l.discount.kind === 'percent' ? { discountPercent: formatMilli(l.discount.milli) } : {}),
    ...(withUnitPrice ? { unitPrice: formatAmount(l.product.priceMinor, cur) } : {}),
  }));
}

// ---------------------------------------------------------------- persistence (JSON has no BigInt)

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export function cartToJson(cart: Cart): string {
  return JSON.stringify(cart, (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : (value as Json)));
}

export function cartFromJson(text: string): Cart | null {
  try {
    const parsed: unknown = JSON.parse(text, (_key, value: unknown) =>
      typeof value === 'string' && /^-?\d+n$/.test(value) ? BigInt(value.slice(0, -1)) : value,
    );
    if (typeof parsed !== 'object' || parsed === null || !Array.isArray((parsed as { lines?: unknown }).lines)) {
      return null;
    }
    return parsed as Cart;
  } catch {
    return null;
  }
}
