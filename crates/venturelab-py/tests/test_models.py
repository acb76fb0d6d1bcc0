"""The models through Python give the CLI's numbers for the same seed; scenarios as
presets, TOML text and dicts; bad input; Ctrl-C."""

import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

import venturelab as vl


def _strip(d):
    return {k: v for k, v in d.items() if k not in ("per_fund",)}


def test_fund_simulate_equals_cli(cli):
    py = vl.fund.simulate(preset="essay", funds=5000, seed=42)
    assert _strip(py) == cli("fund", "simulate", "--preset", "essay", "--funds", "5000", "--seed", "42")


def test_company_and_market_equal_cli(cli):
    assert vl.company.simulate(preset="saas-seed", runs=500, months=60, seed=3) == cli(
        "company", "simulate", "--preset", "saas-seed", "--runs", "500", "--months", "60", "--seed", "3"
    )
    assert vl.market.simulate(runs=2, quarters=12, seed=5) == cli(
        "market", "simulate", "--runs", "2", "--quarters", "12", "--seed", "5"
    )


def test_fit_equals_cli(cli, tmp_path):
    rng = np.random.default_rng(11)
    x = np.floor(rng.pareto(1.3, 3000) * 10) + 1
    f = tmp_path / "x.txt"
    f.write_text("\n".join(repr(float(v)) for v in x))
    py = vl.fit(x, compare="lognormal,exponential").to_dict()
    want = cli("fit", str(f), "--compare", "lognormal,exponential")
    for k in ("alpha", "xmin", "n_tail", "ks_d", "comparisons", "type"):
        assert py[k] == want[k], k
    r = vl.fit(x)
    xs, ps = r.ccdf()
    assert xs[0] == x.min() and ps[0] == 1.0 and np.all(np.diff(ps) <= 0)


def _preset_dict(name):
    tomllib = pytest.importorskip("tomllib")
    from conftest import ROOT

    return tomllib.loads((ROOT / "presets" / f"{name}.toml").read_text())


def test_scenario_forms_agree():
    # The preset's own TOML as a dict, as TOML text, and by name: one model, one answer.
    from conftest import ROOT

    d = _preset_dict("essay")
    text = (ROOT / "presets" / "essay.toml").read_text()
    by_name = vl.fund.simulate(preset="essay", funds=2000, seed=9)
    assert vl.fund.simulate(scenario=d, funds=2000, seed=9)["net_tvpi"] == by_name["net_tvpi"]
    assert vl.fund.simulate(scenario=text, funds=2000, seed=9)["net_tvpi"] == by_name["net_tvpi"]
    # None in a dict means "not given", as a key left out.
    d["fund"]["unused_key_set_to_none"] = None
    assert vl.fund.simulate(scenario=d, funds=2000, seed=9)["net_tvpi"] == by_name["net_tvpi"]


def test_unknown_dict_keys_are_named():
    d = _preset_dict("essay")
    d["fund"]["nonsense"] = 1
    with pytest.raises(vl.InputError, match="nonsense"):
        vl.fund.simulate(scenario=d, funds=10)


def test_per_fund_columns():
    r = vl.fund.simulate(preset="essay", funds=3000, seed=2, per_fund=True)
    cols = r["per_fund"]
    assert cols["net_tvpi"].shape == (3000,)
    assert np.median(cols["net_tvpi"]) == pytest.approx(r["net_tvpi"]["p50"], rel=1e-12)
    pd = pytest.importorskip("pandas")
    df = vl.fund.simulate(preset="essay", funds=100, seed=2, as_frame=True)["per_fund"]
    assert isinstance(df, pd.DataFrame) and len(df) == 100


@pytest.mark.parametrize(
    "call, needle",
    [
        (lambda: vl.fund.simulate(preset="essay", funds=0), "funds="),
        (lambda: vl.fund.simulate(preset="no-such-preset", funds=10), "no-such-preset"),
        (lambda: vl.fund.simulate(scenario="fund.size = ", funds=10), "scenario"),
        (lambda: vl.fund.simulate(scenario=3.5, funds=10), "scenario="),
        (lambda: vl.fund.simulate(preset="essay", scenario="x.toml"), "not both"),
        (lambda: vl.company.simulate(preset="saas-seed", runs=0), "runs="),
        (lambda: vl.fit([1.0, float("nan")]), "data="),
        (lambda: vl.fit([1, 2, 3], ks="sideways"), "ks"),
    ],
)
def test_bad_model_input_names_the_argument(call, needle):
    with pytest.raises(vl.InputError, match=needle):
        call()


def test_ctrl_c_stops_a_long_call_promptly():
    # A fund run of 20M funds takes many seconds; SIGINT after one second must raise
    # KeyboardInterrupt within a few seconds, not run to the end.
    code = textwrap.dedent(
        """
        import time, venturelab as vl
        t = time.time()
        try:
            vl.fund.simulate(preset="essay", funds=20_000_000, seed=1)
            print("finished", time.time() - t)
        except KeyboardInterrupt:
            print("interrupted", time.time() - t)
        """
    )
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    time.sleep(1.5)
    t0 = time.time()
    p.send_signal(signal.SIGINT)
    out, _ = p.communicate(timeout=60)
    assert out.startswith("interrupted"), out
    assert time.time() - t0 < 10


EXAMPLE = None


def _example():
    from conftest import ROOT

    return str(ROOT / "examples" / "safe-to-series-a.toml")


@pytest.mark.parametrize(
    "py, args",
    [
        (
            lambda: vl.fund.solve("outcomes.buckets.2.multiple", "net_tvpi.p50=3", preset="essay", funds=2000),
            ["fund", "solve", "--preset", "essay", "--vary", "outcomes.buckets.2.multiple", "--target", "net_tvpi.p50=3", "--funds", "2000"],
        ),
        (
            lambda: vl.fund.sweep("construction.companies", [10, 20, 40], preset="correlation-ventures", funds=2000),
            ["fund", "sweep", "--preset", "correlation-ventures", "--vary", "construction.companies", "--values", "10,20,40", "--funds", "2000"],
        ),
        (
            lambda: vl.company.stress("model-api", 0.3, preset="ai-app", runs=300, months=48),
            ["company", "stress", "--preset", "ai-app", "--runs", "300", "--months", "48", "--vendor", "model-api", "--price-change", "+30%"],
        ),
        (
            lambda: vl.company.compare(preset="saas-seed", runs=300, months=60),
            ["company", "compare", "--preset", "saas-seed", "--runs", "300", "--months", "60"],
        ),
        (
            lambda: vl.company.default_alive(10_000, 0.1, 20_000, cash=40_000),
            ["company", "default-alive", "--revenue", "10k", "--revenue-growth", "10%", "--expenses", "20k", "--cash", "40k"],
        ),
        (lambda: vl.captable(_example()), ["captable", "EXAMPLE"]),
        (lambda: vl.waterfall(_example(), exit=50e6), ["waterfall", "EXAMPLE", "--exit", "50M"]),
        (lambda: vl.waterfall(_example(), sweep=(1e6, 200e6), points=9), ["waterfall", "EXAMPLE", "--sweep", "1M..200M", "--points", "9"]),
        (lambda: vl.market.experiment("horizon", preset="market", runs=2), ["market", "experiment", "horizon", "--preset", "market", "--runs", "2"]),
    ],
)
def test_every_request_equals_the_cli(cli, py, args):
    args = [_example() if a == "EXAMPLE" else a for a in args]
    assert py() == cli(*args)


def test_progress_counts_reach_the_total():
    seen = []
    vl.fund.simulate(preset="carta-funnel", funds=300_000, seed=1, progress=lambda d, t: seen.append((d, t)))
    assert seen and seen[-1] == (300_000, 300_000)
    assert all(a[0] <= b[0] for a, b in zip(seen, seen[1:]))
    pytest.importorskip("tqdm")
    vl.company.simulate(preset="saas-seed", runs=2000, months=24, progress=True)


def test_help_is_useful():
    doc = vl.fit.__doc__
    assert "xmin" in doc and "bootstrap" in doc
    assert "negative" in vl.cashflow.__doc__  # the sign convention


@pytest.mark.parametrize(
    "call, needle",
    [
        (lambda: vl.fund.simulate(preset="essay", funds=-5), "funds="),
        (lambda: vl.fund.simulate(preset="essay", funds=2.5), "funds="),
        (lambda: vl.fund.simulate(preset="essay", funds=10, seed=-1), "seed="),
        (lambda: vl.company.simulate(preset="saas-seed", runs=10, months=-3), "months="),
        (lambda: vl.market.simulate(runs="many"), "runs="),
        (lambda: vl.fit([1, 2, 3, 4], bootstrap=-1), "bootstrap="),
    ],
)
def test_negative_or_fractional_sizes_are_input_errors(call, needle):
    with pytest.raises(vl.InputError, match=needle):
        call()


def test_dict_errors_name_the_key_not_a_line_of_generated_toml():
    d = _preset_dict("essay")
    d["construction"]["companies"] = -4
    with pytest.raises(vl.InputError) as e:
        vl.fund.simulate(scenario=d, funds=10)
    msg = str(e.value)
    assert "construction.companies" in msg and "line" not in msg, msg
