import { graphql } from '../gql';

export const SaleDocument = graphql(`
  query Sale($id: ID!) {
    sale(id: $id) {
      id number status createdAt
      total { amount currency }
      taxTotal { amount }
      lines { id sku name quantity refundedQuantity total { amount } }
      payments { method amount { amount } }
      refunds { id amount { amount } createdAt }
      voidReason voidedAt voidedBy { username }
      receiptText
    }
  }
`);

export const SalesDocument = graphql(`
  query Sales($filter: SaleFilter, $first: Int, $after: String) {
    sales(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id number status createdAt total { amount } cashier { username } } }
    }
  }
`);

export const RefundSaleDocument = graphql(`
  mutation RefundSale($input: RefundSaleInput!) {
    refundSale(input: $input) {
      id reason restocked createdAt
      amount { amount currency }
      lines { quantity amount { amount } saleLine { id } }
      sale { id status }
    }
  }
`);

export const VoidSaleDocument = graphql(`
  mutation VoidSale($id: ID!, $reason: String!) {
    voidSale(id: $id, reason: $reason) { id status }
  }
`);
