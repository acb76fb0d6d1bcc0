"""The valley-of-death company Monte Carlo written as a vectorised NumPy program: the peer
that `venturelab company simulate --preset saas-seed` is measured against.

Written from docs/models/company.md and presets/saas-seed.toml (the saas-seed preset only):
one array per state variable across runs, a Python loop over months; runs that stop
operating (shut down or acquired) are dropped from the arrays as they stop, so later months
cost less. Random numbers are NumPy's (PCG64, Ziggurat normals), not venturelab's, so the
two sides agree only within Monte Carlo error.

The model, per month (docs/models/company.md, "One month, in this order"): new accounts =
(sales and marketing / CAC + organic x accounts) x lognormal noise (mean one, sigma 0.3) x
(1 - accounts / market); MRR bridge; the cloud line's price shock (0.5% a month, x U(0.9,
1.3)); costs (sales and marketing times the spend level of every round's hires and the burn
level, in scale at least 40% of MRR whatever the burn level; the team of the stage times the
hires of the rounds raised in that stage and the burn level); venture-debt payments (12 months interest only at 1% a
month, then a 24-month annuity); death when cash is negative; product-market fit and scale;
acquisition (0.09% a month); default alive (trailing six-month growth, costs flat,
Graham/Blackwell capital needed against cash); financing when runway is under 6 months
(Series A/B/C with the traction term and the climate, else venture debt of 30% of the last
equity, one facility at a time, which bridges, else a 20% burn cut to 80% of plan; every
attempt without a priced round counts as failed while a round is left; shut down after 3
failures in a row while default dead); the first default-alive month counts from month 13.

Not computed (not compared): founders' proceeds through the exit waterfall, exit values,
vendor HHI, and the health metrics other than MRR; so the peer does less work than the
simulator it is compared with.

Usage: python3 company_numpy.py [RUNS] [MONTHS] [PROCESSES] [SEED]; prints one JSON line
with the wall-clock seconds (simulation and summary, processes included) and the compared
measures.
"""
import json
import multiprocessing as mp
import sys
import time

import numpy as np

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
MONTHS = int(sys.argv[2]) if len(sys.argv) > 2 else 120
PROCS = int(sys.argv[3]) if len(sys.argv) > 3 else 2
SEED = int(sys.argv[4]) if len(sys.argv) > 4 else 1
SAMPLE = 5_000  # runs whose MRR by month is summarised (as the simulator's metrics sample)

# saas-seed (presets/saas-seed.toml).
CASH0, ACCOUNTS0 = 3e6, 3.0
FOUNDERS0 = 0.60
INVESTED0 = 3e6
PMF_GROWTH, PMF_NRR, PMF_WINDOW, SCALE_ARR = 0.04, 1.0, 6, 2e6
NOISE = 0.3
SM_SHARE = 0.40
RAISE_BELOW, RETRY, CUT, MIN_BURN, GIVE_UP = 6.0, 3, 0.20, 0.80, 3
# Series A, B, C: traction ARR, chance, pre-money ARR multiple, floor, raise, hire, stage
# needed (0 commercialization, 1 scale).
R_ARR = np.array([1.2e6, 3e6, 15e6])
R_CHANCE = np.array([0.7, 0.8, 0.7])
R_MULT = np.array([20.0, 15.0, 12.0])
R_FLOOR = np.array([20e6, 60e6, 150e6])
R_RAISE = np.array([12e6, 30e6, 60e6])
R_HIRE = np.array([2.5, 1.8, 1.5])
R_AFTER = np.array([0, 1, 1])
DEBT_SHARE, DEBT_I, DEBT_IO, DEBT_AMORT = 0.30, 0.12 / 12, 12, 24
DEBT_PMT = DEBT_I / (1.0 - (1.0 + DEBT_I) ** -DEBT_AMORT)  # per unit of principal
ACQ_CHANCE = 0.0009


def simulate(args):
    """Runs `n` companies; returns per-run outcomes (and the MRR sample by month)."""
    n, seed, sample = args
    rng = np.random.default_rng(seed)
    # Inputs, drawn once per run.
    price = np.exp(6.907755 + 0.5 * rng.standard_normal(n))
    cac = np.exp(9.615805 + 0.7 * rng.standard_normal(n))
    churn = 0.008 * np.exp(rng.random(n) * np.log(0.03 / 0.008))
    expansion = rng.uniform(0.010, 0.022, n)
    organic = rng.uniform(0.0, 0.01, n)
    market = np.exp(9.903488 + 1.0 * rng.standard_normal(n))
    sm0 = rng.uniform(30_000, 60_000, n)
    climate = rng.uniform(0.7, 1.3, n)
    team_c = rng.uniform(110_000, 160_000, n)
    team_s = rng.uniform(350_000, 500_000, n)
    nrr_ok = (1.0 - churn + expansion) ** 12 >= PMF_NRR

    # Outcomes, indexed by run.
    death = np.zeros(n, np.int32)  # 0: none
    acquired = np.zeros(n, np.int32)
    scale_month = np.zeros(n, np.int32)
    first_round = np.zeros(n, np.int32)
    operating_24 = np.zeros(n, bool)
    alive_24 = np.zeros(n, bool)
    alive_month = np.zeros(n, np.int32)
    founders_end = np.full(n, FOUNDERS0)
    mrr_sample = np.full((MONTHS, sample), np.nan)

    # State of the operating runs (compacted as runs stop).
    gid = np.arange(n)
    p, k_cac, ch, ex, org, mk, sm_, cl, tc, ts, nrr = (
        price, cac, churn, expansion, organic, market, sm0, climate, team_c, team_s, nrr_ok)
    scale = np.zeros(n, bool)
    cash = np.full(n, CASH0)
    accounts = np.full(n, ACCOUNTS0)
    mrr = accounts * p
    burn = np.ones(n)
    spend = np.ones(n)
    team_level = np.ones(n)
    next_attempt = np.ones(n, np.int32)
    failed = np.zeros(n, np.int32)
    last_equity = np.full(n, INVESTED0)
    rounds = np.zeros(n, np.int32)
    cloud = np.ones(n)
    debt_start = np.full(n, -10_000, np.int32)
    debt_p = np.zeros(n)
    founders = np.full(n, FOUNDERS0)
    seen_alive = np.zeros(n, bool)
    hist = np.zeros((PMF_WINDOW + 1, n))  # ring buffer of MRR, month m at m % 7

    for month in range(1, MONTHS + 1):
        m = gid.size
        if m == 0:
            break
        # 2. Revenue.
        prev = mrr
        sm = np.where(scale, np.maximum(sm_ * spend * burn, SM_SHARE * prev), sm_ * spend * burn)
        noise = np.exp(NOISE * rng.standard_normal(m) - 0.5 * NOISE * NOISE)
        room = np.maximum(1.0 - accounts / mk, 0.0)
        new = (sm / k_cac + org * accounts) * noise * room
        mrr = mrr * (1.0 - ch + ex) + new * p
        accounts = accounts * (1.0 - ch) + new
        # 3. Cloud price shocks.
        shock = rng.random(m) < 0.005
        if shock.any():
            cloud = cloud * np.where(shock, rng.uniform(0.9, 1.3, m), 1.0)
        # 4. Costs.
        vendor = cloud * (3000.0 + 150.0 * accounts) + (2000.0 + 100.0 * accounts)
        team = np.where(scale, ts, tc) * team_level * burn
        j = month - debt_start
        debt_pay = np.where((j >= 1) & (j <= DEBT_IO + DEBT_AMORT),
                            debt_p * np.where(j <= DEBT_IO, DEBT_I, DEBT_PMT), 0.0)
        net_burn = team + sm + vendor - mrr + debt_pay
        # 5. Cash.
        cash = cash - net_burn
        broke = cash < 0.0
        death[gid[broke]] = month
        ok = ~broke
        s = gid < sample
        if s.any():
            sel = s & ok
            mrr_sample[month - 1, gid[sel]] = mrr[sel]
        # 6. Product-market fit and scale (growth over the last six months).
        past = hist[(month - PMF_WINDOW) % (PMF_WINDOW + 1)]
        growth6 = np.zeros(m)
        if month > PMF_WINDOW:
            with np.errstate(divide="ignore", invalid="ignore"):
                growth6 = np.where(past > 0.0, (mrr / past) ** (1.0 / PMF_WINDOW) - 1.0, 0.0)
            fit = ok & ~scale & (past > 0.0) & (growth6 >= PMF_GROWTH) & nrr & (12.0 * mrr >= SCALE_ARR)
            scale_month[gid[fit]] = month
            team_level = np.where(fit, 1.0, team_level)
            scale = scale | fit
        hist[month % (PMF_WINDOW + 1)] = mrr
        # 7. Acquisition.
        bought = ok & (mrr > 0.0) & (rng.random(m) < ACQ_CHANCE)
        acquired[gid[bought]] = month
        ok &= ~bought
        # Default alive: R = MRR growing at g, E = costs flat, capital needed before
        # breakeven against cash (closed form with h = 0).
        g = np.maximum(growth6, -0.99)
        costs = mrr + net_burn
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            t = np.ceil(np.log(costs / mrr) / np.log1p(g))
            capital = costs * t - mrr * (np.power(1.0 + g, t) - 1.0) / g
        alive_now = (net_burn <= 0.0) | ((mrr > 0.0) & (g > 0.0) & (cash >= capital))
        # 8. Financing.
        with np.errstate(divide="ignore"):
            runway = np.where(net_burn > 0.0, cash / np.where(net_burn > 0.0, net_burn, 1.0), np.inf)
        want = ok & (runway < RAISE_BELOW) & (month >= next_attempt)
        if want.any():
            next_attempt = np.where(want, month + RETRY, next_attempt)
            arr = 12.0 * mrr
            k = np.minimum(rounds, 2)
            left = want & (rounds < 3)
            open_ = left & (scale >= (R_AFTER[k] == 1))
            traction = arr * arr / (arr * arr + R_ARR[k] ** 2)
            chance = np.minimum(R_CHANCE[k] * cl * traction, 1.0)
            raised = open_ & (rng.random(m) < chance)
            pre = np.maximum(R_MULT[k] * arr, R_FLOOR[k]) * cl
            dilution = R_RAISE[k] / (pre + R_RAISE[k])
            founders = np.where(raised, founders * (1.0 - dilution), founders)
            cash = np.where(raised, cash + R_RAISE[k], cash)
            last_equity = np.where(raised, R_RAISE[k], last_equity)
            burn = np.where(raised, 1.0, burn)
            spend = np.where(raised, spend * R_HIRE[k], spend)
            team_level = np.where(raised, team_level * R_HIRE[k], team_level)
            first = raised & (rounds == 0)
            first_round[gid[first]] = month
            rounds = rounds + raised
            # Venture debt when the round did not close.
            debt_open = (month - debt_start) < DEBT_IO + DEBT_AMORT
            lend = want & ~raised & (last_equity > 0.0) & ~debt_open
            debt_start = np.where(lend, month, debt_start)
            debt_p = np.where(lend, DEBT_SHARE * last_equity, debt_p)
            cash = np.where(lend, cash + DEBT_SHARE * last_equity, cash)
            failed = np.where(raised, 0, failed + (left & ~raised))
            nofund = want & ~(raised | lend)
            burn = np.where(nofund, np.maximum(burn * (1.0 - CUT), MIN_BURN), burn)
            quit_ = want & ~raised & (failed >= GIVE_UP) & ~alive_now
            death[gid[quit_]] = month
            ok &= ~quit_
        if month >= 13:
            first_alive = ok & alive_now & ~seen_alive
            alive_month[gid[first_alive]] = month
            seen_alive |= alive_now & ok
        if month == 24:
            operating_24[gid[ok]] = True
            alive_24[gid[ok & alive_now]] = True
        founders_end[gid] = founders
        if not ok.all():
            gid = gid[ok]
            (p, k_cac, ch, ex, org, mk, sm_, cl, tc, ts, nrr, scale, cash, accounts, mrr, burn,
             spend, team_level, next_attempt, failed, last_equity, rounds, cloud, debt_start,
             debt_p, founders, seen_alive) = (
                x[ok] for x in (p, k_cac, ch, ex, org, mk, sm_, cl, tc, ts, nrr, scale, cash,
                                accounts, mrr, burn, spend, team_level, next_attempt, failed,
                                last_equity, rounds, cloud, debt_start, debt_p, founders,
                                seen_alive))
            hist = hist[:, ok]
    return dict(death=death, acquired=acquired, scale_month=scale_month,
                first_round=first_round, operating_24=operating_24, alive_24=alive_24,
                alive_month=alive_month, founders=founders_end, mrr_sample=mrr_sample)


def summarize(parts):
    cat = {k: np.concatenate([p[k] for p in parts]) for k in parts[0] if k != "mrr_sample"}
    n = cat["death"].size
    death, acq = cat["death"], cat["acquired"]
    dead_by = lambda mo: float(np.mean((death > 0) & (death <= mo)))
    survival = [float(np.mean(~(((death > 0) & (death <= mo)) | ((acq > 0) & (acq <= mo)))))
                for mo in range(MONTHS + 1)]
    mrr = np.concatenate([p["mrr_sample"] for p in parts], axis=1)[:, :SAMPLE]
    with np.errstate(all="ignore"):
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            median_mrr = np.nanmedian(mrr, axis=1)
    am = cat["alive_month"]
    fo = cat["founders"][death == 0]
    sm = cat["scale_month"]
    return {
        "runs": n,
        "survival": survival,
        "stage_scale": float(np.mean(sm > 0)),
        "months_to_scale_p50": float(np.median(sm[sm > 0])) if (sm > 0).any() else None,
        "a_within_24": float(np.mean((cat["first_round"] > 0) & (cat["first_round"] <= 24))),
        "a_ever": float(np.mean(cat["first_round"] > 0)),
        "dead_by": {str(mo): dead_by(mo) for mo in (24, 48, 72)},
        "acquired": float(np.mean(acq > 0)),
        "default_alive_24": float(np.mean(cat["alive_24"])),
        "default_alive_month_p50": float(np.median(am[am > 0])) if (am > 0).any() else None,
        "default_alive_month_p95": float(np.percentile(am[am > 0], 95)) if (am > 0).any() else None,
        "founder_ownership_p50": float(np.median(fo)) if fo.size else None,
        "median_mrr": [None if np.isnan(x) else float(x) for x in median_mrr],
    }


def main():
    t0 = time.perf_counter()
    sizes = [RUNS // PROCS + (1 if i < RUNS % PROCS else 0) for i in range(PROCS)]
    seeds = np.random.SeedSequence(SEED).spawn(PROCS)
    samples = []
    left = SAMPLE
    for s in sizes:
        samples.append(min(s, left))
        left -= samples[-1]
    jobs = list(zip(sizes, seeds, samples))
    if PROCS == 1:
        parts = [simulate(jobs[0])]
    else:
        with mp.get_context("fork").Pool(PROCS) as pool:
            parts = pool.map(simulate, jobs)
    out = summarize(parts)
    out["seconds"] = time.perf_counter() - t0
    out["processes"] = PROCS
    out["numpy"] = np.__version__
    print(json.dumps(out))


if __name__ == "__main__":
    main()
