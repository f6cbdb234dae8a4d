//! The sale arithmetic of the contract's CONVENTIONS.md, in integer minor units.
//!
//! Every division rounds half away from zero to the minor unit, on exact integers (i128, so
//! no product of a quantity and a price can overflow). Nothing here touches the database.

use entity::sale_payment::PaymentMethod;

use crate::error::{Error, Result};
use crate::money::{Currency, MAX_MINOR_UNITS};
use crate::quantity::MILLI;

/// Thousandths of a percent in 100 %.
const HUNDRED_PERCENT_MILLI: i128 = 100 * MILLI as i128;

/// `numerator / denominator` rounded half away from zero. `denominator` is positive.
pub fn div_round(numerator: i128, denominator: i128) -> i128 {
    debug_assert!(denominator > 0);
    let (quotient, remainder) = (numerator / denominator, numerator % denominator);
    if 2 * remainder.abs() >= denominator {
        quotient + numerator.signum()
    } else {
        quotient
    }
}

fn to_minor(value: i128) -> i64 {
    // Inputs are bounded (amounts at most 10^15 minor units, quantities 10^12 thousandths,
    // rates at most 100 %), so every line result fits; saturate rather than wrap if not.
    i64::try_from(value).unwrap_or(if value < 0 { i64::MIN } else { i64::MAX })
}

/// A line's discount, as given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Discount {
    None,
    /// An amount off the line, minor units.
    Amount(i64),
    /// A percentage of the line, thousandths of a percent (10 % is 10 000).
    PercentMilli(i64),
}

/// What a line needs for its arithmetic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineInput {
    pub quantity_milli: i64,
    /// The catalog price as the location shows it.
    pub unit_price_minor: i64,
    pub discount: Discount,
    /// Thousandths of a percent.
    pub tax_rate_milli: i64,
}

/// A line's amounts, minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineAmounts {
    pub base: i64,
    pub discount: i64,
    pub tax: i64,
    pub total: i64,
}

/// Computes one line. A discount above the line's amount: BAD_USER_INPUT on `discount`
/// (the caller names the line).
pub fn line(input: LineInput, prices_include_tax: bool) -> Result<LineAmounts> {
    let base = div_round(
        i128::from(input.quantity_milli) * i128::from(input.unit_price_minor),
        i128::from(MILLI),
    );
    if base.unsigned_abs() > u128::from(MAX_MINOR_UNITS) {
        return Err(Error::bad_input(
            "quantity",
            "the line's amount is too large for one sale",
        ));
    }
    let discount = match input.discount {
        Discount::None => 0,
        Discount::Amount(amount) => i128::from(amount),
        Discount::PercentMilli(percent) => {
            div_round(base * i128::from(percent), HUNDRED_PERCENT_MILLI)
        }
    };
    if discount > base {
        return Err(Error::bad_input(
            "discount",
            "the discount is larger than the line's amount",
        ));
    }
    let rate = i128::from(input.tax_rate_milli);
    let (tax, total) = if prices_include_tax {
        let total = base - discount;
        (div_round(total * rate, HUNDRED_PERCENT_MILLI + rate), total)
    } else {
        let net = base - discount;
        let tax = div_round(net * rate, HUNDRED_PERCENT_MILLI);
        (tax, net + tax)
    };
    Ok(LineAmounts {
        base: to_minor(base),
        discount: to_minor(discount),
        tax: to_minor(tax),
        total: to_minor(total),
    })
}

/// A sale's totals: sums of its lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Totals {
    pub subtotal: i64,
    pub discount: i64,
    pub tax: i64,
    pub total: i64,
}

impl Totals {
    /// The lines' sums; a sale whose total is over [`MAX_MINOR_UNITS`] is BAD_USER_INPUT on
    /// `lines` (each line is bounded, so the sums themselves cannot overflow).
    pub fn of<'a>(lines: impl IntoIterator<Item = &'a LineAmounts>) -> Result<Totals> {
        let totals = lines
            .into_iter()
            .fold(Totals::default(), |sum, line| Totals {
                subtotal: sum.subtotal.saturating_add(line.base),
                discount: sum.discount.saturating_add(line.discount),
                tax: sum.tax.saturating_add(line.tax),
                total: sum.total.saturating_add(line.total),
            });
        if totals.subtotal.unsigned_abs() > MAX_MINOR_UNITS
            || totals.total.unsigned_abs() > MAX_MINOR_UNITS
        {
            return Err(Error::bad_input(
                "lines",
                "the sale's total is too large for one sale",
            ));
        }
        Ok(totals)
    }
}

/// Most tenders one sale may have (split tender is two or three).
pub const MAX_PAYMENTS: usize = 20;

/// One tender.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tender {
    pub method: PaymentMethod,
    pub amount: i64,
}

/// What the payments came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settlement {
    pub amount_paid: i64,
    pub change: i64,
}

/// Checks the tenders against the total. Only cash may exceed what is due (the excess is the
/// change): a non-cash tender paying more than what remains due after the other non-cash
/// tenders is BAD_USER_INPUT on `payments[i].amount`; payments short of the total are
/// PAYMENT_INSUFFICIENT.
pub fn settle(currency: Currency, total: i64, tenders: &[Tender]) -> Result<Settlement> {
    if tenders.len() > MAX_PAYMENTS {
        return Err(Error::bad_input(
            "payments",
            format!("a sale takes at most {MAX_PAYMENTS} payments"),
        ));
    }
    let mut non_cash = 0_i64;
    for (index, tender) in tenders.iter().enumerate() {
        if tender.method == PaymentMethod::Cash {
            continue;
        }
        non_cash = non_cash.saturating_add(tender.amount);
        if non_cash > total {
            return Err(Error::bad_input(
                format!("payments[{index}].amount"),
                "only cash may pay more than is due",
            ));
        }
    }
    // At most MAX_PAYMENTS amounts of at most MAX_MINOR_UNITS each: no overflow.
    let amount_paid: i64 = tenders.iter().map(|t| t.amount).sum();
    if amount_paid.unsigned_abs() > MAX_MINOR_UNITS.saturating_mul(10) {
        return Err(Error::bad_input(
            "payments",
            "the payments are far more than any sale takes",
        ));
    }
    if amount_paid < total {
        return Err(Error::PaymentInsufficient {
            due: currency.format(total),
            paid: currency.format(amount_paid),
        });
    }
    Ok(Settlement {
        amount_paid,
        change: amount_paid - total,
    })
}

/// The share of a line that refunding `quantity` of it gives back, for an amount of the line
/// (its total, its tax or its cost). The refund that completes the line takes exactly what is
/// left, so a line's refunds add up to the line to the cent.
pub fn refund_share(
    line_amount: i64,
    line_quantity_milli: i64,
    already_refunded_amount: i64,
    already_refunded_milli: i64,
    quantity_milli: i64,
) -> i64 {
    if already_refunded_milli + quantity_milli >= line_quantity_milli {
        return line_amount - already_refunded_amount;
    }
    to_minor(div_round(
        i128::from(line_amount) * i128::from(quantity_milli),
        i128::from(line_quantity_milli),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn eur() -> Currency {
        Currency::parse("EUR").unwrap()
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        for (n, d, expected) in [
            (5, 10, 1),
            (4, 10, 0),
            (15, 10, 2),
            (25, 10, 3),
            (-5, 10, -1),
            (-4, 10, 0),
            (-25, 10, -3),
            (3, 2, 2),
            (1, 3, 0),
            (2, 3, 1),
            (-2, 3, -1),
            (3, 6, 1),
            (7, 7, 1),
            (0, 7, 0),
            (13, 26, 1),
            (12, 26, 0),
            (121, 121, 1),
        ] {
            assert_eq!(div_round(n, d), expected, "{n}/{d}");
        }
    }

    fn line_case(
        quantity_milli: i64,
        unit_price_minor: i64,
        discount: Discount,
        tax_rate_milli: i64,
        include: bool,
    ) -> LineAmounts {
        line(
            LineInput {
                quantity_milli,
                unit_price_minor,
                discount,
                tax_rate_milli,
            },
            include,
        )
        .unwrap()
    }

    /// Hand-computed cases: (quantity, price, discount, rate %, tax included) → (base,
    /// discount, tax, total). The working is in the comment of each row.
    #[test]
    fn lines_match_hand_computed_values() {
        use Discount::*;
        /// (quantity, price, discount, rate, tax included, [base, discount, tax, total])
        type Case = (i64, i64, Discount, i64, bool, [i64; 4]);
        let cases: &[Case] = &[
            // 1 × 12.10 with 21 % included: tax = 12.10 - 12.10/1.21 = 2.10.
            (1000, 1210, None, 21_000, true, [1210, 0, 210, 1210]),
            // 1 × 10.00, 21 % added: tax 2.10, total 12.10.
            (1000, 1000, None, 21_000, false, [1000, 0, 210, 1210]),
            // 0 %: no tax either way.
            (3000, 199, None, 0, true, [597, 0, 0, 597]),
            (3000, 199, None, 0, false, [597, 0, 0, 597]),
            // 4 % included on 1.00: 1.00 - 1.00/1.04 = 0.03846 → 0.04.
            (1000, 100, None, 4_000, true, [100, 0, 4, 100]),
            // 4 % added on 0.99: 0.0396 → 0.04; total 1.03.
            (1000, 99, None, 4_000, false, [99, 0, 4, 103]),
            // 10 % included on 2.35: 2.35 - 2.35/1.1 = 0.21364 → 0.21.
            (1000, 235, None, 10_000, true, [235, 0, 21, 235]),
            // 10 % added on 0.05: 0.005 → 0.01 (half away from zero).
            (1000, 5, None, 10_000, false, [5, 0, 1, 6]),
            // 0.375 kg at 12.99/kg = 4.87125 → 4.87; 10 % included: 4.87 - 4.87/1.1 = 0.44273 → 0.44.
            (375, 1299, None, 10_000, true, [487, 0, 44, 487]),
            // 0.375 kg at 3.98/kg = 1.4925 → 1.49; 4 % added: 0.0596 → 0.06; total 1.55.
            (375, 398, None, 4_000, false, [149, 0, 6, 155]),
            // 0.125 kg at 2.00 = 0.25 exactly; 21 % added: 0.0525 → 0.05.
            (125, 200, None, 21_000, false, [25, 0, 5, 30]),
            // 1.005 kg at 1.00 = 1.005 → 1.01 (half away from zero).
            (1005, 100, None, 0, true, [101, 0, 0, 101]),
            // 2 × 5.00 = 10.00, 1.50 off, 21 % included: total 8.50, tax 8.50 - 8.50/1.21 = 1.4752 → 1.48.
            (2000, 500, Amount(150), 21_000, true, [1000, 150, 148, 850]),
            // Same, tax added: net 8.50, tax 1.785 → 1.79, total 10.29.
            (
                2000,
                500,
                Amount(150),
                21_000,
                false,
                [1000, 150, 179, 1029],
            ),
            // 3 × 3.33 = 9.99, 15 % off: 1.4985 → 1.50; total 8.49; 10 % included: 8.49 - 8.49/1.1 = 0.7718 → 0.77.
            (
                3000,
                333,
                PercentMilli(15_000),
                10_000,
                true,
                [999, 150, 77, 849],
            ),
            // 1 × 0.10, 12.5 % off: 0.0125 → 0.01; net 0.09, 4 % added: 0.0036 → 0.00.
            (1000, 10, PercentMilli(12_500), 4_000, false, [10, 1, 0, 9]),
            // 100 % off: nothing to pay, no tax.
            (
                1000,
                250,
                PercentMilli(100_000),
                21_000,
                true,
                [250, 250, 0, 0],
            ),
            // Discount equal to the line: allowed.
            (1000, 250, Amount(250), 21_000, false, [250, 250, 0, 0]),
            // 21 % included on 0.05: 0.05 - 0.05/1.21 = 0.00868 → 0.01.
            (1000, 5, None, 21_000, true, [5, 0, 1, 5]),
            // 7 × 0.15 = 1.05, 21 % added: 0.2205 → 0.22, total 1.27.
            (7000, 15, None, 21_000, false, [105, 0, 22, 127]),
        ];
        for &(quantity, price, discount, rate, include, [base, disc, tax, total]) in cases {
            let got = line_case(quantity, price, discount, rate, include);
            assert_eq!(
                got,
                LineAmounts {
                    base,
                    discount: disc,
                    tax,
                    total
                },
                "quantity {quantity}, price {price}, {discount:?}, rate {rate}, included {include}"
            );
        }
    }

    #[test]
    fn many_lines_that_each_round_add_up_line_by_line() {
        // Ten lines of 1 × 0.05 at 21 % added: each line's tax is 0.0105 → 0.01, so the sale's
        // tax is 0.10 (rounded per line), not round(0.50 × 21 %) = 0.11.
        let lines: Vec<_> = (0..10)
            .map(|_| line_case(1000, 5, Discount::None, 21_000, false))
            .collect();
        let totals = Totals::of(&lines).unwrap();
        assert_eq!(
            totals,
            Totals {
                subtotal: 50,
                discount: 0,
                tax: 10,
                total: 60
            }
        );
    }

    #[test]
    fn a_discount_above_the_line_is_bad_input() {
        let err = line(
            LineInput {
                quantity_milli: 1000,
                unit_price_minor: 100,
                discount: Discount::Amount(101),
                tax_rate_milli: 0,
            },
            true,
        )
        .unwrap_err();
        assert!(matches!(err, Error::BadInput { field: Some(ref f), .. } if f == "discount"));
    }

    #[test]
    fn payments_settle_with_change_only_from_cash() {
        use PaymentMethod::*;
        let tender = |method, amount| Tender { method, amount };
        assert_eq!(
            settle(eur(), 1550, &[tender(Cash, 2000)]).unwrap(),
            Settlement {
                amount_paid: 2000,
                change: 450
            }
        );
        assert_eq!(
            settle(eur(), 1550, &[tender(Card, 1000), tender(Cash, 1000)]).unwrap(),
            Settlement {
                amount_paid: 2000,
                change: 450
            }
        );
        assert_eq!(settle(eur(), 0, &[]).unwrap().change, 0);
        let over = settle(eur(), 1550, &[tender(Card, 1000), tender(Transfer, 600)]).unwrap_err();
        assert!(
            matches!(over, Error::BadInput { field: Some(ref f), .. } if f == "payments[1].amount")
        );
        let short = settle(eur(), 1550, &[tender(Cash, 1000), tender(Card, 500)]).unwrap_err();
        assert!(matches!(
            short,
            Error::PaymentInsufficient { ref due, ref paid } if due == "15.50" && paid == "15.00"
        ));
    }

    #[test]
    fn refunds_of_a_line_add_up_to_the_line() {
        // A line of 3 units totalling 10.00: refunding 1, 1, 1 gives 3.33, 3.33, 3.34.
        let first = refund_share(1000, 3000, 0, 0, 1000);
        let second = refund_share(1000, 3000, first, 1000, 1000);
        let third = refund_share(1000, 3000, first + second, 2000, 1000);
        assert_eq!((first, second, third), (333, 333, 334));
    }

    proptest! {
        #[test]
        fn totals_are_sums_and_payments_balance(
            lines in prop::collection::vec(
                (1_i64..50_000, 0_i64..100_000, 0_u8..3, 0_i64..100_001,
                 prop::sample::select(vec![0_i64, 4_000, 10_000, 21_000])),
                1..20,
            ),
            include in any::<bool>(),
            cash_extra in 0_i64..10_000,
            card_share in 0_i64..=100,
        ) {
            let amounts: Vec<LineAmounts> = lines
                .iter()
                .map(|&(quantity, price, kind, raw, rate)| {
                    let base = div_round(i128::from(quantity) * i128::from(price), 1000) as i64;
                    let discount = match kind {
                        0 => Discount::None,
                        1 => Discount::Amount(raw % (base + 1)),
                        _ => Discount::PercentMilli(raw),
                    };
                    line_case(quantity, price, discount, rate, include)
                })
                .collect();
            for a in &amounts {
                prop_assert!(a.discount <= a.base && a.tax >= 0 && a.total >= 0);
                if include {
                    prop_assert_eq!(a.total, a.base - a.discount);
                } else {
                    prop_assert_eq!(a.total, a.base - a.discount + a.tax);
                }
            }
            let totals = Totals::of(&amounts).unwrap();
            prop_assert_eq!(totals.total, amounts.iter().map(|a| a.total).sum::<i64>());
            prop_assert_eq!(totals.tax, amounts.iter().map(|a| a.tax).sum::<i64>());
            let card = totals.total * card_share / 100;
            let cash = totals.total - card + cash_extra;
            let tenders = [
                Tender { method: PaymentMethod::Card, amount: card },
                Tender { method: PaymentMethod::Cash, amount: cash },
            ];
            let settled = settle(eur(), totals.total, &tenders).unwrap();
            prop_assert_eq!(settled.amount_paid - settled.change, totals.total);
            prop_assert_eq!(settled.change, cash_extra);
        }

        #[test]
        fn refunds_in_any_steps_add_up_to_the_line(
            total in 0_i64..1_000_000,
            steps in prop::collection::vec(1_i64..5_000, 1..10),
        ) {
            let quantity: i64 = steps.iter().sum();
            let (mut refunded, mut refunded_milli) = (0, 0);
            for step in &steps {
                let share = refund_share(total, quantity, refunded, refunded_milli, *step);
                prop_assert!(share >= 0);
                refunded += share;
                refunded_milli += step;
            }
            prop_assert_eq!(refunded, total);
        }
    }
}
