import { graphql } from '../gql';
import type { LocationsQuery } from '../gql/graphql';
import type { ShopLocation } from '../shell/context';

export const LocationsDocument = graphql(`
  query Locations {
    locations { id code name currency timezone pricesIncludeTax legalName taxId address receiptFooter language }
  }
`);

/** A location as the screen keeps it (localStorage), receipts' details included. */
export function shopLocation(l: LocationsQuery['locations'][number]): ShopLocation {
  return {
    id: l.id,
    code: l.code,
    name: l.name,
    currency: l.currency,
    pricesIncludeTax: l.pricesIncludeTax,
    legalName: l.legalName ?? null,
    taxId: l.taxId ?? null,
    address: l.address ?? null,
    receiptFooter: l.receiptFooter ?? null,
    language: l.language,
  };
}

export const OpenRegisterDocument = graphql(`
  mutation OpenRegister($input: OpenRegisterInput!) {
    openRegister(input: $input) {
      id registerName status openedAt
      openingFloat { amount currency }
      openedBy { username }
    }
  }
`);

export const OpenRegisterSessionsDocument = graphql(`
  query OpenRegisterSessions($locationId: ID!) {
    openRegisterSessions(locationId: $locationId) { id registerName openedAt openedBy { username } }
  }
`);

// totals while OPEN is the X report.
export const RegisterSessionDocument = graphql(`
  query RegisterSession($id: ID!) {
    registerSession(id: $id) {
      id registerName status openedAt closedAt
      location { id code }
      openingFloat { amount }
      expectedCash { amount }
      cashMovements { id kind reason createdAt amount { amount } }
      totals {
        salesCount
        grossSales { amount }
        refundsTotal { amount }
        taxTotal { amount }
        byPaymentMethod { method amount { amount } }
      }
    }
  }
`);

export const RecordCashMovementDocument = graphql(`
  mutation RecordCashMovement($input: CashMovementInput!) {
    recordCashMovement(input: $input) { id kind reason amount { amount currency } }
  }
`);

export const CloseRegisterDocument = graphql(`
  mutation CloseRegister($input: CloseRegisterInput!) {
    closeRegister(input: $input) {
      id status closedAt
      expectedCash { amount currency }
      countedCash { amount }
      overShort { amount }
      totals {
        salesCount
        grossSales { amount }
        refundsTotal { amount }
        taxTotal { amount }
        byPaymentMethod { method amount { amount } }
      }
    }
  }
`);
