import { graphql } from '../gql';

// Any user. Wrong username or password: UNAUTHENTICATED; too many failures: RATE_LIMITED.
export const LoginDocument = graphql(`
  mutation Login($username: String!, $password: String!) {
    login(username: $username, password: $password) {
      accessToken
      refreshToken
      expiresAt
      user { id username fullName role active }
    }
  }
`);

// Rotates: the old refresh token stops working; a rotated one presented again ends the session.
export const RefreshSessionDocument = graphql(`
  mutation RefreshSession($refreshToken: String!) {
    refreshSession(refreshToken: $refreshToken) { accessToken refreshToken expiresAt }
  }
`);

export const LogoutDocument = graphql(`
  mutation Logout($refreshToken: String!) {
    logout(refreshToken: $refreshToken)
  }
`);

export const MeDocument = graphql(`
  query Me {
    me { id username fullName role active }
  }
`);
