//! Low-stock alerts: every change of stock returns the alerts its movements raise, so the
//! caller only publishes them after its commit.

use entity::{product, stock_movement};
use uuid::Uuid;

/// A movement that took a product from above its low-stock threshold to at or below it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    pub product_id: Uuid,
    pub location_id: Uuid,
    pub on_hand_milli: i64,
    pub threshold_milli: i64,
}

impl Alert {
    /// The alert `movement` raises, if it takes the product from above its threshold to at
    /// or below it.
    pub fn crossing(product: &product::Model, movement: &stock_movement::Model) -> Option<Alert> {
        let threshold = product.low_stock_threshold_milli?;
        let after = movement.on_hand_after_milli;
        let before = after - movement.quantity_milli;
        (before > threshold && after <= threshold).then_some(Alert {
            product_id: product.id,
            location_id: movement.location_id,
            on_hand_milli: after,
            threshold_milli: threshold,
        })
    }
}

/// The movements a change of stock wrote, in order, and the alerts they raise.
#[derive(Debug, Clone)]
pub struct Moved {
    pub movements: Vec<stock_movement::Model>,
    pub alerts: Vec<Alert>,
}

impl Moved {
    /// `movements` of `products` (the rows the change locked), with their alerts.
    pub fn of(movements: Vec<stock_movement::Model>, products: &[product::Model]) -> Moved {
        let alerts = movements
            .iter()
            .filter_map(|movement| {
                let product = products.iter().find(|p| p.id == movement.product_id)?;
                Alert::crossing(product, movement)
            })
            .collect();
        Moved { movements, alerts }
    }
}
