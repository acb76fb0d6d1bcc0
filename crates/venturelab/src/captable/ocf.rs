//! Open Cap Format (OCF) import: stakeholders, stock classes, stock issuances (with
//! transfers and cancellations), equity-plan grants and pools, and convertible issuances
//! (SAFEs and notes), read into a [`CapTableFile`]. OCF is the cap-table industry's open
//! JSON standard (github.com/Open-Cap-Table-Coalition/Open-Cap-Format-OCF); each OCF file
//! holds `{"file_type": ..., "items": [...]}`, and the objects of all files are merged.
//!
//! What is read: `STAKEHOLDER` (name.legal_name), `STOCK_CLASS` (name, class_type,
//! seniority, liquidation_preference_multiple, participation_cap_multiple),
//! `TX_STOCK_ISSUANCE` (stakeholder, class, quantity, share_price), `TX_STOCK_TRANSFER`
//! (the source security is consumed; its resulting and balance securities are their own
//! issuances), `TX_STOCK_CANCELLATION` (quantity removed), `STOCK_PLAN`
//! (initial_shares_reserved), `TX_PLAN_SECURITY_ISSUANCE` (grants, held as options),
//! `TX_CONVERTIBLE_ISSUANCE` (SAFE_CONVERSION and CONVERTIBLE_NOTE_CONVERSION mechanisms:
//! cap, discount, interest, pre- or post-money). Other objects are ignored. Errors name the
//! OCF object id.

use std::collections::BTreeMap;

use serde_json::Value;

use super::file::{
    CapTableFile, ClassSpec, HolderSpec, NoteSpec, PreferenceSpec, SafeKind, SafeSpec,
};
use crate::error::{Error, Result};
use crate::scenario::{Money, Rate};

fn num(v: &Value) -> Option<f64> {
    match v {
        Value::String(s) => s.parse().ok(),
        Value::Number(n) => n.as_f64(),
        _ => None,
    }
}

fn field<'a>(item: &'a Value, id: &str, key: &str) -> Result<&'a Value> {
    item.get(key)
        .ok_or_else(|| Error::input(format!("OCF object {id}"), format!("missing `{key}`")))
}

fn amount(item: &Value, id: &str, key: &str) -> Result<f64> {
    let v = field(item, id, key)?;
    let a = v.get("amount").and_then(num).or_else(|| num(v));
    a.filter(|x| x.is_finite()).ok_or_else(|| {
        Error::input(
            format!("OCF object {id}"),
            format!("`{key}` is not an amount"),
        )
    })
}

fn quantity(item: &Value, id: &str, key: &str) -> Result<f64> {
    let q = num(field(item, id, key)?).filter(|x| x.is_finite() && *x >= 0.0);
    q.ok_or_else(|| {
        Error::input(
            format!("OCF object {id}"),
            format!("`{key}` is not a non-negative quantity"),
        )
    })
}

/// Reads OCF JSON documents into a cap-table file.
pub fn import(documents: &[(String, String)]) -> Result<CapTableFile> {
    let mut items: Vec<Value> = Vec::new();
    for (name, text) in documents {
        let doc: Value =
            serde_json::from_str(text).map_err(|e| Error::input(name, format!("not JSON: {e}")))?;
        match doc.get("items").and_then(|i| i.as_array()) {
            Some(list) => items.extend(list.iter().cloned()),
            None => {
                if doc.get("object_type").is_some() {
                    items.push(doc);
                } else if doc.get("file_type").is_none() {
                    return Err(Error::input(
                        name,
                        "not an OCF file: expected `items` (or an OCF object)",
                    ));
                }
            }
        }
    }
    let id_of = |it: &Value| {
        it.get("id")
            .and_then(|v| v.as_str())
            .unwrap_or("(no id)")
            .to_string()
    };
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    let mut classes: BTreeMap<String, ClassSpec> = BTreeMap::new();
    for it in &items {
        let id = id_of(it);
        match it.get("object_type").and_then(|v| v.as_str()) {
            Some("STAKEHOLDER") => {
                let n = it
                    .pointer("/name/legal_name")
                    .and_then(|v| v.as_str())
                    .ok_or_else(|| {
                        Error::input(format!("OCF object {id}"), "missing `name.legal_name`")
                    })?;
                names.insert(id, n.to_string());
            }
            Some("STOCK_CLASS") => {
                let n = field(it, &id, "name")?.as_str().unwrap_or(&id).to_string();
                let preferred = it.get("class_type").and_then(|v| v.as_str()) == Some("PREFERRED");
                let bad = |what: &str, v: f64, expected: &str| {
                    Error::input(
                        format!("OCF object {id}"),
                        format!("`{what}` is {v}; expected {expected}"),
                    )
                };
                let seniority = it.get("seniority").and_then(num).unwrap_or(1.0);
                if !(seniority.is_finite()
                    && seniority >= 0.0
                    && seniority.fract() == 0.0
                    && seniority <= f64::from(u32::MAX))
                {
                    return Err(bad("seniority", seniority, "a non-negative whole number"));
                }
                let seniority = seniority as u32;
                let multiple = it
                    .get("liquidation_preference_multiple")
                    .and_then(num)
                    .unwrap_or(1.0);
                if !(multiple.is_finite()
                    && (0.0..=super::rounds::MAX_PREFERENCE_MULTIPLE).contains(&multiple))
                {
                    return Err(bad(
                        "liquidation_preference_multiple",
                        multiple,
                        "a multiple between 0 and 1000",
                    ));
                }
                let cap = it.get("participation_cap_multiple").and_then(num);
                if let Some(c) = cap {
                    if !(c.is_finite() && c > multiple) {
                        return Err(bad(
                            "participation_cap_multiple",
                            c,
                            &format!(
                                "a finite multiple above the liquidation preference ({multiple}x)"
                            ),
                        ));
                    }
                }
                let participation = if cap.is_some() { "capped" } else { "none" };
                classes.insert(
                    id,
                    ClassSpec {
                        name: n,
                        preferred,
                        issue_price: 0.0,
                        preference: preferred.then(|| PreferenceSpec {
                            multiple,
                            participation: participation.into(),
                            cap,
                            seniority,
                        }),
                    },
                );
            }
            _ => {}
        }
    }
    // security id -> (stakeholder name, class name, quantity, price)
    let mut securities: BTreeMap<String, (String, String, f64, f64)> = BTreeMap::new();
    let mut pool_reserved = 0.0;
    let mut grants = 0.0;
    let mut safes = Vec::new();
    let mut notes = Vec::new();
    let mut txs: Vec<&Value> = items
        .iter()
        .filter(|i| {
            i.get("object_type")
                .and_then(|v| v.as_str())
                .is_some_and(|t| t.starts_with("TX_") || t == "STOCK_PLAN")
        })
        .collect();
    txs.sort_by_key(|i| {
        i.get("date")
            .and_then(|d| d.as_str())
            .unwrap_or("")
            .to_string()
    });
    let holder = |it: &Value, id: &str| -> Result<String> {
        let sid = field(it, id, "stakeholder_id")?.as_str().unwrap_or("");
        names.get(sid).cloned().ok_or_else(|| {
            Error::input(
                format!("OCF object {id}"),
                format!("stakeholder_id '{sid}' is not a known stakeholder"),
            )
        })
    };
    for it in txs {
        let id = id_of(it);
        let t = it.get("object_type").and_then(|v| v.as_str()).unwrap_or("");
        match t {
            "TX_STOCK_ISSUANCE" => {
                let cid = field(it, &id, "stock_class_id")?.as_str().unwrap_or("");
                let class = classes.get_mut(cid).ok_or_else(|| {
                    Error::input(
                        format!("OCF object {id}"),
                        format!("stock_class_id '{cid}' is not a known stock class"),
                    )
                })?;
                let price = it
                    .get("share_price")
                    .and_then(|p| p.get("amount"))
                    .and_then(num)
                    .unwrap_or(0.0);
                if class.issue_price == 0.0 {
                    class.issue_price = price;
                }
                let sec = field(it, &id, "security_id")?
                    .as_str()
                    .unwrap_or("")
                    .to_string();
                securities.insert(
                    sec,
                    (
                        holder(it, &id)?,
                        class.name.clone(),
                        quantity(it, &id, "quantity")?,
                        price,
                    ),
                );
            }
            "TX_STOCK_TRANSFER" => {
                let sec = field(it, &id, "security_id")?.as_str().unwrap_or("");
                let s = securities.get_mut(sec).ok_or_else(|| {
                    Error::input(
                        format!("OCF object {id}"),
                        format!("security_id '{sec}' was never issued"),
                    )
                })?;
                s.2 = 0.0; // consumed: the resulting and balance securities are issued separately
            }
            "TX_STOCK_CANCELLATION" => {
                let sec = field(it, &id, "security_id")?.as_str().unwrap_or("");
                let q = quantity(it, &id, "quantity")?;
                let s = securities.get_mut(sec).ok_or_else(|| {
                    Error::input(
                        format!("OCF object {id}"),
                        format!("security_id '{sec}' was never issued"),
                    )
                })?;
                if q > s.2 {
                    return Err(Error::input(
                        format!("OCF object {id}"),
                        format!("cancels {q} shares of a security holding {}", s.2),
                    ));
                }
                s.2 -= q;
            }
            "STOCK_PLAN" => {
                let reserved = it
                    .get("initial_shares_reserved")
                    .and_then(num)
                    .unwrap_or(0.0);
                if !(reserved.is_finite()
                    && reserved >= 0.0
                    && reserved <= super::rounds::MAX_SHARES as f64)
                {
                    return Err(Error::input(
                        format!("OCF object {id}"),
                        format!(
                            "`initial_shares_reserved` is {reserved}; expected a number of shares from 0 to {}",
                            super::rounds::MAX_SHARES
                        ),
                    ));
                }
                pool_reserved += reserved
            }
            "TX_PLAN_SECURITY_ISSUANCE" => {
                let q = quantity(it, &id, "quantity")?;
                grants += q;
                let sec = field(it, &id, "security_id")?
                    .as_str()
                    .unwrap_or("")
                    .to_string();
                securities.insert(sec, (holder(it, &id)?, "options".into(), q, 0.0));
            }
            "TX_CONVERTIBLE_ISSUANCE" => {
                let who = holder(it, &id)?;
                let invest = amount(it, &id, "investment_amount")?;
                let mech = it
                    .pointer("/conversion_triggers/0/conversion_right/conversion_mechanism")
                    .ok_or_else(|| {
                        Error::input(format!("OCF object {id}"), "missing a conversion mechanism")
                    })?;
                let cap = mech
                    .pointer("/conversion_valuation_cap/amount")
                    .and_then(num);
                let discount = mech.get("conversion_discount").and_then(num).unwrap_or(0.0);
                match mech.get("type").and_then(|v| v.as_str()) {
                    Some("SAFE_CONVERSION") => safes.push(SafeSpec {
                        holder: who,
                        kind: if mech.get("conversion_timing").and_then(|v| v.as_str()) == Some("PRE_MONEY") { SafeKind::PreMoney } else { SafeKind::PostMoney },
                        investment: Money(invest),
                        cap: cap.map(Money),
                        discount: Rate(discount),
                        mfn: mech.get("conversion_mfn").and_then(|v| v.as_bool()).unwrap_or(false),
                        pro_rata: false,
                    }),
                    Some("CONVERTIBLE_NOTE_CONVERSION") => {
                        let rate = mech.pointer("/interest_rates/0/rate").and_then(num).unwrap_or(0.0);
                        let start = mech.pointer("/interest_rates/0/accrual_start_date").and_then(|v| v.as_str()).or(it.get("date").and_then(|v| v.as_str())).unwrap_or("").to_string();
                        let compounding = (mech.get("compounding_type").and_then(|v| v.as_str()) == Some("COMPOUNDING")).then(|| "annual".to_string());
                        notes.push(NoteSpec { holder: who, principal: Money(invest), interest: Rate(rate), compounding, start, cap: cap.map(Money), discount: Rate(discount) });
                    }
                    other => return Err(Error::input(format!("OCF object {id}"), format!("conversion mechanism {other:?} is not supported (SAFE_CONVERSION, CONVERTIBLE_NOTE_CONVERSION)"))),
                }
            }
            _ => {}
        }
    }
    let mut holdings: BTreeMap<(String, String), f64> = BTreeMap::new();
    for (who, class, q, _) in securities.values() {
        *holdings.entry((who.clone(), class.clone())).or_insert(0.0) += q;
    }
    let mut holders: Vec<HolderSpec> = holdings
        .into_iter()
        .filter(|(_, q)| *q > 0.0)
        .map(|((name, class), q)| HolderSpec {
            name,
            class,
            shares: q.round() as u64,
        })
        .collect();
    let unallocated = pool_reserved - grants;
    if unallocated > 0.0 {
        holders.push(HolderSpec {
            name: "Pool".into(),
            class: "options".into(),
            shares: unallocated.round() as u64,
        });
    }
    Ok(CapTableFile {
        classes: classes.into_values().collect(),
        holders,
        safes,
        notes,
        warrants: Vec::new(),
        events: Vec::new(),
        rounding: Default::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuance_transfer_and_cancellation() {
        // Shaped like the OCF repository's Acme-Holdings sample: A gets 600,000 preferred
        // "Class A"; B gets 400,000 common, transfers 300,000 to A (new issuance) keeping a
        // 100,000 balance, which is then cancelled. A ends with 900,000, B with none.
        let docs = vec![(
            "t.ocf.json".to_string(),
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
            ]}"#
            .to_string(),
        )];
        let f = import(&docs).unwrap();
        assert_eq!(f.holders.len(), 1);
        assert_eq!(
            (f.holders[0].name.as_str(), f.holders[0].shares),
            ("Ann", 900_000)
        );
        assert!(f.classes.iter().any(|c| c.name == "Class A" && c.preferred));
    }

    #[test]
    fn malformed_objects_are_named() {
        let docs = vec![("x.json".to_string(), r#"{"items": [{"id": "si9", "object_type": "TX_STOCK_ISSUANCE", "date": "2022-01-01", "security_id": "s", "stakeholder_id": "nobody", "stock_class_id": "c", "quantity": "1"}]}"#.to_string())];
        let err = import(&docs).unwrap_err().to_string();
        assert!(err.contains("si9"), "{err}");
    }
}
