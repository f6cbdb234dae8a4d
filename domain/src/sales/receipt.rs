//! The plain-text receipt, for an 80 mm thermal printer (42 columns of a monospace font).

use std::collections::BTreeMap;
use std::fmt::Write;

use chrono_tz::Tz;
use entity::sale::{self, SaleStatus};
use entity::sale_payment::PaymentMethod;
use sea_orm::{ActiveEnum, ConnectionTrait};

use super::queries;
use crate::error::Result;
use crate::locations;
use crate::money::Currency;
use crate::quantity::format_milli;

/// Shown for the number of a sale that has none yet (for milliseconds after its commit).
pub const PENDING: &str = "PENDING";

/// Characters per line on an 80 mm printer.
const WIDTH: usize = 42;

/// `left` and `right` on one line, `right` flush with the edge; `left` is cut to fit.
fn row(out: &mut String, left: &str, right: &str) {
    let room = WIDTH.saturating_sub(right.chars().count() + 1);
    let left: String = left.chars().take(room).collect();
    let pad = WIDTH - left.chars().count() - right.chars().count();
    let _ = writeln!(out, "{left}{}{right}", " ".repeat(pad));
}

fn centred(out: &mut String, text: &str) {
    let text: String = text.chars().take(WIDTH).collect();
    let pad = (WIDTH - text.chars().count()) / 2;
    let _ = writeln!(out, "{}{text}", " ".repeat(pad));
}

fn rule(out: &mut String) {
    let _ = writeln!(out, "{}", "-".repeat(WIDTH));
}

fn method_name(method: PaymentMethod) -> String {
    let name = method.to_value();
    let mut chars = name.chars();
    chars
        .next()
        .map(|first| first.to_string() + &chars.as_str().to_lowercase())
        .unwrap_or_default()
}

/// Renders a sale's receipt; times are shown in the location's time zone.
pub async fn render(
    conn: &impl ConnectionTrait,
    currency: Currency,
    sale: &sale::Model,
) -> Result<String> {
    let location = locations::get(conn, sale.location_id).await?;
    let lines = queries::lines_of(conn, &[sale.id]).await?;
    let payments = queries::payments_of(conn, &[sale.id]).await?;
    let money = |minor: i64| currency.format(minor);
    let zone: Tz = location.timezone.parse().unwrap_or(Tz::UTC);

    let mut out = String::new();
    centred(&mut out, &location.name);
    rule(&mut out);
    row(&mut out, "Sale", sale.number.as_deref().unwrap_or(PENDING));
    row(
        &mut out,
        "Date",
        &sale
            .created_at
            .with_timezone(&zone)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
    );
    if sale.status == SaleStatus::Voided {
        centred(&mut out, "*** VOIDED ***");
    }
    rule(&mut out);
    let mut by_rate: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    for line in &lines {
        row(&mut out, &line.name, &money(line.total_minor));
        let _ = writeln!(
            out,
            "  {} x {}",
            format_milli(line.quantity_milli),
            money(line.unit_price_minor)
        );
        if line.discount_minor > 0 {
            row(
                &mut out,
                "  Discount",
                &format!("-{}", money(line.discount_minor)),
            );
        }
        let entry = by_rate.entry(line.tax_rate_milli).or_default();
        entry.0 += line.total_minor - line.tax_minor;
        entry.1 += line.tax_minor;
    }
    rule(&mut out);
    row(&mut out, "Subtotal", &money(sale.subtotal_minor));
    if sale.discount_total_minor > 0 {
        row(
            &mut out,
            "Discounts",
            &format!("-{}", money(sale.discount_total_minor)),
        );
    }
    for (rate, (net, tax)) in &by_rate {
        row(
            &mut out,
            &format!("Tax {}% on {}", format_milli(*rate), money(*net)),
            &money(*tax),
        );
    }
    row(
        &mut out,
        &format!("TOTAL {}", currency.code()),
        &money(sale.total_minor),
    );
    rule(&mut out);
    for payment in &payments {
        row(
            &mut out,
            &method_name(payment.method),
            &money(payment.amount_minor),
        );
    }
    if sale.change_minor > 0 {
        row(&mut out, "Change", &money(sale.change_minor));
    }
    rule(&mut out);
    centred(&mut out, "Thank you!");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_fill_the_paper_width_exactly() {
        let mut out = String::new();
        row(&mut out, "Leche entera 1 L", "1.15");
        row(&mut out, &"x".repeat(60), "123.45");
        for line in out.lines() {
            assert_eq!(line.chars().count(), WIDTH, "{line:?}");
        }
        assert!(out.starts_with("Leche entera 1 L "));
        assert!(out.lines().next().unwrap().ends_with(" 1.15"));
    }
}
