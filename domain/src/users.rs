//! Users: who may log in, with which role. Every change writes an audit row.

use chrono::Utc;
use entity::user::{self, Role};
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use crate::audit;
use crate::auth::{self, Auth, Password, Principal};
use crate::error::{Error, Result, unique_violation};
use crate::pagination::{Page, PageRequest};

/// How usernames are compared: surrounding spaces dropped, lower case.
pub fn normalize_username(raw: &str) -> String {
    raw.trim().to_lowercase()
}

/// A valid username: 3 to 50 of `a-z 0-9 . _ -`, starting with a letter or digit, stored in
/// lower case (so `Ana` and `ana` are one user).
#[derive(Debug, Clone)]
pub struct Username(String);

impl Username {
    pub fn parse(raw: &str) -> Result<Self> {
        let name = normalize_username(raw);
        let field = "username";
        if name.is_empty() {
            return Err(Error::bad_input(field, "username is required"));
        }
        if !(3..=50).contains(&name.chars().count()) {
            return Err(Error::bad_input(
                field,
                "username must be 3 to 50 characters",
            ));
        }
        let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c);
        if !name.chars().all(allowed) || !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return Err(Error::bad_input(
                field,
                "username may hold only letters a-z, digits, '.', '_' and '-', and must start with a letter or digit",
            ));
        }
        Ok(Username(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A person's display name: 1 to 100 characters once trimmed.
#[derive(Debug, Clone)]
pub struct FullName(String);

impl FullName {
    pub fn parse(raw: &str) -> Result<Self> {
        let name = raw.trim();
        if name.is_empty() {
            return Err(Error::bad_input("fullName", "full name is required"));
        }
        if name.chars().count() > 100 {
            return Err(Error::bad_input(
                "fullName",
                "full name must be at most 100 characters",
            ));
        }
        Ok(FullName(name.to_owned()))
    }
}

#[derive(Debug)]
pub struct NewUser {
    pub username: Username,
    pub full_name: FullName,
    pub password: Password,
    pub role: Role,
}

/// A partial update: `None` leaves a field alone.
#[derive(Debug, Default)]
pub struct UserChanges {
    pub full_name: Option<FullName>,
    pub role: Option<Role>,
    pub password: Option<Password>,
}

pub async fn get(conn: &impl ConnectionTrait, id: Uuid) -> Result<user::Model> {
    user::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(Error::NotFound { entity: "user" })
}

/// Several users by id, in no particular order (for DataLoaders).
pub async fn get_many(conn: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Vec<user::Model>> {
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?)
}

/// Users in username order; the page key is the last username seen.
pub async fn list(
    conn: &impl ConnectionTrait,
    page: &PageRequest<String>,
) -> Result<Page<user::Model>> {
    let mut query = user::Entity::find().order_by_asc(user::Column::Username);
    if let Some(after) = &page.after {
        query = query.filter(user::Column::Username.gt(after.as_str()));
    }
    let rows = query.limit(page.first + 1).all(conn).await?;
    Ok(Page::from_rows(rows, page.first))
}

/// The oldest active ADMIN: who the command line acts as.
pub async fn oldest_active_admin(conn: &impl ConnectionTrait) -> Result<user::Model> {
    user::Entity::find()
        .filter(user::Column::Role.eq(Role::Admin))
        .filter(user::Column::Active.eq(true))
        .order_by_asc(user::Column::Id)
        .one(conn)
        .await?
        .ok_or(Error::not_found("active ADMIN user"))
}

pub async fn count(conn: &impl ConnectionTrait) -> Result<u64> {
    Ok(user::Entity::find().count(conn).await?)
}

/// Creates a user. `actor` is `None` for the command line.
pub async fn create(
    db: &DatabaseConnection,
    auth: &Auth,
    actor: Option<&Principal>,
    new: NewUser,
) -> Result<user::Model> {
    let hash = auth.passwords().hash(&new.password).await?;
    let txn = db.begin().await?;
    let created = insert(&txn, &new, hash, actor.map(|a| a.user_id)).await?;
    txn.commit().await?;
    Ok(created)
}

/// Inserts a user and its audit row in the caller's transaction.
pub(crate) async fn insert(
    conn: &impl ConnectionTrait,
    new: &NewUser,
    password_hash: String,
    actor: Option<Uuid>,
) -> Result<user::Model> {
    let taken = user::Entity::find()
        .filter(user::Column::Username.eq(new.username.as_str()))
        .count(conn)
        .await?;
    if taken > 0 {
        return Err(username_taken());
    }
    let now = Utc::now();
    let created = user::ActiveModel {
        id: Set(Uuid::now_v7()),
        username: Set(new.username.0.clone()),
        full_name: Set(new.full_name.0.clone()),
        password_hash: Set(password_hash),
        role: Set(new.role),
        active: Set(true),
        tokens_valid_after: Set(now),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(conn)
    .await
    .map_err(|e| unique_violation(e, "username", USERNAME_TAKEN))?;
    audit::record(
        conn,
        actor,
        "user.create",
        "user",
        Some(created.id.to_string()),
        json!({ "username": created.username, "role": created.role.to_value(), "fullName": created.full_name }),
    )
    .await?;
    Ok(created)
}

const USERNAME_TAKEN: &str = "username is already taken";

fn username_taken() -> Error {
    Error::conflict(Some("username"), USERNAME_TAKEN)
}

/// Changes a user's name or role, or resets their password (which ends all their sessions and
/// refuses their access tokens).
pub async fn update(
    db: &DatabaseConnection,
    auth: &Auth,
    actor: &Principal,
    id: Uuid,
    changes: UserChanges,
) -> Result<user::Model> {
    let hash = match &changes.password {
        Some(password) => Some(auth.passwords().hash(password).await?),
        None => None,
    };
    let now = Utc::now();
    let mut ended = Vec::new();
    let txn = db.begin().await?;
    let current = get(&txn, id).await?;
    let mut changed = serde_json::Map::new();
    let mut row: user::ActiveModel = current.clone().into();
    if let Some(full_name) = changes.full_name
        && full_name.0 != current.full_name
    {
        changed.insert(
            "fullName".into(),
            json!({ "from": current.full_name, "to": full_name.0 }),
        );
        row.full_name = Set(full_name.0);
    }
    if let Some(role) = changes.role
        && role != current.role
    {
        if current.role == Role::Admin && current.active {
            ensure_another_active_admin(&txn, id).await?;
        }
        changed.insert(
            "role".into(),
            json!({ "from": current.role.to_value(), "to": role.to_value() }),
        );
        row.role = Set(role);
    }
    if let Some(hash) = hash {
        changed.insert("password".into(), json!("reset"));
        row.password_hash = Set(hash);
        row.tokens_valid_after = Set(now);
        ended = auth::revoke_all_sessions(&txn, id, now).await?;
    }
    if changed.is_empty() {
        return Ok(current);
    }
    row.updated_at = Set(now);
    let updated = row.update(&txn).await?;
    audit::record(
        &txn,
        Some(actor.user_id),
        "user.update",
        "user",
        Some(id.to_string()),
        changed.into(),
    )
    .await?;
    txn.commit().await?;
    auth.forget_user(id).await;
    auth.end_sessions(&ended).await;
    Ok(updated)
}

/// Activates or deactivates a user. Deactivating ends their sessions: their access tokens are
/// refused at once by this replica and, with Redis, by every replica; otherwise by the others
/// within [`auth::USER_CACHE_TTL`]. Setting the state a user already has changes nothing.
pub async fn set_active(
    db: &DatabaseConnection,
    auth: &Auth,
    actor: &Principal,
    id: Uuid,
    active: bool,
) -> Result<user::Model> {
    let now = Utc::now();
    let mut ended = Vec::new();
    let txn = db.begin().await?;
    let current = get(&txn, id).await?;
    if current.active == active {
        return Ok(current);
    }
    if !active {
        if current.role == Role::Admin {
            ensure_another_active_admin(&txn, id).await?;
        }
        ended = auth::revoke_all_sessions(&txn, id, now).await?;
    }
    let mut row: user::ActiveModel = current.into();
    row.active = Set(active);
    row.updated_at = Set(now);
    let updated = row.update(&txn).await?;
    let action = if active {
        "user.activate"
    } else {
        "user.deactivate"
    };
    audit::record(
        &txn,
        Some(actor.user_id),
        action,
        "user",
        Some(id.to_string()),
        json!({}),
    )
    .await?;
    txn.commit().await?;
    auth.forget_user(id).await;
    auth.end_sessions(&ended).await;
    Ok(updated)
}

/// A shop must keep one active ADMIN, or nobody could manage users again. The other admins'
/// rows are locked (on PostgreSQL) so two admins demoting each other at once cannot both pass.
async fn ensure_another_active_admin(conn: &impl ConnectionTrait, except: Uuid) -> Result<()> {
    let others = user::Entity::find()
        .filter(user::Column::Role.eq(Role::Admin))
        .filter(user::Column::Active.eq(true))
        .filter(user::Column::Id.ne(except))
        .lock_exclusive()
        .all(conn)
        .await?;
    if others.is_empty() {
        return Err(Error::conflict(
            None,
            "this is the last active ADMIN; make another user ADMIN first",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_normalised_and_checked() {
        assert_eq!(
            Username::parse("  Ana.Lopez ").unwrap().as_str(),
            "ana.lopez"
        );
        for bad in ["", "  ", "ab", "-ana", "ana lopez", "añа", &"a".repeat(51)] {
            let err = Username::parse(bad).unwrap_err();
            assert!(
                matches!(err, Error::BadInput { field: Some(f), .. } if f == "username"),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn full_names_are_trimmed_and_required() {
        assert!(FullName::parse("   ").is_err());
        assert_eq!(FullName::parse(" Ana López ").unwrap().0, "Ana López");
    }
}
