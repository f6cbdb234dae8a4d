import { graphql } from '../gql';

// The checkout; the contract's selection plus receiptText, so the receipt shows without a
// second round trip.
export const CreateSaleDocument = graphql(`
  mutation CreateSale($input: CreateSaleInput!) {
    createSale(input: $input) {
      id number status createdAt
      subtotal { amount currency }
      discountTotal { amount }
      taxTotal { amount }
      total { amount currency }
      amountPaid { amount }
      change { amount }
      lines {
        id sku name quantity
        product { id }
        unitPrice { amount }
        discount { amount }
        taxAmount { amount }
        total { amount }
      }
      payments { method reference amount { amount } }
      customer { id name }
      cashier { username }
      registerSession { id }
      receiptText
    }
  }
`);
