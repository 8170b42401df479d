"""Claims of the switching / simple-regret presets on synthetic frames built to PASS and FAIL
(the generating law is known, so the right verdict is known)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.claims import ClaimData
from analysis.claims_bandits_b import beats_in_regime, flat_then_slope, sqrt_rate, transition_scaling


def _data(rows: list[dict], keys: list[str]) -> ClaimData:
    f = pd.DataFrame(rows)
    runs = f.drop(columns=["rep", "value"]).drop_duplicates().rename(
        columns={k: f"params.{k}" for k in keys if k != "seed"})
    return ClaimData(runs=runs, finals=f, curves=pd.DataFrame(), keys=keys)


def switching_rows(law, modes=("auto", "bandit", "full"), horizons=(1000, 8000, 64000),
                   ratios=(0, 0.03, 0.1, 0.3, 1, 3, 10, 30), reps=60, sd=0.02, seed=0):
    rng = np.random.default_rng(seed)
    rows = []
    for mode in modes:
        for T in horizons:
            for x in ratios:
                mean = law(mode, T, x)
                for s in range(2):
                    noise = rng.normal(0, sd, reps)
                    for r in range(reps):
                        rows.append({"switching_policy.mode": mode, "horizon": str(T), "budget_ratio": str(float(x)),
                                     "seed": s, "rep": r, "value": mean * (1 + noise[r])})
    return rows


KEYS = ["switching_policy.mode", "horizon", "budget_ratio"]


def paper_law(mode, T, x, x0=0.2):
    """bandit: T^{2/3}; full: T^{2/3} (x/x0)^{-1/2}; auto: the smaller."""
    band = T ** (2 / 3)
    full = band * (x / x0) ** -0.5 if x > 0 else 50 * band
    return {"bandit": band, "full": full, "auto": min(band, full)}[mode]


def test_flat_then_slope_passes_on_the_paper_law():
    v = flat_then_slope(_data(switching_rows(paper_law), KEYS), x="budget_ratio", by="horizon",
                        where={"switching_policy.mode": "auto"}, flat_upto=0.1, fit_from=1.0)
    assert v.passed, v.measured
    assert "slope -0.500" in v.measured


def test_flat_then_slope_fails_on_a_too_shallow_slope_and_on_an_early_drop():
    shallow = lambda m, T, x: paper_law(m, T, x) if x < 1 else T ** (2 / 3) * (x / 0.2) ** -0.2 * 0.2 ** 0.3
    v = flat_then_slope(_data(switching_rows(shallow), KEYS), x="budget_ratio", by="horizon",
                        where={"switching_policy.mode": "auto"})
    assert not v.passed and "OUT of range" in v.measured
    early = lambda m, T, x: paper_law(m, T, x) * (0.7 if 0 < x <= 0.1 else 1.0)
    v = flat_then_slope(_data(switching_rows(early), KEYS), x="budget_ratio", by="horizon",
                        where={"switching_policy.mode": "auto"})
    assert not v.passed and "NOT flat" in v.measured


def test_transition_scaling_passes_when_crossing_ratio_is_constant():
    """Crossing at x = 0.2 for every T -> B* = 0.2 T^{2/3}: slope 2/3."""
    v = transition_scaling(_data(switching_rows(paper_law), KEYS), x="budget_ratio", by="horizon",
                           mode_key="switching_policy.mode")
    assert v.passed, v.measured
    assert v.measured.startswith("slope 0.66") or v.measured.startswith("slope 0.67")


def test_transition_scaling_fails_when_crossing_moves_like_T():
    """Crossing ratio growing like T/1000 -> B* ~ T^{5/3}; and no crossing at all."""
    moving = lambda m, T, x: paper_law(m, T, x, x0=0.2 * T / 1000)
    v = transition_scaling(_data(switching_rows(moving, ratios=(0, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100)), KEYS),
                           x="budget_ratio", by="horizon", mode_key="switching_policy.mode")
    assert not v.passed and v.measured.startswith("slope 1.")
    never = lambda m, T, x: T ** (2 / 3) * (2.0 if m == "full" else 1.0)
    v = transition_scaling(_data(switching_rows(never), KEYS), x="budget_ratio", by="horizon",
                           mode_key="switching_policy.mode")
    assert not v.passed and "no crossing" in v.measured


def simple_rows(law, policies=("sequential_halving", "bracketing_sh", "uniform_allocation"),
                instances=("gap_scaled", "uniform"), ns=(64, 4096),
                budgets=(512, 2048, 8192, 32768, 131072, 524288),
                reps=80, seed=0):
    rng = np.random.default_rng(seed)
    rows = []
    for p in policies:
        for inst in instances:
            for n in ns:
                for T in budgets:
                    mean = law(p, inst, n, T)
                    for s in range(2):
                        shared = rng.normal(0, 0.05, reps)           # instance noise shared by policies
                        for r in range(reps):
                            rows.append({"pure_policy": p, "pure_env.instance": inst, "pure_env.n_arms": str(n),
                                         "budget": str(T), "seed": s, "rep": r,
                                         "value": max(mean * (1 + shared[r] + rng.normal(0, 0.05)), 0.0)})
    return rows


SKEYS = ["pure_policy", "pure_env.instance", "pure_env.n_arms", "budget"]


def sh_law(p, inst, n, T):
    """sqrt(n/T) * log2(n)/6 for SH; BSH best in the data-poor regime, uniform worst."""
    base = np.sqrt(n / T) * np.log2(n) / 6
    return base * {"sequential_halving": 1.0, "bracketing_sh": 0.7 if T <= n else 1.5, "uniform_allocation": 3.0}[p]


def test_sqrt_rate_passes_and_fails():
    kw = dict(by="pure_policy", policy="sequential_halving", n_key="pure_env.n_arms",
              where={"pure_env.instance": "gap_scaled"}, min_stage_pulls=1)
    v = sqrt_rate(_data(simple_rows(sh_law), SKEYS), **kw)
    assert v.passed, v.measured
    fast = lambda p, i, n, T: (n / T) * np.log2(n)                      # 1/T: slope -1
    v = sqrt_rate(_data(simple_rows(fast), SKEYS), **kw)
    assert not v.passed and "OUT of range" in v.measured
    wide = lambda p, i, n, T: np.sqrt(n / T) * n / 64                   # band factor 64 across n
    sparse = lambda p, i, n, T: sh_law(p, i, n, T) * (5.0 if T < n * np.log2(n) else 1.0)
    v = sqrt_rate(_data(simple_rows(wide), SKEYS), **kw)
    assert not v.passed and "band factor 6" in v.measured
    v = sqrt_rate(_data(simple_rows(sparse), SKEYS), **kw)     # T < n log2 n is outside SH's regime
    assert v.passed, v.measured


def test_beats_in_regime_passes_and_fails():
    kw = dict(by="pure_policy", winner="bracketing_sh", losers=["sequential_halving", "uniform_allocation"],
              n_key="pure_env.n_arms", where={"pure_env.instance": "uniform"}, max_budget_per_arm=1.0)
    v = beats_in_regime(_data(simple_rows(sh_law), SKEYS), **kw)
    assert v.passed, v.measured
    assert v.measured.count("budget=") == 4                             # (n=4096: T=512, 2048) x 2 losers
    worse = lambda p, i, n, T: sh_law(p, i, n, T) * (2.0 if p == "bracketing_sh" and T == 2048 else 1.0)
    v = beats_in_regime(_data(simple_rows(worse), SKEYS), **kw)
    assert not v.passed and "NOT better" in v.measured
