"""The valley-of-death simulator (``venturelab company``)."""

from . import _venturelab as _rs
from ._args import count, opt_count
from ._progress import reporter


def simulate(scenario=None, preset=None, runs=10_000, months=120, seed=None, threads=None, progress=False):
    """Simulate the company ``runs`` times over ``months`` months; the CLI's
    ``company simulate --json`` as a dict. ``progress=True`` shows a tqdm bar."""
    with reporter(progress, "runs") as cb:
        return _rs.company_simulate(scenario, preset, count("runs", runs), count("months", months), opt_count("seed", seed), opt_count("threads", threads), cb)


def stress(vendor, price_change, scenario=None, preset=None, at_month=1, runs=10_000, months=120, seed=None, threads=None):
    """The same companies with vendor line ``vendor``'s prices changed by ``price_change``
    (0.3 = +30%) from ``at_month`` on (common random numbers: only the prices differ)."""
    return _rs.company_stress(vendor, float(price_change), scenario, preset, count("at_month", at_month), count("runs", runs), count("months", months), opt_count("seed", seed), opt_count("threads", threads))


def compare(scenario=None, preset=None, paths=("vc", "rbf", "debt", "bootstrap"), runs=10_000, months=120, seed=None, threads=None):
    """The same companies financed by each path; founders' proceeds and survival side by side."""
    if not isinstance(paths, str):
        paths = ",".join(paths)
    return _rs.company_compare(scenario, preset, paths, count("runs", runs), count("months", months), opt_count("seed", seed), opt_count("threads", threads))


def default_alive(revenue, revenue_growth, expenses, expense_growth=0.0, cash=None, period="month"):
    """Trevor Blackwell's default-alive calculation: when revenue (growing
    ``revenue_growth`` a period) catches expenses, the cash burned until then, and with
    ``cash`` whether the company gets there."""
    return _rs.default_alive(float(revenue), float(revenue_growth), float(expenses), float(expense_growth), cash, period)
