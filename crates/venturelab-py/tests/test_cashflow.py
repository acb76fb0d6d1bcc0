"""Cash flows against independent implementations (numpy-financial, pyxirr) and the
documented examples; vectorised shapes; bad input."""

import datetime as dt

import numpy as np
import pytest

import venturelab as vl

npf = pytest.importorskip("numpy_financial")
pyxirr = pytest.importorskip("pyxirr")

EXCEL_DATES = [dt.date(2008, 1, 1), dt.date(2008, 3, 1), dt.date(2008, 10, 30), dt.date(2009, 2, 15), dt.date(2009, 4, 1)]
EXCEL_FLOWS = [-10000, 2750, 4250, 3250, 2750]


def test_scalars_match_numpy_financial():
    assert vl.npv(0.05, [-15000, 1500, 2500, 3500, 4500, 6000]) == pytest.approx(npf.npv(0.05, [-15000, 1500, 2500, 3500, 4500, 6000]), rel=1e-13)
    assert vl.irr([-100, 39, 59, 55, 20]) == pytest.approx(npf.irr([-100, 39, 59, 55, 20]), rel=1e-12)
    assert vl.pmt(0.005, 60, 15000) == pytest.approx(npf.pmt(0.005, 60, 15000), rel=1e-13)
    assert vl.fv(0.075, 20, -2000, 0, when="begin") == pytest.approx(npf.fv(0.075, 20, -2000, 0, when="begin"), rel=1e-13)
    assert vl.nper(0.075, -2000, 0, 100000) == pytest.approx(npf.nper(0.075, -2000, 0, 100000), rel=1e-12)
    assert vl.ipmt(0.1 / 12, 1, 24, 2000) == pytest.approx(npf.ipmt(0.1 / 12, 1, 24, 2000), rel=1e-13)
    assert vl.ppmt(0.1 / 12, 2, 24, 2000, when="begin") == pytest.approx(npf.ppmt(0.1 / 12, 2, 24, 2000, 0, "begin"), rel=1e-13)
    # Excel's CUMIPMT example, also pyxirr's: -11,135.23213.
    assert vl.cumipmt(0.09 / 12, 360, 125000, 13, 24) == pytest.approx(pyxirr.cumipmt(0.09 / 12, 360, 125000, 13, 24), rel=1e-12)
    assert vl.nper(0, 0, 1000) == float("inf")  # numpy-financial's answer too


def test_vectorised_rows_and_broadcasting():
    rng = np.random.default_rng(7)
    flows = rng.normal(10, 5, size=(200, 12))
    flows[:, 0] = -100
    got = vl.irr(flows)
    assert got.shape == (200,)
    want = np.array([npf.irr(r) for r in flows])
    np.testing.assert_allclose(got, want, rtol=1e-9)
    rates = np.array([[0.01, 0.02], [0.03, 0.04]])
    np.testing.assert_allclose(vl.pmt(rates, 60, 15000), npf.pmt(rates, 60, 15000), rtol=1e-13)


def test_dates_in_every_form_and_day_counts():
    want = pyxirr.xirr(EXCEL_DATES, EXCEL_FLOWS)
    for dates in (
        EXCEL_DATES,
        np.array(EXCEL_DATES, dtype="datetime64[D]"),
        [d.isoformat() for d in EXCEL_DATES],
    ):
        assert vl.xirr(EXCEL_FLOWS, dates) == pytest.approx(want, rel=1e-9)
    pd = pytest.importorskip("pandas")
    assert vl.xirr(pd.Series(EXCEL_FLOWS), pd.to_datetime(pd.Series(EXCEL_DATES))) == pytest.approx(want, rel=1e-9)
    for ours, theirs in [("ACT/360", pyxirr.DayCount.ACT_360), ("ACT/ACT ISDA", pyxirr.DayCount.ACT_ACT_ISDA), ("30/360 US", pyxirr.DayCount.THIRTY_U_360)]:
        assert vl.xirr(EXCEL_FLOWS, EXCEL_DATES, day_count=ours) == pytest.approx(pyxirr.xirr(EXCEL_DATES, EXCEL_FLOWS, day_count=theirs), rel=1e-9)
        assert vl.xnpv(0.09, EXCEL_FLOWS, EXCEL_DATES, day_count=ours) == pytest.approx(pyxirr.xnpv(0.09, EXCEL_DATES, EXCEL_FLOWS, day_count=theirs), rel=1e-12)
    # Many series on the same dates.
    two = np.array([EXCEL_FLOWS, [-1, 0, 0, 0, 1.5]])
    assert vl.xirr(two, EXCEL_DATES).shape == (2,)


def test_guess_and_silent():
    # -1, 2.5, -1.5: roots 0 and 50% (quadratic formula).
    assert vl.irr([-1, 2.5, -1.5]) == pytest.approx(0.0, abs=1e-15)
    assert vl.irr([-1, 2.5, -1.5], guess=0.4) == pytest.approx(0.5, rel=1e-15)
    with pytest.raises(vl.InputError, match="row 1"):
        vl.irr([[-1, 2], [1, 2]])
    got = vl.irr([[-1, 2], [1, 2]], silent=True)
    assert got[0] == pytest.approx(1.0) and np.isnan(got[1])


@pytest.mark.parametrize(
    "call, needle",
    [
        (lambda: vl.irr([-1, float("nan"), 2]), "values=: value 2 is NaN"),
        (lambda: vl.irr([[1, 2], [3]]), "values=: expected numbers"),
        (lambda: vl.irr(["a", "b"]), "values=: expected numbers"),
        (lambda: vl.npv(-1, [1, 2]), "rate="),
        (lambda: vl.pmt(0.01, 0, 1000), "nper="),
        (lambda: vl.ipmt(0.01, 13, 12, 1000), "per="),
        (lambda: vl.xirr(EXCEL_FLOWS, EXCEL_DATES[:3]), "dates=: expected one date per value"),
        (lambda: vl.xirr(EXCEL_FLOWS, EXCEL_DATES, day_count="ACT/364"), "day_count="),
        (lambda: vl.pmt([0.1, 0.2], [1, 2, 3], 100), "do not broadcast"),
    ],
)
def test_bad_input_names_the_argument(call, needle):
    with pytest.raises(vl.InputError, match=needle.replace("(", r"\(")):
        call()
    assert issubclass(vl.InputError, ValueError)
