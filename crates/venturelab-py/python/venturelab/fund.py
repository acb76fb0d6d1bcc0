"""The fund simulator (``venturelab fund``): a VC fund's net returns by Monte Carlo.

A scenario is a path, TOML text, a preset name (``preset="essay"``) or a dict with the
TOML's keys (``{"fund": {"size": "100M"}, ...}``); without one, the default preset.
"""

from . import _venturelab as _rs
from ._frames import columns


def simulate(scenario=None, preset=None, funds=20_000, seed=None, threads=None, per_fund=False, as_frame=False):
    """Simulate ``funds`` funds. Returns the CLI's ``fund simulate --json`` as a dict; with
    ``per_fund=True`` also ``"per_fund"``: per-fund columns (gross_multiple, net_tvpi,
    net_irr, top_company_share, fees, carry) as NumPy arrays, or a DataFrame with
    ``as_frame=True``. Same numbers as the CLI for the same seed, any thread count."""
    r = _rs.fund_simulate(scenario, preset, int(funds), seed, threads, bool(per_fund or as_frame))
    cols = r.pop("_funds", None)
    if cols is not None:
        r["per_fund"] = columns(cols, as_frame)
    return r
