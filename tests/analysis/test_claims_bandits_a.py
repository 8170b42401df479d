"""Claim functions of the streaming (Wang ICML'23) and misspecified linear (Zhang et al. ICML'23)
presets on synthetic frames built to PASS and to FAIL, with the expected numbers known by
construction (slopes, reductions, peaks, transition points)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from analysis.claims import ClaimData
from analysis.claims_bandits_linear import late_slope, misspecification_threshold
from analysis.claims_bandits_streaming import loglog_slope_per_group, memory_bound_held, regret_reduction

POL, T, K = "stream_policy", "horizon", "stream_env.n_arms"


def stream_data(slopes, levels, Ts=(10**3, 10**4, 10**5, 10**6), Ks=(10, 100), reps=30, noise=0.05,
                peaks=None, drop=(), seed=0):
    """finals: value = level[policy] * K^(1/3) * T^slope[policy] * lognormal noise, per (seed, rep);
    runs: one row per job; peak_memory finals per policy (default 2)."""
    rng = np.random.default_rng(seed)
    rows, runs = [], []
    for pol, t, k, s in itertools.product(slopes, Ts, Ks, (0, 1)):
        if (pol, t, k, s) in drop:
            continue
        v = levels[pol] * k ** (1 / 3) * t ** slopes[pol] * np.exp(noise * rng.standard_normal(reps))
        for r in range(reps):
            rows.append({POL: pol, T: str(t), K: str(k), "seed": s, "rep": r, "value": v[r]})
        runs.append({f"tags.choice.{POL}": pol, f"params.{T}": str(t), f"params.{K}": str(k),
                     "params.seed": str(s), "params.stream_env.memory": "5"})
    finals = pd.DataFrame(rows)
    peak = finals.copy()
    peak["value"] = [(peaks or {}).get(p, 2) for p in peak[POL]]
    return ClaimData(runs=pd.DataFrame(runs), finals=finals, curves=pd.DataFrame(), keys=[POL, T, K],
                     arrays={"regret": finals, "peak_memory": peak})


def test_slope_passes_near_two_thirds_and_reports_ci():
    data = stream_data({"uniform": 0.69, "eps": 2 / 3}, {"uniform": 1.0, "eps": 0.5})
    v = loglog_slope_per_group(data, which=["uniform", "eps"])
    assert v.passed, v.measured
    assert "slope 0.690 ±" in v.measured and "slope 0.667 ±" in v.measured
    assert v.measured.count("slope") == 4                    # 2 policies x 2 K


def test_slope_fails_for_linear_regret_and_for_too_few_horizons():
    data = stream_data({"uniform": 1.0, "eps": 2 / 3}, {"uniform": 1.0, "eps": 0.5})
    v = loglog_slope_per_group(data)
    assert not v.passed and "slope 1.000" in v.measured and "OUT" in v.measured
    few = stream_data({"eps": 2 / 3}, {"eps": 1.0}, Ts=(10**5, 10**6))
    assert not loglog_slope_per_group(few).passed


def test_slope_drops_horizons_below_ten_k():
    """Points with T < 10 K are excluded: a wildly off value there does not move the fit."""
    data = stream_data({"eps": 2 / 3}, {"eps": 1.0}, Ts=(10**2, 10**4, 10**5, 10**6), Ks=(100,))
    f = data.finals
    f.loc[f[T] == "100", "value"] *= 1000.0
    v = loglog_slope_per_group(data)
    assert v.passed and "T=1e+04..1e+06" in v.measured


def test_reduction_passes_at_half_the_regret():
    data = stream_data({"uniform": 2 / 3, "eps": 2 / 3}, {"uniform": 1.0, "eps": 0.5}, noise=0.02)
    v = regret_reduction(data, baseline="uniform", which=["eps"], min_reduction=0.4)
    assert v.passed, v.measured
    red = float(v.measured.split("reduction ")[1].split("%")[0])
    assert abs(red - 50.0) < 1.0


def test_reduction_fails_when_too_small_or_not_separated():
    small = stream_data({"uniform": 2 / 3, "eps": 2 / 3}, {"uniform": 1.0, "eps": 0.75}, noise=0.02)
    v = regret_reduction(small, which=["eps"], min_reduction=0.4)
    assert not v.passed and "reduction 25" in v.measured
    noisy = stream_data({"uniform": 2 / 3, "eps": 2 / 3}, {"uniform": 1.0, "eps": 0.5}, noise=3.0, reps=2)
    assert not regret_reduction(noisy, which=["eps"], min_reduction=0.4).passed


def test_memory_passes_and_fails():
    ok = stream_data({"uniform": 2 / 3, "eps": 2 / 3}, {"uniform": 1, "eps": 1}, peaks={"eps": 4})
    v = memory_bound_held(ok)
    assert v.passed and "eps 4" in v.measured and "0 job(s) missing" in v.measured
    over = stream_data({"uniform": 2 / 3, "eps": 2 / 3}, {"uniform": 1, "eps": 1}, peaks={"eps": 6})
    v = memory_bound_held(over)
    assert not v.passed and "over the bound" in v.measured and not v.measured.startswith("peak slots per policy: eps 6; bound 5; 0 ")
    missing = stream_data({"uniform": 2 / 3, "eps": 2 / 3}, {"uniform": 1, "eps": 1},
                          drop=[("eps", 10**6, 100, 1)])
    v = memory_bound_held(missing)
    assert not v.passed and "1 job(s) missing" in v.measured


# ---------------------------------------------------------------------------- linear threshold

LPOL, ZETA = "linear_policy", "linear_env.zeta"


def linear_data(transition, zetas, policies=("oful", "sup"), gap=0.2, dim=8, flip=None):
    """Curves R(t) = 5 ln(1 + t) for zeta < transition, gap * t for zeta >= transition (pooled
    curves with small SEs); ``flip`` makes one zeta of the first policy linear out of order."""
    steps = np.unique(np.geomspace(1, 10**5, 60).round())
    rows = []
    for pol, z in itertools.product(policies, zetas):
        linear = z >= transition or (flip is not None and pol == policies[0] and z == flip)
        mean = gap * steps if linear else 5 * np.log1p(steps)
        for s, m in zip(steps, mean):
            rows.append({LPOL: pol, ZETA: str(z), "step": s, "mean": m, "se": 0.01 * m, "n": 40})
    runs = pd.DataFrame([{f"tags.choice.{LPOL}": p, f"params.{ZETA}": str(z), "params.linear_env.gap": str(gap),
                          "params.linear_env.dim": str(dim)} for p, z in itertools.product(policies, zetas)])
    return ClaimData(runs=runs, finals=pd.DataFrame(), curves=pd.DataFrame(rows), keys=[LPOL, ZETA])


ZETAS = (0.005, 0.01, 0.02, 0.035, 0.05, 0.07, 0.1, 0.2, 0.4)
THR = 0.2 / math.sqrt(8)


def test_late_slope_closed_forms():
    """Linear growth: slope 1; a ln(1 + t): ln(ln(1+T) / ln(1+T/10)) / ln 10 (closed form)."""
    t = np.geomspace(1, 1e5, 51)                       # contains 1e4 exactly (every 10th point)
    assert late_slope(t, 0.3 * t, np.zeros_like(t))[0] == pytest.approx(1.0)
    s, _ = late_slope(t, 2 * np.log1p(t), np.zeros_like(t))
    assert s == pytest.approx(math.log(math.log1p(1e5) / math.log1p(1e4)) / math.log(10), rel=1e-9)


def test_threshold_passes_near_delta_over_sqrt_d():
    v = misspecification_threshold(linear_data(0.05, ZETAS), factor=3.0)
    assert v.passed, v.measured
    # log up to 0.035, linear from 0.05: transition sqrt(0.035 * 0.05) = 0.0418 = 0.59 x 0.0707
    assert "transition 0.0418 = 0.59 x" in v.measured


def test_threshold_fails_far_from_delta_over_sqrt_d():
    v = misspecification_threshold(linear_data(0.4, ZETAS), factor=3.0)     # transition 0.28 = 4 x
    assert not v.passed and "4.00 x" in v.measured


def test_threshold_fails_without_a_linear_regime_or_out_of_order():
    assert not misspecification_threshold(linear_data(10.0, ZETAS)).passed
    v = misspecification_threshold(linear_data(0.05, ZETAS, flip=0.01))
    assert not v.passed and "NOT MONOTONE" in v.measured
