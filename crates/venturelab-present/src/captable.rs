//! Text tables and the payout chart of the cap-table reports.

use venturelab_app::captable::{CapTableReport, WaterfallReport};

use crate::charts::{line_chart, Axis, Series};
use crate::error::PresentResult;
use crate::table::{money, render};

pub fn cap_table_text(r: &CapTableReport) -> String {
    let mut text = String::new();
    let holders =
        |rows: Vec<Vec<String>>| render(&["holder", "class", "shares", "fully diluted"], &rows);
    for round in &r.rounds {
        text += &format!(
            "{} ({}): price per share {:.4}, pre-money {}, post-money {}, {} new shares, pool increase {}\n",
            round.series,
            round.date,
            round.price_per_share,
            money(round.pre_money),
            money(round.post_money),
            round.new_shares,
            round.pool_increase
        );
        if !round.conversions.is_empty() {
            let rows: Vec<Vec<String>> = round
                .conversions
                .iter()
                .map(|c| {
                    vec![
                        c.holder.clone(),
                        c.instrument.into(),
                        c.shares.to_string(),
                        format!("{:.6}", c.price),
                        c.basis.into(),
                    ]
                })
                .collect();
            text += &render(
                &["converted", "instrument", "shares", "price", "basis"],
                &rows,
            );
        }
        text += &holders(
            round
                .table
                .iter()
                .map(|t| {
                    vec![
                        t.holder.clone(),
                        t.class.clone(),
                        t.shares.to_string(),
                        format!("{:.4}%", 100.0 * t.fully_diluted),
                    ]
                })
                .collect(),
        );
        text += "\n";
    }
    if r.rounds.is_empty() {
        text += &holders(
            r.table
                .iter()
                .map(|p| {
                    vec![
                        p.holder.clone(),
                        p.class.clone(),
                        p.shares.to_string(),
                        format!("{:.4}%", 100.0 * p.fully_diluted),
                    ]
                })
                .collect(),
        );
        if r.open_safes > 0 || r.open_notes > 0 {
            text += &format!(
                "outstanding: {} SAFEs, {} notes (they convert at the next priced round)\n",
                r.open_safes, r.open_notes
            );
        }
    }
    text
}

pub fn waterfall_text(r: &WaterfallReport) -> String {
    let rows: Vec<Vec<String>> = r
        .payouts
        .iter()
        .map(|p| {
            vec![
                p.holder.clone(),
                p.class.clone(),
                money(p.amount),
                if p.converted {
                    "converted".into()
                } else {
                    String::new()
                },
            ]
        })
        .collect();
    let mut text = format!("exit value {}\n", money(r.exit_value));
    text += &render(&["holder", "class", "payout", ""], &rows);
    if let Some(s) = &r.sweep {
        let lo = s.exit_values.first().copied().unwrap_or(0.0);
        let hi = s.exit_values.last().copied().unwrap_or(0.0);
        text += &format!(
            "\nconversion breakpoints in {}..{}: {}\n",
            money(lo),
            money(hi),
            s.breakpoints.len()
        );
        for b in &s.breakpoints {
            text += &format!(
                "  {} {} between {} and {}\n",
                b.holder,
                if b.converts == Some(true) {
                    "converts"
                } else {
                    "stops converting"
                },
                money(b.between[0]),
                money(b.between[1])
            );
        }
    }
    text
}

/// Each holder's payout along the sweep (`None` without a sweep).
pub fn payout_chart(r: &WaterfallReport) -> PresentResult<Option<String>> {
    let Some(s) = &r.sweep else {
        return Ok(None);
    };
    let series: Vec<Series> = s
        .payouts
        .iter()
        .map(|h| Series {
            name: h.holder.clone(),
            points: s
                .exit_values
                .iter()
                .copied()
                .zip(h.amounts.iter().copied())
                .collect(),
        })
        .collect();
    line_chart(
        "Payout by exit value",
        Axis::money("exit value"),
        Axis::money("payout"),
        &series,
    )
    .map(Some)
}
