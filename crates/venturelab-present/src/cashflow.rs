//! Text tables of the cash-flow reports.

use venturelab_app::cashflow::{
    AnnuityReport, IrrReport, MetricsReport, MirrReport, NpvReport, PmeReport, WaterfallReport,
    XirrReport, XnpvReport,
};

use crate::table::{key_values, money, multiple, opt_pct, pct, render};

pub fn npv_text(r: &NpvReport) -> String {
    key_values(&[("NPV", money(r.npv)), ("convention", r.convention.clone())])
}

pub fn irr_text(r: &IrrReport) -> String {
    let mut rows = vec![("IRR", pct(r.irr))];
    if r.roots.len() > 1 {
        rows.push((
            "all roots",
            r.roots
                .iter()
                .map(|x| pct(*x))
                .collect::<Vec<_>>()
                .join(", "),
        ));
    }
    key_values(&rows)
}

pub fn mirr_text(r: &MirrReport) -> String {
    key_values(&[("MIRR", pct(r.mirr))])
}

pub fn xirr_text(r: &XirrReport) -> String {
    key_values(&[
        ("XIRR", pct(r.xirr)),
        ("day count", r.day_count.clone()),
        ("flows", r.flows.to_string()),
    ])
}

pub fn xnpv_text(r: &XnpvReport) -> String {
    key_values(&[("XNPV", money(r.xnpv)), ("rate", pct(r.rate))])
}

pub fn annuity_text(r: &AnnuityReport) -> String {
    key_values(&[(r.unknown.key(), format!("{:.10}", r.value))])
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
