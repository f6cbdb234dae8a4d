//! DataLoaders: a list that shows a relation fetches it in one query per page, not per row.
//!
//! Loaders live in the schema's data and do not cache between requests (async-graphql's
//! default): they batch the loads of one moment, across all requests being resolved.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use entity::user;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

pub struct UserLoader(pub DatabaseConnection);

impl Loader<Uuid> for UserLoader {
    type Value = user::Model;
    type Error = Arc<domain::Error>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let users = domain::users::get_many(&self.0, keys)
            .await
            .map_err(Arc::new)?;
        Ok(users.into_iter().map(|u| (u.id, u)).collect())
    }
}
