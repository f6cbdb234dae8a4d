//! The plain-text receipt, for an 80 mm thermal printer (42 columns of a monospace font).

use std::collections::BTreeMap;
use std::fmt::Write;

use chrono_tz::Tz;
use entity::location::Language;
use entity::sale::{self, SaleStatus};
use entity::sale_payment::PaymentMethod;
use sea_orm::ConnectionTrait;

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

/// A receipt's words in one language.
struct Words {
    invoice: &'static str,
    tax_id: &'static str,
    date: &'static str,
    voided: &'static str,
    discount: &'static str,
    subtotal: &'static str,
    discounts: &'static str,
    /// Before the rate: "IVA 21 %".
    vat: &'static str,
    /// Between the rate and the base the tax is on.
    vat_base: &'static str,
    tax_included: &'static str,
    change: &'static str,
    thanks: &'static str,
    /// `dd/mm/yyyy` or ISO order.
    date_format: &'static str,
    /// The decimal separator amounts and quantities are printed with.
    decimal: char,
    methods: [(PaymentMethod, &'static str); 4],
}

const SPANISH: Words = Words {
    invoice: "FACTURA SIMPLIFICADA",
    tax_id: "NIF",
    date: "Fecha",
    voided: "*** ANULADA ***",
    discount: "Descuento",
    subtotal: "Subtotal",
    discounts: "Descuentos",
    vat: "IVA",
    vat_base: "base",
    tax_included: "IVA incluido",
    change: "Cambio",
    thanks: "¡Gracias por su compra!",
    date_format: "%d/%m/%Y %H:%M",
    decimal: ',',
    methods: [
        (PaymentMethod::Cash, "Efectivo"),
        (PaymentMethod::Card, "Tarjeta"),
        (PaymentMethod::Transfer, "Transferencia"),
        (PaymentMethod::Other, "Otro"),
    ],
};

const ENGLISH: Words = Words {
    invoice: "SIMPLIFIED INVOICE",
    tax_id: "Tax ID",
    date: "Date",
    voided: "*** VOIDED ***",
    discount: "Discount",
    subtotal: "Subtotal",
    discounts: "Discounts",
    vat: "VAT",
    vat_base: "on",
    tax_included: "VAT included",
    change: "Change",
    thanks: "Thank you!",
    date_format: "%Y-%m-%d %H:%M",
    decimal: '.',
    methods: [
        (PaymentMethod::Cash, "Cash"),
        (PaymentMethod::Card, "Card"),
        (PaymentMethod::Transfer, "Transfer"),
        (PaymentMethod::Other, "Other"),
    ],
};

impl Words {
    fn of(language: Language) -> &'static Words {
        match language {
            Language::Es => &SPANISH,
            Language::En => &ENGLISH,
        }
    }

    fn method(&self, method: PaymentMethod) -> &'static str {
        self.methods
            .iter()
            .find(|(m, _)| *m == method)
            .map_or("", |(_, name)| name)
    }

    /// A Decimal string with this language's decimal separator.
    fn number(&self, decimal: String) -> String {
        decimal.replace('.', &self.decimal.to_string())
    }
}

/// Renders a sale's receipt as a simplified invoice ("factura simplificada") in the
/// location's language: the business (trade and legal name, tax id, address), the invoice
/// number and date, the lines, the VAT by rate (base and tax), the total with tax included,
/// the tenders and the change. Times are shown in the location's time zone.
pub async fn render(
    conn: &impl ConnectionTrait,
    currency: Currency,
    sale: &sale::Model,
) -> Result<String> {
    let location = locations::get(conn, sale.location_id).await?;
    let lines = queries::lines_of(conn, &[sale.id]).await?;
    let payments = queries::payments_of(conn, &[sale.id]).await?;
    let words = Words::of(location.language);
    let money = |minor: i64| words.number(currency.format(minor));
    let quantity = |milli: i64| words.number(format_milli(milli));
    let zone: Tz = location.timezone.parse().unwrap_or(Tz::UTC);

    let mut out = String::new();
    centred(&mut out, &location.name);
    if let Some(legal_name) = &location.legal_name {
        centred(&mut out, legal_name);
    }
    if let Some(tax_id) = &location.tax_id {
        centred(&mut out, &format!("{} {tax_id}", words.tax_id));
    }
    for line in location.address.iter().flat_map(|a| a.lines()) {
        centred(&mut out, line.trim());
    }
    rule(&mut out);
    row(
        &mut out,
        words.invoice,
        sale.number.as_deref().unwrap_or(PENDING),
    );
    row(
        &mut out,
        words.date,
        &sale
            .created_at
            .with_timezone(&zone)
            .format(words.date_format)
            .to_string(),
    );
    if sale.status == SaleStatus::Voided {
        centred(&mut out, words.voided);
    }
    rule(&mut out);
    let mut by_rate: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    for line in &lines {
        row(&mut out, &line.name, &money(line.total_minor));
        let _ = writeln!(
            out,
            "  {} x {}",
            quantity(line.quantity_milli),
            money(line.unit_price_minor)
        );
        if line.discount_minor > 0 {
            row(
                &mut out,
                &format!("  {}", words.discount),
                &format!("-{}", money(line.discount_minor)),
            );
        }
        let entry = by_rate.entry(line.tax_rate_milli).or_default();
        entry.0 += line.total_minor - line.tax_minor;
        entry.1 += line.tax_minor;
    }
    rule(&mut out);
    row(&mut out, words.subtotal, &money(sale.subtotal_minor));
    if sale.discount_total_minor > 0 {
        row(
            &mut out,
            words.discounts,
            &format!("-{}", money(sale.discount_total_minor)),
        );
    }
    for (rate, (net, tax)) in &by_rate {
        row(
            &mut out,
            &format!(
                "{} {}% {} {}",
                words.vat,
                quantity(*rate),
                words.vat_base,
                money(*net)
            ),
            &money(*tax),
        );
    }
    row(
        &mut out,
        &format!("TOTAL {}", currency.code()),
        &money(sale.total_minor),
    );
    let _ = writeln!(out, "({})", words.tax_included);
    rule(&mut out);
    for payment in &payments {
        row(
            &mut out,
            words.method(payment.method),
            &money(payment.amount_minor),
        );
    }
    if sale.change_minor > 0 {
        row(&mut out, words.change, &money(sale.change_minor));
    }
    rule(&mut out);
    for line in location.receipt_footer.iter().flat_map(|f| f.lines()) {
        centred(&mut out, line.trim());
    }
    centred(&mut out, words.thanks);
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
