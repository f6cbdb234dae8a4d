// Products the register has seen (scans, search results), kept in IndexedDB so that selling
// goes on while the server cannot be reached. Never the whole catalogue: only what was seen.
import { createStore, delMany, entries, set } from 'idb-keyval';
import type { CartProduct, Unit } from './cart';

export interface CachedProduct {
  id: string;
  sku: string;
  barcode: string | null;
  name: string;
  unit: Unit;
  /** Decimal strings, as the API sent them. */
  price: string;
  taxRatePercent: string;
  seenAt: number;
}

const store = createStore('pos-products', 'products');
/** What the till keeps: the products a shift sees, not the catalogue. */
const MAX_PRODUCTS = 5000;
const byId = new Map<string, CachedProduct>();
const byCode = new Map<string, string>();
let loaded: Promise<void> | null = null;

function index(product: CachedProduct): void {
  byId.set(product.id, product);
  byCode.set(product.sku.toLowerCase(), product.id);
  if (product.barcode) byCode.set(product.barcode, product.id);
}

export function loadProductCache(): Promise<void> {
  loaded ??= entries<string, CachedProduct>(store)
    .then((all) => {
      for (const [, product] of all) index(product);
    })
    .catch(() => undefined);
  return loaded;
}

export function rememberProduct(product: Omit<CachedProduct, 'seenAt'>): void {
  const cached = { ...product, seenAt: Date.now() };
  index(cached);
  void set(cached.id, cached, store).catch(() => undefined);
  if (byId.size > MAX_PRODUCTS) forgetOldest(byId.size - MAX_PRODUCTS + MAX_PRODUCTS / 10);
}

function forgetOldest(count: number): void {
  const oldest = [...byId.values()].sort((a, b) => a.seenAt - b.seenAt).slice(0, count);
  for (const product of oldest) {
    byId.delete(product.id);
    for (const [code, id] of byCode) if (id === product.id) byCode.delete(code);
  }
  void delMany(
    oldest.map((p) => p.id),
    store,
  ).catch(() => undefined);
}

export function cachedByCode(code: string): CachedProduct | null {
  const id = byCode.get(code) ?? byCode.get(code.toLowerCase());
  return id ? (byId.get(id) ?? null) : null;
}

export function cachedById(id: string): CachedProduct | null {
  return byId.get(id) ?? null;
}

const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** Products seen before whose name or code holds every word typed (offline search). */
export function searchCached(query: string, limit = 20): CachedProduct[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  const found: CachedProduct[] = [];
  for (const product of byId.values()) {
    const text = fold(`${product.name} ${product.sku} ${product.barcode ?? ''}`);
    if (words.every((w) => text.includes(w))) found.push(product);
  }
  return found.sort((a, b) => a.name.localeCompare(b.name)).slice(0, limit);
}

export type { CartProduct };
