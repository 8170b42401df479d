"""Weighted coverage f(S) = sum of w_u over items u covered by at least one set in S.

The max-coverage objective (Nemhauser, Wolsey & Fisher 1978; Krause & Golovin 2014 §1.1):
element i is a set of items, stored as row i of a sparse 0/1 incidence (CSR ``indptr``,
``indices``); ``weights`` (>= 0) per item.  State: a boolean "covered" mask over items;
gain(e | S) = sum of w_u over e's items not yet covered.  With unit weights it is apricot's
``MaxCoverageSelection`` (threshold 1) on the dense 0/1 matrix.
"""

from __future__ import annotations

from typing import Annotated

import numba as nb
import numpy as np

from algorithms.constraints import Interval, NonNegative, OneOf
from algorithms.submodular.data import load_table, random_set_system, take_rows
from algorithms.submodular.objective import Objective


@nb.njit(cache=True)
def _coverage_gains(indptr, indices, weights, covered, elems, out):
    for t in range(elems.shape[0]):
        e = elems[t]
        acc = 0.0
        for p in range(indptr[e], indptr[e + 1]):
            u = indices[p]
            if not covered[u]:
                acc += weights[u]
        out[t] = acc


@nb.njit(cache=True)
def _coverage_gain(indptr, indices, weights, covered, e):
    acc = 0.0                                   # same summation order as _coverage_gains
    for p in range(indptr[e], indptr[e + 1]):
        u = indices[p]
        if not covered[u]:
            acc += weights[u]
    return acc


@nb.njit(cache=True)
def _cover(indptr, indices, covered, e):
    for p in range(indptr[e], indptr[e + 1]):
        covered[indices[p]] = True


class WeightedCoverage(Objective):
    """Coverage of weighted items by the sets indexed 0..n-1 (CSR rows)."""

    def __init__(self, indptr: np.ndarray, indices: np.ndarray, weights: np.ndarray) -> None:
        super().__init__()
        self.indptr = np.ascontiguousarray(indptr, dtype=np.int64)
        self.indices = np.ascontiguousarray(indices, dtype=np.int64)
        self.weights = np.ascontiguousarray(weights, dtype=np.float64)
        if self.weights.ndim != 1 or (self.weights.size and self.weights.min() < 0):
            raise ValueError("weights: need a 1-d array of nonnegative item weights")
        if self.indices.size and (self.indices.min() < 0
                                  or self.indices.max() >= len(self.weights)):
            raise ValueError("indices: item ids must lie in 0..len(weights)-1")
        self.n = len(self.indptr) - 1
        self.n_items = len(self.weights)

    @classmethod
    def from_dense(cls, incidence: np.ndarray, weights: np.ndarray | None = None
                   ) -> "WeightedCoverage":
        """From an (n_sets, n_items) matrix whose nonzero entries mean membership."""
        inc = np.asarray(incidence) != 0
        indptr = np.zeros(inc.shape[0] + 1, dtype=np.int64)
        indptr[1:] = np.cumsum(inc.sum(axis=1))
        w = np.ones(inc.shape[1]) if weights is None else weights
        return cls(indptr, np.nonzero(inc)[1], w)

    def items(self, e: int) -> np.ndarray:
        return self.indices[self.indptr[e]:self.indptr[e + 1]]

    def _value(self, subset: np.ndarray) -> float:
        covered = self._empty()
        for e in subset:
            covered[self.items(int(e))] = True
        return float(self.weights[covered].sum())

    def _gains(self, elems: np.ndarray, covered: np.ndarray) -> np.ndarray:
        out = np.empty(len(elems), dtype=np.float64)
        _coverage_gains(self.indptr, self.indices, self.weights, covered, elems, out)
        return out

    def _gain(self, e: int, covered: np.ndarray) -> float:
        return _coverage_gain(self.indptr, self.indices, self.weights, covered, e)

    def _empty(self) -> np.ndarray:
        return np.zeros(self.n_items, dtype=np.bool_)

    def _add(self, e: int, covered: np.ndarray) -> np.ndarray:
        _cover(self.indptr, self.indices, covered, e)
        return covered


class CoverageInstance:
    """Config-facing weighted coverage: a random set system, or a 0/1 incidence table.

    Generated: n sets over n_items items, set sizes 1 + Poisson(mean_set_size - 1), item
    popularity proportional to (rank + 1)^-item_skew.  ``path``: a CSV / .npy (n_sets x
    n_items) whose nonzero entries mean membership (first n rows; all if n is null).
    Weights: ``unit`` (all 1), ``uniform`` (U(0, 1)) or ``exponential`` (Exp(1)), drawn from
    the rng after the set system.
    """

    def __init__(self, n: Annotated[int | None, Interval(1)] = 500,
                 n_items: Annotated[int, Interval(1)] = 1000,
                 mean_set_size: Annotated[float, Interval(1)] = 20.0,
                 item_skew: Annotated[float, NonNegative] = 1.0,
                 weights: Annotated[str, OneOf("unit", "uniform", "exponential")] = "uniform",
                 path: str | None = None) -> None:
        if n is None and path is None:
            raise ValueError("n: null is only allowed with a path; allowed: an int >= 1")
        if path is None and mean_set_size > n_items:
            raise ValueError(f"mean_set_size: {mean_set_size} exceeds n_items={n_items}; "
                             "allowed: <= n_items")
        self.n, self.n_items, self.mean_set_size = n, n_items, mean_set_size
        self.item_skew, self.weights, self.path = item_skew, weights, path

    def _weights(self, rng: np.random.Generator, m: int) -> np.ndarray:
        if self.weights == "unit":
            return np.ones(m)
        if self.weights == "uniform":
            return rng.random(m)
        return rng.exponential(1.0, size=m)

    def validate(self) -> None:
        """Read the data file now (in the driver), so a malformed file stops the sweep before any job."""
        if self.path is not None:
            take_rows(load_table(self.path), self.n, self.path)

    def build(self, rng: np.random.Generator) -> WeightedCoverage:
        if self.path is not None:
            inc = take_rows(load_table(self.path), self.n, self.path)
            return WeightedCoverage.from_dense(inc, self._weights(rng, inc.shape[1]))
        indptr, indices = random_set_system(rng, self.n, self.n_items, self.mean_set_size,
                                            self.item_skew)
        return WeightedCoverage(indptr, indices, self._weights(rng, self.n_items))
