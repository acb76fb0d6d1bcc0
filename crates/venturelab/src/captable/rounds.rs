//! Applying events in order: priced rounds convert SAFEs and notes, top up the option pool
//! and issue new preferred shares.
//!
//! Conventions (as the Y Combinator post-money SAFE user guide):
//! - Pre-money shares `S_pre` = all shares and options before the round, plus the pool
//!   increase, plus the shares from converting SAFEs and notes ("SAFEs in the pre-money"). The round
//!   price is `pre_money / S_pre`, rounded to `price_decimals` (default 4) decimals; new
//!   investors get `floor(amount / price)` shares.
//! - A post-money SAFE converts at `min(cap / C, (1 - discount) · price)` where the company
//!   capitalization `C` counts all shares and options before the round and every converting
//!   security, but not the pool increase. With caps, `C = (S_0 + X) / (1 - Σ investment/cap)`
//!   over the SAFEs converting at their cap (X: shares of the other conversions), so that
//!   each capped SAFE owns exactly investment/cap of C.
//! - A pre-money SAFE converts at `min(cap / (S_0 + pool increase), (1 - discount) · price)`.
//! - A note converts principal plus interest (simple, Actual/365, unless `annual`
//!   compounding) at `min(cap / (S_0 + pool increase), (1 - discount) · price)`.
//! - Converted shares are floored. With `pool_target_post`, the pool increase makes the
//!   unallocated pool that share of the post-money fully diluted shares.
//!
//! Price, conversions and pool depend on each other; they are solved by fixed-point
//! iteration until the integer share counts stop changing.

use serde::Serialize;

use super::file::{parse_date, CapTableFile, Rounding, SafeKind};
use crate::error::{Error, Result};

/// How a preferred series participates after its preference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Participation {
    None,
    Full,
    Capped,
}

/// The economic terms of a share class.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassTerms {
    pub class: String,
    /// Preferred series only: preference multiple, participation, cap, seniority, and the
    /// original issue price (the preference is multiple × price × shares).
    pub preferred: bool,
    pub multiple: f64,
    pub participation: Participation,
    pub cap: Option<f64>,
    pub seniority: u32,
    pub issue_price: f64,
}

/// One holding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Position {
    pub holder: String,
    pub class: String,
    pub shares: u64,
}

/// A cap table at some point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    pub positions: Vec<Position>,
    pub classes: Vec<ClassTerms>,
    /// Indices (in the file) of SAFEs and notes not yet converted.
    pub open_safes: Vec<usize>,
    pub open_notes: Vec<usize>,
}

impl Table {
    pub fn total_shares(&self) -> u64 {
        self.positions.iter().map(|p| p.shares).sum()
    }

    fn add(&mut self, holder: &str, class: &str, shares: u64) {
        if shares == 0 {
            return;
        }
        match self
            .positions
            .iter_mut()
            .find(|p| p.holder == holder && p.class == class)
        {
            // Saturating: callers check the total against MAX_SHARES right after.
            Some(p) => p.shares = p.shares.saturating_add(shares),
            None => self.positions.push(Position {
                holder: holder.into(),
                class: class.into(),
                shares,
            }),
        }
    }
}

/// How one SAFE or note converted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conversion {
    pub holder: String,
    pub instrument: &'static str,
    pub shares: u64,
    pub price: f64,
    /// `cap`, `discount` or `round` (neither was better than the round price).
    pub basis: &'static str,
}

/// A row of the table after a round.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TableRow {
    pub holder: String,
    pub class: String,
    pub shares: u64,
    /// Share of all shares and options (0..1).
    pub fully_diluted: f64,
}

/// The outcome of one priced round.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoundResult {
    pub series: String,
    pub date: String,
    pub price_per_share: f64,
    pub pre_money: f64,
    pub post_money: f64,
    pub new_shares: u64,
    pub pool_increase: u64,
    pub conversions: Vec<Conversion>,
    pub table: Vec<TableRow>,
}

fn rows(t: &Table) -> Vec<TableRow> {
    let total = t.total_shares().max(1) as f64;
    t.positions
        .iter()
        .map(|p| TableRow {
            holder: p.holder.clone(),
            class: p.class.clone(),
            shares: p.shares,
            fully_diluted: p.shares as f64 / total,
        })
        .collect()
}

/// Validates the file and builds the table before any event.
pub fn initial(f: &CapTableFile) -> Result<Table> {
    let mut t = Table {
        positions: Vec::new(),
        classes: Vec::new(),
        open_safes: Vec::new(),
        open_notes: Vec::new(),
    };
    for (i, c) in f.classes.iter().enumerate() {
        let key = format!("classes.{i}");
        let (multiple, participation, cap, seniority) = match &c.preference {
            Some(p) => (
                p.multiple,
                check_preference(&format!("{key}.preference"), p)?,
                p.cap,
                p.seniority,
            ),
            None => (
                if c.preferred { 1.0 } else { 0.0 },
                Participation::None,
                None,
                if c.preferred { 1 } else { 0 },
            ),
        };
        if !(c.issue_price.is_finite() && c.issue_price >= 0.0) {
            return Err(Error::key(
                format!("{key}.issue_price"),
                format!("expected a non-negative price, got {}", c.issue_price),
            ));
        }
        t.classes.push(ClassTerms {
            class: c.name.clone(),
            preferred: c.preferred,
            multiple,
            participation,
            cap,
            seniority,
            issue_price: c.issue_price,
        });
    }
    for (i, h) in f.holders.iter().enumerate() {
        if h.name.trim().is_empty() {
            return Err(Error::key(
                format!("holders.{i}.name"),
                "a holder needs a name",
            ));
        }
        if h.shares > MAX_SHARES {
            return Err(Error::key(
                format!("holders.{i}.shares"),
                format!(
                    "expected at most {MAX_SHARES} shares (2^53), got {}",
                    h.shares
                ),
            ));
        }
        t.add(&h.name, &h.class, h.shares);
        check_total(&t, &format!("holders.{i}.shares"))?;
        if !t.classes.iter().any(|c| c.class == h.class) {
            t.classes.push(ClassTerms {
                class: h.class.clone(),
                preferred: false,
                multiple: 0.0,
                participation: Participation::None,
                cap: None,
                seniority: 0,
                issue_price: 0.0,
            });
        }
    }
    for (i, s) in f.safes.iter().enumerate() {
        let key = format!("safes.{i}");
        if !(s.investment.0.is_finite() && s.investment.0 > 0.0) {
            return Err(Error::key(
                format!("{key}.investment"),
                format!("expected a positive amount, got {}", s.investment.0),
            ));
        }
        if let Some(cap) = s.cap {
            if cap.0.is_nan() || cap.0 <= s.investment.0 {
                return Err(Error::key(
                    format!("{key}.cap"),
                    format!(
                        "the cap ({}) must be above the investment ({})",
                        cap.0, s.investment.0
                    ),
                ));
            }
        }
        if !(0.0..1.0).contains(&s.discount.0) {
            return Err(Error::key(
                format!("{key}.discount"),
                format!("expected a discount in [0, 1), got {}", s.discount.0),
            ));
        }
        t.open_safes.push(i);
    }
    for (i, w) in f.warrants.iter().enumerate() {
        if !(w.strike.0.is_finite() && w.strike.0 >= 0.0) || w.shares == 0 || w.shares > MAX_SHARES
        {
            return Err(Error::key(
                format!("warrants.{i}"),
                format!(
                    "expected between 1 and {MAX_SHARES} shares and a non-negative strike, got {} shares at {}",
                    w.shares, w.strike.0
                ),
            ));
        }
    }
    for (i, n) in f.notes.iter().enumerate() {
        let key = format!("notes.{i}");
        if !(n.principal.0.is_finite() && n.principal.0 > 0.0) {
            return Err(Error::key(
                format!("{key}.principal"),
                format!("expected a positive amount, got {}", n.principal.0),
            ));
        }
        if !(n.interest.0.is_finite() && (0.0..=MAX_NOTE_INTEREST).contains(&n.interest.0)) {
            return Err(Error::key(
                format!("{key}.interest"),
                format!(
                    "expected an annual interest rate between 0% and {}%, got {}%",
                    MAX_NOTE_INTEREST * 100.0,
                    crate::scenario::num(n.interest.0 * 100.0)
                ),
            ));
        }
        if let Some(c) = n.compounding.as_deref() {
            if c != "simple" && c != "annual" {
                return Err(Error::key(
                    format!("{key}.compounding"),
                    format!("expected simple or annual, got '{c}'"),
                ));
            }
        }
        parse_date(&format!("{key}.start"), &n.start)?;
        if let Some(cap) = n.cap {
            if cap.0.is_nan() || cap.0 <= n.principal.0 {
                return Err(Error::key(
                    format!("{key}.cap"),
                    format!(
                        "the cap ({}) must be above the principal ({})",
                        cap.0, n.principal.0
                    ),
                ));
            }
        }
        if !(0.0..1.0).contains(&n.discount.0) {
            return Err(Error::key(
                format!("{key}.discount"),
                format!("expected a discount in [0, 1), got {}", n.discount.0),
            ));
        }
        t.open_notes.push(i);
    }
    Ok(t)
}

/// Applies every priced round in date order. Returns each round's result, the final table,
/// and the exit value of the last `exit` event, if any.
///
/// ```
/// use venturelab::captable::apply;
/// use venturelab::captable::file::CapTableFile;
///
/// // 10M shares before a $5M Series A at a $20M pre-money valuation: $2 a share.
/// let f = CapTableFile::from_toml(
///     r#"
///     [[holders]]
///     name = "Founders"
///     class = "common"
///     shares = 8_000_000
///
///     [[holders]]
///     name = "Pool"
///     class = "options"
///     shares = 2_000_000
///
///     [[events]]
///     type = "priced-round"
///     date = "2026-01-01"
///     series = "Series A"
///     pre_money = "20M"
///     investors = [{ holder = "Lead", amount = "5M" }]
///     "#,
/// )?;
/// let (rounds, _table, _exit) = apply(&f)?;
/// assert_eq!(rounds[0].price_per_share, 2.0);
/// assert_eq!(rounds[0].new_shares, 2_500_000);
/// assert_eq!(rounds[0].post_money, 25e6);
/// # Ok::<(), venturelab::Error>(())
/// ```
pub fn apply(f: &CapTableFile) -> Result<(Vec<RoundResult>, Table, Option<f64>)> {
    let mut t = initial(f)?;
    if f.holders.is_empty()
        && f.safes.is_empty()
        && f.notes.is_empty()
        && f.events.iter().all(|e| e.investors.is_empty())
    {
        return Err(Error::input(
            "cap table",
            "the cap table is empty: add [[holders]] (or SAFEs, notes or a round with investors)",
        ));
    }
    let mut results = Vec::new();
    let mut exit = None;
    let mut last_date = None;
    for (e, ev) in f.events.iter().enumerate() {
        let key = format!("events.{e}");
        let date = parse_date(&format!("{key}.date"), &ev.date)?;
        if let Some(prev) = last_date {
            if date < prev {
                return Err(Error::key(
                    format!("{key}.date"),
                    format!(
                        "{date} is before the previous event ({prev}); list events in date order"
                    ),
                ));
            }
        }
        last_date = Some(date);
        match ev.kind.as_str() {
            "exit" => {
                let v = ev
                    .value
                    .ok_or_else(|| Error::key(format!("{key}.value"), "an exit needs a value"))?
                    .0;
                if !(v.is_finite() && v >= 0.0) {
                    return Err(Error::key(
                        format!("{key}.value"),
                        format!("expected a non-negative amount, got {v}"),
                    ));
                }
                exit = Some(v);
            }
            "priced-round" => results.push(priced_round(f, &mut t, e, date)?),
            "transfer" => transfer(&mut t, ev, &key)?,
            other => {
                return Err(Error::key(
                    format!("{key}.type"),
                    format!("expected priced-round or exit, got '{other}'"),
                ))
            }
        }
    }
    Ok((results, t, exit))
}

fn priced_round(
    f: &CapTableFile,
    t: &mut Table,
    e: usize,
    date: chrono::NaiveDate,
) -> Result<RoundResult> {
    let ev = &f.events[e];
    let key = format!("events.{e}");
    let series = ev.series.clone().ok_or_else(|| {
        Error::key(
            format!("{key}.series"),
            "a priced round needs a series name",
        )
    })?;
    let pre_money = ev
        .pre_money
        .ok_or_else(|| {
            Error::key(
                format!("{key}.pre_money"),
                "a priced round needs a pre-money valuation",
            )
        })?
        .0;
    if !(pre_money.is_finite() && pre_money > 0.0) {
        return Err(Error::key(
            format!("{key}.pre_money"),
            format!("expected a positive amount, got {pre_money}"),
        ));
    }
    if ev.investors.is_empty() {
        return Err(Error::key(
            format!("{key}.investors"),
            "a priced round needs at least one investor",
        ));
    }
    for (i, inv) in ev.investors.iter().enumerate() {
        if !(inv.amount.0.is_finite() && inv.amount.0 > 0.0) {
            return Err(Error::key(
                format!("{key}.investors.{i}.amount"),
                format!("expected a positive amount, got {}", inv.amount.0),
            ));
        }
    }
    if let Some(target) = ev.pool_target_post {
        if !(0.0..1.0).contains(&target.0) {
            return Err(Error::key(
                format!("{key}.pool_target_post"),
                format!("expected a share in [0, 1), got {}", target.0),
            ));
        }
    }
    if ev.pool_target_post.is_some() && ev.pool_increase.is_some() {
        return Err(Error::key(
            format!("{key}.pool_increase"),
            "give pool_target_post or pool_increase, not both",
        ));
    }
    f.rounding.check("rounding")?;
    let rounding = Rounding {
        price_decimals: ev.price_decimals.unwrap_or(f.rounding.price_decimals),
        ..f.rounding
    };
    rounding.check(&key)?;
    let round_price = |p: f64| rounding.price(p);

    let s0 = t.total_shares() as f64;
    if s0 == 0.0
        && t.open_safes.is_empty()
        && t.open_notes.is_empty()
        && ev.pool_increase.unwrap_or(0) == 0
    {
        return Err(Error::key(
            format!("{key}.pre_money"),
            "there are no shares before this round, so no price per share; add [[holders]] first",
        ));
    }
    let pool_now: u64 = t
        .positions
        .iter()
        .filter(|p| p.class == "options")
        .map(|p| p.shares)
        .sum();
    // The better of a SAFE's own terms and any later SAFE's (MFN).
    let safe_terms = |k: usize| {
        let s = &f.safes[k];
        let (mut cap, mut disc) = (s.cap.map(|c| c.0), s.discount.0);
        if s.mfn {
            for later in &f.safes[k + 1..] {
                if let Some(c) = later.cap {
                    cap = Some(cap.map_or(c.0, |x| x.min(c.0)));
                }
                disc = disc.max(later.discount.0);
            }
        }
        (cap, disc)
    };
    let note_amount = |k: usize| f.notes[k].amount_at(k, date);

    let mut pool_inc: u64 = ev.pool_increase.unwrap_or(0);
    if pool_inc > MAX_SHARES {
        return Err(Error::key(
            format!("{key}.pool_increase"),
            format!("expected at most {MAX_SHARES} shares (2^53), got {pool_inc}"),
        ));
    }
    let mut conv_shares: Vec<u64> = vec![0; t.open_safes.len() + t.open_notes.len()];
    let mut price = 0.0;
    let mut conversions = Vec::new();
    let mut new_shares: Vec<u64> = vec![0; ev.investors.len()];
    // Which SAFEs convert at their cap (start: all that have one; then as computed).
    let mut at_cap: Vec<bool> = t
        .open_safes
        .iter()
        .map(|&k| safe_terms(k).0.is_some())
        .collect();
    let mut settled = false;
    for _iteration in 0..ROUND_ITERATIONS {
        let converting: u64 = conv_shares.iter().sum();
        let s_pre = s0 + pool_inc as f64 + converting as f64;
        price = round_price(pre_money / s_pre);
        if price <= 0.0 {
            return Err(Error::key(
                format!("{key}.pre_money"),
                "the price per share rounds to zero; use more price_decimals",
            ));
        }
        // Company capitalization for post-money SAFEs: those converting at their cap own
        // investment/cap of it; every other conversion enters as shares.
        let mut capped_fraction = 0.0;
        let mut other = 0.0;
        for (j, &k) in t.open_safes.iter().enumerate() {
            let s = &f.safes[k];
            match safe_terms(k).0 {
                Some(cap) if s.kind == SafeKind::PostMoney && at_cap[j] => {
                    capped_fraction += s.investment.0 / cap
                }
                _ => other += conv_shares[j] as f64,
            }
        }
        for j in 0..t.open_notes.len() {
            other += conv_shares[t.open_safes.len() + j] as f64;
        }
        if capped_fraction >= 1.0 {
            return Err(Error::key(
                "safes",
                "the SAFEs' investments add up to more than their post-money caps",
            ));
        }
        let company_cap = ((s0 + other) / (1.0 - capped_fraction)).floor();
        let pre_cap_shares = s0 + pool_inc as f64;
        let mut next = Vec::with_capacity(conv_shares.len());
        conversions.clear();
        for &k in &t.open_safes {
            let s = &f.safes[k];
            let (cap, disc) = safe_terms(k);
            // Every per-share price is rounded as the round price is (issue 16 item 4).
            let cap_price = cap.map(|c| {
                round_price(match s.kind {
                    SafeKind::PostMoney => c / company_cap,
                    SafeKind::PreMoney => c / pre_cap_shares,
                })
            });
            let disc_price = round_price((1.0 - disc) * price);
            let (p, basis) = best_price(cap_price, disc_price, price, disc > 0.0);
            let sh = to_shares(
                &format!("safes.{k}.investment"),
                rounding.shares(s.investment.0 / p),
            )?;
            next.push(sh);
            conversions.push(Conversion {
                holder: s.holder.clone(),
                instrument: "safe",
                shares: sh,
                price: p,
                basis,
            });
        }
        for &k in &t.open_notes {
            let n = &f.notes[k];
            let cap_price = n.cap.map(|c| round_price(c.0 / pre_cap_shares));
            let (p, basis) = best_price(
                cap_price,
                round_price((1.0 - n.discount.0) * price),
                price,
                n.discount.0 > 0.0,
            );
            let sh = to_shares(
                &format!("notes.{k}.principal"),
                rounding.shares(note_amount(k)? / p),
            )?;
            next.push(sh);
            conversions.push(Conversion {
                holder: n.holder.clone(),
                instrument: "note",
                shares: sh,
                price: p,
                basis,
            });
        }
        new_shares = ev
            .investors
            .iter()
            .enumerate()
            .map(|(j, inv)| {
                to_shares(
                    &format!("{key}.investors.{j}.amount"),
                    rounding.shares(inv.amount.0 / price),
                )
            })
            .collect::<Result<_>>()?;
        let mut next_pool = pool_inc;
        if let Some(target) = ev.pool_target_post {
            // Unallocated pool after the round = target × post-money fully diluted shares.
            let others = s0 - pool_now as f64
                + next.iter().sum::<u64>() as f64
                + new_shares.iter().sum::<u64>() as f64;
            let pool_total = (target.0 * others / (1.0 - target.0)).ceil();
            next_pool = to_shares(
                &format!("{key}.pool_target_post"),
                (pool_total - pool_now as f64).max(0.0),
            )?;
        }
        let next_at_cap: Vec<bool> = conversions
            .iter()
            .take(t.open_safes.len())
            .map(|c| c.basis == "cap")
            .collect();
        if next == conv_shares && next_pool == pool_inc && next_at_cap == at_cap {
            settled = true;
            break;
        }
        at_cap = next_at_cap;
        conv_shares = next;
        pool_inc = next_pool;
    }
    if !settled {
        return Err(Error::key(
            key.clone(),
            format!(
                "the round's price, conversions and pool did not settle after {ROUND_ITERATIONS} \
                 iterations (the share counts keep changing); check pool_target_post and the SAFE caps"
            ),
        ));
    }
    // Apply: conversions become shares of the new series (shadow series in practice; the
    // same class here), the pool grows, investors get the new series.
    let pref = ev.preference.clone();
    let (multiple, participation, cap, seniority) = match &pref {
        None => (1.0, Participation::None, None, 1),
        Some(p) => {
            let part = check_preference(&format!("{key}.preference"), p)?;
            (p.multiple, part, p.cap, p.seniority)
        }
    };
    if t.classes.iter().any(|c| c.class == series) {
        return Err(Error::key(
            format!("{key}.series"),
            format!("series '{series}' already exists"),
        ));
    }
    t.classes.push(ClassTerms {
        class: series.clone(),
        preferred: true,
        multiple,
        participation,
        cap,
        seniority,
        issue_price: price,
    });
    // SAFEs and notes that convert below the round price get shadow preferred shares whose
    // preference is set by their own conversion price (as the YC SAFE provides), so that
    // a $200k SAFE is not preferred for more than it paid.
    for c in &conversions {
        if (c.price - price).abs() < 1e-12 {
            t.add(&c.holder, &series, c.shares);
        } else {
            let shadow = format!("{series} shadow ({})", c.holder);
            t.classes.push(ClassTerms {
                class: shadow.clone(),
                preferred: true,
                multiple,
                participation,
                cap,
                seniority,
                issue_price: c.price,
            });
            t.add(&c.holder, &shadow, c.shares);
        }
    }
    t.add("Pool", "options", pool_inc);
    for (inv, &sh) in ev.investors.iter().zip(&new_shares) {
        t.add(&inv.holder, &series, sh);
    }
    // SAFE pro rata rights: each exercising holder buys its share of the new shares sold.
    let s_pre_final =
        s0 + pool_inc as f64 + conversions.iter().map(|c| c.shares as f64).sum::<f64>();
    let sold: u64 = new_shares.iter().sum();
    let mut pro_rata_shares = 0;
    for (c, &k) in conversions.iter().zip(&t.open_safes.clone()) {
        if f.safes[k].pro_rata {
            let extra = rounding.shares(c.shares as f64 / s_pre_final * sold as f64) as u64;
            t.add(&c.holder, &series, extra);
            pro_rata_shares += extra;
        }
    }
    t.open_safes.clear();
    t.open_notes.clear();
    let new_total: u64 = new_shares.iter().sum::<u64>() + pro_rata_shares;
    check_total(t, &key)?;
    Ok(RoundResult {
        series,
        date: ev.date.clone(),
        price_per_share: price,
        pre_money,
        post_money: pre_money + ev.investors.iter().map(|i| i.amount.0).sum::<f64>(),
        new_shares: new_total,
        pool_increase: pool_inc,
        conversions,
        table: rows(t),
    })
}

/// The lowest of the cap price, the discount price and the round price, with its name.
fn best_price(
    cap_price: Option<f64>,
    disc_price: f64,
    round: f64,
    has_discount: bool,
) -> (f64, &'static str) {
    let mut best = (round, "round");
    if has_discount && disc_price < best.0 {
        best = (disc_price, "discount");
    }
    if let Some(c) = cap_price {
        if c < best.0 {
            best = (c, "cap");
        }
    }
    best
}

/// The highest annual interest rate a note may carry (1,000%: real notes carry 2% to 8%).
pub const MAX_NOTE_INTEREST: f64 = 10.0;

/// The most shares a cap table may hold in total: 2^53, below which every count is exact
/// in the 64-bit floats the prices and percentages are computed in (real tables hold
/// fewer than 10^10). Larger counts are an error at the key that produced them, never a
/// wrapped or rounded number.
pub const MAX_SHARES: u64 = 1 << 53;

/// Fixed-point iterations of one priced round before it is reported as not settling.
const ROUND_ITERATIONS: usize = 200;

/// A computed share count (already floored or rounded) as an integer, checked against
/// [`MAX_SHARES`].
fn to_shares(key: &str, x: f64) -> Result<u64> {
    if x.is_finite() && x >= 0.0 && x <= MAX_SHARES as f64 {
        Ok(x as u64)
    } else {
        Err(Error::key(
            key,
            format!(
                "this gives {x:.4e} shares, more than the {MAX_SHARES} a cap table can hold exactly; \
                 check the amount and the price"
            ),
        ))
    }
}

/// Checks that the table's total is at most [`MAX_SHARES`], blaming `key`.
fn check_total(t: &Table, key: &str) -> Result<()> {
    let mut total: u64 = 0;
    for p in &t.positions {
        total = match total.checked_add(p.shares) {
            Some(x) if x <= MAX_SHARES => x,
            _ => {
                return Err(Error::key(
                    key,
                    format!(
                    "the cap table would hold more than {MAX_SHARES} shares (2^53, the most that \
                         are exact in 64-bit floats)"
                ),
                ))
            }
        };
    }
    Ok(())
}

/// The largest liquidation preference multiple accepted (real terms are 1x to 3x; beyond
/// this the preference amounts lose their meaning and, near 1e300, their finiteness).
pub const MAX_PREFERENCE_MULTIPLE: f64 = 1000.0;

/// Checks a preference at `key` (`classes.0.preference`, `events.2.preference`): a finite
/// multiple in [0, MAX_PREFERENCE_MULTIPLE], and for capped participation a finite cap
/// above the multiple. A cap at or below the preference is rejected, not silently read:
/// the cap is the total a participating class may receive, preference included, so a cap
/// below the preference would contradict the preference itself (`docs/models/captable.md`).
pub(crate) fn check_preference(
    key: &str,
    p: &super::file::PreferenceSpec,
) -> Result<Participation> {
    if !(p.multiple.is_finite() && (0.0..=MAX_PREFERENCE_MULTIPLE).contains(&p.multiple)) {
        return Err(Error::key(
            format!("{key}.multiple"),
            format!(
                "expected a multiple between 0 and {MAX_PREFERENCE_MULTIPLE}, got {}",
                crate::scenario::num(p.multiple)
            ),
        ));
    }
    let part = parse_participation(&format!("{key}.participation"), &p.participation)?;
    match (part, p.cap) {
        (Participation::Capped, None) => Err(Error::key(
            format!("{key}.cap"),
            "capped participation needs a cap above the preference multiple",
        )),
        (Participation::Capped, Some(c)) if !(c.is_finite() && c > p.multiple) => Err(Error::key(
            format!("{key}.cap"),
            format!(
                "the participation cap ({c}x) must be a finite multiple above the preference ({}x): \
                 the cap is the total the class may receive, preference included",
                p.multiple
            ),
        )),
        (Participation::None | Participation::Full, Some(c)) => Err(Error::key(
            format!("{key}.cap"),
            format!("a cap ({c}) applies only to participation = \"capped\""),
        )),
        _ => Ok(part),
    }
}

pub(crate) fn parse_participation(key: &str, s: &str) -> Result<Participation> {
    match s {
        "none" => Ok(Participation::None),
        "full" => Ok(Participation::Full),
        "capped" => Ok(Participation::Capped),
        other => Err(Error::key(
            key,
            format!("expected none, full or capped, got '{other}'"),
        )),
    }
}

/// A `transfer` event: `shares` of `class` move from `from` to `to` (a secondary sale).
fn transfer(t: &mut Table, ev: &super::file::EventSpec, key: &str) -> Result<()> {
    let from = ev
        .from
        .as_deref()
        .ok_or_else(|| Error::key(format!("{key}.from"), "a transfer needs `from`"))?;
    let to = ev
        .to
        .as_deref()
        .ok_or_else(|| Error::key(format!("{key}.to"), "a transfer needs `to`"))?;
    let shares = ev
        .shares
        .ok_or_else(|| Error::key(format!("{key}.shares"), "a transfer needs `shares`"))?;
    let class = ev.class.clone().unwrap_or_else(|| "common".into());
    if !t.positions.iter().any(|p| p.holder == from) {
        let known: Vec<&str> = t.positions.iter().map(|p| p.holder.as_str()).collect();
        return Err(Error::key(
            format!("{key}.from"),
            format!("unknown holder '{from}' (holders: {})", known.join(", ")),
        ));
    }
    let pos = t
        .positions
        .iter_mut()
        .find(|p| p.holder == from && p.class == class)
        .ok_or_else(|| {
            Error::key(
                format!("{key}.class"),
                format!("'{from}' holds no {class} shares"),
            )
        })?;
    if pos.shares < shares {
        return Err(Error::key(
            format!("{key}.shares"),
            format!(
                "'{from}' holds {} {class} shares, cannot transfer {shares}",
                pos.shares
            ),
        ));
    }
    pos.shares -= shares;
    t.add(to, &class, shares);
    check_total(t, &format!("{key}.shares"))?;
    t.positions.retain(|p| p.shares > 0 || p.class == "options");
    Ok(())
}
