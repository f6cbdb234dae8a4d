use async_graphql::{Context, Object};
use domain::auth::Role;

use crate::graphql::context::{principal, services};
use crate::graphql::guards::RoleGuard;
use crate::graphql::pagination::{listing, page_request};
use crate::graphql::types::user::{User, UserConnection};

#[derive(Default)]
pub struct UserQuery;

#[Object]
impl UserQuery {
    /// The signed-in user. Any role.
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<User> {
        let caller = principal(ctx).await?;
        let db = &services(ctx)?.db;
        Ok(User(domain::users::get(db, caller.user_id).await?))
    }

    /// All users, by username. ADMIN and MANAGER (managers read only).
    #[graphql(
        guard = "RoleGuard(Role::Manager)",
        complexity = "crate::graphql::pagination::page_cost(first, child_complexity)"
    )]
    async fn users(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size: default 20, at most 100.")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge already seen (`pageInfo.endCursor`).")]
        after: Option<String>,
    ) -> async_graphql::Result<UserConnection> {
        let request = page_request("user", first, after, |key| Some(key.to_owned()))?;
        let db = services(ctx)?.db.clone();
        let page = domain::users::list(&db, &request).await?;
        Ok(listing(
            "user",
            page,
            |user| user.username.clone(),
            User,
            Box::new(move || {
                let db = db.clone();
                Box::pin(async move { domain::users::count(&db).await })
            }),
        )
        .into())
    }
}
