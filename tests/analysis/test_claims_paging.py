"""Paging claim functions on synthetic frames built so that each one PASSES and FAILS; the
expected verdicts follow from how the frames were built (known means and noise)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import claims_paging as cp
from analysis.claims import ClaimData


def _data(values: dict, extra_keys=("trace",), arrays=None, const=None) -> ClaimData:
    """finals from {(policy, x, trace): array of per-rep values}, one seed, reps = array index.
    Column values are strings, as logged params are."""
    rows = []
    for (pol, x, tr), vals in values.items():
        for rep, v in enumerate(vals):
            rows.append({"policy": pol, "predictor.sigma": str(float(x)), "trace": tr,
                         "seed": "0", "rep": rep, "value": float(v)})
    f = pd.DataFrame(rows)
    runs = f.drop_duplicates(["policy", "predictor.sigma", "trace"]).rename(columns={
        "policy": "tags.choice.policy", "predictor.sigma": "params.predictor.sigma",
        "trace": "tags.choice.trace"})
    for key, v in (const or {}).items():
        runs[f"params.{key}"] = v
    arrs = {"ratio": f}
    arrs.update(arrays or {})
    return ClaimData(runs=runs, finals=f, curves=pd.DataFrame(),
                     keys=["policy", "predictor.sigma", "trace"], arrays=arrs)


RNG = np.random.default_rng(0)


def _noise(mean, n=30, sd=0.02):
    return mean + RNG.normal(0, sd, n)


def test_every_replication_exact_and_bound():
    d = _data({("ftp", 0, "z"): np.ones(20), ("ftp", 5, "z"): _noise(1.2),
               ("mp", 0, "z"): np.full(20, 1.5)})
    assert cp.every_replication(d, where={"policy": "ftp", "predictor.sigma": 0}, equals=1.0).passed
    assert not cp.every_replication(d, where={"policy": "ftp"}, equals=1.0).passed
    assert cp.every_replication(d, where={"policy": "mp", "predictor.sigma": [0]}, at_most=2.0).passed
    assert not cp.every_replication(d, where={"policy": "mp"}, at_most=1.4).passed
    one_off = _data({("ftp", 0, "z"): np.r_[np.ones(19), 1.0 + 1e-9]})
    assert not cp.every_replication(one_off, equals=1.0).passed       # exact means exact
    assert not cp.every_replication(d, where={"policy": "nope"}, equals=1.0).passed
    # a key that does not vary is matched against the runs' constant value
    dc = _data({("ftp", 0, "z"): np.ones(5)}, const={"k": "10"})
    assert cp.every_replication(dc, where={"k": 10}, equals=1.0).passed
    assert not cp.every_replication(dc, where={"k": 4}, equals=1.0).passed


def test_increases_with():
    up = {("a", s, "z"): _noise(1 + 0.01 * s) for s in (0, 5, 20, 50)}
    assert cp.increases_with(_data(up), x="predictor.sigma", by="policy", which=["a"]).passed
    flat = {("a", s, "z"): _noise(1.0) for s in (0, 5, 20, 50)}
    assert not cp.increases_with(_data(flat), x="predictor.sigma").passed
    dip = {("a", 0, "z"): _noise(1.0), ("a", 5, "z"): _noise(1.5), ("a", 20, "z"): _noise(1.1),
           ("a", 50, "z"): _noise(1.6)}
    assert not cp.increases_with(_data(dip), x="predictor.sigma").passed     # significant drop
    down = {("a", s, "z"): _noise(2 - 0.01 * s) for s in (0, 5, 20, 50)}
    assert cp.increases_with(_data(down), x="predictor.sigma", decreasing=True).passed
    assert not cp.increases_with(_data(down), x="predictor.sigma").passed
    # non-strict: flat passes (never against the trend), a significant dip still fails
    assert cp.increases_with(_data(flat), x="predictor.sigma", strict=False).passed
    assert not cp.increases_with(_data(dip), x="predictor.sigma", strict=False).passed


def test_at_most_factor():
    base = {("mk", s, tr): _noise(2.0) for s in (0, 50) for tr in ("z", "w")}
    good = {**base, **{("td", s, tr): _noise(1.8) for s in (0, 50) for tr in ("z", "w")}}
    assert cp.at_most_factor(_data(good), by="policy", which=["td"], baseline="mk", factor=1.0).passed
    bad = {**good, ("td", 50, "w"): _noise(2.3)}
    v = cp.at_most_factor(_data(bad), by="policy", which=["td"], baseline="mk", factor=1.0)
    assert not v.passed and "FAIL" in v.measured
    assert cp.at_most_factor(_data(bad), by="policy", which=["td"], baseline="mk", factor=1.25).passed


def test_mean_at_most():
    d = _data({("fr", s, tr): _noise(0.95) for s in (0, 5) for tr in ("z", "w")})
    assert cp.mean_at_most(d, bound=1.0).passed
    assert not cp.mean_at_most(d, bound=0.9).passed
    d2 = _data({("fr", 0, "z"): _noise(0.95), ("fr", 5, "z"): _noise(1.05)})
    assert not cp.mean_at_most(d2, bound=1.0).passed
    assert cp.mean_at_most(d2, bound=1.0, where={"predictor.sigma": 0}).passed


def test_better_than():
    vals = {("df", 0, "z"): _noise(1.0), ("lru", 0, "z"): _noise(1.4), ("mk", 0, "z"): _noise(1.45),
            ("df", 1, "z"): _noise(1.6), ("lru", 1, "z"): _noise(1.4), ("mk", 1, "z"): _noise(1.45)}
    d = _data(vals)
    assert cp.better_than(d, by="policy", which=["df"], baselines=["lru", "mk"],
                          where={"predictor.sigma": 0}).passed
    assert not cp.better_than(d, by="policy", which=["df"], baselines=["lru", "mk"]).passed
    tie = _data({("a", 0, "z"): _noise(1.0), ("b", 0, "z"): _noise(1.0)})
    assert not cp.better_than(tie, by="policy", which=["a"], baselines=["b"]).passed


def _bits_data(excess_per_bit: float, k=10, n=1000, k_varies=False):
    """misses - OPT = excess_per_bit * p * n (+ noise) with OPT = 100 at p in {0, 0.1, 0.5}."""
    vals, arrays = {}, {}
    mrows, orow, nrow, krow = [], [], [], []
    for p in (0.0, 0.1, 0.5):
        excess = excess_per_bit * p * n + (RNG.normal(0, 1, 20) if p > 0 else np.zeros(20))
        for rep in range(20):
            key = {"policy": "df", "predictor.sigma": str(p), "trace": "z", "seed": "0", "rep": rep}
            if k_varies:
                key["k"] = str(k)
            mrows.append({**key, "value": 100 + excess[rep]})
            orow.append({**key, "value": 100.0})
            nrow.append({**key, "value": float(n)})
            krow.append({**key, "value": float(k)})
        vals[("df", p, "z")] = (100 + excess) / 100
    arrays = {"misses": pd.DataFrame(mrows), "belady": pd.DataFrame(orow),
              "requests": pd.DataFrame(nrow), "k": pd.DataFrame(krow)}
    return _data(vals, arrays=arrays)


def test_linear_in_errors():
    # 2 H_10 = 5.86 wrong-bit cost allowed
    assert cp.linear_in_errors(_bits_data(3.0), x="predictor.sigma", by="policy", which=["df"]).passed
    assert not cp.linear_in_errors(_bits_data(8.0), x="predictor.sigma", by="policy", which=["df"]).passed
    assert cp.linear_in_errors(_bits_data(8.0), x="predictor.sigma", by="policy", which=["df"],
                               coef="k-1").passed
    assert cp.linear_in_errors(_bits_data(3.0, k_varies=True), x="predictor.sigma", by="policy",
                               which=["df"]).passed


def _cost_data(factors: dict, n=40):
    """cost(lfu, fixed) = 100 * F, cost(lec, selector) = 100 per (ratio, alpha); paired noise."""
    rows = []
    for (ratio, alpha), fac in factors.items():
        noise = RNG.normal(0, 1, n)
        for cache, mux, m in (("lfu", "fixed_model", fac), ("lec", "selector", 1.0)):
            for rep in range(n):
                rows.append({"cache": cache, "multiplexer": mux, "trace.ratio": str(ratio),
                             "trace.alpha": str(alpha), "seed": "0", "rep": rep,
                             "value": 100 * m + noise[rep]})
    f = pd.DataFrame(rows)
    runs = f.drop_duplicates(["cache", "multiplexer", "trace.ratio", "trace.alpha"])
    return ClaimData(runs=runs, finals=f, curves=pd.DataFrame(),
                     keys=["cache", "multiplexer", "trace.ratio", "trace.alpha"], arrays={"cost": f})


BASE = {"cache": "lfu", "multiplexer": "fixed_model"}
TGT = {"cache": "lec", "multiplexer": "selector"}


def test_cost_factor_increases():
    rising = {(r, a): 1 + 0.3 * r for r in (1, 10, 100) for a in (0.5, 0.8)}
    assert cp.cost_factor_increases(_cost_data(rising), x="trace.ratio", baseline=BASE, target=TGT).passed
    bumpy = {(1, 0.8): 2.0, (10, 0.8): 5.0, (100, 0.8): 3.0}
    assert not cp.cost_factor_increases(_cost_data(bumpy), x="trace.ratio", baseline=BASE, target=TGT).passed


def test_cost_factor_matches():
    d = _cost_data({(100, 0.8): 37.0, (100, 0.5): 25.0})
    exp = [{"where": {"trace.ratio": 100, "trace.alpha": 0.8}, "factor": 37.13, "source": "t"}]
    assert cp.cost_factor_matches(d, BASE, TGT, exp).passed
    exp2 = exp + [{"where": {"trace.ratio": 100, "trace.alpha": 0.5}, "factor": 19.57}]
    v = cp.cost_factor_matches(d, BASE, TGT, exp2)
    assert not v.passed and "+28%" in v.measured
    missing = [{"where": {"trace.ratio": 3, "trace.alpha": 0.8}, "factor": 2.0}]
    assert not cp.cost_factor_matches(d, BASE, TGT, missing).passed
