//! What a fresh database gets on first start: an ADMIN called `admin` and the `MAIN` location.
//!
//! Safe to run on every start and from several replicas at once: each step only acts on an
//! empty table, in its own transaction, and a replica that loses the race to another (a unique
//! violation on `admin` or `MAIN`) simply finds the work done.

use entity::user::{self, Role};
use rand::Rng;
use rand::distributions::Alphanumeric;
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait, TransactionTrait};

use crate::auth::{Auth, Password};
use crate::error::{Error, Result};
use crate::locations;
use crate::money::Currency;
use crate::users::{self, FullName, NewUser, Username};

pub const ADMIN_USERNAME: &str = "admin";

#[derive(Debug, Default)]
pub struct FirstStart {
    /// Set when this start created the `admin` user.
    pub admin_created: Option<AdminCreated>,
    pub default_location_created: bool,
}

#[derive(Debug)]
pub struct AdminCreated {
    /// The password, when it was generated rather than configured: shown once, in the log.
    pub generated_password: Option<String>,
}

pub async fn first_start(
    db: &DatabaseConnection,
    auth: &Auth,
    admin_password: Option<&str>,
    currency: Currency,
) -> Result<FirstStart> {
    let admin_created = if user::Entity::find().count(db).await? == 0 {
        create_admin(db, auth, admin_password).await?
    } else {
        None
    };
    let txn = db.begin().await?;
    let default_location_created = match locations::ensure_default(&txn, currency).await {
        Ok(created) => {
            txn.commit().await?;
            created
        }
        // Another replica created it first.
        Err(Error::Conflict { .. }) => false,
        Err(e) => return Err(e),
    };
    Ok(FirstStart {
        admin_created,
        default_location_created,
    })
}

async fn create_admin(
    db: &DatabaseConnection,
    auth: &Auth,
    configured: Option<&str>,
) -> Result<Option<AdminCreated>> {
    let generated = configured.is_none().then(generate_password);
    let password = configured.or(generated.as_deref()).unwrap_or_default();
    let new = NewUser {
        username: Username::parse(ADMIN_USERNAME)?,
        full_name: FullName::parse("Administrator")?,
        password: Password::parse(password.to_owned(), "POS_ADMIN_PASSWORD")?,
        role: Role::Admin,
    };
    let hash = auth.passwords().hash(&new.password).await?;
    let txn = db.begin().await?;
    match users::insert(&txn, &new, hash, None).await {
        Ok(_) => {
            txn.commit().await?;
            Ok(Some(AdminCreated {
                generated_password: generated,
            }))
        }
        // Another replica created it first.
        Err(Error::Conflict { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

fn generate_password() -> String {
    rand::rngs::OsRng
        .sample_iter(&Alphanumeric)
        .take(20)
        .map(char::from)
        .collect()
}
