// What the scan field asks the server, with the offline cache behind it: a code first
// (productByCode), then a search; search as you type.
import type { Client } from '@urql/core';
import type { Currency } from '../lib/money';
import type { CartProduct } from './cart';
import { ProductByCodeDocument, SearchProductsDocument } from './operations';
import { cachedByCode, searchCached } from './productCache';
import { fromCache, remember, toCartProduct } from './products';

export type ScanAnswer =
  | { kind: 'product'; product: CartProduct; offline: boolean }
  | { kind: 'choose'; products: CartProduct[]; offline: boolean }
  | { kind: 'unknown'; offline: boolean };

export interface SearchAnswer {
  products: CartProduct[];
  offline: boolean;
}

const looksLikeCode = (text: string) => !/\s/.test(text) && text.length <= 64;

function offlineScan(code: string, cur: Currency): ScanAnswer {
  const cached = cachedByCode(code);
  if (cached) return { kind: 'product', product: fromCache(cached, cur), offline: true };
  const found = searchCached(code, 10).map((p) => fromCache(p, cur));
  return found.length > 0 ? { kind: 'choose', products: found, offline: true } : { kind: 'unknown', offline: true };
}

export async function scan(client: Client, code: string, cur: Currency, reachable: boolean): Promise<ScanAnswer> {
  if (!reachable) {
    const offline = offlineScan(code, cur);
    if (offline.kind === 'product') return offline;
  }
  if (looksLikeCode(code)) {
    const byCode = await client.query(ProductByCodeDocument, { code }, { requestPolicy: 'network-only' }).toPromise();
    if (byCode.error) return offlineScan(code, cur);
    const product = byCode.data?.productByCode;
    if (product?.active) {
      remember(product);
      return { kind: 'product', product: toCartProduct(product, cur), offline: false };
    }
  }
  const searched = await search(client, code, cur);
  if (searched.offline) return offlineScan(code, cur);
  const [first] = searched.products;
  if (!first) return { kind: 'unknown', offline: false };
  if (searched.exactFirst) return { kind: 'product', product: first, offline: false };
  return { kind: 'choose', products: searched.products, offline: false };
}

export async function search(
  client: Client,
  query: string,
  cur: Currency,
): Promise<SearchAnswer & { exactFirst: boolean }> {
  const result = await client.query(SearchProductsDocument, { query, first: 10 }, { requestPolicy: 'cache-first' }).toPromise();
  if (result.error || !result.data) {
    return { products: searchCached(query, 10).map((p) => fromCache(p, cur)), offline: true, exactFirst: false };
  }
  const hits = result.data.searchProducts;
  for (const hit of hits) remember(hit.product);
  return {
    products: hits.map((hit) => toCartProduct(hit.product, cur)),
    offline: false,
    exactFirst: hits[0]?.matchedBy.includes('EXACT_CODE') ?? false,
  };
}

/** The results of a search this client already made, if its cache still holds them. */
export function cachedSearch(client: Client, query: string, cur: Currency): CartProduct[] | null {
  const hit = client.readQuery(SearchProductsDocument, { query, first: 10 });
  const hits = hit?.data?.searchProducts;
  return hits ? hits.map((h) => toCartProduct(h.product, cur)) : null;
}
