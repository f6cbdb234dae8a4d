import { graphql } from '../gql';

// Exact barcode or SKU, as a scanner sends it; unknown: null. The contract's selection, plus
// what the cart needs to check quantities (unit) and to find the product again offline.
export const ProductByCodeDocument = graphql(`
  query ProductByCode($code: String!) {
    productByCode(code: $code) {
      id sku barcode name unit active
      price { amount currency }
      taxRate { ratePercent }
      stock { location { id } onHand }
    }
  }
`);

// The register's search box: exact codes, then words, then meaning.
export const SearchProductsDocument = graphql(`
  query SearchProducts($query: String!, $first: Int) {
    searchProducts(query: $query, first: $first) {
      score
      matchedBy
      product { id sku barcode name unit price { amount currency } taxRate { ratePercent } }
    }
  }
`);

export const CustomersDocument = graphql(`
  query Customers($search: String, $first: Int, $after: String) {
    customers(search: $search, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id name email phone taxId } }
    }
  }
`);

export const CreateCustomerDocument = graphql(`
  mutation CreateCustomer($input: CreateCustomerInput!) {
    createCustomer(input: $input) { id name email phone taxId }
  }
`);

export const LowStockAlertsDocument = graphql(`
  subscription LowStockAlerts($locationId: ID!) {
    lowStockAlerts(locationId: $locationId) { onHand threshold product { id sku name } }
  }
`);
