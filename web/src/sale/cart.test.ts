import { describe, expect, it } from 'vitest';
import { EUR } from '../lib/money';
import { cartFromJson, cartReducer, cartToJson, cartView, emptyCart, saleLinesInput, type CartProduct } from './cart';

const milk: CartProduct = {
  id: 'p-milk',
  sku: 'LECHE-1L',
  barcode: '8410188012092',
  name: 'Leche entera 1 L',
  unit: 'UNIT',
  priceMinor: 105n,
  taxRateMilli: 4_000n,
};
const cheese: CartProduct = { ...milk, id: 'p-cheese', sku: 'QUESO', barcode: null, name: 'Queso', unit: 'KG', priceMinor: 1299n, taxRateMilli: 10_000n };

describe('cart', () => {
  it('adds a scanned product as a line of one', () => {
    const cart = cartReducer(emptyCart, { type: 'add', product: milk });

    expect(cart.lines).toEqual([{ product: milk, quantityMilli: 1000n, discount: { kind: 'none' } }]);
  });

  it('increments the line when the same product is scanned again', () => {
    const once = cartReducer(emptyCart, { type: 'add', product: milk });

    const twice = cartReducer(once, { type: 'add', product: milk });

    expect(twice.lines).toHaveLength(1);
    expect(twice.lines[0]?.quantityMilli).toBe(2000n);
  });

  it('takes a decimal quantity for a weighed product', () => {
    const cart = cartReducer(emptyCart, { type: 'add', product: cheese });

    const weighed = cartReducer(cart, { type: 'setQuantity', productId: cheese.id, quantityMilli: 375n });

    expect(weighed.lines[0]?.quantityMilli).toBe(375n);
  });

  it('refuses a fraction of a UNIT product', () => {
    const cart = cartReducer(emptyCart, { type: 'add', product: milk });

    const after = cartReducer(cart, { type: 'setQuantity', productId: milk.id, quantityMilli: 1500n });

    expect(after).toBe(cart);
  });

  it('removes a line', () => {
    const cart = cartReducer(cartReducer(emptyCart, { type: 'add', product: milk }), { type: 'add', product: cheese });

    const after = cartReducer(cart, { type: 'remove', productId: milk.id });

    expect(after.lines.map((l) => l.product.id)).toEqual([cheese.id]);
  });

  it('computes the README sale: three milks at 10 % off come to 2.83 with 0.11 of tax', () => {
    let cart = cartReducer(emptyCart, { type: 'add', product: milk, quantityMilli: 3000n });
    cart = cartReducer(cart, { type: 'setDiscount', productId: milk.id, discount: { kind: 'percent', milli: 10_000n } });

    const view = cartView(cart, true);

    expect(view.totals).toEqual({ subtotal: 315n, discount: 32n, tax: 11n, total: 283n });
  });

  it('keeps the idempotency key made when tender starts', () => {
    const cart = cartReducer(cartReducer(emptyCart, { type: 'add', product: milk }), { type: 'startTender', idempotencyKey: 'k1' });

    const again = cartReducer(cart, { type: 'startTender', idempotencyKey: 'k2' });

    expect(again.idempotencyKey).toBe('k1');
  });

  it('drops the idempotency key when what is sold changes', () => {
    const cart = cartReducer(cartReducer(emptyCart, { type: 'add', product: milk }), { type: 'startTender', idempotencyKey: 'k1' });

    const changed = cartReducer(cart, { type: 'add', product: milk });

    expect(changed.idempotencyKey).toBeNull();
  });

  it('writes the lines as Decimal strings for createSale', () => {
    let cart = cartReducer(emptyCart, { type: 'add', product: cheese, quantityMilli: 375n });
    cart = cartReducer(cart, { type: 'setDiscount', productId: cheese.id, discount: { kind: 'amount', minor: 50n } });

    const lines = saleLinesInput(cart, EUR, true);

    expect(lines).toEqual([{ productId: 'p-cheese', quantity: '0.375', discount: '0.50', unitPrice: '12.99' }]);
  });

  it('survives a round trip through JSON with its BigInts', () => {
    const cart = cartReducer(emptyCart, { type: 'add', product: cheese, quantityMilli: 375n });

    const back = cartFromJson(cartToJson(cart));

    expect(back).toEqual(cart);
  });
});
