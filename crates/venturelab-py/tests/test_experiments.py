"""Sweeps and Sobol analysis: the same results locally and on a Ray cluster; SALib's
indices behave as the model's arithmetic says they must."""

import pytest

import venturelab as vl

GRID = {"construction.companies": [20, 30, 40], "carry.rate": [0.1, 0.2]}
OUT = ["net_tvpi.p50", "net_irr.p50"]


def test_local_sweep_is_each_point_run_alone():
    df = vl.experiments.sweep("fund", preset="essay-random", grid=GRID, outputs=OUT, runs=1000, seed=7)
    assert len(df) == 6
    # A point of the sweep is exactly the model run on that scenario with that seed.
    sc = vl._venturelab.scenario_dict("fund", None, "essay-random")
    sc["construction"]["companies"] = 30
    sc["carry"]["rate"] = 0.2
    alone = vl.fund.simulate(scenario=sc, funds=1000, seed=7)
    row = df[(df["construction.companies"] == 30) & (df["carry.rate"] == 0.2)].iloc[0]
    assert row["net_tvpi.p50"] == alone["net_tvpi"]["p50"]


def test_ray_backend_gives_the_local_answer():
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, ignore_reinit_error=True, log_to_driver=False)
    try:
        local = vl.experiments.sweep("fund", preset="essay-random", grid=GRID, outputs=OUT, runs=1000, seed=7)
        remote = vl.experiments.sweep("fund", preset="essay-random", grid=GRID, outputs=OUT, runs=1000, seed=7, backend="ray")
        assert local.equals(remote)
    finally:
        ray.shutdown()


def test_sobol_finds_the_parameter_that_matters():
    pytest.importorskip("SALib")
    # In the essay fund the net TVPI rises with the big winner's multiple, while the
    # hurdle cannot matter at all: carry is only paid above 1x, and these funds return
    # well below 1x. So ST(hurdle) must be ~0 and the multiple must explain nearly all.
    si = vl.experiments.sobol(
        "fund",
        params={"outcomes.buckets.2.multiple": (10.0, 100.0), "carry.hurdle": (0.0, 0.1)},
        output="net_tvpi.p50",
        preset="essay",
        n=16,
        runs=200,
        seed=3,
    )
    assert si["outcomes.buckets.2.multiple"]["ST"] > 0.9
    assert abs(si["carry.hurdle"]["ST"]) < 0.05


@pytest.mark.parametrize(
    "call, needle",
    [
        (lambda: vl.experiments.sweep("nope", preset="essay", grid={"a": [1]}), "model="),
        (lambda: vl.experiments.sweep("fund", preset="essay", grid={"fund.size": [1]}, samples=[{}]), "not both"),
        (lambda: vl.experiments.sweep("fund", preset="essay", grid={"nothing.here": [1]}), "nothing"),
        (lambda: vl.experiments.sweep("fund", preset="essay", grid={"fund.size": ["100M"]}, outputs=["no.such"]), "outputs="),
        (lambda: vl.experiments.sweep("fund", preset="essay", grid={"fund.size": ["100M"]}, backend="spark"), "backend="),
    ],
)
def test_bad_experiment_input_is_named(call, needle):
    with pytest.raises(vl.InputError, match=needle):
        call()


def test_outputs_may_be_functions_of_the_report():
    df = vl.experiments.sweep(
        "fund",
        preset="essay",
        grid={"outcomes.buckets.2.multiple": [50.0, 100.0]},
        outputs={"tvpi": "net_tvpi.p50", "gross_minus_net": lambda r: r["gross_multiple"]["p50"] - r["net_tvpi"]["p50"]},
        runs=100,
    )
    assert list(df.columns) == ["outcomes.buckets.2.multiple", "tvpi", "gross_minus_net"]
    # The essay's gross multiple by hand: (9 x 3.5 + 1 x M) / 100 companies' cost; a bigger
    # winner raises both the gross and the net multiple.
    assert df["tvpi"].iloc[1] > df["tvpi"].iloc[0]
    assert (df["gross_minus_net"] > 0).all()


def test_a_large_fund_run_split_across_ray_workers_is_the_cli_run(cli, tmp_path):
    """One run of 300,000 funds split by fund index across 1, 2 and 3 Ray tasks and
    merged: the CLI's summary for the same seed, to the last digit of the JSON."""
    ray = pytest.importorskip("ray")
    # A scenario file naming a data file: the workers get the scenario self-contained.
    (tmp_path / "multiples.csv").write_text("\n".join(str(x) for x in [0, 0, 0, 0.5, 1, 1.5, 2, 3, 5, 12, 40]))
    scenario = tmp_path / "fund.toml"
    scenario.write_text(
        '[fund]\nsize = "50M"\nterm_years = 10\ninvestment_period_years = 4\n'
        '[fees]\nschedule = [{ from_year = 1, to_year = 10, rate = "2%", basis = "committed" }]\n'
        '[carry]\nrate = "20%"\nhurdle = "8%"\ncatch_up = "100%"\n'
        '[construction]\ncompanies = 25\ninvestable = "commitments-minus-fees"\npacing = "upfront"\n'
        '[outcomes]\nexit_year = { low = 3, high = 9 }\nempirical_file = "multiples.csv"\n'
    )
    want = cli("fund", "simulate", str(scenario), "--funds", "300000", "--seed", "9")
    ray.init(num_cpus=2, include_dashboard=False, ignore_reinit_error=True, log_to_driver=False)
    try:
        for workers in (1, 2, 3):
            got = vl.fund.simulate(str(scenario), funds=300_000, seed=9, backend="ray", workers=workers)
            assert got == want, workers
        small = vl.fund.simulate(preset="essay-random", funds=5_000, seed=2, backend="ray")
        assert small == cli("fund", "simulate", "--preset", "essay-random", "--funds", "5000", "--seed", "2")
        with pytest.raises(vl.InputError, match="per_fund"):
            vl.fund.simulate(preset="essay", funds=100_000, backend="ray", per_fund=True)
    finally:
        ray.shutdown()
    with pytest.raises(vl.InputError, match="ray.init"):
        vl.fund.simulate(preset="essay", funds=100_000, backend="ray")
    with pytest.raises(vl.InputError, match="backend"):
        vl.fund.simulate(preset="essay", backend="spark")


def test_fund_parts_that_do_not_belong_together_are_refused():
    from venturelab import _venturelab as rs

    toml = rs._fund_portable(preset="correlation-ventures")
    n = rs._fund_split_chunks(70_000)
    a = rs._fund_part(toml, 70_000, 1, 0, n // 2)
    with pytest.raises(vl.InputError, match="missing"):
        rs._fund_merge([a], toml, funds=70_000, seed=1)
    with pytest.raises(vl.InputError, match="not a fund run part"):
        rs._fund_merge([a, b"junk"], toml, funds=70_000, seed=1)
    assert rs._fund_split_chunks(1_000) is None
