"""The valley-of-death simulator (``venturelab company``)."""

from . import _venturelab as _rs


def simulate(scenario=None, preset=None, runs=10_000, months=120, seed=None, threads=None):
    """Simulate the company ``runs`` times over ``months`` months; the CLI's
    ``company simulate --json`` as a dict."""
    return _rs.company_simulate(scenario, preset, int(runs), int(months), seed, threads)
