"""Is it a power law? Clauset, Shalizi & Newman's method, as ``venturelab fit``."""

import numpy as np

from . import _venturelab as _rs
from ._args import count, opt_count
from ._venturelab import InputError
from ._progress import reporter


class FitResult:
    """The fit of a power-law tail and its comparison with the alternatives.

    Attributes (as the CLI's JSON): ``alpha``, ``alpha_se``, ``xmin``, ``n``, ``n_tail``,
    ``ks_d``, ``p_value`` (None without a bootstrap), ``type`` ("discrete" or
    "continuous"), ``comparisons`` (by alternative: ``lr``, ``p``, ``verdict``, ``params``).
    """

    def __init__(self, report):
        self._curves = report.pop("_curves", None)
        self._report = report
        for k, v in report.items():
            setattr(self, k, v)

    def to_dict(self):
        """The report as a dict (the CLI's ``fit --json``)."""
        return dict(self._report)

    def ccdf(self):
        """``(x, p)`` arrays of the empirical CCDF P(X >= x), for a log-log plot."""
        x, p = self._curves["data"]
        return np.asarray(x), np.asarray(p)

    def fitted_ccdf(self, name="power_law"):
        """``(x, p)`` of the fitted power law over the tail (or an alternative by name),
        scaled to the tail's share of the data so it lies on :meth:`ccdf`."""
        if name == "power_law":
            x, p = self._curves["power_law"]
        else:
            x, p = self._curves["alternatives"][name]
        return np.asarray(x), np.asarray(p)

    def __repr__(self):
        return (
            f"FitResult(alpha={self.alpha:.4f}, xmin={self.xmin:g}, n_tail={self.n_tail}, "
            f"p_value={self.p_value})"
        )


def fit(data, discrete=None, xmin=None, ks="two-sided", bootstrap=0, seed=None, compare=None, threads=None, progress=False):
    """Fit a power-law tail to ``data`` (a list, NumPy array or pandas Series).

    discrete: True, False, or None to decide from the data (whole numbers: discrete).
    xmin: fix the lower bound instead of choosing it by the KS minimum.
    ks: "two-sided" (default), "lower" or "upper" (continuous data).
    bootstrap: replicates for the goodness-of-fit p-value (CSN recommend 2,500).
    compare: a comma-separated list of alternatives ("lognormal,exponential"), default all.
    Values <= 0 are set aside and counted (``non_positive``).
    progress: True for a tqdm bar over the bootstrap (or a ``(done, total)`` callable).
    """
    if hasattr(data, "to_numpy"):
        data = data.to_numpy()
    try:
        a = np.ascontiguousarray(np.asarray(data, dtype=np.float64).reshape(-1))
    except (TypeError, ValueError) as e:
        raise InputError(f"data=: expected numbers: {e}") from None
    kind = None if discrete is None else ("discrete" if discrete else "continuous")
    if isinstance(compare, (list, tuple)):
        compare = ",".join(compare)
    with reporter(progress, "replicates") as cb:
        r = _rs.fit_values(a, kind, xmin, ks, count("bootstrap", bootstrap), seed, compare, threads, "data", cb)
    return FitResult(r)
