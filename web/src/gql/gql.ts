/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation Login($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      accessToken\n      refreshToken\n      expiresAt\n      user { id username fullName role active }\n    }\n  }\n": typeof types.LoginDocument,
    "\n  mutation RefreshSession($refreshToken: String!) {\n    refreshSession(refreshToken: $refreshToken) { accessToken refreshToken expiresAt }\n  }\n": typeof types.RefreshSessionDocument,
    "\n  mutation Logout($refreshToken: String!) {\n    logout(refreshToken: $refreshToken)\n  }\n": typeof types.LogoutDocument,
    "\n  query Me {\n    me { id username fullName role active }\n  }\n": typeof types.MeDocument,
    "\n  query Sale($id: ID!) {\n    sale(id: $id) {\n      id number status createdAt\n      total { amount currency }\n      taxTotal { amount }\n      lines { id sku name quantity refundedQuantity total { amount } }\n      payments { method amount { amount } }\n      refunds { id amount { amount } createdAt }\n      voidReason voidedAt voidedBy { username }\n      receiptText\n    }\n  }\n": typeof types.SaleDocument,
    "\n  query Sales($filter: SaleFilter, $first: Int, $after: String) {\n    sales(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { id number status createdAt total { amount } cashier { username } } }\n    }\n  }\n": typeof types.SalesDocument,
    "\n  mutation RefundSale($input: RefundSaleInput!) {\n    refundSale(input: $input) {\n      id reason restocked createdAt\n      amount { amount currency }\n      lines { quantity amount { amount } saleLine { id } }\n      sale { id status }\n    }\n  }\n": typeof types.RefundSaleDocument,
    "\n  mutation VoidSale($id: ID!, $reason: String!) {\n    voidSale(id: $id, reason: $reason) { id status }\n  }\n": typeof types.VoidSaleDocument,
    "\n  query Locations {\n    locations { id code name currency timezone pricesIncludeTax legalName taxId address receiptFooter language }\n  }\n": typeof types.LocationsDocument,
    "\n  mutation OpenRegister($input: OpenRegisterInput!) {\n    openRegister(input: $input) {\n      id registerName status openedAt\n      openingFloat { amount currency }\n      openedBy { username }\n    }\n  }\n": typeof types.OpenRegisterDocument,
    "\n  query OpenRegisterSessions($locationId: ID!) {\n    openRegisterSessions(locationId: $locationId) { id registerName openedAt openedBy { username } }\n  }\n": typeof types.OpenRegisterSessionsDocument,
    "\n  query RegisterSession($id: ID!) {\n    registerSession(id: $id) {\n      id registerName status openedAt closedAt\n      location { id code }\n      openingFloat { amount }\n      expectedCash { amount }\n      cashMovements { id kind reason createdAt amount { amount } }\n      totals {\n        salesCount\n        grossSales { amount }\n        refundsTotal { amount }\n        taxTotal { amount }\n        byPaymentMethod { method amount { amount } }\n      }\n    }\n  }\n": typeof types.RegisterSessionDocument,
    "\n  mutation RecordCashMovement($input: CashMovementInput!) {\n    recordCashMovement(input: $input) { id kind reason amount { amount currency } }\n  }\n": typeof types.RecordCashMovementDocument,
    "\n  mutation CloseRegister($input: CloseRegisterInput!) {\n    closeRegister(input: $input) {\n      id status closedAt\n      expectedCash { amount currency }\n      countedCash { amount }\n      overShort { amount }\n      totals {\n        salesCount\n        grossSales { amount }\n        refundsTotal { amount }\n        taxTotal { amount }\n        byPaymentMethod { method amount { amount } }\n      }\n    }\n  }\n": typeof types.CloseRegisterDocument,
    "\n  query ProductByCode($code: String!) {\n    productByCode(code: $code) {\n      id sku barcode name unit active\n      price { amount currency }\n      taxRate { ratePercent }\n      stock { location { id } onHand }\n    }\n  }\n": typeof types.ProductByCodeDocument,
    "\n  query SearchProducts($query: String!, $first: Int) {\n    searchProducts(query: $query, first: $first) {\n      score\n      matchedBy\n      product { id sku barcode name unit price { amount currency } taxRate { ratePercent } }\n    }\n  }\n": typeof types.SearchProductsDocument,
    "\n  query Customers($search: String, $first: Int, $after: String) {\n    customers(search: $search, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { id name email phone taxId } }\n    }\n  }\n": typeof types.CustomersDocument,
    "\n  mutation CreateCustomer($input: CreateCustomerInput!) {\n    createCustomer(input: $input) { id name email phone taxId }\n  }\n": typeof types.CreateCustomerDocument,
    "\n  subscription LowStockAlerts($locationId: ID!) {\n    lowStockAlerts(locationId: $locationId) { onHand threshold product { id sku name } }\n  }\n": typeof types.LowStockAlertsDocument,
    "\n  mutation CreateSale($input: CreateSaleInput!) {\n    createSale(input: $input) {\n      id number status createdAt\n      subtotal { amount currency }\n      discountTotal { amount }\n      taxTotal { amount }\n      total { amount currency }\n      amountPaid { amount }\n      change { amount }\n      lines {\n        id sku name quantity\n        product { id }\n        unitPrice { amount }\n        discount { amount }\n        taxAmount { amount }\n        total { amount }\n      }\n      payments { method reference amount { amount } }\n      customer { id name }\n      cashier { username }\n      registerSession { id }\n      receiptText\n    }\n  }\n": typeof types.CreateSaleDocument,
};
const documents: Documents = {
    "\n  mutation Login($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      accessToken\n      refreshToken\n      expiresAt\n      user { id username fullName role active }\n    }\n  }\n": types.LoginDocument,
    "\n  mutation RefreshSession($refreshToken: String!) {\n    refreshSession(refreshToken: $refreshToken) { accessToken refreshToken expiresAt }\n  }\n": types.RefreshSessionDocument,
    "\n  mutation Logout($refreshToken: String!) {\n    logout(refreshToken: $refreshToken)\n  }\n": types.LogoutDocument,
    "\n  query Me {\n    me { id username fullName role active }\n  }\n": types.MeDocument,
    "\n  query Sale($id: ID!) {\n    sale(id: $id) {\n      id number status createdAt\n      total { amount currency }\n      taxTotal { amount }\n      lines { id sku name quantity refundedQuantity total { amount } }\n      payments { method amount { amount } }\n      refunds { id amount { amount } createdAt }\n      voidReason voidedAt voidedBy { username }\n      receiptText\n    }\n  }\n": types.SaleDocument,
    "\n  query Sales($filter: SaleFilter, $first: Int, $after: String) {\n    sales(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { id number status createdAt total { amount } cashier { username } } }\n    }\n  }\n": types.SalesDocument,
    "\n  mutation RefundSale($input: RefundSaleInput!) {\n    refundSale(input: $input) {\n      id reason restocked createdAt\n      amount { amount currency }\n      lines { quantity amount { amount } saleLine { id } }\n      sale { id status }\n    }\n  }\n": types.RefundSaleDocument,
    "\n  mutation VoidSale($id: ID!, $reason: String!) {\n    voidSale(id: $id, reason: $reason) { id status }\n  }\n": types.VoidSaleDocument,
    "\n  query Locations {\n    locations { id code name currency timezone pricesIncludeTax legalName taxId address receiptFooter language }\n  }\n": types.LocationsDocument,
    "\n  mutation OpenRegister($input: OpenRegisterInput!) {\n    openRegister(input: $input) {\n      id registerName status openedAt\n      openingFloat { amount currency }\n      openedBy { username }\n    }\n  }\n": types.OpenRegisterDocument,
    "\n  query OpenRegisterSessions($locationId: ID!) {\n    openRegisterSessions(locationId: $locationId) { id registerName openedAt openedBy { username } }\n  }\n": types.OpenRegisterSessionsDocument,
    "\n  query RegisterSession($id: ID!) {\n    registerSession(id: $id) {\n      id registerName status openedAt closedAt\n      location { id code }\n      openingFloat { amount }\n      expectedCash { amount }\n      cashMovements { id kind reason createdAt amount { amount } }\n      totals {\n        salesCount\n        grossSales { amount }\n        refundsTotal { amount }\n        taxTotal { amount }\n        byPaymentMethod { method amount { amount } }\n      }\n    }\n  }\n": types.RegisterSessionDocument,
    "\n  mutation RecordCashMovement($input: CashMovementInput!) {\n    recordCashMovement(input: $input) { id kind reason amount { amount currency } }\n  }\n": types.RecordCashMovementDocument,
    "\n  mutation CloseRegister($input: CloseRegisterInput!) {\n    closeRegister(input: $input) {\n      id status closedAt\n      expectedCash { amount currency }\n      countedCash { amount }\n      overShort { amount }\n      totals {\n        salesCount\n        grossSales { amount }\n        refundsTotal { amount }\n        taxTotal { amount }\n        byPaymentMethod { method amount { amount } }\n      }\n    }\n  }\n": types.CloseRegisterDocument,
    "\n  query ProductByCode($code: String!) {\n    productByCode(code: $code) {\n      id sku barcode name unit active\n      price { amount currency }\n      taxRate { ratePercent }\n      stock { location { id } onHand }\n    }\n  }\n": types.ProductByCodeDocument,
    "\n  query SearchProducts($query: String!, $first: Int) {\n    searchProducts(query: $query, first: $first) {\n      score\n      matchedBy\n      product { id sku barcode name unit price { amount currency } taxRate { ratePercent } }\n    }\n  }\n": types.SearchProductsDocument,
    "\n  query Customers($search: String, $first: Int, $after: String) {\n    customers(search: $search, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { id name email phone taxId } }\n    }\n  }\n": types.CustomersDocument,
    "\n  mutation CreateCustomer($input: CreateCustomerInput!) {\n    createCustomer(input: $input) { id name email phone taxId }\n  }\n": types.CreateCustomerDocument,
    "\n  subscription LowStockAlerts($locationId: ID!) {\n    lowStockAlerts(locationId: $locationId) { onHand threshold product { id sku name } }\n  }\n": types.LowStockAlertsDocument,
    "\n  mutation CreateSale($input: CreateSaleInput!) {\n    createSale(input: $input) {\n      id number status createdAt\n      subtotal { amount currency }\n      discountTotal { amount }\n      taxTotal { amount }\n      total { amount currency }\n      amountPaid { amount }\n      change { amount }\n      lines {\n        id sku name quantity\n        product { id }\n        unitPrice { amount }\n        discount { amount }\n        taxAmount { amount }\n        total { amount }\n      }\n      payments { method reference amount { amount } }\n      customer { id name }\n      cashier { username }\n      registerSession { id }\n      receiptText\n    }\n  }\n": types.CreateSaleDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      accessToken\n      refreshToken\n      expiresAt\n      user { id username fullName role active }\n    }\n  }\n"): (typeof documents)["\n  mutation Login($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      accessToken\n      refreshToken\n      expiresAt\n      user { id username fullName role active }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RefreshSession($refreshToken: String!) {\n    refreshSession(refreshToken: $refreshToken) { accessToken refreshToken expiresAt }\n  }\n"): (typeof documents)["\n  mutation RefreshSession($refreshToken: String!) {\n    refreshSession(refreshToken: $refreshToken) { accessToken refreshToken expiresAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Logout($refreshToken: String!) {\n    logout(refreshToken: $refreshToken)\n  }\n"): (typeof documents)["\n  mutation Logout($refreshToken: String!) {\n    logout(refreshToken: $refreshToken)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me { id username fullName role active }\n  }\n"): (typeof documents)["\n  query Me {\n    me { id username fullName role active }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Sale($id: ID!) {\n    sale(id: $id) {\n      id number status createdAt\n      total { amount currency }\n      taxTotal { amount }\n      lines { id sku name quantity refundedQuantity total { amount } }\n      payments { method amount { amount } }\n      refunds { id amount { amount } createdAt }\n      voidReason voidedAt voidedBy { username }\n      receiptText\n    }\n  }\n"): (typeof documents)["\n  query Sale($id: ID!) {\n    sale(id: $id) {\n      id number status createdAt\n      total { amount currency }\n      taxTotal { amount }\n      lines { id sku name quantity refundedQuantity total { amount } }\n      payments { method amount { amount } }\n      refunds { id amount { amount } createdAt }\n      voidReason voidedAt voidedBy { username }\n      receiptText\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Sales($filter: SaleFilter, $first: Int, $after: String) {\n    sales(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { id number status createdAt total { amount } cashier { username } } }\n    }\n  }\n"): (typeof documents)["\n  query Sales($filter: SaleFilter, $first: Int, $after: String) {\n    sales(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { id number status createdAt total { amount } cashier { username } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RefundSale($input: RefundSaleInput!) {\n    refundSale(input: $input) {\n      id reason restocked createdAt\n      amount { amount currency }\n      lines { quantity amount { amount } saleLine { id } }\n      sale { id status }\n    }\n  }\n"): (typeof documents)["\n  mutation RefundSale($input: RefundSaleInput!) {\n    refundSale(input: $input) {\n      id reason restocked createdAt\n      amount { amount currency }\n      lines { quantity amount { amount } saleLine { id } }\n      sale { id status }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation VoidSale($id: ID!, $reason: String!) {\n    voidSale(id: $id, reason: $reason) { id status }\n  }\n"): (typeof documents)["\n  mutation VoidSale($id: ID!, $reason: String!) {\n    voidSale(id: $id, reason: $reason) { id status }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Locations {\n    locations { id code name currency timezone pricesIncludeTax legalName taxId address receiptFooter language }\n  }\n"): (typeof documents)["\n  query Locations {\n    locations { id code name currency timezone pricesIncludeTax legalName taxId address receiptFooter language }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OpenRegister($input: OpenRegisterInput!) {\n    openRegister(input: $input) {\n      id registerName status openedAt\n      openingFloat { amount currency }\n      openedBy { username }\n    }\n  }\n"): (typeof documents)["\n  mutation OpenRegister($input: OpenRegisterInput!) {\n    openRegister(input: $input) {\n      id registerName status openedAt\n      openingFloat { amount currency }\n      openedBy { username }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OpenRegisterSessions($locationId: ID!) {\n    openRegisterSessions(locationId: $locationId) { id registerName openedAt openedBy { username } }\n  }\n"): (typeof documents)["\n  query OpenRegisterSessions($locationId: ID!) {\n    openRegisterSessions(locationId: $locationId) { id registerName openedAt openedBy { username } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RegisterSession($id: ID!) {\n    registerSession(id: $id) {\n      id registerName status openedAt closedAt\n      location { id code }\n      openingFloat { amount }\n      expectedCash { amount }\n      cashMovements { id kind reason createdAt amount { amount } }\n      totals {\n        salesCount\n        grossSales { amount }\n        refundsTotal { amount }\n        taxTotal { amount }\n        byPaymentMethod { method amount { amount } }\n      }\n    }\n  }\n"): (typeof documents)["\n  query RegisterSession($id: ID!) {\n    registerSession(id: $id) {\n      id registerName status openedAt closedAt\n      location { id code }\n      openingFloat { amount }\n      expectedCash { amount }\n      cashMovements { id kind reason createdAt amount { amount } }\n      totals {\n        salesCount\n        grossSales { amount }\n        refundsTotal { amount }\n        taxTotal { amount }\n        byPaymentMethod { method amount { amount } }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RecordCashMovement($input: CashMovementInput!) {\n    recordCashMovement(input: $input) { id kind reason amount { amount currency } }\n  }\n"): (typeof documents)["\n  mutation RecordCashMovement($input: CashMovementInput!) {\n    recordCashMovement(input: $input) { id kind reason amount { amount currency } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CloseRegister($input: CloseRegisterInput!) {\n    closeRegister(input: $input) {\n      id status closedAt\n      expectedCash { amount currency }\n      countedCash { amount }\n      overShort { amount }\n      totals {\n        salesCount\n        grossSales { amount }\n        refundsTotal { amount }\n        taxTotal { amount }\n        byPaymentMethod { method amount { amount } }\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CloseRegister($input: CloseRegisterInput!) {\n    closeRegister(input: $input) {\n      id status closedAt\n      expectedCash { amount currency }\n      countedCash { amount }\n      overShort { amount }\n      totals {\n        salesCount\n        grossSales { amount }\n        refundsTotal { amount }\n        taxTotal { amount }\n        byPaymentMethod { method amount { amount } }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProductByCode($code: String!) {\n    productByCode(code: $code) {\n      id sku barcode name unit active\n      price { amount currency }\n      taxRate { ratePercent }\n      stock { location { id } onHand }\n    }\n  }\n"): (typeof documents)["\n  query ProductByCode($code: String!) {\n    productByCode(code: $code) {\n      id sku barcode name unit active\n      price { amount currency }\n      taxRate { ratePercent }\n      stock { location { id } onHand }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SearchProducts($query: String!, $first: Int) {\n    searchProducts(query: $query, first: $first) {\n      score\n      matchedBy\n      product { id sku barcode name unit price { amount currency } taxRate { ratePercent } }\n    }\n  }\n"): (typeof documents)["\n  query SearchProducts($query: String!, $first: Int) {\n    searchProducts(query: $query, first: $first) {\n      score\n      matchedBy\n      product { id sku barcode name unit price { amount currency } taxRate { ratePercent } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Customers($search: String, $first: Int, $after: String) {\n    customers(search: $search, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { id name email phone taxId } }\n    }\n  }\n"): (typeof documents)["\n  query Customers($search: String, $first: Int, $after: String) {\n    customers(search: $search, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { id name email phone taxId } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateCustomer($input: CreateCustomerInput!) {\n    createCustomer(input: $input) { id name email phone taxId }\n  }\n"): (typeof documents)["\n  mutation CreateCustomer($input: CreateCustomerInput!) {\n    createCustomer(input: $input) { id name email phone taxId }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LowStockAlerts($locationId: ID!) {\n    lowStockAlerts(locationId: $locationId) { onHand threshold product { id sku name } }\n  }\n"): (typeof documents)["\n  subscription LowStockAlerts($locationId: ID!) {\n    lowStockAlerts(locationId: $locationId) { onHand threshold product { id sku name } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateSale($input: CreateSaleInput!) {\n    createSale(input: $input) {\n      id number status createdAt\n      subtotal { amount currency }\n      discountTotal { amount }\n      taxTotal { amount }\n      total { amount currency }\n      amountPaid { amount }\n      change { amount }\n      lines {\n        id sku name quantity\n        product { id }\n        unitPrice { amount }\n        discount { amount }\n        taxAmount { amount }\n        total { amount }\n      }\n      payments { method reference amount { amount } }\n      customer { id name }\n      cashier { username }\n      registerSession { id }\n      receiptText\n    }\n  }\n"): (typeof documents)["\n  mutation CreateSale($input: CreateSaleInput!) {\n    createSale(input: $input) {\n      id number status createdAt\n      subtotal { amount currency }\n      discountTotal { amount }\n      taxTotal { amount }\n      total { amount currency }\n      amountPaid { amount }\n      change { amount }\n      lines {\n        id sku name quantity\n        product { id }\n        unitPrice { amount }\n        discount { amount }\n        taxAmount { amount }\n        total { amount }\n      }\n      payments { method reference amount { amount } }\n      customer { id name }\n      cashier { username }\n      registerSession { id }\n      receiptText\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;