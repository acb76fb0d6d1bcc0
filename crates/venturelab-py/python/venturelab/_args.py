"""Shaping Python arguments for the compiled module: arrays of float64, one row per series.

Only the shape of the data is decided here (what is a series, what is a date); every
number is checked and computed by the Rust library, whose errors name the argument.
"""

import datetime as _dt

import numpy as np

from ._venturelab import InputError


def series(values, name="values"):
    """`values` as a C-contiguous 2-D float64 array (one row per series) and whether the
    caller gave a single series (so that the result is a scalar)."""
    if hasattr(values, "to_numpy"):  # pandas Series / DataFrame
        values = values.to_numpy()
    try:
        a = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise InputError(
            f"{name}=: expected numbers (a list, a NumPy array or a pandas Series), "
            f"or rows of equal length: {e}"
        ) from None
    if a.ndim == 1:
        return np.ascontiguousarray(a.reshape(1, -1)), True
    if a.ndim == 2:
        return np.ascontiguousarray(a), False
    raise InputError(f"{name}=: expected one series (1-D) or one per row (2-D), got {a.ndim}-D")


def result(arr, single):
    """A scalar for a single series, else the array."""
    return float(arr[0]) if single else arr


def days(dates, shape, name="dates"):
    """Dates (datetime.date, numpy datetime64, pandas Timestamps or ISO strings) as int64
    days since 1970-01-01, broadcast to `shape` (one row of dates may serve every row of
    values)."""
    if hasattr(dates, "to_numpy"):
        dates = dates.to_numpy()
    try:
        if isinstance(dates, np.ndarray) and np.issubdtype(dates.dtype, np.datetime64):
            d = dates.astype("datetime64[D]")
        else:
            flat = np.asarray(dates, dtype=object)
            conv = np.vectorize(_to_day, otypes=["datetime64[D]"])
            d = conv(flat)
    except (TypeError, ValueError) as e:
        raise InputError(f"{name}=: expected dates (datetime.date, datetime64, Timestamp or 'YYYY-MM-DD'): {e}") from None
    d = d.astype(np.int64)
    if d.ndim == 1:
        d = d.reshape(1, -1)
    if d.shape[1] != shape[1]:
        raise InputError(f"{name}=: expected one date per value, got {d.shape[1]} dates for {shape[1]} values")
    if d.shape[0] == 1 and shape[0] > 1:
        d = np.repeat(d, shape[0], axis=0)
    if d.shape != shape:
        raise InputError(f"{name}=: expected dates shaped like the values {shape}, got {d.shape}")
    return np.ascontiguousarray(d)


def _to_day(x):
    if isinstance(x, np.datetime64):
        return x.astype("datetime64[D]")
    if isinstance(x, _dt.datetime):
        return np.datetime64(x.date(), "D")
    if isinstance(x, _dt.date):
        return np.datetime64(x, "D")
    if hasattr(x, "date") and callable(x.date):  # pandas Timestamp
        return np.datetime64(x.date(), "D")
    if isinstance(x, str):
        return np.datetime64(_dt.date.fromisoformat(x), "D")
    raise TypeError(f"{x!r} is not a date")


def broadcast(**arrays):
    """Broadcast scalar-or-array keyword arguments together; returns (flat float64 arrays
    by name, shape, whether every input was a scalar)."""
    names = list(arrays)
    try:
        vals = [np.asarray(arrays[n], dtype=np.float64) for n in names]
    except (TypeError, ValueError) as e:
        raise InputError(f"expected numbers: {e}") from None
    scalar = all(v.ndim == 0 for v in vals)
    try:
        b = np.broadcast_arrays(*vals)
    except ValueError:
        shapes = ", ".join(f"{n}={v.shape}" for n, v in zip(names, vals))
        raise InputError(f"the array arguments have shapes that do not broadcast together: {shapes}") from None
    shape = b[0].shape
    flat = {n: np.ascontiguousarray(x.reshape(-1)) for n, x in zip(names, b)}
    return flat, shape, scalar


def count(name, value):
    """A whole, non-negative count (funds, runs, months...) as an int; anything else is an
    InputError naming the argument (the Rust side's unsigned types would raise
    OverflowError)."""
    try:
        f = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{name}=: expected a whole number, got {value!r}") from None
    if f != f or f < 0 or f != int(f) or f >= 2**63:
        raise InputError(f"{name}=: expected a whole number from 0, got {value!r}")
    return int(f)


def opt_count(name, value):
    """`count` for an optional argument (None stays None)."""
    return None if value is None else count(name, value)
