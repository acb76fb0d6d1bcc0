//! Open Cap Format (OCF) import: an OCF export (one or more `*.ocf.json` files, each
//! `{"file_type": ..., "items": [...]}`, their objects merged) read into a [`CapTableFile`].
//! OCF is the cap-table industry's open JSON standard
//! (github.com/Open-Cap-Table-Coalition/Open-Cap-Format-OCF, schema 1.x).
//!
//! The import keeps a ledger of securities, as OCF does: every issuance creates a security
//! (`security_id`), and every later transaction names the security it acts on. Read:
//! - `STAKEHOLDER` (`name.legal_name`), `STOCK_CLASS` (name, class_type, seniority,
//!   liquidation_preference_multiple, participation_cap_multiple), `STOCK_PLAN`
//!   (initial_shares_reserved, default_cancellation_behavior).
//! - Issuances: `TX_STOCK_ISSUANCE`, `TX_EQUITY_COMPENSATION_ISSUANCE` (and its pre-1.0 name
//!   `TX_PLAN_SECURITY_ISSUANCE`; options, RSUs and SARs, held as `options`),
//!   `TX_WARRANT_ISSUANCE`, `TX_CONVERTIBLE_ISSUANCE` (SAFE_CONVERSION and
//!   CONVERTIBLE_NOTE_CONVERSION mechanisms: cap, discount, interest, pre- or post-money).
//! - Transactions that take units out of a security: cancellation, transfer, exercise,
//!   conversion, release, repurchase (`quantity`, `quantity_converted`, or a convertible's
//!   `amount`); reissuance, consolidation and retraction take all of it. The units that move
//!   (a transfer's, an exercise's shares) arrive through the issuances of the
//!   `resulting_security_ids`, which OCF records as their own objects. A remainder stays on
//!   the security, unless a `balance_security_id` is issued by its own object (then the
//!   remainder is that security and the original is used up).
//! - Plan and class adjustments: `TX_STOCK_PLAN_POOL_ADJUSTMENT` (new `shares_reserved`),
//!   `TX_STOCK_PLAN_RETURN_TO_POOL`, `TX_STOCK_CLASS_SPLIT` (the class's shares, the awards on
//!   it and the plans issuing it multiplied by `split_ratio`). Cancelled plan securities return to the pool
//!   when the plan's `default_cancellation_behavior` is `RETURN_TO_POOL`.
//! - Objects that do not change who holds what (acceptances, vesting, authorized-share
//!   adjustments, change events, legends, valuations, documents, financings, the issuer)
//!   are read past. A conversion-ratio adjustment is refused: every class converts 1:1 here.
//!
//! Refused, naming the file and the object: a file that is not OCF, an object type OCF does
//! not define, two objects with one `id`, two issuances of one `security_id`, a reference to
//! a stakeholder, stock class, plan or security that no object defines, a transaction that
//! takes more units than its security holds, a plan that grants more than it reserves, and
//! an export with no securities at all.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::file::{
    CapTableFile, ClassSpec, HolderSpec, NoteSpec, PreferenceSpec, SafeKind, SafeSpec, WarrantSpec,
};
use super::rounds::{MAX_PREFERENCE_MULTIPLE, MAX_SHARES};
use crate::error::{Error, Result};
use crate::scenario::{Money, Rate};

/// One OCF object and the file it came from.
struct Item<'a> {
    file: &'a str,
    value: &'a Value,
    id: String,
    kind: String,
}

impl Item<'_> {
    /// An error about this object, naming its file and id.
    fn err(&self, message: impl Into<String>) -> Error {
        Error::input(format!("{}: OCF object {}", self.file, self.id), message)
    }

    fn get(&self, key: &str) -> Option<&Value> {
        self.value.get(key)
    }

    fn field(&self, key: &str) -> Result<&Value> {
        self.get(key)
            .ok_or_else(|| self.err(format!("missing `{key}`")))
    }

    fn str_field(&self, key: &str) -> Result<&str> {
        self.field(key)?
            .as_str()
            .ok_or_else(|| self.err(format!("`{key}` is not a string")))
    }

    fn date(&self) -> &str {
        self.get("date").and_then(Value::as_str).unwrap_or("")
    }

    /// A non-negative number of units at `key`: a share count within what a cap table holds.
    fn quantity(&self, key: &str) -> Result<f64> {
        let q = num(self.field(key)?);
        match q {
            Some(x) if x.is_finite() && (0.0..=MAX_SHARES as f64).contains(&x) => Ok(x),
            _ => Err(self.err(format!(
                "`{key}` is not a quantity from 0 to {MAX_SHARES} shares"
            ))),
        }
    }

    /// A monetary amount at `key` (`{"amount": "1000", "currency": "USD"}` or a number).
    fn amount(&self, key: &str) -> Result<f64> {
        let v = self.field(key)?;
        v.get("amount")
            .and_then(num)
            .or_else(|| num(v))
            .filter(|x| x.is_finite() && *x >= 0.0)
            .ok_or_else(|| self.err(format!("`{key}` is not a non-negative amount")))
    }
}

/// OCF numbers are strings ("100.00"); numbers are accepted too.
fn num(v: &Value) -> Option<f64> {
    match v {
        Value::String(s) => s.parse().ok(),
        Value::Number(n) => n.as_f64(),
        _ => None,
    }
}

/// Object types that do not change who holds what.
const READ_PAST: &[&str] = &[
    "ISSUER",
    "STOCK_LEGEND_TEMPLATE",
    "VALUATION",
    "VESTING_TERMS",
    "FINANCING",
    "DOCUMENT",
    "CE_STAKEHOLDER_RELATIONSHIP",
    "CE_STAKEHOLDER_STATUS",
    "TX_ISSUER_AUTHORIZED_SHARES_ADJUSTMENT",
    "TX_STOCK_CLASS_AUTHORIZED_SHARES_ADJUSTMENT",
    "TX_CONVERTIBLE_ACCEPTANCE",
    "TX_EQUITY_COMPENSATION_ACCEPTANCE",
    "TX_PLAN_SECURITY_ACCEPTANCE",
    "TX_STOCK_ACCEPTANCE",
    "TX_WARRANT_ACCEPTANCE",
    "TX_EQUITY_COMPENSATION_REPRICING",
    "TX_VESTING_ACCELERATION",
    "TX_VESTING_START",
    "TX_VESTING_EVENT",
];

/// Issuance object types, which create a security.
const ISSUANCES: &[&str] = &[
    "TX_STOCK_ISSUANCE",
    "TX_EQUITY_COMPENSATION_ISSUANCE",
    "TX_PLAN_SECURITY_ISSUANCE",
    "TX_WARRANT_ISSUANCE",
    "TX_CONVERTIBLE_ISSUANCE",
];

/// Transaction types that change holdings, besides the issuances (see [`Ledger::apply`]).
const HOLDING_CHANGES: &[&str] = &[
    "TX_STOCK_CANCELLATION",
    "TX_EQUITY_COMPENSATION_CANCELLATION",
    "TX_PLAN_SECURITY_CANCELLATION",
    "TX_WARRANT_CANCELLATION",
    "TX_CONVERTIBLE_CANCELLATION",
    "TX_STOCK_TRANSFER",
    "TX_EQUITY_COMPENSATION_TRANSFER",
    "TX_PLAN_SECURITY_TRANSFER",
    "TX_WARRANT_TRANSFER",
    "TX_CONVERTIBLE_TRANSFER",
    "TX_STOCK_REPURCHASE",
    "TX_EQUITY_COMPENSATION_EXERCISE",
    "TX_PLAN_SECURITY_EXERCISE",
    "TX_WARRANT_EXERCISE",
    "TX_EQUITY_COMPENSATION_RELEASE",
    "TX_PLAN_SECURITY_RELEASE",
    "TX_STOCK_CONVERSION",
    "TX_CONVERTIBLE_CONVERSION",
    "TX_STOCK_REISSUANCE",
    "TX_STOCK_CONSOLIDATION",
    "TX_STOCK_RETRACTION",
    "TX_WARRANT_RETRACTION",
    "TX_CONVERTIBLE_RETRACTION",
    "TX_EQUITY_COMPENSATION_RETRACTION",
    "TX_PLAN_SECURITY_RETRACTION",
    "TX_STOCK_PLAN_POOL_ADJUSTMENT",
    "TX_STOCK_PLAN_RETURN_TO_POOL",
    "TX_STOCK_CLASS_SPLIT",
    "TX_STOCK_CLASS_CONVERSION_RATIO_ADJUSTMENT",
];

/// What a security is.
#[derive(Debug, Clone)]
enum Holding {
    /// Shares of a stock class (by OCF id).
    Stock { holder: String, class_id: String },
    /// Options, RSUs or SARs, from a plan (by OCF id) or outside any plan, on the stock
    /// class (by OCF id) they are for when the file says.
    Compensation {
        holder: String,
        plan: Option<String>,
        class_id: Option<String>,
    },
    /// A warrant at a strike price.
    Warrant { holder: String, strike: f64 },
    /// A SAFE or note: its index in `convertibles`.
    Convertible(usize),
}

#[derive(Debug, Clone)]
struct Security {
    holding: Holding,
    /// Units held: shares, or a convertible's amount.
    units: f64,
}

#[derive(Debug, Clone)]
enum Convertible {
    Safe(SafeSpec),
    Note(NoteSpec),
}

#[derive(Debug, Clone, Default)]
struct Plan {
    /// The stock class its awards are for (OCF id), when the plan says.
    class_id: Option<String>,
    reserved: f64,
    /// Units granted and not returned to the pool.
    used: f64,
    returns_on_cancel: bool,
}

/// Reads OCF JSON documents, each `(name, text)`, into a cap-table file.
pub fn import(documents: &[(String, String)]) -> Result<CapTableFile> {
    if documents.is_empty() {
        return Err(Error::input(
            "ocf",
            "no OCF files: give an .ocf.json file or a folder holding them",
        ));
    }
    let mut parsed: Vec<(String, Value)> = Vec::with_capacity(documents.len());
    for (name, text) in documents {
        let doc: Value =
            serde_json::from_str(text).map_err(|e| Error::input(name, format!("not JSON: {e}")))?;
        parsed.push((name.clone(), doc));
    }
    let mut items: Vec<Item> = Vec::new();
    for (name, doc) in &parsed {
        let objects: Vec<&Value> = match doc.get("items").and_then(Value::as_array) {
            Some(list) => list.iter().collect(),
            None if doc.get("object_type").is_some() => vec![doc],
            // A manifest or another file with no items holds no objects.
            None if doc.get("file_type").is_some() => Vec::new(),
            None => {
                return Err(Error::input(
                    name,
                    "not an OCF file: expected `items` (or an OCF object)",
                ))
            }
        };
        for (i, v) in objects.into_iter().enumerate() {
            let id = v
                .get("id")
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| Error::input(name, format!("item {} has no `id`", i + 1)))?;
            let kind = v
                .get("object_type")
                .and_then(Value::as_str)
                .ok_or_else(|| {
                    Error::input(format!("{name}: OCF object {id}"), "missing `object_type`")
                })?
                .to_string();
            items.push(Item {
                file: name,
                value: v,
                id,
                kind,
            });
        }
    }
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for it in &items {
        if let Some(first) = seen.insert(&it.id, it.file) {
            return Err(it.err(format!(
                "the id is used twice (also in {first}); every OCF object needs its own id"
            )));
        }
    }
    Ledger::default().read(&items)
}

#[derive(Default)]
struct Ledger {
    names: BTreeMap<String, String>,
    classes: BTreeMap<String, ClassSpec>,
    plans: BTreeMap<String, Plan>,
    securities: BTreeMap<String, Security>,
    convertibles: Vec<Option<Convertible>>,
    /// Every security id some issuance creates (to know whether a balance security is
    /// recorded by its own object).
    issued: BTreeSet<String>,
}

impl Ledger {
    fn read(mut self, items: &[Item]) -> Result<CapTableFile> {
        for it in items {
            match it.kind.as_str() {
                "STAKEHOLDER" => {
                    let n = it
                        .value
                        .pointer("/name/legal_name")
                        .and_then(Value::as_str)
                        .ok_or_else(|| it.err("missing `name.legal_name`"))?;
                    self.names.insert(it.id.clone(), n.to_string());
                }
                "STOCK_CLASS" => {
                    let class = stock_class(it)?;
                    self.classes.insert(it.id.clone(), class);
                }
                "STOCK_PLAN" => {
                    let reserved = it.quantity("initial_shares_reserved")?;
                    let behaviour = it
                        .get("default_cancellation_behavior")
                        .and_then(Value::as_str);
                    self.plans.insert(
                        it.id.clone(),
                        Plan {
                            class_id: plan_class(it),
                            reserved,
                            used: 0.0,
                            returns_on_cancel: behaviour == Some("RETURN_TO_POOL"),
                        },
                    );
                }
                k if ISSUANCES.contains(&k) => {
                    let sec = it.str_field("security_id")?;
                    if !self.issued.insert(sec.to_string()) {
                        return Err(it.err(format!(
                            "security_id '{sec}' is issued twice; each issuance creates its own security"
                        )));
                    }
                }
                k if HOLDING_CHANGES.contains(&k) || READ_PAST.contains(&k) => {}
                other => return Err(it.err(format!("`{other}` is not an OCF object type"))),
            }
        }
        // Transactions in date order; on one date, issuances first (a transfer's resulting
        // securities are issued the day it happens). The sort is stable: file order otherwise.
        let mut txs: Vec<&Item> = items.iter().filter(|i| i.kind.starts_with("TX_")).collect();
        txs.sort_by_key(|i| (i.date().to_string(), !ISSUANCES.contains(&i.kind.as_str())));
        for it in txs {
            self.apply(it)?;
        }
        self.finish(items)
    }

    fn holder(&self, it: &Item) -> Result<String> {
        let sid = it.str_field("stakeholder_id")?;
        self.names.get(sid).cloned().ok_or_else(|| {
            it.err(format!(
                "stakeholder_id '{sid}' is not a known stakeholder (no STAKEHOLDER object has that id)"
            ))
        })
    }

    fn security(&mut self, it: &Item) -> Result<(String, &mut Security)> {
        let sec = it.str_field("security_id")?.to_string();
        match self.securities.get_mut(&sec) {
            Some(s) => Ok((sec, s)),
            None => Err(it.err(format!(
                "security_id '{sec}' was never issued (or was already used up)"
            ))),
        }
    }

    fn apply(&mut self, it: &Item) -> Result<()> {
        match it.kind.as_str() {
            "TX_STOCK_ISSUANCE" => {
                let class_id = it.str_field("stock_class_id")?.to_string();
                let class = self.classes.get_mut(&class_id).ok_or_else(|| {
                    it.err(format!(
                        "stock_class_id '{class_id}' is not a known stock class"
                    ))
                })?;
                let price = it
                    .get("share_price")
                    .and_then(|p| p.get("amount"))
                    .and_then(num)
                    .unwrap_or(0.0);
                if !(price.is_finite() && price >= 0.0) {
                    return Err(it.err("`share_price` is not a non-negative amount"));
                }
                if class.issue_price == 0.0 {
                    class.issue_price = price;
                }
                let holder = self.holder(it)?;
                self.issue(it, Holding::Stock { holder, class_id }, it.quantity("quantity")?)
            }
            "TX_EQUITY_COMPENSATION_ISSUANCE" | "TX_PLAN_SECURITY_ISSUANCE" => {
                let units = it.quantity("quantity")?;
                let mut class_id = it
                    .get("stock_class_id")
                    .and_then(Value::as_str)
                    .map(str::to_string);
                let plan = match it.get("stock_plan_id").and_then(Value::as_str) {
                    Some(p) => {
                        let plan = self.plans.get_mut(p).ok_or_else(|| {
                            it.err(format!("stock_plan_id '{p}' is not a known stock plan"))
                        })?;
                        plan.used += units;
                        class_id = class_id.or_else(|| plan.class_id.clone());
                        Some(p.to_string())
                    }
                    None => None,
                };
                let holder = self.holder(it)?;
                self.issue(
                    it,
                    Holding::Compensation {
                        holder,
                        plan,
                        class_id,
                    },
                    units,
                )
            }
            "TX_WARRANT_ISSUANCE" => {
                let strike = it.amount("exercise_price")?;
                let units = it.quantity("quantity").map_err(|_| {
                    it.err("a warrant needs a fixed `quantity` of shares (warrants priced by amount are not supported)")
                })?;
                let holder = self.holder(it)?;
                self.issue(it, Holding::Warrant { holder, strike }, units)
            }
            "TX_CONVERTIBLE_ISSUANCE" => {
                let c = convertible(it, self.holder(it)?)?;
                let amount = match &c {
                    Convertible::Safe(s) => s.investment.0,
                    Convertible::Note(n) => n.principal.0,
                };
                self.convertibles.push(Some(c));
                self.issue(it, Holding::Convertible(self.convertibles.len() - 1), amount)
            }
            // Units leave the security; a remainder stays (or moves to its balance security).
            "TX_STOCK_CANCELLATION"
            | "TX_EQUITY_COMPENSATION_CANCELLATION"
            | "TX_PLAN_SECURITY_CANCELLATION"
            | "TX_WARRANT_CANCELLATION" => {
                let q = it.quantity("quantity")?;
                let holding = self.take(it, q)?;
                if let Holding::Compensation { plan: Some(p), .. } = holding {
                    let plan = self.plans.get_mut(&p).expect("checked at issuance");
                    if plan.returns_on_cancel {
                        plan.used -= q;
                    }
                }
                Ok(())
            }
            "TX_STOCK_TRANSFER"
            | "TX_EQUITY_COMPENSATION_TRANSFER"
            | "TX_PLAN_SECURITY_TRANSFER"
            | "TX_WARRANT_TRANSFER"
            | "TX_STOCK_REPURCHASE"
            | "TX_EQUITY_COMPENSATION_EXERCISE"
            | "TX_PLAN_SECURITY_EXERCISE"
            | "TX_EQUITY_COMPENSATION_RELEASE"
            | "TX_PLAN_SECURITY_RELEASE" => {
                let q = it.quantity("quantity")?;
                self.take(it, q).map(|_| ())
            }
            "TX_STOCK_CONVERSION" => {
                let q = it.quantity("quantity_converted")?;
                self.take(it, q).map(|_| ())
            }
            "TX_WARRANT_EXERCISE" => {
                // OCF's warrant exercise may omit the quantity: then all of it.
                let q = match it.get("quantity") {
                    Some(_) => it.quantity("quantity")?,
                    None => self.security(it)?.1.units,
                };
                self.take(it, q).map(|_| ())
            }
            "TX_CONVERTIBLE_CANCELLATION" | "TX_CONVERTIBLE_TRANSFER" => {
                let a = it.amount("amount")?;
                self.take(it, a).map(|_| ())
            }
            // The whole security goes: converted, reissued (as its resulting securities) or
            // retracted (as if never issued).
            "TX_CONVERTIBLE_CONVERSION"
            | "TX_STOCK_REISSUANCE"
            | "TX_STOCK_RETRACTION"
            | "TX_WARRANT_RETRACTION"
            | "TX_CONVERTIBLE_RETRACTION"
            | "TX_EQUITY_COMPENSATION_RETRACTION"
            | "TX_PLAN_SECURITY_RETRACTION" => {
                let (sec, s) = self.security(it)?;
                let (holding, units) = (s.holding.clone(), s.units);
                self.securities.remove(&sec);
                match holding {
                    Holding::Compensation { plan: Some(p), .. }
                        if it.kind.ends_with("_RETRACTION") =>
                    {
                        self.plans.get_mut(&p).expect("checked at issuance").used -= units;
                    }
                    Holding::Convertible(k) => self.convertibles[k] = None,
                    _ => {}
                }
                Ok(())
            }
            "TX_STOCK_CONSOLIDATION" => {
                let ids = it
                    .field("security_ids")?
                    .as_array()
                    .ok_or_else(|| it.err("`security_ids` is not a list"))?;
                for v in ids {
                    let sec = v
                        .as_str()
                        .ok_or_else(|| it.err("`security_ids` holds a non-string"))?;
                    if self.securities.remove(sec).is_none() {
                        return Err(it.err(format!("security_id '{sec}' was never issued")));
                    }
                }
                Ok(())
            }
            "TX_STOCK_PLAN_POOL_ADJUSTMENT" => {
                let p = it.str_field("stock_plan_id")?;
                let reserved = it.quantity("shares_reserved")?;
                let plan = self
                    .plans
                    .get_mut(p)
                    .ok_or_else(|| it.err(format!("stock_plan_id '{p}' is not a known stock plan")))?;
                plan.reserved = reserved;
                Ok(())
            }
            "TX_STOCK_PLAN_RETURN_TO_POOL" => {
                let p = it.str_field("stock_plan_id")?;
                let q = it.quantity("quantity")?;
                let plan = self
                    .plans
                    .get_mut(p)
                    .ok_or_else(|| it.err(format!("stock_plan_id '{p}' is not a known stock plan")))?;
                plan.used -= q;
                Ok(())
            }
            "TX_STOCK_CLASS_SPLIT" => {
                let cid = it.str_field("stock_class_id")?;
                if !self.classes.contains_key(cid) {
                    return Err(it.err(format!(
                        "stock_class_id '{cid}' is not a known stock class"
                    )));
                }
                let ratio = it.field("split_ratio")?;
                let (n, d) = (
                    ratio.get("numerator").and_then(num),
                    ratio.get("denominator").and_then(num),
                );
                let r = match (n, d) {
                    (Some(n), Some(d)) if n > 0.0 && d > 0.0 && (n / d).is_finite() => n / d,
                    _ => return Err(it.err("`split_ratio` needs a positive numerator and denominator")),
                };
                // The class's shares, the awards on it and the plans that issue it all split.
                let on_class = |c: &Option<String>| c.as_deref() == Some(cid);
                for s in self.securities.values_mut() {
                    let split = match &s.holding {
                        Holding::Stock { class_id, .. } => class_id == cid,
                        Holding::Compensation { class_id, .. } => on_class(class_id),
                        _ => false,
                    };
                    if split {
                        s.units *= r;
                        if s.units > MAX_SHARES as f64 {
                            return Err(it.err(format!(
                                "the split leaves a security with more than {MAX_SHARES} shares"
                            )));
                        }
                    }
                }
                for p in self.plans.values_mut().filter(|p| on_class(&p.class_id)) {
                    p.reserved *= r;
                    p.used *= r;
                }
                Ok(())
            }
            "TX_STOCK_CLASS_CONVERSION_RATIO_ADJUSTMENT" => Err(it.err(
                "conversion-ratio adjustments are not supported: every class converts to common 1:1 here",
            )),
            // READ_PAST: acceptances, vesting, repricing, authorized-share adjustments.
            _ => Ok(()),
        }
    }

    fn issue(&mut self, it: &Item, holding: Holding, units: f64) -> Result<()> {
        let sec = it.str_field("security_id")?.to_string();
        self.securities.insert(sec, Security { holding, units });
        Ok(())
    }

    /// Takes `units` out of the transaction's security and returns what it is. The
    /// remainder stays, or becomes the `balance_security_id` when no object of its own
    /// issues that security.
    fn take(&mut self, it: &Item, units: f64) -> Result<Holding> {
        let (sec, s) = self.security(it)?;
        if units > s.units * (1.0 + 1e-12) {
            return Err(it.err(format!(
                "takes {units} units from security '{sec}', which holds {}",
                s.units
            )));
        }
        s.units = (s.units - units).max(0.0);
        let holding = s.holding.clone();
        if let Some(balance) = it.get("balance_security_id").and_then(Value::as_str) {
            let rest = self.securities.remove(&sec).expect("found above");
            if !self.issued.contains(balance) {
                self.securities.insert(balance.to_string(), rest);
            }
        }
        if let Holding::Convertible(k) = holding {
            // A convertible's units are its amount: what is left is what converts.
            let left = self
                .securities
                .values()
                .find(|s| matches!(s.holding, Holding::Convertible(j) if j == k))
                .map_or(0.0, |s| s.units);
            match &mut self.convertibles[k] {
                Some(Convertible::Safe(s)) => s.investment = Money(left),
                Some(Convertible::Note(n)) => n.principal = Money(left),
                None => {}
            }
            if left == 0.0 {
                self.convertibles[k] = None;
            }
        }
        Ok(holding)
    }

    fn finish(self, items: &[Item]) -> Result<CapTableFile> {
        let mut holdings: BTreeMap<(String, String), f64> = BTreeMap::new();
        let mut warrants = Vec::new();
        for s in self.securities.values() {
            match &s.holding {
                Holding::Stock { holder, class_id } => {
                    let class = self.classes[class_id].name.clone();
                    *holdings.entry((holder.clone(), class)).or_insert(0.0) += s.units;
                }
                Holding::Compensation { holder, .. } => {
                    *holdings
                        .entry((holder.clone(), "options".into()))
                        .or_insert(0.0) += s.units;
                }
                Holding::Warrant { holder, strike } if s.units >= 0.5 => {
                    warrants.push(WarrantSpec {
                        holder: holder.clone(),
                        shares: s.units.round() as u64,
                        strike: Money(*strike),
                        class: "common".into(),
                    })
                }
                Holding::Warrant { .. } | Holding::Convertible(_) => {}
            }
        }
        let mut holders: Vec<HolderSpec> = holdings
            .into_iter()
            .filter(|(_, q)| q.round() > 0.0)
            .map(|((name, class), q)| HolderSpec {
                name,
                class,
                shares: q.round() as u64,
            })
            .collect();
        let mut unallocated = 0.0;
        for (id, p) in &self.plans {
            let left = p.reserved - p.used;
            if left < -0.5 {
                let it = items.iter().find(|i| &i.id == id).expect("a plan object");
                return Err(it.err(format!(
                    "the plan has granted {} units but reserves only {}; add its pool adjustments",
                    p.used, p.reserved
                )));
            }
            unallocated += left.max(0.0);
        }
        if unallocated.round() > 0.0 {
            holders.push(HolderSpec {
                name: "Pool".into(),
                class: "options".into(),
                shares: unallocated.round() as u64,
            });
        }
        let (mut safes, mut notes) = (Vec::new(), Vec::new());
        for c in self.convertibles.into_iter().flatten() {
            match c {
                Convertible::Safe(s) => safes.push(s),
                Convertible::Note(n) => notes.push(n),
            }
        }
        if holders.is_empty() && safes.is_empty() && notes.is_empty() && warrants.is_empty() {
            return Err(Error::input(
                "ocf",
                format!(
                    "the OCF files hold no outstanding securities ({} objects read): nothing to show",
                    items.len()
                ),
            ));
        }
        Ok(CapTableFile {
            classes: self.classes.into_values().collect(),
            holders,
            safes,
            notes,
            warrants,
            events: Vec::new(),
            rounding: Default::default(),
        })
    }
}

/// The stock class a plan issues (`stock_class_id`, or the first of `stock_class_ids`).
fn plan_class(it: &Item) -> Option<String> {
    it.get("stock_class_id")
        .or_else(|| it.get("stock_class_ids").and_then(|v| v.get(0)))
        .and_then(Value::as_str)
        .map(str::to_string)
}

fn stock_class(it: &Item) -> Result<ClassSpec> {
    let name = it.str_field("name")?.to_string();
    let preferred = it.get("class_type").and_then(Value::as_str) == Some("PREFERRED");
    let bad = |what: &str, v: f64, expected: &str| {
        it.err(format!("`{what}` is {v}; expected {expected}"))
    };
    let seniority = it.get("seniority").and_then(num).unwrap_or(1.0);
    if !(seniority.is_finite()
        && seniority >= 0.0
        && seniority.fract() == 0.0
        && seniority <= f64::from(u32::MAX))
    {
        return Err(bad("seniority", seniority, "a non-negative whole number"));
    }
    let multiple = it
        .get("liquidation_preference_multiple")
        .and_then(num)
        .unwrap_or(1.0);
    if !(multiple.is_finite() && (0.0..=MAX_PREFERENCE_MULTIPLE).contains(&multiple)) {
        return Err(bad(
            "liquidation_preference_multiple",
            multiple,
            "a multiple between 0 and 1000",
        ));
    }
    // Only a preferred class has a preference; OCF exports fill the fields for common too.
    // A cap equal to the preference multiple (as the OCF samples record for classes that
    // do not participate) is read as no participation; a cap below it is refused.
    let cap = it
        .get("participation_cap_multiple")
        .and_then(num)
        .filter(|&c| preferred && c != multiple);
    if let Some(c) = cap {
        if !(c.is_finite() && c > multiple) {
            return Err(bad(
                "participation_cap_multiple",
                c,
                &format!("a finite multiple above the liquidation preference ({multiple}x)"),
            ));
        }
    }
    Ok(ClassSpec {
        name,
        preferred,
        issue_price: 0.0,
        preference: preferred.then(|| PreferenceSpec {
            multiple,
            participation: if cap.is_some() { "capped" } else { "none" }.into(),
            cap,
            seniority: seniority as u32,
        }),
    })
}

fn convertible(it: &Item, holder: String) -> Result<Convertible> {
    let invest = it.amount("investment_amount")?;
    let mech = it
        .value
        .pointer("/conversion_triggers/0/conversion_right/conversion_mechanism")
        .ok_or_else(|| it.err("missing a conversion mechanism"))?;
    let cap = mech
        .pointer("/conversion_valuation_cap/amount")
        .and_then(num);
    if let Some(c) = cap {
        if !(c.is_finite() && c > 0.0) {
            return Err(it.err(format!(
                "the valuation cap is {c}; expected a positive amount"
            )));
        }
    }
    let discount = mech.get("conversion_discount").and_then(num).unwrap_or(0.0);
    if !(0.0..1.0).contains(&discount) {
        return Err(it.err(format!(
            "the conversion discount is {discount}; expected a fraction in [0, 1)"
        )));
    }
    match mech.get("type").and_then(Value::as_str) {
        Some("SAFE_CONVERSION") => Ok(Convertible::Safe(SafeSpec {
            holder,
            kind: if mech.get("conversion_timing").and_then(Value::as_str) == Some("PRE_MONEY") {
                SafeKind::PreMoney
            } else {
                SafeKind::PostMoney
            },
            investment: Money(invest),
            cap: cap.map(Money),
            discount: Rate(discount),
            mfn: mech
                .get("conversion_mfn")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            pro_rata: false,
        })),
        Some("CONVERTIBLE_NOTE_CONVERSION") => {
            let rate = mech
                .pointer("/interest_rates/0/rate")
                .and_then(num)
                .unwrap_or(0.0);
            if !(rate.is_finite() && rate >= 0.0) {
                return Err(it.err(format!(
                    "the interest rate is {rate}; expected a non-negative rate"
                )));
            }
            let start = mech
                .pointer("/interest_rates/0/accrual_start_date")
                .and_then(Value::as_str)
                .unwrap_or(it.date())
                .to_string();
            let compounding = (mech.get("compounding_type").and_then(Value::as_str)
                == Some("COMPOUNDING"))
            .then(|| "annual".to_string());
            Ok(Convertible::Note(NoteSpec {
                holder,
                principal: Money(invest),
                interest: Rate(rate),
                compounding,
                start,
                cap: cap.map(Money),
                discount: Rate(discount),
            }))
        }
        other => Err(it.err(format!(
            "conversion mechanism {other:?} is not supported (SAFE_CONVERSION, CONVERTIBLE_NOTE_CONVERSION)"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Vec<(String, String)> {
        vec![("t.ocf.json".to_string(), text.to_string())]
    }

    #[test]
    fn issuance_transfer_and_cancellation() {
        // A gets 600,000 preferred "Class A"; B gets 400,000 common, transfers 300,000 to A
        // (issued to A as s3) keeping a 100,000 balance (issued as s4), which is then
        // cancelled. By hand: A 900,000 (600,000 + 300,000), B none.
        let f = import(&one(
            r#"{"file_type": "OCF_TRANSACTIONS_FILE", "items": [
              {"id": "a", "object_type": "STAKEHOLDER", "name": {"legal_name": "Ann"}},
              {"id": "b", "object_type": "STAKEHOLDER", "name": {"legal_name": "Ben"}},
              {"id": "ca", "object_type": "STOCK_CLASS", "name": "Class A", "class_type": "PREFERRED", "seniority": "1"},
              {"id": "cb", "object_type": "STOCK_CLASS", "name": "Class B", "class_type": "COMMON", "seniority": "1"},
              {"id": "si1", "object_type": "TX_STOCK_ISSUANCE", "date": "2022-01-01", "security_id": "s1", "stakeholder_id": "a", "stock_class_id": "ca", "share_price": {"amount": "0.0001", "currency": "USD"}, "quantity": "600000"},
              {"id": "si2", "object_type": "TX_STOCK_ISSUANCE", "date": "2022-01-01", "security_id": "s2", "stakeholder_id": "b", "stock_class_id": "cb", "quantity": "400000"},
              {"id": "tr", "object_type": "TX_STOCK_TRANSFER", "date": "2022-06-15", "security_id": "s2", "quantity": "300000", "resulting_security_ids": ["s3"], "balance_security_id": "s4"},
              {"id": "si3", "object_type": "TX_STOCK_ISSUANCE", "date": "2022-06-15", "security_id": "s3", "stakeholder_id": "a", "stock_class_id": "ca", "quantity": "300000"},
              {"id": "si4", "object_type": "TX_STOCK_ISSUANCE", "date": "2022-06-15", "security_id": "s4", "stakeholder_id": "b", "stock_class_id": "cb", "quantity": "100000"},
              {"id": "sc", "object_type": "TX_STOCK_CANCELLATION", "date": "2022-09-01", "security_id": "s4", "quantity": "100000"}
            ]}"#,
        ))
        .unwrap();
        assert_eq!(f.holders.len(), 1);
        assert_eq!(
            (f.holders[0].name.as_str(), f.holders[0].shares),
            ("Ann", 900_000)
        );
        assert!(f.classes.iter().any(|c| c.name == "Class A" && c.preferred));
    }

    #[test]
    fn every_ocf_object_type_is_known() {
        // schema/enums/ObjectType.schema.json of the OCF repository (main, 2026): every
        // type is read, read past or refused on purpose, never silently unknown.
        let ocf = "ISSUER STAKEHOLDER STOCK_CLASS STOCK_LEGEND_TEMPLATE STOCK_PLAN VALUATION \
            VESTING_TERMS FINANCING DOCUMENT CE_STAKEHOLDER_RELATIONSHIP CE_STAKEHOLDER_STATUS \
            TX_ISSUER_AUTHORIZED_SHARES_ADJUSTMENT TX_STOCK_CLASS_CONVERSION_RATIO_ADJUSTMENT \
            TX_STOCK_CLASS_AUTHORIZED_SHARES_ADJUSTMENT TX_STOCK_CLASS_SPLIT \
            TX_STOCK_PLAN_POOL_ADJUSTMENT TX_STOCK_PLAN_RETURN_TO_POOL TX_CONVERTIBLE_ACCEPTANCE \
            TX_CONVERTIBLE_CANCELLATION TX_CONVERTIBLE_CONVERSION TX_CONVERTIBLE_ISSUANCE \
            TX_CONVERTIBLE_RETRACTION TX_CONVERTIBLE_TRANSFER TX_EQUITY_COMPENSATION_ACCEPTANCE \
            TX_EQUITY_COMPENSATION_CANCELLATION TX_EQUITY_COMPENSATION_EXERCISE \
            TX_EQUITY_COMPENSATION_ISSUANCE TX_EQUITY_COMPENSATION_RELEASE \
            TX_EQUITY_COMPENSATION_RETRACTION TX_EQUITY_COMPENSATION_TRANSFER \
            TX_EQUITY_COMPENSATION_REPRICING TX_PLAN_SECURITY_ACCEPTANCE \
            TX_PLAN_SECURITY_CANCELLATION TX_PLAN_SECURITY_EXERCISE TX_PLAN_SECURITY_ISSUANCE \
            TX_PLAN_SECURITY_RELEASE TX_PLAN_SECURITY_RETRACTION TX_PLAN_SECURITY_TRANSFER \
            TX_STOCK_ACCEPTANCE TX_STOCK_CANCELLATION TX_STOCK_CONVERSION TX_STOCK_ISSUANCE \
            TX_STOCK_REISSUANCE TX_STOCK_CONSOLIDATION TX_STOCK_REPURCHASE TX_STOCK_RETRACTION \
            TX_STOCK_TRANSFER TX_WARRANT_ACCEPTANCE TX_WARRANT_CANCELLATION TX_WARRANT_EXERCISE \
            TX_WARRANT_ISSUANCE TX_WARRANT_RETRACTION TX_WARRANT_TRANSFER TX_VESTING_ACCELERATION \
            TX_VESTING_START TX_VESTING_EVENT";
        for t in ocf.split_whitespace() {
            let known = ["STAKEHOLDER", "STOCK_CLASS", "STOCK_PLAN"].contains(&t)
                || ISSUANCES.contains(&t)
                || HOLDING_CHANGES.contains(&t)
                || READ_PAST.contains(&t);
            assert!(known, "{t}");
        }
    }

    #[test]
    fn malformed_objects_are_named_with_their_file() {
        let err = import(&one(r#"{"items": [{"id": "si9", "object_type": "TX_STOCK_ISSUANCE", "date": "2022-01-01", "security_id": "s", "stakeholder_id": "nobody", "stock_class_id": "c", "quantity": "1"}]}"#))
            .unwrap_err()
            .to_string();
        assert!(err.contains("t.ocf.json") && err.contains("si9"), "{err}");
    }
}
