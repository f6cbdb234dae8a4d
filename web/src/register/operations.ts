import { graphql } from '../gql';

export const LocationsDocument = graphql(`
  query Locations {
    locations { id code name currency timezone pricesIncludeTax }
  }
`);

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
