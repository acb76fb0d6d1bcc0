"""The venture market agent-based model written as a NumPy program: the peer that
`venturelab market simulate` (default preset) is measured against.

Written from docs/models/market.md and the semantics of crates/venturelab/src/market/sim.rs
(one quarter in the model's order: exits, strategy scores, fund ends, LP commitments and new
funds, fees, heat, births, prices, funds invest, startups that give up). Arrays where a step
vectorises: births, the pool of seeking startups and its sector index, prices, fees and fund
ends over all funds, exits, and the screening of every investing fund's `deals_seen` deals
(drawn for all funds at once: screening reads only the pool as it was at the start of the
quarter, and a deal bought by an earlier fund in the quarter is skipped when it is bought,
as in sim.rs). A Python loop where funds buy in order: the shuffled funds, each buying its
candidates best first (one global sort by fund, score and startup) until its pace is spent.
Random numbers are NumPy's (PCG64), not venturelab's, so the two agree only within Monte
Carlo error.

Reads the scenario from presets/market.toml (lognormal and uniform distributions only; no
shocks or alternative capital, which the default preset does not use). Not computed (not
compared): the hot and cold cohorts.

The mechanics follow the model after issue 24 (docs/models/market.md): fees owed on
commitments (kept back from investment), a score of 0 without exits in the window, every
fund's pace paying its overshoot down, investments maturing at the horizon not paid out,
mean HHI after one fund life of warm-up.

Usage: python3 market_numpy.py [RUNS] [PROCESSES] [SEED] [PRESET]; prints one JSON line with
the wall-clock seconds (simulation and summary, processes included) and the compared
measures (per run), summarised.
"""
import json
import math
import multiprocessing as mp
import os
import sys
import time
import tomllib

import numpy as np

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 20
PROCS = int(sys.argv[2]) if len(sys.argv) > 2 else 2
SEED = int(sys.argv[3]) if len(sys.argv) > 3 else 20260101
PRESET = (
    sys.argv[4]
    if len(sys.argv) > 4
    else os.path.join(os.path.dirname(__file__), "..", "..", "presets", "market.toml")
)

NARRATIVE, FUNDAMENTALS, THRESHOLD, CONTRARIAN, INDEX = range(5)
STRATEGIES = ["narrative", "fundamentals", "threshold", "contrarian", "index"]
MAX_FLOW = 5.0


def money(v):
    if isinstance(v, (int, float)):
        return float(v)
    s = v.strip()
    mult = {"k": 1e3, "M": 1e6, "B": 1e9}.get(s[-1], None)
    return float(s[:-1]) * mult if mult else float(s)


def rate(v):
    if isinstance(v, str) and v.endswith("%"):
        return float(v[:-1]) / 100.0
    return float(v)


def load(path):
    with open(path, "rb") as f:
        sc = tomllib.load(f)
    mk, fu, st, lp, ht = sc["market"], sc["funds"], sc["strategies"], sc["lp"], sc["heat"]
    sec = sc["sectors"]
    shares = np.array([s["birth_share"] for s in sec], float)
    p = dict(
        nq=mk["quarters"],
        births=mk["startups_per_quarter"],
        window=mk["deal_window"],
        seen=mk["deals_seen"],
        noise=mk["signal_noise"],
        pre=mk["base_pre_money"],
        pel=mk["price_elasticity"],
        rel=mk["raise_elasticity"],
        cap=mk["capital_effect"],
        longq=mk["long_maturity_quarters"],
        heat_on=ht["enabled"],
        decay=ht["decay"],
        inw=ht["inflow_weight"],
        cum=np.cumsum(shares / shares.sum()),
        life=max(1, round(fu["life_years"] * 4)),
        invq=max(1, round(fu["investment_period_years"] * 4)),
        fee=rate(fu["fee"]) / 4.0,
        size=money(fu["size"]),
        fr=fu["fund_returner"],
        tr=fu["threshold_returner"],
        hurdle=fu["hurdle"],
        base=np.array([st[k] for k in STRATEGIES], float),
        intensity=st["intensity"],
        memory=st["memory_quarters"],
        inflow=money(lp["base_inflow"]),
        rsens=lp["return_sensitivity"],
        hsens=lp["heat_sensitivity"],
    )
    for key in ("potential", "need", "maturity"):
        d = [s[key] for s in sec]
        kinds = {x["dist"] for x in d}
        if kinds == {"lognormal"}:
            p[key] = ("lognormal", np.array([x["mu"] for x in d]), np.array([x["sigma"] for x in d]))
        elif kinds == {"uniform"}:
            p[key] = ("uniform", np.array([x["low"] for x in d], float), np.array([x["high"] for x in d], float))
        else:
            raise SystemExit(f"{key}: the peer supports lognormal or uniform in every sector")
    return p


def draw(rng, spec, sector):
    kind, a, b = spec
    if kind == "lognormal":
        return np.exp(a[sector] + b[sector] * rng.standard_normal(sector.size))
    return a[sector] + (b[sector] - a[sector]) * rng.random(sector.size)


def simulate(args):
    """One run; returns the per-run measures and per-quarter series."""
    p, seed_seq = args
    rng = np.random.default_rng(seed_seq)
    nq, ns, size, invq, life = p["nq"], p["cum"].size, p["size"], p["invq"], p["life"]
    sigma = p["noise"]
    pace0 = size / invq
    cap_funds = int(nq * (math.ceil(MAX_FLOW * MAX_FLOW * p["inflow"] / size) + 5))
    f_strat = np.zeros(cap_funds, np.int64)
    f_vint = np.zeros(cap_funds, np.int64)
    f_dry = np.zeros(cap_funds)
    f_over = np.zeros(cap_funds)
    f_inv = np.zeros(cap_funds)
    f_fees = np.zeros(cap_funds)
    f_dist = np.zeros(cap_funds)
    f_ended = np.zeros(cap_funds, bool)
    nf = 0
    # Pool of seeking startups (in birth order).
    P = dict(
        sector=np.zeros(0, np.int64),
        born=np.zeros(0, np.int64),
        x=np.zeros(0),
        k=np.zeros(0),
        t=np.zeros(0, np.int64),
        funded=np.zeros(0, bool),
    )
    maturing = [[] for _ in range(nq + 1)]  # chunks of (fund, strategy, cost, own, value)
    exits = np.zeros((nq, 6, 2))
    heat = np.ones(ns)
    last_share = np.full(ns, 1.0 / ns)
    u = np.zeros(6)
    unraised = np.zeros(5)
    commitments = 0.0
    total_proceeds = 0.0
    value_available = value_realised = 0.0
    mm_count = 0
    long_viable = long_funded = 0
    capital_by_sector = np.zeros(ns)
    multiples = []
    hhi = np.full(nq, np.nan)
    share_q = np.full((nq, ns), np.nan)
    v2i = np.full((nq, ns), np.nan)
    strat_q = np.zeros((nq, 5))
    live_q = np.zeros(nq)
    cons_err = 0.0
    thr = p["fr"] * size
    for q in range(nq):
        # 1. Exits.
        if maturing[q]:
            ch = np.concatenate(maturing[q], axis=1)
            fi = ch[0].astype(np.int64)
            stg = ch[1].astype(np.int64)
            pr = ch[3] * ch[4]
            np.add.at(f_dist, fi, pr)
            total_proceeds += pr.sum()
            exits[q, :5, 0] = np.bincount(stg, pr, 5)
            exits[q, :5, 1] = np.bincount(stg, ch[2], 5)
            exits[q, 5, 0] = pr.sum()
            exits[q, 5, 1] = ch[2].sum()
            maturing[q] = None
        # 2. Strategy performance.
        lo = max(0, q + 1 - p["memory"])
        pc = exits[lo : q + 1].sum(axis=0)
        has = pc[:, 1] > 0
        u[:] = 0.0  # no exit in the window: score 0
        u[has] = np.log(np.maximum(pc[has, 0] / pc[has, 1], 1e-3))
        # 3. Fund ends.
        end = (~f_ended[:nf]) & (q >= f_vint[:nf] + life)
        if end.any():
            f_dist[:nf][end] += f_dry[:nf][end]
            f_dry[:nf][end] = 0.0
            f_ended[:nf][end] = True
            multiples.append(f_dist[:nf][end] / size)
        # 4. LP commitments and new funds.
        w = p["base"] * np.exp(p["intensity"] * (u[:5] - u[:5].max()))
        shares = w / w.sum()
        strat_q[q] = shares
        mean_heat = heat.mean()
        inflow = (
            p["inflow"]
            * min(max(1.0 + p["rsens"] * u[5], 0.2), MAX_FLOW)
            * min(max(1.0 + p["hsens"] * (mean_heat - 1.0), 0.0), MAX_FLOW)
        )
        unraised += inflow * shares
        for k in range(5):
            while unraised[k] >= size:
                unraised[k] -= size
                commitments += size
                f_strat[nf], f_vint[nf], f_dry[nf] = k, q, size
                nf += 1
        live = ~f_ended[:nf]
        live_q[q] = live.sum()
        # 5. Fees.
        fee = np.minimum(size * p["fee"], f_dry[:nf]) * live
        f_dry[:nf] -= fee
        f_fees[:nf] += fee
        # 6. Heat.
        if p["heat_on"]:
            heat = np.maximum(0.0, 1.0 + p["decay"] * (heat - 1.0) + p["inw"] * (last_share * ns - 1.0))
        # 7. Births.
        n = rng.poisson(p["births"])
        sec = np.minimum(np.searchsorted(p["cum"], rng.random(n), side="right"), ns - 1)
        x = draw(rng, p["potential"], sec)
        kneed = draw(rng, p["need"], sec)
        t = np.maximum(np.rint(draw(rng, p["maturity"], sec)), 1).astype(np.int64)
        viable = x >= 1.0
        known = q + p["window"] + t <= nq
        value_available += (x * kneed)[viable & known].sum()
        long_viable += int((viable & known & (t > p["longq"])).sum())
        for key, v in (("sector", sec), ("born", np.full(n, q)), ("x", x), ("k", kneed), ("t", t), ("funded", np.zeros(n, bool))):
            P[key] = np.concatenate((P[key], v))
        # 8. Prices.
        # Fees are owed on commitments: what is left to pay is kept back from investment.
        reserve = size * p["fee"] * np.maximum(f_vint[:nf] + life - (q + 1), 0)
        investable = f_dry[:nf] - reserve
        inv_idx = np.nonzero(live & (q < f_vint[:nf] + invq) & (investable > 0))[0]
        psec = P["sector"]
        count = np.bincount(psec, minlength=ns).astype(float)
        supply = np.bincount(psec, P["k"], minlength=ns)
        tilt = np.ones((5, ns))
        if p["heat_on"]:
            tilt[NARRATIVE] = heat
            tilt[CONTRARIAN] = 1.0 / np.maximum(heat, 0.05)

        def norm(a):
            s = a.sum(axis=1, keepdims=True)
            return np.where(s > 0, a / np.where(s > 0, s, 1), 1.0 / ns)

        screen = norm(count * tilt)
        aim = norm(supply * tilt)
        pace = np.minimum(pace0, investable[inv_idx])
        demand = (pace[:, None] * aim[f_strat[inv_idx]]).sum(axis=0)
        ok_ps = (supply > 0) & (demand > 0)
        mult = np.ones(ns)
        mult[ok_ps] = np.clip((demand[ok_ps] / supply[ok_ps]) ** p["pel"], 0.05, 20.0)
        raise_m = mult ** p["rel"]  # raise / need by sector
        own_s = raise_m / (p["pre"] * mult + raise_m)
        # 9. Funds invest: screening of all investing funds at once ...
        order = inv_idx[rng.permutation(inv_idx.size)]
        q_capital = np.zeros(ns)
        q_post = np.zeros(ns)
        q_value = np.zeros(ns)
        npool = psec.size
        if npool > 0 and order.size > 0:
            F, D = order.size, p["seen"]
            strat = f_strat[order]
            us, ud, ue, ui = (rng.random((F, D)) for _ in range(4))
            cums = np.cumsum(screen, axis=1)[strat]  # (F, ns)
            s_pick = np.minimum((us[:, :, None] >= cums[:, None, :]).sum(axis=2), ns - 1)
            by = np.argsort(psec, kind="stable")
            offs = np.concatenate(([0], np.cumsum(count.astype(np.int64))))
            lens = count.astype(np.int64)[s_pick]
            nonempty = lens > 0
            pos = np.minimum((ud * lens).astype(np.int64), np.maximum(lens - 1, 0))
            cand = by[np.minimum(offs[s_pick] + pos, npool - 1)]
            t_c = P["t"][cand]
            ok = nonempty & (q + t_c <= (f_vint[order] + life)[:, None])
            xs, ks, sc = P["x"][cand], P["k"][cand], psec[cand]
            from_norm = np.exp(sigma * _ndtri(ue) - 0.5 * sigma * sigma)
            read = xs * from_norm
            own = own_s[sc]
            raise_ = ks * raise_m[sc]
            pv = read * ks
            pm = pv * own / raise_
            ok &= pv * own >= thr
            hs = heat[sc]
            st2 = strat[:, None]
            score = np.where(
                st2 == NARRATIVE,
                hs * pm**0.25,
                np.where(
                    st2 == FUNDAMENTALS,
                    pm,
                    np.where(
                        st2 == THRESHOLD,
                        pv if p["tr"] > 0 else pm,
                        np.where(st2 == CONTRARIAN, pm / np.maximum(hs, 0.05), ui),
                    ),
                ),
            )
            rule = np.where(
                (st2 == NARRATIVE) | (st2 == INDEX),
                pm >= 1.0,
                np.where((st2 == THRESHOLD) & (p["tr"] > 0), pv * own >= p["tr"] * size, pm >= p["hurdle"]),
            )
            ok &= rule
            rows, cols = np.nonzero(ok)
            ci = cand[rows, cols]
            srt = np.lexsort((ci, -score[rows, cols], rows))
            rows, ci = rows[srt], ci[srt]
            c_raise = raise_[rows, cols[srt]]
            starts = np.searchsorted(rows, np.arange(F + 1))
            # ... then buying in order, a Python loop.
            funded = P["funded"]
            dry = f_dry
            inv_l = investable.tolist()
            ci_l, r_l = ci.tolist(), c_raise.tolist()
            st_l = starts.tolist()
            order_l = order.tolist()
            bought_i, bought_f, bought_r = [], [], []
            for j in range(F):
                fi = order_l[j]
                budget = min(pace0 - f_over[fi], inv_l[fi])
                f_over[fi] = max(-budget, 0.0)
                a, b = st_l[j], st_l[j + 1]
                if budget <= 0.0:
                    continue
                d = dry[fi]
                lim = inv_l[fi]
                for c in range(a, b):
                    if budget <= 0.0:
                        break
                    i = ci_l[c]
                    r = r_l[c]
                    if funded[i] or r > lim:
                        continue
                    funded[i] = True
                    d -= r
                    lim -= r
                    budget -= r
                    bought_i.append(i)
                    bought_f.append(fi)
                    bought_r.append(r)
                if d != dry[fi]:
                    f_inv[fi] += dry[fi] - d
                    dry[fi] = d
                    f_over[fi] = max(-budget, 0.0)
            if bought_i:
                bi = np.array(bought_i)
                bf = np.array(bought_f)
                br = np.array(bought_r)
                bs, bx, bk, bt, bb = psec[bi], P["x"][bi], P["k"][bi], P["t"][bi], P["born"][bi]
                viable = bx >= 1.0
                value = np.where(viable, bx * bk * (br / bk) ** p["cap"], 0.0)
                own_b = own_s[bs]
                post = br / own_b
                q_capital = np.bincount(bs, br, ns)
                q_post = np.bincount(bs, post, ns)
                q_value = np.bincount(bs, bx * bk, ns)
                known = bb + p["window"] + bt <= nq
                value_realised += value[known & viable].sum()
                long_funded += int((known & viable & (bt > p["longq"])).sum())
                mature = q + bt
                keep = mature < nq
                chunk = np.vstack((bf, f_strat[bf], br, own_b, value))
                mk = mature[keep]
                ck = chunk[:, keep]
                for m_q in np.unique(mk):
                    maturing[m_q].append(ck[:, mk == m_q])
        # 11. Quarter statistics, then startups that stop seeking.
        total = q_capital.sum()
        if total > 0:
            sh = q_capital / total
            hhi[q] = (sh * sh).sum()
            share_q[q] = sh
            last_share = sh
        capital_by_sector += q_capital
        with np.errstate(invalid="ignore", divide="ignore"):
            v2i[q] = np.where(q_value > 0, q_post / q_value, np.nan)
        fu = P["funded"]
        seeking = (~fu) & (q + 1 < P["born"] + p["window"])
        gone = (~fu) & (~seeking) & (P["x"] >= 1.0) & (P["born"] + p["window"] + P["t"] <= nq)
        mm_count += int(gone.sum())
        for key in P:
            P[key] = P[key][seeking]
        lhs = (f_inv[:nf] + f_dry[:nf] + f_fees[:nf] + f_dist[:nf]).sum()
        rhs = commitments + total_proceeds
        if rhs > 0:
            cons_err = max(cons_err, abs(lhs - rhs) / rhs)
    mult_all = np.concatenate(multiples) if multiples else np.zeros(0)
    return dict(
        mean_hhi=float(np.nanmean(hhi[min(life, nq // 2):])),
        realised_share=value_realised / value_available,
        missing_middle=float(mm_count),
        long_maturity_funded_share=long_funded / long_viable if long_viable else float("nan"),
        fund_net_multiple=float(mult_all.mean()) if mult_all.size else float("nan"),
        capital_share=(capital_by_sector / capital_by_sector.sum()).tolist(),
        conservation_error=cons_err,
        series=(hhi, share_q, v2i, strat_q, live_q),
    )


def _ndtri(u):
    # Φ⁻¹ by Acklam's rational approximation with one Halley step (|error| < 1e-15),
    # vectorised; scipy is not required.
    a = (-3.969683028665376e01, 2.209460984245205e02, -2.759285104469687e02, 1.383577518672690e02, -3.066479806614716e01, 2.506628277459239e00)
    b = (-5.447609879822406e01, 1.615858368580409e02, -1.556989798598866e02, 6.680131188771972e01, -1.328068155288572e01)
    c = (-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e00, -2.549732539343734e00, 4.374664141464968e00, 2.938163982698783e00)
    d = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e00, 3.754408661907416e00)
    u = np.clip(u, 1e-300, 1 - 1e-16)
    x = np.empty_like(u)
    lo = u < 0.02425
    hi = u > 1 - 0.02425
    mid = ~(lo | hi)
    qm = u[mid] - 0.5
    r = qm * qm
    x[mid] = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * qm / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    for m, sgn in ((lo, 1.0), (hi, -1.0)):
        if m.any():
            qt = np.sqrt(-2 * np.log(u[m] if sgn > 0 else 1 - u[m]))
            x[m] = sgn * (((((c[0] * qt + c[1]) * qt + c[2]) * qt + c[3]) * qt + c[4]) * qt + c[5]) / ((((d[0] * qt + d[1]) * qt + d[2]) * qt + d[3]) * qt + 1)
    return x


def summarise(runs):
    """Means with the across-run sd of the compared measures, and bands by quarter."""
    out = {}
    for key in ("mean_hhi", "realised_share", "missing_middle", "long_maturity_funded_share", "fund_net_multiple"):
        v = np.array([r[key] for r in runs])
        out[key] = dict(mean=float(v.mean()), sd=float(v.std(ddof=1)) if v.size > 1 else 0.0)
    cs = np.array([r["capital_share"] for r in runs])
    out["capital_share"] = dict(mean=cs.mean(axis=0).tolist(), sd=(cs.std(axis=0, ddof=1) if len(runs) > 1 else 0 * cs[0]).tolist())
    out["conservation_error"] = max(r["conservation_error"] for r in runs)
    # Bands by quarter across runs (as the simulator's summary): mean, 5% and 95%.
    bands = {}
    for j, name in enumerate(("hhi", "capital_share", "valuation_to_intrinsic", "strategy_share", "live_funds")):
        a = np.array([r["series"][j] for r in runs])
        with np.errstate(invalid="ignore"), __import__("warnings").catch_warnings():
            __import__("warnings").simplefilter("ignore")
            bands[name] = (np.nanmean(a, axis=0), np.nanpercentile(a, 5, axis=0), np.nanpercentile(a, 95, axis=0))
    out["bands_quarters"] = int(bands["hhi"][0].size)
    return out


def main():
    p = load(PRESET)
    t0 = time.perf_counter()
    seeds = np.random.SeedSequence(SEED).spawn(RUNS)
    args = [(p, s) for s in seeds]
    if PROCS > 1:
        with mp.get_context("fork").Pool(PROCS) as pool:
            runs = pool.map(simulate, args, chunksize=1)
    else:
        runs = [simulate(a) for a in args]
    out = summarise(runs)
    out["seconds"] = time.perf_counter() - t0
    out["runs"] = RUNS
    out["processes"] = PROCS
    out["seed"] = SEED
    print(json.dumps(out))


if __name__ == "__main__":
    main()
