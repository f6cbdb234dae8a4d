use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};
use domain::auth::Role;
use domain::customers::CustomerInput;

use super::catalog::patch;
use crate::graphql::context::{parse_id, transact};
use crate::graphql::guards::RoleGuard;
use crate::graphql::types::customer::Customer;

/// A new customer.
#[derive(InputObject)]
pub struct CreateCustomerInput {
    /// Full name or company name.
    pub name: String,
    /// Email address.
    pub email: Option<String>,
    /// Phone number: digits, spaces and + - ( ) .
    pub phone: Option<String>,
    /// Tax identification number, for invoices.
    pub tax_id: Option<String>,
}

/// Changes to a customer: an absent field is left alone; null (or blank) clears email, phone
/// or tax id.
#[derive(InputObject)]
pub struct UpdateCustomerInput {
    /// New name.
    pub name: Option<String>,
    /// New email address.
    pub email: MaybeUndefined<String>,
    /// New phone number.
    pub phone: MaybeUndefined<String>,
    /// New tax identification number.
    pub tax_id: MaybeUndefined<String>,
}

#[derive(Default)]
pub struct CustomerMutation;

#[Object]
impl CustomerMutation {
    /// Creates a customer (a cashier can add one at checkout). Any role.
    #[graphql(guard = "RoleGuard(Role::Cashier)")]
    async fn create_customer(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new customer.")] input: CreateCustomerInput,
    ) -> async_graphql::Result<Customer> {
        let details = CustomerInput {
            name: Some(input.name),
            email: Some(input.email),
            phone: Some(input.phone),
            tax_id: Some(input.tax_id),
        };
        let created = transact(ctx, async move |txn, actor| {
            domain::customers::create(txn, actor.user_id, details).await
        })
        .await?;
        Ok(Customer(created))
    }

    /// Changes a customer. MANAGER or ADMIN.
    #[graphql(guard = "RoleGuard(Role::Manager)")]
    async fn update_customer(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The customer to change.")] id: ID,
        #[graphql(desc = "What to change.")] input: UpdateCustomerInput,
    ) -> async_graphql::Result<Customer> {
        let id = parse_id(&id, "id")?;
        let changes = CustomerInput {
            name: input.name,
            email: patch(input.email, Ok)?,
            phone: patch(input.phone, Ok)?,
            tax_id: patch(input.tax_id, Ok)?,
        };
        let updated = transact(ctx, async move |txn, actor| {
            domain::customers::update(txn, actor.user_id, id, changes).await
        })
        .await?;
        Ok(Customer(updated))
    }
}
