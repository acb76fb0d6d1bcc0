//! The exit waterfall: liquidation preferences by seniority, participation, and each
//! preferred class's choice to convert to common, solved as a consistent equilibrium.
//!
//! Given which classes convert: non-converting preferred classes take their preference
//! (multiple × issue price × shares) in order of seniority, highest first, pro rata within
//! a level; what is left goes to common, converted classes (as common) and participating
//! classes, pro rata by shares, a capped class stopping at cap × its investment (the excess
//! goes to the others). The unallocated option pool (class `options`) is not paid.
//! Equilibrium: start with no class converting; repeatedly let each non-participating or
//! capped class convert exactly when converting pays it more given the others' choices,
//! until no class wants to change (at most 100 rounds).

use serde::Serialize;

use super::rounds::{Participation, Table};
use crate::error::{Error, Result};

/// What one holder gets in one class.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Payout {
    pub holder: String,
    pub class: String,
    pub amount: f64,
    /// For preferred classes: whether the class converted to common.
    pub converted: bool,
}

/// `a * b / c`, or `a * (b / c)` when the product overflows (an exit of 1e303 across ten
/// million shares): the same bits as before in every ordinary case, a finite share of a
/// finite amount always.
fn mul_div(a: f64, b: f64, c: f64) -> f64 {
    let p = a * b;
    if p.is_finite() {
        p / c
    } else {
        a * (b / c)
    }
}

/// Amount per class index, given conversion decisions.
fn by_class(t: &Table, value: f64, convert: &[bool]) -> Vec<f64> {
    let shares: Vec<f64> = t
        .classes
        .iter()
        .map(|c| {
            t.positions
                .iter()
                .filter(|p| p.class == c.class)
                .map(|p| p.shares as f64)
                .sum()
        })
        .collect();
    let mut paid = vec![0.0; t.classes.len()];
    let mut left = value;
    // Preferences by seniority, highest first.
    let mut levels: Vec<u32> = t
        .classes
        .iter()
        .filter(|c| c.preferred)
        .map(|c| c.seniority)
        .collect();
    levels.sort_unstable_by(|a, b| b.cmp(a));
    levels.dedup();
    for lvl in levels {
        let claims: Vec<(usize, f64)> = t
            .classes
            .iter()
            .enumerate()
            .filter(|(i, c)| c.preferred && c.seniority == lvl && !convert[*i])
            .map(|(i, c)| (i, c.multiple * c.issue_price * shares[i]))
            .collect();
        let total: f64 = claims.iter().map(|c| c.1).sum();
        if total <= 0.0 {
            continue;
        }
        let pay = total.min(left);
        for (i, claim) in claims {
            paid[i] += mul_div(pay, claim, total);
        }
        left -= pay;
    }
    // The rest, pro rata among common, converted and participating classes; capped classes
    // stop at their cap and the excess is shared again.
    let mut open: Vec<usize> = (0..t.classes.len())
        .filter(|&i| {
            let c = &t.classes[i];
            c.class != "options"
                && (!c.preferred || convert[i] || c.participation != Participation::None)
        })
        .collect();
    while left > 1e-9 * value.max(1.0) && !open.is_empty() {
        let total: f64 = open.iter().map(|&i| shares[i]).sum();
        if total <= 0.0 {
            break;
        }
        let mut capped = None;
        for &i in &open {
            let c = &t.classes[i];
            if c.preferred && !convert[i] && c.participation == Participation::Capped {
                let room = c.cap.unwrap_or(f64::INFINITY) * c.issue_price * shares[i] - paid[i];
                if mul_div(left, shares[i], total) > room {
                    capped = Some((i, room.max(0.0)));
                    break;
                }
            }
        }
        match capped {
            Some((i, room)) => {
                paid[i] += room;
                left -= room;
                open.retain(|&j| j != i);
            }
            None => {
                for &i in &open {
                    paid[i] += mul_div(left, shares[i], total);
                }
                left = 0.0;
            }
        }
    }
    paid
}

/// Rounds of the conversion equilibrium before it is reported as not settling.
const EQUILIBRIUM_ROUNDS: usize = 100;

/// Payouts to every holder at an exit of `value`, with each preferred class's decision.
pub fn waterfall(t: &Table, value: f64) -> Result<Vec<Payout>> {
    if !(value.is_finite() && value >= 0.0) {
        return Err(Error::param(
            "exit",
            format!("expected a non-negative exit value, got {value}"),
        ));
    }
    let n = t.classes.len();
    let mut convert = vec![false; n];
    let mut settled = false;
    for _ in 0..EQUILIBRIUM_ROUNDS {
        let mut changed = false;
        for i in 0..n {
            let c = &t.classes[i];
            if !c.preferred || c.participation == Participation::Full {
                continue;
            }
            let mut alt = convert.clone();
            alt[i] = !convert[i];
            let now = by_class(t, value, &convert)[i];
            let other = by_class(t, value, &alt)[i];
            if other > now * (1.0 + 1e-12) + 1e-9 {
                convert = alt;
                changed = true;
            }
        }
        if !changed {
            settled = true;
            break;
        }
    }
    if !settled {
        return Err(Error::param(
            "exit",
            format!(
                "at an exit of {value} the preferred classes' conversion decisions did not settle in \
                 {EQUILIBRIUM_ROUNDS} rounds (they keep switching); try a slightly different exit value"
            ),
        ));
    }
    let per_class = by_class(t, value, &convert);
    let mut out = Vec::new();
    for (i, c) in t.classes.iter().enumerate() {
        let class_shares: f64 = t
            .positions
            .iter()
            .filter(|p| p.class == c.class)
            .map(|p| p.shares as f64)
            .sum();
        for p in t.positions.iter().filter(|p| p.class == c.class) {
            let amount = if class_shares > 0.0 {
                mul_div(per_class[i], p.shares as f64, class_shares)
            } else {
                0.0
            };
            out.push(Payout {
                holder: p.holder.clone(),
                class: c.class.clone(),
                amount,
                converted: c.preferred && convert[i],
            });
        }
    }
    if let Some(p) = out.iter().find(|p| !p.amount.is_finite()) {
        return Err(Error::param(
            "exit",
            format!(
                "the payout to {} ({}) at an exit of {value} is not a finite number; the preferences \
                 or the exit value are too large for 64-bit arithmetic",
                p.holder, p.class
            ),
        ));
    }
    Ok(out)
}

/// The table as it stands at an exit, with SAFEs and notes still outstanding added as
/// classes that take the greater of their cash-out and their conversion, as their
/// documents say:
/// - a SAFE (YC) gets its purchase amount or the shares it would convert into at its cap,
///   whichever is worth more: a 1x non-participating class with `investment / cap price`
///   shares, on par with the most junior preferred (seniority 1). Post-money SAFEs price
///   the cap on the liquidity capitalization including every SAFE's conversion; pre-money
///   SAFEs on the shares outstanding. A SAFE without a cap converts at the exit's price per
///   share, which is the same as its cash-out.
/// - a note is debt: principal plus interest to the exit date, senior to all equity, or
///   conversion at its cap if that pays more.
pub fn with_open_instruments(
    f: &super::file::CapTableFile,
    t: &Table,
    value: f64,
    date: chrono::NaiveDate,
) -> Result<Table> {
    use super::file::SafeKind;
    let mut out = t.clone();
    let s0 = t.total_shares() as f64;
    let top = t.classes.iter().map(|c| c.seniority).max().unwrap_or(0);
    // Post-money SAFEs with caps own investment/cap of the liquidity capitalization.
    let capped: f64 = t
        .open_safes
        .iter()
        .map(|&k| &f.safes[k])
        .filter(|s| s.kind == SafeKind::PostMoney)
        .filter_map(|s| s.cap.map(|c| s.investment.0 / c.0))
        .sum();
    let liquidity_cap = s0 / (1.0 - capped).max(1e-9);
    for &k in &t.open_safes {
        let s = &f.safes[k];
        let shares = match (s.cap, s.kind) {
            (Some(c), SafeKind::PostMoney) => s.investment.0 / (c.0 / liquidity_cap),
            (Some(c), SafeKind::PreMoney) => s.investment.0 / (c.0 / s0),
            // No cap: converting at the exit price is worth the investment itself.
            (None, _) => s.investment.0 / (value.max(1.0) / liquidity_cap),
        };
        add_instrument(
            &mut out,
            &s.holder,
            format!("SAFE ({})", s.holder),
            shares,
            s.investment.0,
            1,
        );
    }
    for &k in &t.open_notes {
        let n = &f.notes[k];
        let owed = n.amount_at(k, date)?;
        let shares = match n.cap {
            Some(c) => owed / (c.0 / s0),
            None => owed / (value.max(1.0) / s0),
        };
        add_instrument(
            &mut out,
            &n.holder,
            format!("Note ({})", n.holder),
            shares,
            owed,
            top + 1,
        );
    }
    out.open_safes.clear();
    out.open_notes.clear();
    Ok(out)
}

/// Adds an outstanding SAFE or note as a 1x non-participating class: `claim` back, or
/// `shares` as common, whichever the conversion equilibrium finds is worth more.
fn add_instrument(
    out: &mut Table,
    holder: &str,
    class: String,
    shares: f64,
    claim: f64,
    seniority: u32,
) {
    use super::rounds::{ClassTerms, Position};
    out.classes.push(ClassTerms {
        class: class.clone(),
        preferred: true,
        multiple: 1.0,
        participation: Participation::None,
        cap: None,
        seniority,
        issue_price: claim / shares.max(1e-9),
    });
    out.positions.push(Position {
        holder: holder.to_string(),
        class,
        shares: shares.floor().max(1.0) as u64,
    });
}

/// The exit waterfall with outstanding SAFEs, notes and warrants. Each warrant (in file
/// order) is exercised for cash at its strike when that pays its holder: exercising adds
/// its shares to its class and the strike money to the proceeds, and the holder's payout is
/// net of the strike. Payouts still sum to the exit value.
pub fn waterfall_at_exit(
    f: &super::file::CapTableFile,
    t: &Table,
    value: f64,
    date: chrono::NaiveDate,
) -> Result<Vec<Payout>> {
    let mut table = with_open_instruments(f, t, value, date)?;
    let mut proceeds = value;
    let mut strikes: Vec<(String, String, f64)> = Vec::new();
    for (i, w) in f.warrants.iter().enumerate() {
        if !(w.strike.0.is_finite() && w.strike.0 >= 0.0) || w.shares == 0 {
            return Err(Error::key(
                format!("warrants.{i}"),
                "expected a positive number of shares and a non-negative strike",
            ));
        }
        if !table.classes.iter().any(|c| c.class == w.class) {
            return Err(Error::key(
                format!("warrants.{i}.class"),
                format!("no class '{}' in the cap table", w.class),
            ));
        }
        let cost = w.strike.0 * w.shares as f64;
        let mut trial = table.clone();
        match trial
            .positions
            .iter_mut()
            .find(|p| p.holder == w.holder && p.class == w.class)
        {
            Some(p) => p.shares += w.shares,
            None => trial.positions.push(super::rounds::Position {
                holder: w.holder.clone(),
                class: w.class.clone(),
                shares: w.shares,
            }),
        }
        let before: f64 = waterfall(&table, proceeds)?
            .iter()
            .filter(|p| p.holder == w.holder && p.class == w.class)
            .map(|p| p.amount)
            .sum();
        let after: f64 = waterfall(&trial, proceeds + cost)?
            .iter()
            .filter(|p| p.holder == w.holder && p.class == w.class)
            .map(|p| p.amount)
            .sum();
        if after - cost > before {
            table = trial;
            proceeds += cost;
            strikes.push((w.holder.clone(), w.class.clone(), cost));
        }
    }
    let mut out = waterfall(&table, proceeds)?;
    // Exercise money paid in comes back out of the exercising holders' payouts.
    for (holder, class, cost) in strikes {
        let mut left = cost;
        for p in out
            .iter_mut()
            .filter(|p| p.holder == holder && p.class == class)
        {
            let take = left.min(p.amount);
            p.amount -= take;
            left -= take;
        }
    }
    Ok(out)
}
