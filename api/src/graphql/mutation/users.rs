use async_graphql::{Context, ID, InputObject, Object};
use domain::auth::{Password, Role as DomainRole};
use domain::users::{FullName, NewUser, UserChanges, Username};

use crate::graphql::context::{parse_id, principal, services};
use crate::graphql::guards::RoleGuard;
use crate::graphql::types::user::{Role, User};

/// A new user.
#[derive(InputObject)]
pub struct CreateUserInput {
    /// Login name: 3 to 50 of a-z, 0-9, `.`, `_`, `-`, starting with a letter or digit; stored
    /// in lower case. Taken: CONFLICT on `username`.
    pub username: String,
    /// Name shown on screens and receipts (1 to 100 characters).
    pub full_name: String,
    /// Initial password: 8 to 128 characters.
    pub password: String,
    /// What the user may do.
    pub role: Role,
}

/// Changes to a user; an absent (or null) field is left as it is.
#[derive(InputObject)]
pub struct UpdateUserInput {
    /// New display name.
    pub full_name: Option<String>,
    /// New role. The last active ADMIN cannot be demoted (CONFLICT).
    pub role: Option<Role>,
    /// A new password (8 to 128 characters): resets it, ends all the user's sessions and
    /// refuses their access tokens within 60 seconds.
    pub password: Option<String>,
}

#[derive(Default)]
pub struct UserMutation;

#[Object]
impl UserMutation {
    /// Creates a user. ADMIN only.
    #[graphql(guard = "RoleGuard(DomainRole::Admin)")]
    async fn create_user(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new user.")] input: CreateUserInput,
    ) -> async_graphql::Result<User> {
        let actor = principal(ctx).await?;
        let new = NewUser {
            username: Username::parse(&input.username)?,
            full_name: FullName::parse(&input.full_name)?,
            password: Password::parse(input.password, "password")?,
            role: input.role.into(),
        };
        let services = services(ctx)?;
        Ok(User(
            domain::users::create(&services.db, &services.auth, Some(actor), new).await?,
        ))
    }

    /// Changes a user's name or role, or resets their password. ADMIN only.
    #[graphql(guard = "RoleGuard(DomainRole::Admin)")]
    async fn update_user(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The user to change.")] id: ID,
        #[graphql(desc = "What to change.")] input: UpdateUserInput,
    ) -> async_graphql::Result<User> {
        let actor = principal(ctx).await?;
        let id = parse_id(&id, "id")?;
        let changes = UserChanges {
            full_name: input
                .full_name
                .as_deref()
                .map(FullName::parse)
                .transpose()?,
            role: input.role.map(Into::into),
            password: input
                .password
                .map(|p| Password::parse(p, "password"))
                .transpose()?,
        };
        let services = services(ctx)?;
        Ok(User(
            domain::users::update(&services.db, &services.auth, actor, id, changes).await?,
        ))
    }

    /// Activates or deactivates a user. Deactivated users cannot log in, their refresh tokens
    /// stop working and their access tokens are refused within 60 seconds. The last active
    /// ADMIN cannot be deactivated (CONFLICT). ADMIN only.
    #[graphql(guard = "RoleGuard(DomainRole::Admin)")]
    async fn set_user_active(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The user to change.")] id: ID,
        #[graphql(desc = "true to let the user log in, false to lock them out.")] active: bool,
    ) -> async_graphql::Result<User> {
        let actor = principal(ctx).await?;
        let id = parse_id(&id, "id")?;
        let services = services(ctx)?;
        Ok(User(
            domain::users::set_active(&services.db, &services.auth, actor, id, active).await?,
        ))
    }
}
