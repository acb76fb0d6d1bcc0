"""Per-fund or per-run columns as NumPy arrays, or a pandas DataFrame when asked."""

import numpy as np


def columns(cols, as_frame):
    arrays = {k: np.asarray(v, dtype=np.float64) for k, v in cols.items()}
    if as_frame:
        import pandas as pd

        return pd.DataFrame(arrays)
    return arrays
