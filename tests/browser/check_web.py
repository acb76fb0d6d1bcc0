"""Use `venturelab serve` in headless Chromium as a person would, and time its redraws.

Starts `venturelab serve` on a free port with a fresh run store, then at 1400x900 and
390x844 opens every page (Fund, Company, Cap table, Is it a power law?, Market, Runs),
changes an input and waits for the answer to be redrawn, and fails on a console error, on
horizontal overflow (the check of check_report.py), or on an input without a label. On the
desktop it also saves a run, reopens it from Runs and checks the inputs came back, and
uses the Fund page by keyboard alone (Tab to an input, type, redraw, save with Enter, open
Runs from the navigation), measures the time from an input change to the redraw (debounce included) for the fund at
20,000 funds, default-alive, the cap table and the waterfall: the median of 7 changes each
is printed (the issue's target: under 300 ms on 2 cores). Screenshots of every page at both
widths go to target/web-screenshots/.

Needs Playwright for Python and Debian's Chromium at /usr/bin/chromium (installed with
apt-get when missing and running as root; no browser download), like check_report.py.
Usage: python tests/browser/check_web.py [--bin target/release/venturelab]
Exit 0 when every check passes, 1 when one fails, 2 when something it needs is missing.
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_report import CHROMIUM, OVERFLOW_JS, VIEWPORTS, ensure_chromium  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
EXPECTED_400 = [0]
PAGES = ["fund", "company", "captable", "fit", "market", "runs"]
TARGET_MS = 300

# Inputs with no label (a <label for>, a wrapping label or aria-label).
UNLABELLED_JS = """
() => [...document.querySelectorAll('input, select, textarea')]
  .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
  .map(e => e.outerHTML.slice(0, 80))
"""

# Sets `selector`'s value (or slider position), fires `input`, and resolves with the ms
# until the results area `out` has been redrawn (its data-rendered counter moves).
CHANGE_JS = """
async ([selector, value, out]) => {
  const el = document.querySelector(selector);
  const box = document.querySelector(out);
  const before = Number(box.dataset.rendered || 0);
  const t0 = performance.now();
  el.value = value;
  el.dispatchEvent(new Event('input', {bubbles: true}));
  return await new Promise((ok, fail) => {
    const limit = setTimeout(() => fail(new Error('no redraw of ' + out + ' within 20 s')), 20000);
    const check = () => {
      if (Number(box.dataset.rendered || 0) > before) { clearTimeout(limit); ok(performance.now() - t0); }
      else requestAnimationFrame(check);
    };
    check();
  });
}
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(binary, db):
    port = free_port()
    proc = subprocess.Popen([binary, "serve", "--port", str(port), "--db", str(db)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if "http://" not in line:
        proc.kill()
        raise RuntimeError(f"venturelab serve did not start: {line}{proc.stderr.read()}")
    return proc, line.split("on ", 1)[1].split()[0]


def out_of(section_title):
    # The results area of the section with this heading.
    return f"section[aria-label=\"{section_title}\"] .out"


def rendered(page, out, at_least=1, timeout=30000):
    page.wait_for_function(
        "([o, n]) => { const e = document.querySelector(o); return e && Number(e.dataset.rendered || 0) >= n; }",
        arg=[out, at_least], timeout=timeout)


def field(page, label):
    # The CSS selector of the input labelled `label` (its id).
    fid = page.evaluate(
        "l => { const x = [...document.querySelectorAll('label')].find(e => e.textContent === l); return x && x.htmlFor; }",
        label)
    if not fid:
        raise RuntimeError(f"no input labelled '{label}'")
    return "#" + fid


def chart_html(page, out):
    return page.evaluate("o => [...document.querySelectorAll(o + ' figure')].map(c => c.innerHTML).join('')", out)


def change(page, label, value, out):
    return page.evaluate(CHANGE_JS, [field(page, label), value, out])


def check_page(page, name, failures, wide):
    """Opens page `name`, changes an input and waits for its answer to change."""
    page.goto(f"{BASE}#{name}")
    if name == "fund":
        out = out_of("Net TVPI across funds")
        rendered(page, out)
        before = chart_html(page, out)
        change(page, "Bucket 3: scale", "80", out)
        if chart_html(page, out) == before:
            failures.append("fund: the charts did not change when the top bucket's scale did")
        # A bad value is marked at its input with the message the CLI gives (the key named).
        size = field(page, "Fund size")
        EXPECTED_400[0] += 1  # Chromium logs the 400 answer as a console error: that one is wanted
        page.fill(size, "lots")
        try:
            page.wait_for_function(
                "s => { const e = document.querySelector(s); const m = document.getElementById(e.id + '-err');"
                " return e.getAttribute('aria-invalid') === 'true' && m.textContent.includes('fund.size'); }",
                arg=size, timeout=20000)
        except Exception:
            failures.append("fund: 'lots' as the fund size was not marked at its input with a message naming fund.size")
        page.fill(size, "100M")
        page.wait_for_function("s => !document.querySelector(s).hasAttribute('aria-invalid')", arg=size)
    elif name == "company":
        for t in ["Default alive?", "Survival through the valley of death", "Vendor price stress"]:
            rendered(page, out_of(t), timeout=60000)
        out = out_of("Vendor price stress")
        before = chart_html(page, out)
        change(page, "Vendor price change (%)", "150", out)
        if chart_html(page, out) == before:
            failures.append("company: the stress chart did not change with the price slider")
    elif name == "captable":
        out = out_of("Who gets what at the exit")
        rendered(page, out)
        before = page.inner_text(out)
        change(page, "Exit value (blank: the file's exit)", "20M", out)
        if page.inner_text(out) == before:
            failures.append("captable: the payouts did not change with the exit value")
    elif name == "fit":
        out = out_of("CCDF, fit and verdict")
        rendered(page, out, timeout=60000)
        before = chart_html(page, out)
        data = page.input_value(field(page, "Data: one value per line (paste, or load a file below)"))
        lines = data.splitlines()
        change(page, "Data: one value per line (paste, or load a file below)", "\n".join(lines[: len(lines) // 2]), out)
        if chart_html(page, out) == before:
            failures.append("fit: the CCDF did not change with the data")
    elif name == "market":
        out = out_of("Conditions side by side (means with 95% intervals)")
        if wide:
            page.fill(field(page, "Runs per condition"), "2")
            page.select_option(field(page, "Experiment"), "horizon")
            page.get_by_role("button", name="Run experiment").click()
            rendered(page, out, timeout=90000)
            if "7" not in page.inner_text(out):
                failures.append("market: the horizon table does not show the 7-year condition")
    elif name == "runs":
        page.wait_for_selector("main h1")


def main():
    global BASE
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default=str(ROOT / "target/release/venturelab"))
    ap.add_argument("--shots", default=str(ROOT / "target/web-screenshots"))
    args = ap.parse_args()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("check_web: Playwright for Python is missing: pip install playwright", file=sys.stderr)
        return 2
    if not os.access(args.bin, os.X_OK):
        print(f"check_web: no binary at {args.bin}: cargo build --release -p venturelab-cli", file=sys.stderr)
        return 2
    ensure_chromium()
    shots = Path(args.shots)
    shots.mkdir(parents=True, exist_ok=True)
    failures = []
    t_start = time.time()
    with tempfile.TemporaryDirectory(prefix="venturelab-web-") as tmp:
        proc, BASE = start_server(args.bin, Path(tmp) / "runs.sqlite")
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
                for vname, (w, h) in VIEWPORTS.items():
                    page = browser.new_page(viewport={"width": w, "height": h})
                    errors = []
                    page.on("console", lambda m, e=errors: m.type == "error" and e.append(m.text))
                    page.on("pageerror", lambda exc, e=errors: e.append(str(exc)))
                    for name in PAGES:
                        try:
                            check_page(page, name, failures, vname == "desktop")
                        except Exception as e:  # a timeout or a missing input
                            failures.append(f"{vname} {name}: {e}")
                        o = page.evaluate(OVERFLOW_JS)
                        if o["scrollWidth"] > o["innerWidth"]:
                            failures.append(f"{vname} {name}: the page scrolls sideways "
                                            f"({o['scrollWidth']} px in {o['innerWidth']} px)")
                        for off in o["offenders"][:5]:
                            failures.append(f"{vname} {name}: past the right edge: {off}")
                        for u in page.evaluate(UNLABELLED_JS):
                            failures.append(f"{vname} {name}: an input without a label: {u}")
                        page.screenshot(path=str(shots / f"{name}-{vname}.png"), full_page=True)
                    if vname == "desktop":
                        try:
                            save_and_reopen(page, failures)
                            keyboard_only(page, failures)
                            measure(page)
                        except Exception as e:
                            failures.append(f"save/reopen or timing: {e}")
                    for e in errors:
                        if "status of 400" in e and EXPECTED_400[0] > 0:
                            EXPECTED_400[0] -= 1
                            continue
                        failures.append(f"{vname}: console error: {e}")
                    page.close()
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    print(f"check_web: {time.time() - t_start:.0f} s; screenshots in {shots}/")
    for f in failures:
        print("FAIL", f, file=sys.stderr)
    return 1 if failures else 0


def save_and_reopen(page, failures):
    page.goto(f"{BASE}#fund")
    out = out_of("Net TVPI across funds")
    rendered(page, out)
    change(page, "Fund size", "150M", out)
    page.fill(field(page, "Name this run"), "browser test fund")
    page.get_by_role("button", name="Save").first.click()
    page.wait_for_function("() => /saved as run \\d+/.test(document.body.innerText)")
    page.goto(f"{BASE}#runs")
    page.wait_for_selector("tr[data-run]")
    if "browser test fund" not in page.inner_text("main"):
        failures.append("runs: the saved run's name is not listed")
    page.locator("tr[data-run]").first.get_by_role("button", name="Reopen").click()
    page.wait_for_function("() => location.hash === '#fund'")
    rendered(page, out_of("Net TVPI across funds"))
    got = page.input_value(field(page, "Fund size"))
    if got != "150M":
        failures.append(f"runs: reopening the run gave fund size '{got}', not 150M")
    page.screenshot(path=str(Path(ROOT / "target/web-screenshots") / "reopened-desktop.png"), full_page=True)


def tab_to(page, test_js, limit=120):
    """Presses Tab until `test_js` (a function of the focused element) holds; False if never."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => ({test_js})(document.activeElement)"):
            return True
    return False


def keyboard_only(page, failures):
    """The Fund page without a mouse: Tab to an input, type, see the redraw, save with Enter,
    and reach Runs from the navigation by keyboard."""
    page.goto(f"{BASE}#fund")
    out = out_of("Net TVPI across funds")
    rendered(page, out)
    size = field(page, "Fund size")[1:]
    if not tab_to(page, f"e => e.id === '{size}'"):
        failures.append("keyboard: Tab never reaches the Fund size input")
        return
    before = page.evaluate("o => Number(document.querySelector(o).dataset.rendered || 0)", out)
    page.keyboard.press("Control+A")
    page.keyboard.type("120M")
    try:
        rendered(page, out, before + 1, timeout=20000)
    except Exception:
        failures.append("keyboard: typing a fund size did not redraw the answer")
    name = field(page, "Name this run")[1:]
    if not tab_to(page, f"e => e.id === '{name}'"):
        failures.append("keyboard: Tab never reaches 'Name this run'")
        return
    page.keyboard.type("typed run")
    if not tab_to(page, "e => e.tagName === 'BUTTON' && e.textContent.trim() === 'Save'", limit=10):
        failures.append("keyboard: Tab never reaches the Save button after the run's name")
        return
    page.keyboard.press("Enter")
    try:
        page.wait_for_function("() => /saved as run \\d+/.test(document.body.innerText)", timeout=20000)
    except Exception:
        failures.append("keyboard: Enter on Save did not save the run")
    page.goto(f"{BASE}#fund")
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    if not tab_to(page, "e => e.tagName === 'A' && e.textContent.trim() === 'Runs'"):
        failures.append("keyboard: Tab never reaches the Runs link")
        return
    page.keyboard.press("Enter")
    try:
        page.wait_for_function("() => location.hash === '#runs'", timeout=10000)
        page.wait_for_selector("tr[data-run]", timeout=20000)
        if "typed run" not in page.inner_text("main"):
            failures.append("keyboard: the run saved with the keyboard is not listed in Runs")
    except Exception:
        failures.append("keyboard: Enter on the Runs link did not open Runs")


def measure(page):
    """Median ms from an input change to the redraw (debounce included), 7 changes each."""
    cases = [
        ("fund", "Net TVPI across funds", "Bucket 3: scale", ["40", "45", "50", "55", "60", "65", "70"]),
        ("company", "Default alive?", "Revenue growth per month", ["5%", "6%", "7%", "8%", "9%", "10%", "11%"]),
        ("captable", "The table after each event", "Cap table (TOML: holders, SAFEs, notes, rounds, exit)", None),
        ("captable", "Who gets what at the exit", "Exit value (blank: the file's exit)", ["30M", "40M", "60M", "80M", "100M", "120M", "150M"]),
    ]
    print("redraw after an input change (ms, median of 7; debounce of 120 ms included):")
    for name, section, label, values in cases:
        page.goto(f"{BASE}#{name}")
        out = out_of(section)
        rendered(page, out, timeout=60000)
        if name == "company":
            rendered(page, out_of("Vendor price stress"), timeout=60000)
        if values is None:
            text = page.input_value(field(page, label))
            values = [text.replace('pre_money = "15M"', f'pre_money = "{15 + i}M"') for i in range(1, 8)]
        times = [change(page, label, v, out) for v in values]
        what = {"fund": "fund at 20,000 funds", "company": "default-alive"}.get(name, section)
        med = statistics.median(times)
        print(f"  {what}: {med:.0f} ms (min {min(times):.0f}, max {max(times):.0f})"
              f"{'' if med < TARGET_MS else f'  over the {TARGET_MS} ms target'}")


if __name__ == "__main__":
    sys.exit(main())
