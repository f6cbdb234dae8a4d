import type { Client } from '@urql/core';
import { errorOf, type AppError } from '../lib/errors';
import { SaleDocument, SalesDocument } from './operations';
import type { SaleQuery } from '../gql/graphql';

export type FoundSale = SaleQuery['sale'];

/** A sale by the number printed on its receipt. */
export async function findSale(client: Client, number: string): Promise<{ sale: FoundSale | null; error: AppError | null }> {
  const list = await client.query(SalesDocument, { filter: { number: number.trim().toUpperCase() }, first: 1 }).toPromise();
  if (list.error) return { sale: null, error: errorOf(list.error) };
  const id = list.data?.sales.edges[0]?.node.id;
  if (!id) return { sale: null, error: null };
  const one = await client.query(SaleDocument, { id }).toPromise();
  if (one.error) return { sale: null, error: errorOf(one.error) };
  return { sale: one.data?.sale ?? null, error: null };
}
