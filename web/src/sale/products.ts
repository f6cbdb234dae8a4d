// Products as the API sends them, turned into what the cart holds, and remembered for offline.
import { amountOf, parsePercent, type Currency } from '../lib/money';
import type { CartProduct, Unit } from './cart';
import { rememberProduct, type CachedProduct } from './productCache';

export interface ApiProduct {
  id: string;
  sku: string;
  barcode?: string | null;
  name: string;
  unit: Unit;
  price: { amount: string };
  taxRate?: { ratePercent: string } | null;
}

export function toCartProduct(p: ApiProduct, cur: Currency): CartProduct {
  const rate = parsePercent(p.taxRate?.ratePercent ?? '0');
  return {
    id: p.id,
    sku: p.sku,
    barcode: p.barcode ?? null,
    name: p.name,
    unit: p.unit,
    priceMinor: amountOf(p.price.amount, cur),
    taxRateMilli: rate.ok ? rate.value : 0n,
  };
}

export function fromCache(p: CachedProduct, cur: Currency): CartProduct {
  return toCartProduct({ ...p, price: { amount: p.price }, taxRate: { ratePercent: p.taxRatePercent } }, cur);
}

export function remember(p: ApiProduct): void {
  rememberProduct({
    id: p.id,
    sku: p.sku,
    barcode: p.barcode ?? null,
    name: p.name,
    unit: p.unit,
    price: p.price.amount,
    taxRatePercent: p.taxRate?.ratePercent ?? '0',
  });
}
