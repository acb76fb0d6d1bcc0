"""Cash-flow functions, vectorised like pyxirr: a list or 1-D array is one series (a float
comes back), a 2-D array is one series per row (an array comes back).

Conventions are numpy-financial's and Excel's, as `docs/models/money.md` documents: money
paid out is negative; `npv` puts the first flow at t = 0 (``excel=True`` discounts it one
period); `irr` reports numpy-financial's root (the smallest non-negative, else the negative
one closest to zero) or, with ``guess=``, the root nearest the guess; dated functions use
ACT/365F unless ``day_count=`` says ACT/360, ACT/ACT ISDA, 30/360 US or 30E/360.
A series with no answer raises InputError, or gives NaN with ``silent=True``.
"""

import numpy as np

from . import _venturelab as _rs
from ._args import broadcast, days, result, series

_NAN = float("nan")


def npv(rate, values, excel=False):
    """Net present value at ``rate`` per period of each series (first flow at t = 0)."""
    a, single = series(values)
    return result(_rs.npv(float(rate), a, excel), single)


def irr(values, guess=None, silent=False):
    """Internal rate of return per period of each series."""
    a, single = series(values)
    return result(_rs.irr(a, None if guess is None else float(guess), silent), single)


def mirr(values, finance_rate, reinvest_rate, silent=False):
    """Modified IRR: negative flows financed at ``finance_rate``, positive ones reinvested
    at ``reinvest_rate``."""
    a, single = series(values)
    return result(_rs.mirr(a, float(finance_rate), float(reinvest_rate), silent), single)


def xnpv(rate, values, dates, day_count="ACT/365F"):
    """NPV of dated flows at an annual ``rate``, discounted to the first date."""
    a, single = series(values)
    return result(_rs.xnpv(float(rate), days(dates, a.shape), a, day_count), single)


def xirr(values, dates, day_count="ACT/365F", guess=None, silent=False):
    """Annual IRR of dated flows (Excel's XIRR with ``day_count="ACT/365F"``)."""
    a, single = series(values)
    g = None if guess is None else float(guess)
    return result(_rs.xirr(days(dates, a.shape), a, day_count, g, silent), single)


def _annuity(unknown, when="end", guess=None, **given):
    args = {k: (_NAN if v is None else v) for k, v in given.items()}
    flat, shape, scalar = broadcast(**args)
    out = _rs.annuity(
        unknown, flat["rate"], flat["nper"], flat["pmt"], flat["pv"], flat["fv"], when,
        None if guess is None else float(guess),
    )
    return float(out[0]) if scalar else out.reshape(shape)


def pmt(rate, nper, pv, fv=0.0, when="end"):
    """Payment per period taking ``pv`` to ``fv`` in ``nper`` periods."""
    return _annuity("pmt", when, rate=rate, nper=nper, pmt=None, pv=pv, fv=fv)


def nper(rate, pmt, pv, fv=0.0, when="end"):
    """Number of periods; ``inf`` when no finite number of periods reaches ``fv``."""
    return _annuity("nper", when, rate=rate, nper=None, pmt=pmt, pv=pv, fv=fv)


def rate(nper, pmt, pv, fv=0.0, when="end", guess=None):
    """Rate per period (Newton from ``guess``, 0.1 by default, then a bracketing search)."""
    return _annuity("rate", when, guess, rate=None, nper=nper, pmt=pmt, pv=pv, fv=fv)


def pv(rate, nper, pmt, fv=0.0, when="end"):
    """Present value of ``nper`` payments ``pmt`` and a final value ``fv``."""
    return _annuity("pv", when, rate=rate, nper=nper, pmt=pmt, pv=None, fv=fv)


def fv(rate, nper, pmt, pv=0.0, when="end"):
    """Future value after ``nper`` periods."""
    return _annuity("fv", when, rate=rate, nper=nper, pmt=pmt, pv=pv, fv=None)


def _part(kind, rate, nper, pv, fv, per, start, end, when):
    flat, shape, scalar = broadcast(rate=rate, nper=nper, pv=pv, fv=fv, per=per, start=start, end=end)
    out = _rs.loan_part(
        kind, flat["rate"], flat["nper"], flat["pv"], flat["fv"], flat["per"], flat["start"],
        flat["end"], when,
    )
    return float(out[0]) if scalar else out.reshape(shape)


def ipmt(rate, per, nper, pv, fv=0.0, when="end"):
    """Interest part of payment number ``per`` (1-based), numpy-financial's ``ipmt``."""
    return _part("ipmt", rate, nper, pv, fv, per, 1.0, 1.0, when)


def ppmt(rate, per, nper, pv, fv=0.0, when="end"):
    """Principal part of payment number ``per``: ``pmt - ipmt``."""
    return _part("ppmt", rate, nper, pv, fv, per, 1.0, 1.0, when)


def cumipmt(rate, nper, pv, start, end, fv=0.0, when="end"):
    """Interest paid from payment ``start`` to ``end`` inclusive (Excel's CUMIPMT)."""
    return _part("cumipmt", rate, nper, pv, fv, 1.0, start, end, when)


def cumprinc(rate, nper, pv, start, end, fv=0.0, when="end"):
    """Principal repaid from payment ``start`` to ``end`` inclusive (Excel's CUMPRINC)."""
    return _part("cumprinc", rate, nper, pv, fv, 1.0, start, end, when)


def amortize(rate, nper, pv, fv=0.0, when="end", as_frame=False):
    """The amortisation schedule: a dict with ``schedule`` (one row per payment) and the
    totals; ``as_frame=True`` returns the schedule as a pandas DataFrame."""
    r = _rs.amortize(float(rate), float(nper), float(pv), float(fv), when)
    if as_frame:
        import pandas as pd

        return pd.DataFrame(r["schedule"]).set_index("period")
    return r
