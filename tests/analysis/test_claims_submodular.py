"""Submodular claim functions on synthetic ClaimData: each one passes on a frame built to satisfy
it and fails on a frame built to violate it. Reference numbers (slopes, minima, bounds) are set
by construction here (closed form), not by the functions under test."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from analysis.claims import ClaimData
from analysis.claims_submodular import (lazy_equals_greedy, loglog_slopes, min_ratio_at_least,
                                        polylog_vs_recompute, ratio_at_least, speedup_at_largest)


def _data(arrays: dict[str, pd.DataFrame], keys: list[str], runs: pd.DataFrame | None = None) -> ClaimData:
    first = next(iter(arrays.values()))
    return ClaimData(runs=runs if runs is not None else pd.DataFrame(), finals=first,
                     curves=pd.DataFrame(), keys=keys, arrays=arrays)


# --- static ----------------------------------------------------------------------------------
def _static(rng, lazy_ratio=1.0, lazy_calls=0.3, stoch_mean=0.97, sieve_min=0.8):
    rows = {"ratio": [], "call_ratio": [], "calls": []}
    for alg, k, seed in itertools.product(["greedy", "lazy_greedy", "stochastic_greedy", "sieve_streaming"],
                                          [5, 20, 50], range(4)):
        base = {"algorithm": alg, "k": k, "seed": seed, "rep": 0}
        ratio = {"greedy": 1.0, "lazy_greedy": lazy_ratio,
                 "stochastic_greedy": stoch_mean + rng.normal(0, 0.005),
                 "sieve_streaming": sieve_min + 0.05 * seed}[alg]
        cr = {"greedy": 1.0, "lazy_greedy": lazy_calls}.get(alg, 0.5)
        calls = {"greedy": 1000.0 * k, "stochastic_greedy": 2300.0}.get(alg, 500.0 * k ** 0.5)
        rows["ratio"].append({**base, "value": ratio})
        rows["call_ratio"].append({**base, "value": cr})
        rows["calls"].append({**base, "value": calls * np.exp(rng.normal(0, 0.01))})
    return _data({k: pd.DataFrame(v) for k, v in rows.items()}, ["algorithm", "k"])


def test_lazy_equals_greedy_passes_and_fails():
    rng = np.random.default_rng(0)
    assert lazy_equals_greedy(_static(rng)).passed
    assert not lazy_equals_greedy(_static(rng, lazy_ratio=0.999)).passed     # value differs
    assert not lazy_equals_greedy(_static(rng, lazy_calls=1.0)).passed       # not fewer calls
    v = lazy_equals_greedy(_static(rng))
    assert "0.3" in v.measured and "CI" in v.measured


def test_ratio_at_least_min_and_expectation():
    rng = np.random.default_rng(1)
    bounds = {"stochastic_greedy": 0.532, "sieve_streaming": 0.4}
    ok = ratio_at_least(_static(rng), bounds, expectation=["stochastic_greedy"])
    assert ok.passed
    # sieve: min over seeds is sieve_min (seed 0) -> below 0.4 fails although the mean is above
    low_min = ratio_at_least(_static(rng, sieve_min=0.35), bounds, expectation=["stochastic_greedy"])
    assert not low_min.passed and "BELOW" in low_min.measured
    # stochastic: mean 0.53 with sd 0.005 -> lower CI end below 0.532 fails
    assert not ratio_at_least(_static(rng, stoch_mean=0.531), bounds, expectation=["stochastic_greedy"]).passed
    assert not ratio_at_least(_static(rng), {"missing_alg": 0.1}).passed


def test_loglog_slopes_passes_and_fails():
    rng = np.random.default_rng(2)
    data = _static(rng)
    ok = loglog_slopes(data, "calls", "k", {"greedy": [0.9, 1.05], "stochastic_greedy": [-0.1, 0.1]})
    assert ok.passed, ok.measured
    # sieve calls ~ k^0.5 by construction: a [0.9, 1.05] expectation must fail
    assert not loglog_slopes(data, "calls", "k", {"sieve_streaming": [0.9, 1.05]}).passed
    assert not loglog_slopes(data, "calls", "nope", {"greedy": [0, 1]}).passed


# --- dynamic ---------------------------------------------------------------------------------
def _dynamic(rng, algo_cost=lambda n: 50 * np.log(n) ** 2, rec_cost=lambda n: 5.0 * n,
             worst=0.7, lattanzi_worst=0.45):
    rows = {"min_ratio": [], "calls_per_update": [], "recompute_calls_per_update": [], "speedup": []}
    for alg, n, eps, stream, seed in itertools.product(
            ["banihashem", "lattanzi"], [1000, 10000, 100000], [0.1, 0.2],
            ["insert_then_delete", "adversarial_deletion"], range(3)):
        base = {"dynamic": alg, "objective.n": n, "dynamic.eps": eps, "stream": stream, "seed": seed, "rep": 0}
        a = algo_cost(n) * np.exp(rng.normal(0, 0.02))
        if stream == "adversarial_deletion":
            a = 0.02 * n                                          # linear under the adaptive adversary
        r = rec_cost(n) * np.exp(rng.normal(0, 0.01))
        mr = (worst if alg == "banihashem" else lattanzi_worst) + 0.05 * seed
        rows["min_ratio"].append({**base, "value": mr})
        rows["calls_per_update"].append({**base, "value": a})
        rows["recompute_calls_per_update"].append({**base, "value": r})
        rows["speedup"].append({**base, "value": r / a})
    return _data({k: pd.DataFrame(v) for k, v in rows.items()},
                 ["dynamic", "objective.n", "dynamic.eps", "stream"])


def test_min_ratio_at_least_uses_each_contexts_eps():
    rng = np.random.default_rng(3)
    assert min_ratio_at_least(_dynamic(rng)).passed
    # worst 0.35: passes for eps = 0.2 (bound 0.3) but fails for eps = 0.1 (bound 0.4)
    v = min_ratio_at_least(_dynamic(rng, worst=0.35))
    assert not v.passed and "dynamic.eps=0.1" in v.measured and "dynamic.eps=0.2" not in v.measured.split("BELOW", 1)[1]
    # Lattanzi's bound (1 - eps)/2.6: 0.45 >= 0.346, but 0.33 < 0.346 at eps = 0.1
    kw = dict(which=["lattanzi"], base=1 / 2.6, eps_coef=1 / 2.6)
    assert min_ratio_at_least(_dynamic(rng), **kw).passed
    assert not min_ratio_at_least(_dynamic(rng, lattanzi_worst=0.33), **kw).passed


def test_min_ratio_eps_from_constant_param():
    rng = np.random.default_rng(4)
    data = _dynamic(rng)
    for name in data.arrays:
        data.arrays[name] = data.arrays[name][data.arrays[name]["dynamic.eps"] == 0.2].drop(columns="dynamic.eps")
    runs = pd.DataFrame({"params.dynamic.eps": [0.2, 0.2]})
    data = ClaimData(runs=runs, finals=data.finals, curves=data.curves, keys=data.keys, arrays=data.arrays)
    assert min_ratio_at_least(data).passed
    data.arrays["min_ratio"]["value"] = 0.29
    assert not min_ratio_at_least(data).passed
    bare = ClaimData(runs=pd.DataFrame(), finals=data.finals, curves=data.curves, keys=[], arrays=data.arrays)
    assert not min_ratio_at_least(bare).passed                     # eps nowhere to be found


def test_polylog_vs_recompute_passes_and_fails():
    rng = np.random.default_rng(5)
    excl = {"stream": ["adversarial_deletion"]}
    ok = polylog_vs_recompute(_dynamic(rng), exclude=excl)
    assert ok.passed, ok.measured
    assert "p = 2.0" in ok.measured                              # c log^2 n by construction
    # without excluding the adaptive stream the linear cost there fails the claim
    assert not polylog_vs_recompute(_dynamic(rng)).passed
    # a sqrt(n) algorithm (slope 0.5) fails; a sublinear recompute (slope 0.5) fails
    assert not polylog_vs_recompute(_dynamic(rng, algo_cost=lambda n: 3 * n ** 0.5), exclude=excl).passed
    assert not polylog_vs_recompute(_dynamic(rng, rec_cost=lambda n: 50 * n ** 0.5), exclude=excl).passed


def test_speedup_at_largest_passes_and_fails():
    rng = np.random.default_rng(6)
    excl = {"stream": ["adversarial_deletion"]}
    # 5e5 / (50 ln(1e5)^2) = 75.4 -> below 100; with recompute 20 n it is 302
    low = speedup_at_largest(_dynamic(rng), exclude=excl)
    assert not low.passed and "75" in low.measured
    high = speedup_at_largest(_dynamic(rng, rec_cost=lambda n: 20.0 * n), exclude=excl)
    assert high.passed and "objective.n=100000" in high.measured


@pytest.mark.parametrize("fn", [min_ratio_at_least, polylog_vs_recompute, speedup_at_largest])
def test_dynamic_claims_fail_without_the_algorithm(fn):
    assert not fn(_dynamic(np.random.default_rng(7)), which=["absent"]).passed
