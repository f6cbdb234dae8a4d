//! Role guards: `#[graphql(guard = "RoleGuard(Role::Manager)")]` lets MANAGER and ADMIN in.

use async_graphql::{Context, Guard};
use domain::Error;
use domain::auth::Role;

use super::context::principal;

/// Admits callers whose role is the given one or above (ADMIN > MANAGER > CASHIER); anonymous
/// callers get UNAUTHENTICATED, others FORBIDDEN.
pub struct RoleGuard(pub Role);

impl Guard for RoleGuard {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        let caller = principal(ctx).await?;
        if caller.has_role(self.0) {
            Ok(())
        } else {
            Err(Error::Forbidden.into())
        }
    }
}
