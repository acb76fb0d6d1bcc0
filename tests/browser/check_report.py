"""Render `venturelab report --quick` in headless Chromium and check it as a reader meets it.

At 1400x900 (a laptop) and 390x844 (a phone) the page must not overflow horizontally
(the document wider than the window, or any element wider than the window that is not
inside a box that scrolls sideways), must log no console error and must not shrink chart
text below 10 px. Full-page screenshots
go to target/report-screenshots/{desktop,phone}.png for a reviewer to look at, and the
smallest rendered chart text size at each width is printed (the phone's is the one to
watch: charts scale down with the width).

Needs Playwright for Python (`pip install playwright`) and Debian's Chromium at
/usr/bin/chromium, installed here with apt-get when missing and running as root; no
browser is downloaded by Playwright. Usage (from anywhere):
    python tests/browser/check_report.py [--bin target/release/venturelab]
Exit 0 when every check passes, 1 when one fails, 2 when something it needs is missing.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
VIEWPORTS = {"desktop": (1400, 900), "phone": (390, 844)}
# The smallest chart text allowed on screen, in CSS px: below about 10 px chart labels stop
# being readable on a phone (the report before issue 18 had 4.8 px at 390 px, 9.7 px on a
# desktop; the chart style now gives about 12.4 and 17.3).
MIN_CHART_TEXT_PX = 10.0

# Elements wider than the viewport, or reaching past its right edge, that no ancestor
# scrolls sideways (overflow-x auto or scroll; hidden would cut content, so it does not
# count); page-level overflow is checked apart.
OVERFLOW_JS = """
() => {
  const vw = window.innerWidth;
  const out = [];
  const scrolls = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll') return true;
    }
    return false;
  };
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if ((r.width > vw + 0.5 || r.right > vw + 0.5) && !scrolls(el)) {
      const id = el.id ? '#' + el.id : '';
      const cls = el.className && typeof el.className === 'string' ? '.' + el.className : '';
      out.push(`${el.tagName.toLowerCase()}${id}${cls} right=${r.right.toFixed(0)} width=${r.width.toFixed(0)}`);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: vw, offenders: out};
}
"""

# The smallest on-screen font size (CSS px) of any chart text, after the SVG's scaling.
CHART_TEXT_JS = """
() => {
  let min = Infinity, n = 0;
  for (const svg of document.querySelectorAll('figure svg')) {
    const vb = svg.viewBox.baseVal;
    const scale = vb && vb.width ? svg.getBoundingClientRect().width / vb.width : 1;
    for (const t of svg.querySelectorAll('text')) {
      const fs = parseFloat(getComputedStyle(t).fontSize) || parseFloat(t.getAttribute('font-size'));
      if (fs) { min = Math.min(min, fs * scale); n++; }
    }
  }
  return {min, n};
}
"""


def ensure_chromium():
    if os.path.exists(CHROMIUM):
        return
    if os.geteuid() != 0:
        sys.exit(f"check_report: {CHROMIUM} is missing and this is not root; install Debian's "
                 "chromium package (apt-get install -y chromium) and run again")
    print("check_report: installing chromium with apt-get", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "install", "-y", "-q", "chromium"], check=False, env=env,
                   stdout=subprocess.DEVNULL)
    if not os.path.exists(CHROMIUM):
        subprocess.run(["apt-get", "update", "-q"], check=True, env=env, stdout=subprocess.DEVNULL)
        subprocess.run(["apt-get", "install", "-y", "-q", "chromium"], check=True, env=env,
                       stdout=subprocess.DEVNULL)
    if not os.path.exists(CHROMIUM):
        sys.exit(f"check_report: apt-get ran but {CHROMIUM} is still missing")


# Chromium cannot capture one image taller than its largest texture (16,384 px on most
# builds; the phone page is about 19,000 px tall), and under load even less: the page is
# captured whole when it can be, else in tiles of TILE_PX (name-1.png, name-2.png, ...).
TILE_PX = 6000


def save_screenshots(page, shots, name, width):
    try:
        page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
        return
    except Exception as e:  # Playwright's Error: "Unable to capture screenshot"
        print(f"{name}: full-page capture failed ({e.__class__.__name__}); capturing in tiles")
    height = page.evaluate("document.documentElement.scrollHeight")
    for i, top in enumerate(range(0, height, TILE_PX), start=1):
        clip = {"x": 0, "y": top, "width": width, "height": min(TILE_PX, height - top)}
        page.screenshot(path=str(shots / f"{name}-{i}.png"), full_page=True, clip=clip)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default=str(ROOT / "target/release/venturelab"),
                    help="the venturelab binary (default: target/release/venturelab)")
    ap.add_argument("--shots", default=str(ROOT / "target/report-screenshots"),
                    help="folder for desktop.png and phone.png")
    args = ap.parse_args()

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("check_report: Playwright for Python is missing: pip install playwright", file=sys.stderr)
        return 2
    if not os.access(args.bin, os.X_OK):
        print(f"check_report: no binary at {args.bin}: cargo build --release -p venturelab-cli",
              file=sys.stderr)
        return 2
    ensure_chromium()

    out = Path(tempfile.mkdtemp(prefix="venturelab-report-"))
    shots = Path(args.shots)
    shots.mkdir(parents=True, exist_ok=True)
    failures = []
    try:
        subprocess.run([args.bin, "report", "--quick", "--out", str(out), "--force"], check=True,
                       stdout=subprocess.DEVNULL)
        index = out / "index.html"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM,
                                        args=["--no-sandbox", "--disable-gpu"])
            for name, (w, h) in VIEWPORTS.items():
                page = browser.new_page(viewport={"width": w, "height": h})
                errors = []
                page.on("console", lambda m, e=errors: m.type == "error" and e.append(m.text))
                page.on("pageerror", lambda exc, e=errors: e.append(str(exc)))
                page.goto(index.as_uri(), wait_until="load")
                o = page.evaluate(OVERFLOW_JS)
                t = page.evaluate(CHART_TEXT_JS)
                save_screenshots(page, shots, name, w)
                print(f"{name} {w}x{h}: scrollWidth {o['scrollWidth']} (window {o['innerWidth']}), "
                      f"{len(o['offenders'])} elements past the edge, {len(errors)} console errors, "
                      f"smallest chart text {t['min']:.1f} px over {t['n']} texts")
                if o["scrollWidth"] > o["innerWidth"]:
                    failures.append(f"{name}: the page scrolls sideways "
                                    f"({o['scrollWidth']} px in a {o['innerWidth']} px window)")
                for off in o["offenders"][:10]:
                    failures.append(f"{name}: past the right edge, not in a scrolling box: {off}")
                if t["n"] and t["min"] < MIN_CHART_TEXT_PX:
                    failures.append(f"{name}: chart text as small as {t['min']:.1f} px "
                                    f"(at least {MIN_CHART_TEXT_PX} px wanted)")
                for e in errors:
                    failures.append(f"{name}: console error: {e}")
                page.close()
            browser.close()
    finally:
        shutil.rmtree(out, ignore_errors=True)
    print(f"screenshots: {shots}/desktop.png, {shots}/phone.png")
    for f in failures:
        print("FAIL", f, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
