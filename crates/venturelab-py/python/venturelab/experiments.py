"""Experiments that outgrow one call: parameter sweeps and Sobol sensitivity analysis,
run locally or as Ray tasks on whatever cluster ``ray.init()`` connected to.

Every point is one run of the Rust model on the scenario with the point's values set (by
dotted key: ``"fund.size"``, ``"market.startups_per_quarter"``). Every point uses the same
``seed`` (common random numbers: the points differ only by their values), so the results
are the same whatever the backend, the number of workers or the order they finish in.
"""

import copy
import itertools

from . import _venturelab as _rs
from ._venturelab import InputError

# Results are bit-identical for any thread count, so a point may use all cores locally
# and one core per Ray task (the cluster's workers are the parallelism there).
_MODELS = {
    "fund": lambda sc, runs, seed, th: _rs.fund_simulate(sc, None, runs, seed, th, False, None),
    "company": lambda sc, runs, seed, th: _rs.company_simulate(sc, None, runs, 120, seed, th, None),
    "market": lambda sc, runs, seed, th: _rs.market_simulate(sc, None, runs, None, seed, th, None),
    # The five conditions of the scapegoat experiment on the same startups (rows in the
    # order of `venturelab market experiment scapegoat`).
    "market.scapegoat": lambda sc, runs, seed, th: _rs.market_experiment("scapegoat", sc, None, runs, seed, th),
}


def _set(doc, key, value):
    parts = key.split(".")
    node = doc
    for i, p in enumerate(parts[:-1]):
        nxt = node[int(p)] if isinstance(node, list) else node.get(p)
        if not isinstance(nxt, (dict, list)):
            raise InputError(f"params=: '{key}': '{'.'.join(parts[: i + 1])}' is not a table of the scenario")
        node = nxt
    last = parts[-1]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value


def _get(report, path):
    node = report
    for p in path.split("."):
        try:
            node = node[int(p)] if isinstance(node, list) else node[p]
        except (KeyError, IndexError, ValueError):
            raise InputError(f"outputs=: the report has no '{path}' (stopped at '{p}')") from None
    return node


def _output_items(outputs):
    """`outputs` as (column name, dotted path or callable of the report) pairs: a string is
    its own name; a dict maps names to paths or callables."""
    if isinstance(outputs, str):
        return [(outputs, outputs)]
    if isinstance(outputs, dict):
        return list(outputs.items())
    return [(o, o) for o in outputs]


def _run_point(model, doc, values, runs, seed, outputs, threads=None):
    sc = copy.deepcopy(doc)
    for k, v in values.items():
        _set(sc, k, v)
    report = _MODELS[model](sc, runs, seed, threads)
    return {name: (f(report) if callable(f) else _get(report, f)) for name, f in outputs}


def _points(grid, samples):
    if (grid is None) == (samples is None):
        raise InputError("grid=: give a grid (a dict of value lists) or samples (a list of dicts), not both")
    if grid is not None:
        keys = list(grid)
        return [dict(zip(keys, combo)) for combo in itertools.product(*(grid[k] for k in keys))]
    return [dict(s) for s in samples]


def sweep(model, scenario=None, preset=None, grid=None, samples=None, outputs=("net_tvpi.p50",), runs=2000, seed=None, backend="local"):
    """Run ``model`` ("fund", "company", "market" or "market.scapegoat") at every point of
    ``grid`` (dict of dotted key -> values; the cartesian product) or ``samples`` (list of
    dicts), and collect ``outputs``: dotted paths in the CLI's JSON (``"net_tvpi.p50"``),
    or a dict of column name -> path or function of the report. Returns a pandas DataFrame with one row per point (a list of
    dicts when pandas is missing). ``backend="ray"`` submits each point as a Ray task."""
    if model not in _MODELS:
        raise InputError(f"model=: expected one of {', '.join(_MODELS)}, got {model!r}")
    outputs = _output_items(outputs)
    doc = _rs.scenario_dict(model.split(".")[0], scenario, preset)
    points = _points(grid, samples)
    seed = 0x5EED if seed is None else int(seed)
    if backend == "local":
        results = [_run_point(model, doc, p, int(runs), seed, outputs) for p in points]
    elif backend == "ray":
        import ray

        if not ray.is_initialized():
            raise InputError("backend=: 'ray' needs ray.init() first (a local cluster or address='auto')")
        task = ray.remote(_run_point)
        doc_ref = ray.put(doc)
        refs = [task.remote(model, doc_ref, p, int(runs), seed, outputs, 1) for p in points]
        results = ray.get(refs)
    else:
        raise InputError(f"backend=: expected 'local' or 'ray', got {backend!r}")
    rows = [{**p, **r} for p, r in zip(points, results)]
    try:
        import pandas as pd
    except ImportError:
        return rows
    return pd.DataFrame(rows)


def sobol(model, params, output, scenario=None, preset=None, n=64, runs=500, seed=None, backend="local", calc_second_order=False):
    """Sobol sensitivity indices of one output (a dotted path, or a ``(name, function of
    the report)`` pair) to ``params`` (dotted key
    -> (low, high)), by SALib: Saltelli's design of ``n * (D + 2)`` points (``n * (2D + 2)``
    with second order), evaluated through :func:`sweep`, analysed by
    ``SALib.analyze.sobol``. Returns a dict by parameter: ``S1``, ``S1_conf``, ``ST``,
    ``ST_conf``."""
    import numpy as np
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    names = list(params)
    problem = {"num_vars": len(names), "names": names, "bounds": [list(map(float, params[k])) for k in names]}
    X = sobol_sample.sample(problem, int(n), calc_second_order=calc_second_order, seed=0 if seed is None else int(seed))
    samples = [dict(zip(names, map(float, row))) for row in X]
    name, f = output if isinstance(output, tuple) else (output, output)
    df = sweep(model, scenario, preset, samples=samples, outputs={name: f}, runs=runs, seed=seed, backend=backend)
    y = np.asarray(df[name] if hasattr(df, "columns") else [r[name] for r in df], dtype=float)
    if not np.all(np.isfinite(y)):
        raise InputError(f"output=: '{name}' is not a finite number at every point")
    si = sobol_analyze.analyze(problem, y, calc_second_order=calc_second_order)
    return {
        k: {"S1": float(si["S1"][i]), "S1_conf": float(si["S1_conf"][i]), "ST": float(si["ST"][i]), "ST_conf": float(si["ST_conf"][i])}
        for i, k in enumerate(names)
    }
