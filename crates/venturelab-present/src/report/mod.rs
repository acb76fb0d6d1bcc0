//! `venturelab report`: the whole argument on built-in defaults, as one self-contained HTML
//! page (inline SVG charts, no network) with the JSON behind every chart.
//!
//! Each model contributes a [`Section`] built from its part of
//! [`venturelab_app::report::ReportData`]; this module only assembles the page.

mod company_section;
mod dist_section;
mod financing_section;
mod fund_section;
mod market_section;
mod money_section;

use serde_json::{json, Value};
use venturelab_app::report::ReportData;

use crate::error::{OutFile, PresentError, PresentResult};

/// One section of the report.
pub struct Section {
    /// Anchor id, also the key of its data in report.json.
    pub id: &'static str,
    pub title: String,
    /// HTML body: prose, tables and inline SVG.
    pub html: String,
    /// The numbers behind the section's tables and charts.
    pub data: Value,
    /// The section's headline findings for the summary at the top of the page: each one
    /// plain-text sentence with its number (none for a section that only explains).
    pub findings: Vec<String>,
}

/// ` --seed N` when `seed` is not the default one, for the commands the page prints: each
/// "Reproduce:" line and the report's own gives exactly the numbers shown.
pub fn seed_flag(seed: u64) -> String {
    if seed != venturelab::rng::DEFAULT_SEED {
        format!(" --seed {seed}")
    } else {
        String::new()
    }
}

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// An HTML table from headers and rows of already-formatted cells, in a box that scrolls
/// sideways when the table is wider than the window (a phone), so the page never does.
pub fn html_table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut s = String::from("<div class=\"table-scroll\"><table><thead><tr>");
    for h in headers {
        s += &format!("<th>{}</th>", esc(h));
    }
    s += "</tr></thead><tbody>";
    for r in rows {
        s += "<tr>";
        for c in r {
            s += &format!("<td>{}</td>", esc(c));
        }
        s += "</tr>";
    }
    s + "</tbody></table></div>"
}

/// A figure wrapping an inline SVG chart with a caption.
pub fn figure(svg: &str, caption: &str) -> String {
    // Drop the XML prolog if any: the SVG is inlined in HTML.
    let body = svg.trim_start_matches(|c| c != '<');
    let body = if body.starts_with("<?xml") {
        body.split_once("?>").map(|x| x.1).unwrap_or(body)
    } else {
        body
    };
    format!(
        "<figure>{body}<figcaption>{}</figcaption></figure>",
        esc(caption)
    )
}

// Charts are drawn 480 SVG px wide (the chart module's `WIDTH`) and shown at most 520 px
// wide, scaled down with the page on narrow screens (`viewBox`, width 100%, height auto).
const STYLE: &str = "*,*::before,*::after{box-sizing:border-box}\
body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:920px;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.5;overflow-wrap:break-word}\
h1{margin-bottom:.2rem}h2{border-bottom:1px solid #ddd;padding-bottom:.3rem;margin-top:2.5rem}\
.table-scroll{overflow-x:auto;margin:1rem 0;max-width:100%}\
table{border-collapse:collapse;font-variant-numeric:tabular-nums}\
th,td{border:1px solid #ddd;padding:.3rem .6rem;text-align:right}th{background:#f5f5f5}td:first-child,th:first-child{text-align:left}\
figure{margin:1.5rem 0}figure svg{display:block;width:100%;max-width:520px;height:auto}figcaption{color:#555;font-size:.9rem;max-width:520px}\
code{overflow-wrap:anywhere}\
.reading{background:#f7f9fc;border-left:4px solid #0072b2;padding:.6rem 1rem}\
details{margin:1rem 0}pre{background:#f5f5f5;padding:.6rem;overflow:auto;font-size:.8rem;max-height:20rem}\
.meta{color:#666;font-size:.9rem}\
.findings{background:#fbfaf5;border:1px solid #e6e0cc;border-radius:6px;padding:.2rem 1.2rem .6rem}.findings h2{border:0;margin-top:.8rem}.findings li{margin:.5rem 0}.findings a{white-space:nowrap}\
@media (max-width:600px){body{margin:1rem auto;padding:0 .6rem}th,td{padding:.25rem .4rem}}";

/// The report's files, `index.html` and `report.json`, from the numbers of every section.
pub fn render(d: &ReportData) -> PresentResult<Vec<OutFile>> {
    let sections = vec![
        money_section::build(&d.money)?,
        fund_section::build(&d.fund)?,
        dist_section::build(&d.heavy_tail)?,
        financing_section::build(&d.financing)?,
        company_section::build(&d.company, d.seed)?,
        market_section::build(&d.market, d.seed)?,
    ];
    let data: Value = sections
        .iter()
        .map(|s| (s.id.to_string(), s.data.clone()))
        .collect::<serde_json::Map<_, _>>()
        .into();
    let findings: Vec<(&str, &str, &String)> = sections
        .iter()
        .flat_map(|s| s.findings.iter().map(move |f| (s.id, s.title.as_str(), f)))
        .collect();
    let report_json = json!({
        "version": venturelab::VERSION,
        "seed": d.seed,
        "quick": d.quick,
        "findings": findings.iter().map(|(id, _, text)| json!({"section": id, "text": text})).collect::<Vec<_>>(),
        "sections": data,
    });

    let mut html = String::new();
    html += "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">";
    html += "<title>venturelab report</title><style>";
    html += STYLE;
    html += "</style></head><body>";
    html += "<h1>venturelab report</h1>";
    html += &format!(
        "<p class=\"meta\">venturelab {} &middot; seed {} &middot; {} run &middot; every number on this page is reproduced by <code>venturelab report{}{}</code></p>",
        esc(venturelab::VERSION),
        d.seed,
        if d.quick { "quick" } else { "full" },
        if d.quick { " --quick" } else { "" },
        seed_flag(d.seed)
    );
    html += "<section id=\"findings\" class=\"findings\"><h2>What the numbers say</h2><ol>";
    for (id, title, text) in &findings {
        html += &format!(
            "<li>{} <a href=\"#{id}\" title=\"{}\">Section&nbsp;&rarr;</a></li>",
            esc(text),
            esc(title)
        );
    }
    html += "</ol></section>";
    html += "<p>The structural economics of the tech market, computed: each section below is one model, run on built-in defaults, with a short reading of what the numbers say and what they do not.</p><nav><ul>";
    for s in &sections {
        html += &format!("<li><a href=\"#{}\">{}</a></li>", s.id, esc(&s.title));
    }
    html += "</ul></nav>";
    for s in &sections {
        html += &format!(
            "<section id=\"{}\"><h2>{}</h2>{}",
            s.id,
            esc(&s.title),
            s.html
        );
        let pretty = serde_json::to_string_pretty(&s.data).map_err(PresentError::new)?;
        html += &format!(
            "<details><summary>Data behind this section (JSON)</summary><pre>{}</pre></details><script type=\"application/json\" id=\"data-{}\">{}</script></section>",
            esc(&pretty),
            s.id,
            serde_json::to_string(&s.data).map_err(PresentError::new)?.replace("</", "<\\/")
        );
    }
    html += "</body></html>\n";

    Ok(vec![
        OutFile {
            name: "index.html".into(),
            contents: html.into_bytes(),
        },
        OutFile {
            name: "report.json".into(),
            contents: serde_json::to_vec_pretty(&report_json).map_err(PresentError::new)?,
        },
    ])
}
