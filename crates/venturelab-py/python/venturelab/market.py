"""The agent-based market model (``venturelab market``)."""

from . import _venturelab as _rs


def simulate(scenario=None, preset=None, runs=20, quarters=None, seed=None, threads=None):
    """Run the market ``runs`` times; the CLI's ``market simulate --json`` as a dict."""
    return _rs.market_simulate(scenario, preset, int(runs), quarters, seed, threads)


def experiment(experiment, scenario=None, preset=None, runs=20, seed=None, threads=None):
    """A market experiment: ``"scapegoat"``, ``"horizon"`` or ``"herding"``; the same
    startups in every condition (keyed random streams)."""
    return _rs.market_experiment(experiment, scenario, preset, int(runs), seed, threads)
