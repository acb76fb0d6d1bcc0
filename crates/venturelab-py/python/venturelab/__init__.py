"""venturelab for Python: the same Rust library as the ``venturelab`` command.

Sign convention (numpy-financial's): money paid out is negative, money received positive.
Rates are fractions per period (0.08 is 8%). Summaries come back as plain dicts with the
keys of the CLI's ``--json``; per-fund or per-series results as NumPy arrays.

Bad input raises :class:`InputError` (a ``ValueError``) naming the argument, key, file or
line, as the CLI does. Long calls release the GIL and stop on Ctrl-C (KeyboardInterrupt).

>>> import venturelab as vl
>>> round(float(vl.irr([-100, 39, 59, 55, 20])), 6)
0.280948
"""

from ._venturelab import InputError, version as _rust_version
from .cashflow import (
    amortize,
    cumipmt,
    cumprinc,
    fv,
    ipmt,
    irr,
    mirr,
    nper,
    npv,
    pmt,
    ppmt,
    pv,
    rate,
    xirr,
    xnpv,
)
from .fit import FitResult, fit
from .captable import captable, waterfall
from . import company, experiments, fund, market

__version__ = _rust_version()

__all__ = [
    "InputError",
    "FitResult",
    "amortize",
    "captable",
    "experiments",
    "waterfall",
    "company",
    "cumipmt",
    "cumprinc",
    "fit",
    "fund",
    "fv",
    "ipmt",
    "irr",
    "market",
    "mirr",
    "nper",
    "npv",
    "pmt",
    "ppmt",
    "pv",
    "rate",
    "xirr",
    "xnpv",
]
