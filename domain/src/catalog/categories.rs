//! Categories: a tree. Names are unique among siblings; a category cannot sit under itself.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use entity::category;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;
use uuid::Uuid;

use crate::audit;
use crate::error::{Error, Result};
use crate::text;

pub fn parse_name(raw: &str) -> Result<String> {
    text::required(raw, "name", 100)
}

pub async fn create(
    conn: &impl ConnectionTrait,
    actor: Uuid,
    name: String,
    parent_id: Option<Uuid>,
) -> Result<category::Model> {
    if let Some(parent) = parent_id {
        get(conn, parent)
            .await
            .map_err(|_| Error::not_found("parent category"))?;
    }
    ensure_unique_among_siblings(conn, &name, parent_id, None).await?;
    let now = Utc::now();
    let created = category::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(name),
        parent_id: Set(parent_id),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(conn)
    .await?;
    audit::record(
        conn,
        Some(actor),
        "category.create",
        "category",
        Some(created.id.to_string()),
        json!({ "name": created.name, "parentId": created.parent_id }),
    )
    .await?;
    Ok(created)
}

/// Renames or moves a category. `parent`: `None` leaves it, `Some(None)` makes it a root.
/// Moving a category under itself or one of its descendants is BAD_USER_INPUT on `parentId`.
/// After a rename or a move, the products whose category label ("Name (Parent)") changed are
/// marked changed (`updated_at`), so every replica's search index reads them again, and their
/// embeddings are queued to be computed from the new label: a renamed category reaches word
/// search and meaning at once, not when its products next change. A rename relabels the
/// category's products and its subcategories' (their label names it as parent); a move only
/// its own.
async fn relabel_products(
    conn: &impl ConnectionTrait,
    before: &category::Model,
    after: &category::Model,
) -> Result<()> {
    use entity::product;
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, QueryFilter, QuerySelect};
    let mut relabelled = vec![after.id];
    if before.name != after.name {
        let children: Vec<Uuid> = category::Entity::find()
            .select_only()
            .column(category::Column::Id)
            .filter(category::Column::ParentId.eq(after.id))
            .into_tuple()
            .all(conn)
            .await?;
        relabelled.extend(children);
    }
    let products: Vec<Uuid> = product::Entity::find()
        .select_only()
        .column(product::Column::Id)
        .filter(product::Column::CategoryId.is_in(relabelled.iter().copied()))
        .into_tuple()
        .all(conn)
        .await?;
    if products.is_empty() {
        return Ok(());
    }
    product::Entity::update_many()
        .col_expr(product::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(product::Column::Id.is_in(products.iter().copied()))
        .exec(conn)
        .await?;
    for id in products {
        super::products::enqueue_embedding(conn, id).await?;
    }
    Ok(())
}

pub async fn update(
    conn: &impl ConnectionTrait,
    actor: Uuid,
    id: Uuid,
    name: Option<String>,
    parent: Option<Option<Uuid>>,
) -> Result<category::Model> {
    let current = get(conn, id).await?;
    let new_name = name.unwrap_or_else(|| current.name.clone());
    let new_parent = parent.unwrap_or(current.parent_id);
    if let Some(parent) = new_parent {
        let all = list(conn).await?;
        if !all.iter().any(|c| c.id == parent) {
            return Err(Error::not_found("parent category"));
        }
        if parent == id || descendants(&all, id).contains(&parent) {
            return Err(Error::bad_input(
                "parentId",
                "a category cannot be placed under itself or one of its subcategories",
            ));
        }
    }
    if new_name == current.name && new_parent == current.parent_id {
        return Ok(current);
    }
    ensure_unique_among_siblings(conn, &new_name, new_parent, Some(id)).await?;
    let mut row: category::ActiveModel = current.clone().into();
    row.name = Set(new_name);
    row.parent_id = Set(new_parent);
    row.updated_at = Set(Utc::now());
    let updated = row.update(conn).await?;
    relabel_products(conn, &current, &updated).await?;
    audit::record(
        conn,
        Some(actor),
        "category.update",
        "category",
        Some(id.to_string()),
        json!({
            "name": { "from": current.name, "to": updated.name },
            "parentId": { "from": current.parent_id, "to": updated.parent_id },
        }),
    )
    .await?;
    Ok(updated)
}

async fn ensure_unique_among_siblings(
    conn: &impl ConnectionTrait,
    name: &str,
    parent_id: Option<Uuid>,
    except: Option<Uuid>,
) -> Result<()> {
    let mut query = category::Entity::find().filter(category::Column::Name.eq(name));
    query = match parent_id {
        Some(parent) => query.filter(category::Column::ParentId.eq(parent)),
        None => query.filter(category::Column::ParentId.is_null()),
    };
    if let Some(except) = except {
        query = query.filter(category::Column::Id.ne(except));
    }
    if query.one(conn).await?.is_some() {
        return Err(Error::conflict(
            Some("name"),
            "a category with this name already exists here",
        ));
    }
    Ok(())
}

pub async fn get(conn: &impl ConnectionTrait, id: Uuid) -> Result<category::Model> {
    category::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(Error::not_found("category"))
}

/// Every category, by name. A shop has tens or hundreds: the whole tree is one small query.
pub async fn list(conn: &impl ConnectionTrait) -> Result<Vec<category::Model>> {
    Ok(category::Entity::find()
        .order_by_asc(category::Column::Name)
        .order_by_asc(category::Column::Id)
        .all(conn)
        .await?)
}

pub async fn get_many(conn: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Vec<category::Model>> {
    Ok(category::Entity::find()
        .filter(category::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?)
}

/// The ids of every category below `root` (not `root` itself).
pub fn descendants(all: &[category::Model], root: Uuid) -> HashSet<Uuid> {
    let mut children: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for category in all {
        if let Some(parent) = category.parent_id {
            children.entry(parent).or_default().push(category.id);
        }
    }
    let mut found = HashSet::new();
    let mut pending = vec![root];
    while let Some(next) = pending.pop() {
        for child in children.get(&next).into_iter().flatten() {
            if found.insert(*child) {
                pending.push(*child);
            }
        }
    }
    found
}
