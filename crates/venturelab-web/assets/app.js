// venturelab's pages: forms that post JSON to this server's API and draw its answers
// (the application layer's report, the CLI's text table, venturelab-present's SVG charts).
// No model logic here. Every input has a label; everything works from the keyboard.
"use strict";

const DEBOUNCE_MS = 120;
let uid = 0;
let restore = null; // inputs of a saved run being reopened (set by the Runs page)

function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "text") el.textContent = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of kids.flat()) if (c !== null && c !== undefined) el.append(c);
  return el;
}

// A labelled input. `field` is the request key or scenario path errors name.
function field(label, attrs, opts) {
  const id = "f" + (++uid);
  opts = opts || {};
  let input;
  if (opts.options) {
    input = h("select", Object.assign({ id }, attrs),
      opts.options.map(o => h("option", { value: o[0], text: o[1] })));
  } else if (opts.textarea) {
    input = h("textarea", Object.assign({ id, rows: opts.rows || 10, spellcheck: "false" }, attrs));
  } else {
    input = h("input", Object.assign({ id, type: "text" }, attrs));
  }
  if (opts.value !== undefined && opts.value !== null) input.value = String(opts.value);
  const err = h("div", { class: "error", id: id + "-err", "aria-live": "polite" });
  input.setAttribute("aria-describedby", id + "-err");
  const wrap = h("div", { class: "field" }, h("label", { for: id, text: label }), input, err);
  return { wrap, input };
}

// ---- scenario maps ----
function getPath(obj, path) {
  let o = obj;
  for (const k of path.split(".")) {
    if (o === null || o === undefined) return undefined;
    o = o[/^\d+$/.test(k) ? Number(k) : k];
  }
  return o;
}
function setPath(obj, path, v) {
  const ks = path.split(".");
  let o = obj;
  ks.slice(0, -1).forEach((k, i) => {
    const key = /^\d+$/.test(k) ? Number(k) : k;
    if (o[key] === undefined || o[key] === null) o[key] = /^\d+$/.test(ks[i + 1]) ? [] : {};
    o = o[key];
  });
  const last = ks[ks.length - 1];
  o[/^\d+$/.test(last) ? Number(last) : last] = v;
}
// Form text as a scenario value: a number when it reads as one, else the text (money
// such as 100M and rates such as 8% are read by the model, which names the key if wrong).
function scenarioValue(text) {
  const t = text.trim();
  return t !== "" && isFinite(Number(t)) ? Number(t) : t;
}
function fmtPath(v) {
  return v === undefined || v === null ? "" : String(v);
}
async function getJSON(url) {
  const r = await fetch(url);
  const j = await r.json();
  if (!r.ok) throw new Error(j.error || r.statusText);
  return j;
}
async function postJSON(url, body) {
  const r = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body || {}) });
  const j = await r.json();
  if (!r.ok) throw new Error(j.error || r.statusText);
  return j;
}

// ---- requests: the newest of a key aborts the older, the server cancels its work ----
const controllers = {};
function clearErrors(form) {
  if (!form) return;
  form.querySelectorAll(".invalid").forEach(e => { e.classList.remove("invalid"); e.removeAttribute("aria-invalid"); });
  form.querySelectorAll(".error").forEach(e => { e.textContent = ""; });
}
function markError(form, j) {
  if (!form || !j.field) return false;
  const els = [...form.querySelectorAll("[data-field]")];
  const el = els.find(e => e.dataset.field === j.field) ||
    els.find(e => j.field.startsWith(e.dataset.field + ".")) ||
    els.find(e => e.dataset.field.startsWith(j.field + "."));
  if (!el) return false;
  el.classList.add("invalid");
  el.setAttribute("aria-invalid", "true");
  const err = document.getElementById(el.id + "-err");
  if (err) err.textContent = j.error;
  return true;
}
async function run(key, url, body, ui) {
  if (controllers[key]) controllers[key].abort();
  const c = new AbortController();
  controllers[key] = c;
  const t0 = performance.now();
  ui.status.className = "status";
  ui.status.textContent = "working…";
  try {
    const r = await fetch(url, {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify(Object.assign({}, body, { page: key })), signal: c.signal,
    });
    const j = await r.json();
    if (c.signal.aborted) return null;
    clearErrors(ui.form);
    if (!r.ok) {
      if (r.status === 409) return null; // replaced by a newer request
      markError(ui.form, j);
      ui.status.className = "status err";
      ui.status.textContent = j.error;
      return null;
    }
    ui.status.textContent = "";
    ui.draw(j);
    if (ui.save) ui.save.offer(j.token);
    const ms = performance.now() - t0;
    ui.status.textContent = `updated in ${Math.round(ms)} ms`;
    ui.out.dataset.rendered = String(Number(ui.out.dataset.rendered || 0) + 1);
    return j;
  } catch (e) {
    if (e.name === "AbortError") return null;
    ui.status.className = "status err";
    ui.status.textContent = "the server did not answer: " + e.message;
    return null;
  } finally {
    if (controllers[key] === c) delete controllers[key];
  }
}
function debounced(f) {
  let t = null;
  return () => { clearTimeout(t); t = setTimeout(f, DEBOUNCE_MS); };
}

// ---- drawing ----
function charts(list) {
  return h("div", { class: "charts" }, (list || []).map(c => {
    const d = h("figure", { class: "chart", "data-name": c.name });
    d.innerHTML = c.svg; // drawn by this server (venturelab-present), never by a third party
    d.style.margin = "0";
    return d;
  }));
}
function pre(text) {
  return h("div", { class: "scroll" }, h("pre", { text }));
}
function big(items) {
  return h("div", { class: "big" }, items.map(([label, value, cls]) =>
    h("div", {}, h("b", { text: value, class: cls || null }), h("span", { text: label }))));
}
function table(headers, rows) {
  return h("div", { class: "scroll" }, h("table", {},
    h("thead", {}, h("tr", {}, headers.map(x => h("th", { scope: "col", text: x })))),
    h("tbody", {}, rows.map(r => h("tr", {}, r.map(x => h("td", { text: x })))))));
}
const pct = x => (x === null || x === undefined) ? "–" : (100 * x).toFixed(1) + "%";
const mult = x => (x === null || x === undefined) ? "–" : x.toFixed(2) + "x";
function money(x) {
  if (x === null || x === undefined) return "–";
  const a = Math.abs(x);
  const [d, s] = a >= 1e9 ? [1e9, "B"] : a >= 1e6 ? [1e6, "M"] : a >= 1e3 ? [1e3, "k"] : [1, ""];
  return (x < 0 ? "-$" : "$") + (a / d).toFixed(a / d >= 100 || d === 1 ? 0 : 1) + s;
}

// The Save box: names and stores the latest answer in the run store.
function saveBox(label) {
  const name = field("Name this run", { "data-field": "name", placeholder: label });
  const status = h("div", { class: "status", "aria-live": "polite" });
  let token = null;
  const button = h("button", { type: "button", disabled: true, text: "Save" });
  button.addEventListener("click", async () => {
    if (token === null) return;
    try {
      const r = await postJSON("/api/runs/save", { token, name: name.input.value || null });
      status.textContent = `saved as run ${r.id} (see Runs)`;
    } catch (e) { status.textContent = e.message; }
  });
  const el = h("div", { class: "save" }, name.wrap, button, status);
  return { el, offer(t) { token = t; button.disabled = false; status.textContent = ""; } };
}

// A results area: status line, output and (optionally) a Save box.
function resultArea(title, withSave) {
  const status = h("div", { class: "status", role: "status", "aria-live": "polite" });
  const out = h("div", { class: "out", "data-rendered": "0" });
  const save = withSave ? saveBox(title) : null;
  const el = h("section", { "aria-label": title }, h("h2", { text: title }), status, out, save ? save.el : null);
  return { el, status, out, save };
}

function layout(title, form, results) {
  return h("div", {}, h("h1", { text: title }),
    h("div", { class: "page" }, form, h("div", { class: "results" }, results)));
}

function presetOptions(presets, area) {
  return presets.filter(p => p.area === area).map(p => [p.name, p.name]);
}

// ---- Fund ----
async function fundPage(main, presets) {
  const r = restore; restore = null;
  const form = h("form", { class: "inputs", "aria-label": "Fund inputs", onsubmit: e => e.preventDefault() });
  const preset = field("Preset", { "data-field": "preset" }, { options: presetOptions(presets, "fund") });
  let base = r && r.params && r.params.scenario ? r.params.scenario : await getJSON("/api/scenario/fund/essay-random");
  preset.input.value = "essay-random";
  const funds = field("Funds simulated", { type: "number", min: 1, step: 1000, "data-field": "funds" }, { value: r ? r.params.funds : 20000 });
  const seed = field("Seed", { type: "number", min: 0, "data-field": "seed" }, { value: r && r.params.seed !== undefined ? r.params.seed : 42 });
  const dyn = h("div", {});
  const area = resultArea("Net TVPI across funds", true);
  const solveArea = resultArea("What must you believe?", false);
  const vary = field("Vary this scenario key", { "data-field": "vary" });
  const target = field("Until (metric=value)", { "data-field": "target" }, { value: "net_tvpi.p50=3" });
  let inputs = [];

  const scenario = () => {
    const m = JSON.parse(JSON.stringify(base));
    for (const i of inputs) {
      if (i.value.trim() === "" && getPath(base, i.dataset.field) === undefined) continue;
      setPath(m, i.dataset.field, scenarioValue(i.value));
    }
    return m;
  };
  const ui = { form, status: area.status, out: area.out, save: area.save, draw: j => {
    const s = j.report, p = s.prob_net_tvpi_at_least || {};
    area.out.replaceChildren(
      big([["P(net TVPI ≥ 1x)", pct(p["1"])], ["P(≥ 2x)", pct(p["2"])], ["P(≥ 3x)", pct(p["3"])],
        ["median net TVPI", mult(s.net_tvpi.p50)], ["top company's share (mean)", pct(s.top_company_share.mean)]]),
      charts(j.charts), h("h2", { text: "Summary (as the CLI prints it)" }), pre(j.text));
  } };
  const go = () => run("fund", "/api/fund/simulate", { scenario: scenario(), funds: Number(funds.input.value), seed: Number(seed.input.value) }, ui);
  const later = debounced(go);

  function fields() {
    inputs = [];
    const f = (label, path) => {
      const x = field(label, { "data-field": path, "data-path": path }, { value: fmtPath(getPath(base, path)) });
      inputs.push(x.input);
      return x.wrap;
    };
    const sets = [
      h("fieldset", {}, h("legend", { text: "Fund" }),
        f("Fund size", "fund.size"), f("Management fee (per year)", "fees.schedule.0.rate"),
        f("Carry", "carry.rate"), f("Hurdle", "carry.hurdle")),
      h("fieldset", {}, h("legend", { text: "Portfolio" }),
        f("Companies", "construction.companies"), f("Reserves (share of investable)", "construction.reserve_share")),
    ];
    const buckets = getPath(base, "outcomes.buckets");
    if (Array.isArray(buckets)) {
      const keys = ["count", "share", "multiple", "low", "high", "scale", "shape", "mu", "sigma"];
      sets.push(h("fieldset", {}, h("legend", { text: "Outcome mix (buckets)" }),
        buckets.map((b, i) => h("div", { class: "row" },
          (b.dist ? [h("p", { class: "note", text: `Bucket ${i + 1}: ${b.dist}` })] : []).concat(
            keys.filter(k => b[k] !== undefined).map(k => f(`Bucket ${i + 1}: ${k}`, `outcomes.buckets.${i}.${k}`)))))));
      const last = buckets[buckets.length - 1];
      const k = ["multiple", "scale", "high", "mu"].find(k => typeof last[k] === "number");
      vary.input.value = k ? `outcomes.buckets.${buckets.length - 1}.${k}` : "construction.companies";
    } else {
      sets.push(h("p", { class: "note", text: "This preset's outcome distribution is used as it is (edit it with the CLI's TOML)." }));
      vary.input.value = "construction.companies";
    }
    dyn.replaceChildren(...sets);
  }
  preset.input.addEventListener("change", async () => {
    base = await getJSON("/api/scenario/fund/" + encodeURIComponent(preset.input.value));
    fields(); go();
  });
  form.addEventListener("input", e => { if (e.target !== preset.input && !solveBox.contains(e.target)) later(); });
  const solveButton = h("button", { type: "button", text: "Solve" });
  const solveUi = { form, status: solveArea.status, out: solveArea.out, draw: j => {
    const s = j.report;
    solveArea.out.replaceChildren(big([[`${s.vary}`, String(+s.value.toPrecision(6))], [`gives ${s.metric}`, String(+s.achieved.toPrecision(4))]]), pre(j.text));
  } };
  solveButton.addEventListener("click", () => run("fund-solve", "/api/fund/solve",
    { scenario: scenario(), vary: vary.input.value, target: target.input.value, funds: 5000, seed: Number(seed.input.value) }, solveUi));
  const solveBox = h("fieldset", {}, h("legend", { text: "What must you believe?" }), vary.wrap, target.wrap, solveButton);
  form.append(preset.wrap, dyn, h("fieldset", {}, h("legend", { text: "Simulation" }), funds.wrap, seed.wrap), solveBox);
  fields();
  main.replaceChildren(layout("Fund", form, [area.el, solveArea.el]));
  go();
}

// ---- Company ----
async function companyPage(main, presets) {
  const r = restore; restore = null;
  const form = h("form", { class: "inputs", "aria-label": "Company inputs", onsubmit: e => e.preventDefault() });
  const rp = r ? r.params : {};
  const daVals = r && r.model === "company default-alive" ? rp : {};
  const da = {
    revenue: field("Revenue this month", { "data-field": "revenue" }, { value: daVals.revenue || "20k" }),
    revenue_growth: field("Revenue growth per month", { "data-field": "revenue_growth" }, { value: daVals.revenue_growth || "8%" }),
    expenses: field("Expenses this month", { "data-field": "expenses" }, { value: daVals.expenses || "60k" }),
    expense_growth: field("Expense growth per month", { "data-field": "expense_growth" }, { value: daVals.expense_growth || "1%" }),
    cash: field("Cash in the bank", { "data-field": "cash" }, { value: daVals.cash || "1M" }),
  };
  const preset = field("Company preset", { "data-field": "preset" }, { options: presetOptions(presets, "company") });
  let base = rp.scenario || await getJSON("/api/scenario/company/saas-seed");
  const cash = field("Cash at the start", { "data-field": "start.cash" });
  const runs = field("Runs", { type: "number", min: 1, step: 500, "data-field": "runs" }, { value: rp.runs || 2000 });
  const months = field("Months", { type: "number", min: 1, "data-field": "months" }, { value: rp.months || 120 });
  const vendor = field("Vendor line", { "data-field": "vendor" }, { options: [] });
  const change = field("Vendor price change (%)", { type: "range", min: -50, max: 200, step: 5, "data-field": "price_change" }, { value: 30 });
  const changeOut = h("output", { for: change.input.id, text: "+30%" });
  change.wrap.append(changeOut);
  const atMonth = field("From month", { type: "number", min: 1, "data-field": "at_month" }, { value: 1 });
  const compareButton = h("button", { type: "button", text: "Compare VC, RBF, debt and bootstrapping" });

  const aDa = resultArea("Default alive?", true);
  const aSim = resultArea("Survival through the valley of death", true);
  const aStress = resultArea("Vendor price stress", true);
  const aCmp = resultArea("Founders' proceeds by financing path", true);

  function setBase(b) {
    base = b;
    cash.input.value = fmtPath(getPath(base, "start.cash"));
    const vs = (base.vendors || []).map(v => [v.name, v.name]);
    vendor.input.replaceChildren(...vs.map(o => h("option", { value: o[0], text: o[1] })));
  }
  setBase(base);
  const scenario = () => {
    const m = JSON.parse(JSON.stringify(base));
    if (cash.input.value.trim() !== "") setPath(m, "start.cash", scenarioValue(cash.input.value));
    return m;
  };
  const sim = () => ({ scenario: scenario(), runs: Number(runs.input.value), months: Number(months.input.value) });
  const daUi = { form, status: aDa.status, out: aDa.out, save: aDa.save, draw: j => {
    const d = j.report;
    aDa.out.replaceChildren(big([
      ["verdict", d.default_alive === undefined ? "–" : d.default_alive ? "default alive" : "default dead", d.default_alive ? "alive" : "dead"],
      ["breakeven", d.breakeven_period === null ? "never" : `month ${d.breakeven_period}`],
      ["capital needed", money(d.capital_needed)]]), pre(j.text));
  } };
  const goDa = () => run("company-da", "/api/company/default-alive",
    Object.fromEntries(Object.entries(da).map(([k, f]) => [k, f.input.value])), daUi);
  const simUi = { form, status: aSim.status, out: aSim.out, save: aSim.save, draw: j => aSim.out.replaceChildren(charts(j.charts), pre(j.text)) };
  const goSim = () => run("company-sim", "/api/company/simulate", sim(), simUi);
  const stressUi = { form, status: aStress.status, out: aStress.out, save: aStress.save, draw: j => aStress.out.replaceChildren(charts(j.charts), pre(j.text)) };
  const goStress = () => {
    const v = Number(change.input.value);
    changeOut.textContent = (v >= 0 ? "+" : "") + v + "%";
    return run("company-stress", "/api/company/stress", Object.assign(sim(), { vendor: vendor.input.value, price_change: v / 100, at_month: Number(atMonth.input.value) }), stressUi);
  };
  const cmpUi = { form, status: aCmp.status, out: aCmp.out, save: aCmp.save, draw: j => aCmp.out.replaceChildren(charts(j.charts), pre(j.text)) };
  compareButton.addEventListener("click", () => run("company-compare", "/api/company/compare", sim(), cmpUi));

  const daSet = h("fieldset", {}, h("legend", { text: "Default alive (instant)" }), Object.values(da).map(f => f.wrap));
  const simSet = h("fieldset", {}, h("legend", { text: "Simulated company" }), preset.wrap, cash.wrap, h("div", { class: "row" }, runs.wrap, months.wrap));
  const stressSet = h("fieldset", {}, h("legend", { text: "Vendor price change" }), vendor.wrap, change.wrap, atMonth.wrap);
  const laterDa = debounced(goDa), laterSim = debounced(() => { goSim(); goStress(); }), laterStress = debounced(goStress);
  daSet.addEventListener("input", laterDa);
  simSet.addEventListener("input", e => { if (e.target !== preset.input) laterSim(); });
  stressSet.addEventListener("input", laterStress);
  preset.input.addEventListener("change", async () => {
    setBase(await getJSON("/api/scenario/company/" + encodeURIComponent(preset.input.value)));
    goSim(); goStress();
  });
  form.append(daSet, simSet, stressSet, compareButton);
  main.replaceChildren(layout("Company: the valley of death", form, [aDa.el, aSim.el, aStress.el, aCmp.el]));
  goDa(); goSim(); goStress();
  if (r && r.model === "company compare") compareButton.click();
}

// ---- Cap table ----
async function captablePage(main) {
  const r = restore; restore = null;
  const form = h("form", { class: "inputs", "aria-label": "Cap table inputs", onsubmit: e => e.preventDefault() });
  const text = r ? r.params.toml : await (await fetch("/api/example/captable")).text();
  const toml = field("Cap table (TOML: holders, SAFEs, notes, rounds, exit)", { "data-field": "toml" }, { textarea: true, rows: 22, value: text });
  const exit = field("Exit value (blank: the file's exit)", { "data-field": "exit" }, { value: r && r.params.exit ? r.params.exit : "" });
  const slider = field("Exit value (slider, $1M to $1B)", { type: "range", min: 0, max: 300, step: 1, "data-field": "exit-slider" }, { value: 170 });
  const aWf = resultArea("Who gets what at the exit", true);
  const aCt = resultArea("The table after each event", true);
  const sliderValue = () => Math.round(1e6 * Math.pow(10, Number(slider.input.value) / 100));
  slider.input.addEventListener("input", () => { exit.input.value = money(sliderValue()).replace("$", ""); });
  const wfUi = { form, status: aWf.status, out: aWf.out, save: aWf.save, draw: j => {
    const w = j.report;
    aWf.out.replaceChildren(big([["exit value", money(w.exit_value)]]),
      table(["holder", "class", "payout", "converted"], w.payouts.map(p => [p.holder, p.class, money(p.amount), p.converted ? "yes" : "no"])),
      charts(j.charts), pre(j.text));
  } };
  const ctUi = { form, status: aCt.status, out: aCt.out, save: aCt.save, draw: j => aCt.out.replaceChildren(pre(j.text)) };
  const goWf = () => run("waterfall", "/api/waterfall", { toml: toml.input.value, exit: exit.input.value }, wfUi);
  const goCt = () => run("captable", "/api/captable", { toml: toml.input.value }, ctUi);
  const laterWf = debounced(goWf), laterCt = debounced(goCt);
  toml.input.addEventListener("input", () => { laterCt(); laterWf(); });
  exit.input.addEventListener("input", laterWf);
  slider.input.addEventListener("input", laterWf);
  form.append(toml.wrap, exit.wrap, slider.wrap);
  main.replaceChildren(layout("Cap table", form, [aWf.el, aCt.el]));
  goWf(); goCt();
}

// ---- Is it a power law? ----
async function fitPage(main) {
  const r = restore; restore = null;
  const rp = r ? r.params : {};
  const form = h("form", { class: "inputs", "aria-label": "Fit inputs", onsubmit: e => e.preventDefault() });
  const data = field("Data: one value per line (paste, or load a file below)", { "data-field": "data" },
    { textarea: true, rows: 14, value: rp.data || await (await fetch("/api/example/sizes")).text() });
  const file = field("Load a file (read in this browser, sent as text)", { type: "file", accept: ".txt,.csv,.tsv,text/plain", "data-field": "file" });
  const histogram = field("Format", { "data-field": "histogram" }, { options: [["false", "one value per line"], ["true", "value<TAB>count lines"]] });
  const kind = field("Kind", { "data-field": "kind" }, { options: [["auto", "decide from the data"], ["continuous", "continuous"], ["discrete", "discrete"]] });
  const boot = field("Bootstrap replicates (p-value)", { type: "number", min: 0, max: 500, step: 50, "data-field": "bootstrap" }, { value: rp.bootstrap || 0 });
  if (rp.histogram) histogram.input.value = "true";
  if (rp.kind) kind.input.value = rp.kind;
  const a = resultArea("CCDF, fit and verdict", true);
  const ui = { form, status: a.status, out: a.out, save: a.save, draw: j => {
    const f = j.report;
    a.out.replaceChildren(
      big([["alpha", f.alpha.toFixed(3)], ["xmin", String(+f.xmin.toPrecision(6))], ["values in the tail", String(f.n_tail)],
        ["GoF p-value", f.p_value === null || f.p_value === undefined ? "– (bootstrap 0)" : f.p_value.toFixed(3)]]),
      charts(j.charts), h("h2", { text: "Likelihood-ratio tests" }),
      table(["alternative", "LR", "p", "favors"], j.comparisons || []), h("h2", { text: "Verdict (as the CLI prints it)" }), pre(j.text));
  } };
  const go = () => run("fit", "/api/fit", { data: data.input.value, histogram: histogram.input.value === "true", kind: kind.input.value, bootstrap: Number(boot.input.value) }, ui);
  const later = debounced(go);
  file.input.addEventListener("change", async () => {
    const f = file.input.files[0];
    if (!f) return;
    if (f.size > (1 << 20)) { a.status.textContent = "the file is larger than 1 MB: use the CLI (venturelab fit FILE)"; return; }
    data.input.value = await f.text();
    go();
  });
  form.addEventListener("input", e => { if (e.target !== file.input) later(); });
  form.append(data.wrap, file.wrap, histogram.wrap, kind.wrap, boot.wrap);
  main.replaceChildren(layout("Is it a power law?", form, [a.el]));
  go();
}

// ---- Market ----
async function marketPage(main) {
  const r = restore; restore = null;
  const rp = r ? r.params : {};
  const form = h("form", { class: "inputs", "aria-label": "Market inputs", onsubmit: e => e.preventDefault() });
  const exp = field("Experiment", { "data-field": "experiment" }, { options: [["scapegoat", "scapegoat: a narrative shock to AI"], ["horizon", "horizon: fund lives of 7, 10, 15 years"], ["herding", "herding: strategy switching"]] });
  if (rp.experiment) exp.input.value = rp.experiment;
  const runs = field("Runs per condition", { type: "number", min: 1, max: 500, "data-field": "runs" }, { value: rp.runs || 8 });
  const seed = field("Seed", { type: "number", min: 0, "data-field": "seed" }, { value: rp.seed !== undefined ? rp.seed : 42 });
  const start = h("button", { type: "button", text: "Run experiment" });
  const stop = h("button", { type: "button", class: "secondary", text: "Cancel", disabled: true });
  const bar = h("progress", { max: 1, value: 0, "aria-label": "Progress of the experiment" });
  const a = resultArea("Conditions side by side (means with 95% intervals)", true);
  const ui = { form, status: a.status, out: a.out, save: a.save, draw: j => a.out.replaceChildren(table(j.table.headers, j.table.rows), charts(j.charts), pre(j.text)) };
  start.addEventListener("click", async () => {
    start.disabled = true; stop.disabled = false; bar.value = 0;
    const timer = setInterval(async () => {
      try {
        const p = await getJSON("/api/progress/market");
        if (p.total > 0) { bar.max = p.total; bar.value = p.done; }
      } catch (e) { /* the next tick tries again */ }
    }, 200);
    await run("market", "/api/market/experiment", { experiment: exp.input.value, runs: Number(runs.input.value), seed: Number(seed.input.value) }, ui);
    clearInterval(timer);
    if (bar.max > 0 && a.status.className === "status") bar.value = bar.max;
    start.disabled = false; stop.disabled = true;
  });
  stop.addEventListener("click", async () => {
    if (controllers.market) controllers.market.abort();
    try { await postJSON("/api/cancel", { page: "market" }); } catch (e) { /* already over */ }
    a.status.textContent = "cancelled";
  });
  form.append(exp.wrap, runs.wrap, seed.wrap, h("div", { class: "row" }, start, stop), bar);
  main.replaceChildren(layout("Market", form, [a.el]));
  if (r) start.click();
}

// ---- Runs ----
const PAGE_OF = {
  "fund simulate": "fund", "fund solve": "fund", "company default-alive": "company", "company simulate": "company",
  "company stress": "company", "company compare": "company", "captable": "captable", "waterfall": "captable",
  "fit": "fit", "market experiment": "market",
};
async function runsPage(main) {
  const status = h("div", { class: "status", role: "status", "aria-live": "polite" });
  const list = h("div", { class: "out", "data-rendered": "0" });
  const diffOut = h("div", {});
  const compare = h("button", { type: "button", text: "Compare the two ticked runs" });
  async function refresh() {
    let runs;
    try { runs = (await getJSON("/api/runs")).runs; } catch (e) { status.textContent = e.message; return; }
    if (!runs.length) { list.replaceChildren(h("p", { class: "note", text: "No saved runs yet: use Save on any page." })); return; }
    const rows = runs.map(r => {
      const tick = h("input", { type: "checkbox", id: "tick" + r.id, value: r.id });
      const open = h("button", { type: "button", class: "secondary", text: "Reopen", "aria-label": `Reopen run ${r.id}` });
      const exp = h("button", { type: "button", class: "secondary", text: "Export", "aria-label": `Export run ${r.id}` });
      const del = h("button", { type: "button", class: "secondary", text: "Delete", "aria-label": `Delete run ${r.id}` });
      open.addEventListener("click", async () => {
        const full = await getJSON("/api/runs/" + r.id);
        restore = { model: full.model, params: full.params || {} };
        location.hash = PAGE_OF[full.model] || "fund";
      });
      exp.addEventListener("click", async () => {
        const x = await getJSON(`/api/runs/${r.id}/export`);
        for (const f of x.files) {
          const a = h("a", { href: URL.createObjectURL(new Blob([f.text], { type: "text/plain" })), download: f.name });
          document.body.append(a); a.click(); a.remove();
        }
      });
      del.addEventListener("click", async () => {
        try { await postJSON(`/api/runs/${r.id}/delete`, {}); status.textContent = `deleted run ${r.id}`; refresh(); } catch (e) { status.textContent = e.message; }
      });
      return h("tr", { "data-run": r.id },
        h("td", {}, h("label", { for: tick.id, class: "visually-hidden", text: `Select run ${r.id}` }), tick),
        h("td", { text: String(r.id) }), h("td", { text: r.name || "" }), h("td", { text: r.model }),
        h("td", { text: r.seed === null ? "" : String(r.seed) }), h("td", { text: r.created_at.replace("T", " ").slice(0, 19) }),
        h("td", {}, h("div", { class: "row" }, open, exp, del)));
    });
    list.replaceChildren(h("div", { class: "scroll" }, h("table", {},
      h("thead", {}, h("tr", {}, ["", "run", "name", "model", "seed", "saved (UTC)", ""].map(x => h("th", { scope: "col", text: x })))),
      h("tbody", {}, rows))));
    list.dataset.rendered = String(Number(list.dataset.rendered) + 1);
  }
  compare.addEventListener("click", async () => {
    const ids = [...list.querySelectorAll("input[type=checkbox]:checked")].map(x => Number(x.value));
    if (ids.length !== 2) { status.textContent = "tick exactly two runs to compare"; return; }
    try {
      const d = await postJSON("/api/runs/diff", { a: ids[1], b: ids[0] });
      const show = v => v === null || v === undefined ? "–" : typeof v === "object" ? JSON.stringify(v) : String(v);
      const parts = [h("h2", { text: `Run ${d.a} against run ${d.b}` })];
      const vd = (title, xs) => { if (xs && xs.length) parts.push(h("h2", { text: title }), table(["key", `run ${d.a}`, `run ${d.b}`], xs.map(x => [x.key, show(x.a), show(x.b)]))); };
      vd("Inputs that differ", d.inputs); vd("Parameters that differ", d.params); vd("Run details", d.meta);
      if (d.numbers && d.numbers.length) parts.push(h("h2", { text: "Numbers that differ" }),
        table(["number", `run ${d.a}`, `run ${d.b}`, "change"], d.numbers.slice(0, 200).map(n => [n.path, show(n.a), show(n.b), n.relative === null || n.relative === undefined ? show(n.change) : (100 * n.relative).toFixed(2) + "%"])));
      if (parts.length === 1) parts.push(h("p", { text: "The two runs are the same." }));
      diffOut.replaceChildren(...parts);
    } catch (e) { status.textContent = e.message; }
  });
  main.replaceChildren(h("div", {}, h("h1", { text: "Runs" }), status, list, h("div", { class: "row" }, compare), diffOut));
  refresh();
}

// ---- routing ----
let presetList = null;
async function route() {
  const page = (location.hash || "#fund").slice(1);
  document.querySelectorAll("nav a").forEach(a => {
    if (a.getAttribute("href") === "#" + page) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
  });
  for (const k of Object.keys(controllers)) {
    controllers[k].abort();
    postJSON("/api/cancel", { page: k }).catch(() => {}); // the server stops that work too
  }
  const main = document.getElementById("main");
  try {
    if (!presetList) presetList = (await getJSON("/api/presets")).presets;
    const pages = { fund: fundPage, company: companyPage, captable: captablePage, fit: fitPage, market: marketPage, runs: runsPage };
    await (pages[page] || fundPage)(main, presetList);
  } catch (e) {
    main.replaceChildren(h("p", { class: "status err", text: "cannot load the page: " + e.message }));
  }
}
window.addEventListener("hashchange", route);
route();
