use async_graphql::{Context, ID, Json, Object};
use chrono::{DateTime, Utc};
use entity::audit_log;

use super::user::User;
use crate::graphql::loaders::load;
use crate::graphql::pagination::connection_type;

/// One recorded change: who did what to which entity, and when.
pub struct AuditEntry(pub audit_log::Model);

/// One recorded change: who did what to which entity, and when.
#[Object]
impl AuditEntry {
    /// Unique ID (UUID, time-ordered).
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// What happened, as `<entity>.<verb>`: `user.create`, `user.update`, `user.deactivate`…
    async fn action(&self) -> &str {
        &self.0.action
    }

    /// The kind of entity changed: `user`, `location`…
    async fn entity_type(&self) -> &str {
        &self.0.entity_type
    }

    /// The ID of the entity changed, when there is one.
    async fn entity_id(&self) -> Option<ID> {
        self.0.entity_id.clone().map(ID)
    }

    /// What changed (never secrets), as JSON.
    async fn details(&self) -> Json<serde_json::Value> {
        Json(self.0.details.clone())
    }

    /// When it happened.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// Who did it; null for the system itself (first start, scheduled jobs, the command line).
    async fn actor(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        let Some(actor_id) = self.0.actor_id else {
            return Ok(None);
        };
        Ok(load::<entity::user::Model>(ctx, actor_id).await?.map(User))
    }
}

connection_type!(
    AuditEntryConnection,
    AuditEntryEdge,
    AuditEntry,
    "audit entries"
);
