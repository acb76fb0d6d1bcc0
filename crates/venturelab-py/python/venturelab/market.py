"""The agent-based market model (``venturelab market``)."""

from . import _venturelab as _rs
from ._args import count, opt_count
from ._progress import reporter


def simulate(scenario=None, preset=None, runs=20, quarters=None, seed=None, threads=None, progress=False):
    """Run the market ``runs`` times; the CLI's ``market simulate --json`` as a dict.
    ``progress=True`` shows a tqdm bar."""
    with reporter(progress, "runs") as cb:
        return _rs.market_simulate(scenario, preset, count("runs", runs), quarters, opt_count("seed", seed), opt_count("threads", threads), cb)


def experiment(experiment, scenario=None, preset=None, runs=20, seed=None, threads=None):
    """A market experiment: ``"scapegoat"``, ``"horizon"`` or ``"herding"``; the same
    startups in every condition (keyed random streams)."""
    return _rs.market_experiment(experiment, scenario, preset, count("runs", runs), opt_count("seed", seed), opt_count("threads", threads))
