//! Text tables of the cash-flow reports.

use venturelab_app::cashflow::{
    AnnuityReport, CumulativeReport, IrrReport, MetricsReport, MirrReport, NpvReport,
    PaymentPartReport, PmeReport, ScheduleReport, WaterfallReport, XirrReport, XnpvReport,
};

use crate::error::{OutFile, PresentResult};
use crate::table::{key_values, money, multiple, opt, opt_pct, pct, render};

pub fn npv_text(r: &NpvReport) -> String {
    key_values(&[("NPV", money(r.npv)), ("convention", r.convention.clone())])
}

/// The rate, and every root with the rule that chose it when there are several.
fn rate_rows(
    name: &'static str,
    rate: f64,
    roots: &[f64],
    selection: &str,
) -> Vec<(&'static str, String)> {
    let mut rows = vec![(name, pct(rate))];
    if roots.len() > 1 {
        rows.push((
            "all roots",
            roots.iter().map(|x| pct(*x)).collect::<Vec<_>>().join(", "),
        ));
        rows.push(("chosen", selection.to_string()));
    }
    rows
}

pub fn irr_text(r: &IrrReport) -> String {
    key_values(&rate_rows("IRR", r.irr, &r.roots, &r.selection))
}

pub fn mirr_text(r: &MirrReport) -> String {
    key_values(&[("MIRR", pct(r.mirr))])
}

pub fn xirr_text(r: &XirrReport) -> String {
    let mut rows = rate_rows("XIRR", r.xirr, &r.roots, &r.selection);
    rows.push(("day count", r.day_count.name().to_string()));
    rows.push(("flows", r.flows.to_string()));
    key_values(&rows)
}

pub fn xnpv_text(r: &XnpvReport) -> String {
    key_values(&[
        ("XNPV", money(r.xnpv)),
        ("rate", pct(r.rate)),
        ("day count", r.day_count.name().to_string()),
    ])
}

pub fn annuity_text(r: &AnnuityReport) -> String {
    let value = if r.value.is_finite() {
        format!("{:.10}", r.value)
    } else {
        "never (no finite number of periods reaches fv)".to_string()
    };
    key_values(&[(r.unknown.key(), value)])
}

pub fn payment_part_text(r: &PaymentPartReport) -> String {
    key_values(&[
        (r.key, money(r.value)),
        ("payment", money(r.pmt)),
        ("period", r.per.to_string()),
    ])
}

pub fn cumulative_text(r: &CumulativeReport) -> String {
    key_values(&[
        (r.key, money(r.value)),
        ("periods", format!("{} to {}", r.start, r.end)),
    ])
}

/// The schedule as a table (every row; `--json` or `--out` for machines), then totals.
pub fn schedule_text(r: &ScheduleReport) -> String {
    let rows: Vec<Vec<String>> = r
        .schedule
        .iter()
        .map(|i| {
            vec![
                i.period.to_string(),
                money(i.payment),
                money(i.interest),
                money(i.principal),
                money(i.balance),
            ]
        })
        .collect();
    let mut out = render(
        &["period", "payment", "interest", "principal", "balance"],
        &rows,
    );
    out.push('\n');
    out += &key_values(&[
        ("total paid", money(r.total_paid)),
        ("total interest", money(r.total_interest)),
        ("total principal", money(r.total_principal)),
    ]);
    out
}

/// `schedule.csv`: one row per payment, full precision.
pub fn schedule_files(r: &ScheduleReport) -> PresentResult<Vec<OutFile>> {
    let rows = r.schedule.iter().map(|i| {
        [
            i.period.to_string(),
            i.payment.to_string(),
            i.interest.to_string(),
            i.principal.to_string(),
            i.balance.to_string(),
        ]
    });
    Ok(vec![OutFile {
        name: "schedule.csv".into(),
        contents: crate::csv_file::csv_bytes(
            ["period", "payment", "interest", "principal", "balance"],
            rows,
        )?,
    }])
}

pub fn metrics_text(r: &MetricsReport) -> String {
    let m = &r.metrics;
    key_values(&[
        ("paid in", money(m.paid_in)),
        ("distributed", money(m.distributed)),
        ("NAV", money(m.nav)),
        ("TVPI", multiple(m.tvpi)),
        ("DPI", multiple(m.dpi)),
        ("RVPI", multiple(m.rvpi)),
        ("IRR", opt_pct(m.irr)),
        ("IRR basis", m.irr_basis.to_string()),
    ])
}

pub fn pme_text(r: &PmeReport) -> String {
    let p = &r.pme;
    key_values(&[
        ("fund IRR", opt_pct(p.irr)),
        ("index IRR", opt_pct(p.index_irr)),
        ("KS-PME", format!("{:.4}", p.ks_pme)),
        ("LN-PME IRR", opt_pct(p.ln_pme_irr)),
        ("LN-PME NAV", money(p.ln_pme_nav)),
        ("PME+ IRR", opt_pct(p.pme_plus_irr)),
        (
            "PME+ lambda",
            p.pme_plus_lambda
                .map(|l| format!("{l:.4}"))
                .unwrap_or("n/a".into()),
        ),
        ("direct alpha", opt_pct(p.direct_alpha)),
        (
            "direct alpha (continuous)",
            opt_pct(p.direct_alpha_continuous),
        ),
        ("mPME IRR", opt_pct(p.mpme_irr)),
        ("mPME NAV", opt(p.mpme_nav, money)),
        ("rate basis", p.rate_basis.to_string()),
    ])
}

pub fn waterfall_text(r: &WaterfallReport) -> String {
    let w = &r.result;
    let rows: Vec<Vec<String>> = w
        .tiers
        .iter()
        .map(|t| vec![t.tier.replace('_', " "), money(t.lp), money(t.gp)])
        .chain(std::iter::once(vec![
            "total".into(),
            money(w.lp),
            money(w.gp),
        ]))
        .collect();
    render(&["tier", "LP", "GP"], &rows)
}
