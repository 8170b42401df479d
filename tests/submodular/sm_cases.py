"""Tiny random instances of every objective for the submodular tests (built from explicit
arrays, so the tests do not depend on the config-facing generators)."""

from __future__ import annotations

import itertools

import numpy as np

from algorithms.submodular.objectives.coverage import WeightedCoverage
from algorithms.submodular.objectives.facility_location import (FacilityLocation,
                                                                SparseFacilityLocation)
from algorithms.submodular.objectives.feature_based import FeatureBased
from algorithms.submodular.objectives.log_det import LogDet

KINDS = ("facility_location", "facility_location32", "sparse_facility_location",
         "coverage", "coverage_unit", "feature_sqrt", "feature_log1p", "log_det")


def make(kind: str, n: int, seed: int):
    """A random instance of ``kind`` with ground set 0..n-1."""
    rng = np.random.default_rng(seed)
    if kind.startswith("facility_location"):
        x = rng.normal(size=(n, 2)) * rng.uniform(0.5, 3.0)
        d2 = ((x[:, None, :] - x[None, :, :]) ** 2).sum(-1)
        sim = np.exp(-d2)
        return FacilityLocation(sim.astype(np.float32 if kind.endswith("32") else np.float64))
    if kind == "sparse_facility_location":
        m = n + 3
        nnz = rng.integers(1, m + 1, size=n)
        indptr = np.concatenate([[0], np.cumsum(nnz)])
        indices = np.concatenate([np.sort(rng.choice(m, size=c, replace=False)) for c in nnz])
        return SparseFacilityLocation(indptr, indices, rng.random(indptr[-1]), m)
    if kind.startswith("coverage"):
        n_items = int(rng.integers(3, 3 * n + 4))
        inc = rng.random((n, n_items)) < rng.uniform(0.1, 0.5)
        w = np.ones(n_items) if kind == "coverage_unit" else rng.integers(1, 10, n_items) * 1.0
        return WeightedCoverage.from_dense(inc, w)
    if kind.startswith("feature"):
        feats = np.where(rng.random((n, 6)) < 0.5, rng.exponential(size=(n, 6)), 0.0)
        return FeatureBased(feats, "sqrt" if kind == "feature_sqrt" else "log1p",
                            rng.uniform(0.5, 2.0, size=6))
    if kind == "log_det":
        x = rng.normal(size=(n, 3))
        return LogDet(np.exp(-((x[:, None] - x[None]) ** 2).sum(-1) / 2.0),
                      alpha=float(rng.uniform(0.5, 5.0)))
    raise KeyError(kind)


def brute_force_opt(obj, k: int) -> float:
    """max f(S) over all |S| = min(k, n) (monotone f: the max over |S| <= k is attained there)."""
    n = obj.n
    return max(obj._value(np.array(s, dtype=np.int64))
               for s in itertools.combinations(range(n), min(k, n)))


def instrument(obj, on_gains=None):
    """Wrap obj's oracle hooks (``_value``, ``_gains`` and, if the class has its own fast path,
    ``_gain``) so every evaluation is recounted here; returns the dict holding the count
    ``n``. ``on_gains(elems)`` also sees every evaluated element array."""
    from algorithms.submodular.objective import Objective

    recount = {"n": 0}
    inner_value, inner_gains, inner_gain = obj._value, obj._gains, obj._gain

    def counted_value(subset):
        recount["n"] += 1
        return inner_value(subset)

    def counted_gains(elems, state):
        recount["n"] += len(elems)
        if on_gains is not None:
            on_gains(elems)
        return inner_gains(elems, state)

    def counted_gain(e, state):
        recount["n"] += 1
        if on_gains is not None:
            on_gains(np.array([e]))
        return inner_gain(e, state)

    obj._value, obj._gains = counted_value, counted_gains
    if type(obj)._gain is not Objective._gain:      # an own fast path (else it calls _gains)
        obj._gain = counted_gain
    return recount
