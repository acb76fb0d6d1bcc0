"""The fund simulator (``venturelab fund``): a VC fund's net returns by Monte Carlo.

A scenario is a path, TOML text, a preset name (``preset="essay"``) or a dict with the
TOML's keys (``{"fund": {"size": "100M"}, ...}``); without one, the default preset.
"""

from . import _venturelab as _rs
from ._venturelab import InputError
from ._args import count, opt_count
from ._frames import columns
from ._progress import reporter


def simulate(scenario=None, preset=None, funds=20_000, seed=None, threads=None, per_fund=False, as_frame=False, progress=False, backend="local", workers=None):
    """Simulate ``funds`` funds. Returns the CLI's ``fund simulate --json`` as a dict; with
    ``per_fund=True`` also ``"per_fund"``: per-fund columns (gross_multiple, net_tvpi,
    net_irr, top_company_share, fees, carry) as NumPy arrays, or a DataFrame with
    ``as_frame=True``. Same numbers as the CLI for the same seed, any thread count.
    ``progress=True`` shows a tqdm bar (or pass a ``(done, total)`` callable).

    ``backend="ray"`` splits one large run by fund index into ``workers`` Ray tasks
    (default: the cluster's CPUs) on whatever cluster ``ray.init()`` connected to, and
    merges their tallies exactly: the same summary as the CLI for the same seed, to the
    bit, whatever the number of workers. Each task simulates its chunks of 2,048 funds
    (and the run's first 8,192 funds, which place the quantile brackets) and returns a few
    bytes per fund of tallies; ``threads`` is then the threads per task. Runs of fewer
    than 65,536 funds are not split (they run here), and a split run has no per-fund
    data (``per_fund`` needs ``backend="local"``)."""
    if backend == "ray":
        return _simulate_on_ray(scenario, preset, funds, seed, threads, per_fund or as_frame, workers)
    if backend != "local":
        raise InputError(f"backend=: expected 'local' or 'ray', got {backend!r}")
    with reporter(progress, "funds") as cb:
        r = _rs.fund_simulate(scenario, preset, count("funds", funds), opt_count("seed", seed), opt_count("threads", threads), bool(per_fund or as_frame), cb)
    cols = r.pop("_funds", None)
    if cols is not None:
        r["per_fund"] = columns(cols, as_frame)
    return r


def _simulate_on_ray(scenario, preset, funds, seed, threads, per_fund, workers):
    import ray

    funds = count("funds", funds)
    seed = opt_count("seed", seed)
    threads = opt_count("threads", threads)
    if per_fund:
        raise InputError("per_fund: a run split across Ray workers keeps no per-fund rows; use backend='local'")
    if not ray.is_initialized():
        raise InputError("backend=: 'ray' needs ray.init() first (a local cluster or address='auto')")
    chunks = _rs._fund_split_chunks(funds)
    if chunks is None:
        return simulate(scenario, preset, funds, seed, threads)
    if workers is None:
        workers = max(1, int(ray.cluster_resources().get("CPU", 1)))
    workers = min(count("workers", workers), chunks)
    # Self-contained TOML (data files merged in): workers may be on machines without them.
    toml_ref = ray.put(_rs._fund_portable(scenario, preset))
    task = ray.remote(_rs_part)
    bounds = [chunks * k // workers for k in range(workers + 1)]
    refs = [task.remote(toml_ref, funds, seed, lo, hi, threads) for lo, hi in zip(bounds, bounds[1:])]
    return _rs._fund_merge(ray.get(refs), scenario, preset, funds, seed, threads)


def _rs_part(toml, funds, seed, lo, hi, threads):
    # A module-level function, so that Ray can ship it by reference to the package.
    from . import _venturelab

    return _venturelab._fund_part(toml, funds, seed, lo, hi, threads)


def solve(vary, target, scenario=None, preset=None, lo=None, hi=None, funds=20_000, seed=None, threads=None):
    """What must you believe: the value of the scenario field ``vary`` (dotted,
    ``"outcomes.p_exit"``) at which a metric reaches ``target`` (``"p50_net_tvpi=2"`` or
    ``("p50_net_tvpi", 2.0)``), searched between ``lo`` and ``hi``. The CLI's
    ``fund solve --json`` as a dict."""
    if isinstance(target, str):
        metric, _, value = target.partition("=")
        target = (metric, value)
    metric, value = target
    return _rs.fund_solve(vary, metric, float(value), scenario, preset, lo, hi, count("funds", funds), opt_count("seed", seed), opt_count("threads", threads))


def sweep(vary, values, scenario=None, preset=None, funds=20_000, seed=None, threads=None, as_frame=False):
    """Run the fund at each value of the scenario field ``vary``; the CLI's
    ``fund sweep --json`` (one row per value, the same seed for each), or the rows as a
    DataFrame with ``as_frame=True`` (medians and the odds of 1x, 2x, 3x)."""
    r = _rs.fund_sweep(vary, [float(v) for v in values], scenario, preset, count("funds", funds), opt_count("seed", seed), opt_count("threads", threads))
    if as_frame:
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "value": row["value"],
                    "net_tvpi_p50": row["net_tvpi"]["p50"],
                    "net_irr_p50": row["net_irr"]["p50"],
                    "gross_multiple_p50": row["gross_multiple"]["p50"],
                    **{f"p_net_tvpi_{k}": v for k, v in row["prob_net_tvpi_at_least"].items()},
                }
                for row in r["rows"]
            ]
        ).set_index("value")
    return r
