#!/usr/bin/python3
"""A vectorised numpy implementation of crmroi's default scenario (model/default.yaml,
docs/spec/model.md sections 2, 3 and 5), for side-by-side timing (scripts/bench/sidebyside.sh).

Same model, same distributions (modified PERT, λ = 4; the Gaussian copula of overrun and
schedule_slip with Spearman 0.6, normal-score correlation 2·sin(π·0.6/6)), same risk events,
same outputs and statistics: npv, roi, pv_benefits, pv_costs, payback_months, peak_funding,
revenue_uplift (mean, sd, percentiles 1..99), P(loss), payback probabilities, outcome shares and
the monthly percentile bands (5..95) of the cumulative cash flow. Not computed: irr_annual (a
root search per iteration, which numpy does not vectorise well). The random numbers are numpy's
(PCG64), not crmroi's, so figures agree within Monte Carlo error, not bit for bit. Without scipy
the copula is applied by reordering the two independent PERT samples to the ranks of correlated
normal scores (the Gaussian copula, up to the sample's ranks).

Usage: /usr/bin/python3 numpy_default.py [ITERATIONS [SEED]]   (prints a JSON summary)
"""
import json
import math
import sys
import warnings

import numpy as np

warnings.simplefilter("ignore", RuntimeWarning)  # np.percentile between +inf payback values

N = int(float(sys.argv[1])) if len(sys.argv) > 1 else 1_000_000
SEED = int(sys.argv[2]) if len(sys.argv) > 2 else 1
rng = np.random.default_rng(SEED)

H, RATE, SEATS, IMPL, LAG, ESC, PRESALE = 36, 0.20, 30, 4, 1, 0.10, 0.3
REVENUE, PAYROLL = 50e6, 3.0e6
CANCEL, ABANDON = 0.10, 0.15


def pert(lo, mode, hi, n=N, lam=4.0):
    a = 1 + lam * (mode - lo) / (hi - lo)
    b = 1 + lam * (hi - mode) / (hi - lo)
    return lo + (hi - lo) * rng.beta(a, b, n)


growth = pert(0.05, 0.095, 0.15)
margin = pert(0.15, 0.25, 0.40)
bonus = pert(0.01, 0.025, 0.05)
repeat = pert(0.4, 0.6, 0.8)
churn = pert(0.15, 0.25, 0.40)
conv = pert(0, 0.05, 0.15)
capgain = pert(0.20, 0.25, 0.30)
cap2sales = pert(0.1, 0.4, 0.8)
savreal = pert(0, 0.3, 0.6)
churnred = pert(0, 0.09, 0.20)
other = pert(0, 50e3, 300e3)
dip = pert(0, 0.01, 0.03)
admax = pert(0.5, 0.8, 0.95)
ramp = pert(3, 6, 12)
oneoff = pert(2.0e6, 3.5e6, 7.0e6)
overrun = pert(0.95, 1.2, 2.0)
slip = pert(1.0, 1.3, 2.25)
subs = pert(600, 1500, 3500)
support = pert(30e3, 100e3, 250e3)
itstaff = pert(0, 50e3, 200e3)

# Gaussian copula of overrun and schedule_slip: reorder both to the ranks of correlated normals.
r = 2 * math.sin(math.pi * 0.6 / 6)
z1 = rng.standard_normal(N)
z2 = r * z1 + math.sqrt(1 - r * r) * rng.standard_normal(N)
overrun = np.sort(overrun)[np.argsort(np.argsort(z1))]
slip = np.sort(slip)[np.argsort(np.argsort(z2))]

# Risk events.
u0, u1, u2, u3 = (rng.random(N) for _ in range(4))
G = np.maximum(1, np.floor(IMPL * slip + 0.5)).astype(np.int64)
cancelled = u0 < CANCEL
abandoned = ~cancelled & (u0 < CANCEL + (1 - CANCEL) * ABANDON)
tc = np.minimum(1 + np.floor(u1 * G).astype(np.int64), G)
ka = np.minimum(6 + np.floor(u2 * 13).astype(np.int64), 18)
factor = np.where(abandoned, 0.1 + 0.3 * u3, 1.0)
subEnd = 12 * ((ka + 11) // 12)  # the subscription runs while k <= 12·ceil(ka/12)

adm = admax * factor
s = 2 * math.log(9) / ramp
churn_m = 1 - (1 - churn) ** (1 / 12)
seat_cost = SEATS * subs
build_cost = oneoff * overrun / G
disc = (1 + RATE) ** (-1 / 12)
run_cost = support + itstaff
gain = margin - bonus
save = (1 - cap2sales) * capgain * PAYROLL * savreal
upsales = cap2sales * capgain


def adoption(k):
    L = 1 / (1 + np.exp(-s * (k - ramp / 2)))
    return np.where(k >= 1, adm * (L - 0.1) / 0.9, 0.0)


n = np.ones(N)
cum = np.zeros(N)
npv, pvb, pvc = np.zeros(N), np.zeros(N), np.zeros(N)
min_cum = np.full(N, np.inf)
payback = np.full(N, np.inf)
up_num, up_den = np.zeros(N), 0.0
band_levels = [5, 10, 25, 50, 75, 90, 95]
bands = []
df = 1.0
for t in range(1, H + 1):
    esc = (1 + ESC) ** ((t - 1) // 12)
    rb = REVENUE * (1 + growth) ** ((t - 1) / 12)
    k = t - G
    build = k <= 0
    running = ~build & ~cancelled & ~(abandoned & (k > ka))
    a = np.where(running, adoption(k.astype(np.float64)), 0.0)
    sl = np.where(running, adoption((k - LAG).astype(np.float64)), 0.0)
    d = np.where((k == 1) | (k == 2), 1 - dip, 1.0)
    dr = np.where(running, rb * ((repeat * n + 1 - repeat) * (1 + conv * sl) * (1 + upsales * sl) * d - 1), 0.0)
    ben = dr * gain + save * a + other * a
    cost = np.where(build, build_cost + PRESALE * seat_cost * esc, 0.0)
    cost = np.where(cancelled & (t > tc), 0.0, cost)
    cost = np.where(running, seat_cost * esc + run_cost, cost)
    cost = np.where(abandoned & (k > ka) & (k <= subEnd), seat_cost * esc, cost)
    n = np.where(running, n * (1 - churn_m * (1 - churnred * a)) + churn_m, n)
    if t > H - 12:
        up_num += dr
        up_den += rb
    cf = ben - cost
    prev = cum
    cum = cum + cf
    df *= disc
    npv += cf * df
    pvb += ben * df
    pvc += cost * df
    cross = np.isinf(payback) & (prev < 0) & (cum >= 0)
    if t == 1:
        payback = np.where(cum >= 0, 0.0, payback)
    else:
        payback = np.where(cross, (t - 1) + (-prev) / np.where(cross, cf, 1.0), payback)
    min_cum = np.minimum(min_cum, cum)
    bands.append({"month": t, "mean": float(cum.mean()),
                  **{f"p{p}": float(v) for p, v in zip(band_levels, np.percentile(cum.astype(np.float32), band_levels))}})

outputs = {
    "npv": npv,
    "roi": np.where(pvc != 0, npv / np.where(pvc != 0, pvc, 1.0), np.nan),
    "pv_benefits": pvb,
    "pv_costs": pvc,
    "payback_months": payback,
    "peak_funding": np.maximum(0, -min_cum),
    "revenue_uplift": up_num / up_den,
}
levels = [1, 5, 10, 25, 50, 75, 90, 95, 99]
summary = {"iterations": N, "seed": SEED, "outputs": {}, "bands": bands}
for name, x in outputs.items():
    fin = x[np.isfinite(x)]
    summary["outputs"][name] = {
        "mean": float(fin.mean()), "sd": float(fin.std(ddof=1)), "se": float(fin.std(ddof=1) / math.sqrt(len(fin))),
        **{f"p{p}": float(v) for p, v in zip(levels, np.percentile(x[~np.isnan(x)], levels))}}
summary["prob_loss"] = float((npv < 0).mean())
for m in (12, 24, 36):
    summary[f"prob_payback_within_{m}"] = float((payback <= m).mean())
summary["outcomes"] = {"ok": float((~cancelled & ~abandoned).mean()), "cancelled": float(cancelled.mean()),
                       "abandoned": float(abandoned.mean())}
json.dump(summary, sys.stdout, indent=1)
print()
