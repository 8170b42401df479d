"""Feature-based f(S) = sum_u w_u g(sum_{i in S} m_iu): a concave g over modular features.

Concave-over-modular functions (Wei, Iyer & Bilmes 2014/2015 "Submodularity in data subset
selection", §3; apricot's ``FeatureBasedSelection``): with m >= 0 and g concave,
nondecreasing, g(0) = 0 (``sqrt`` or ``log1p``), f is monotone submodular.  State: the
feature sums c_u of the solution plus a membership mask (adding an element twice changes
nothing: f is a set function); gain(e | S) = sum_u w_u (g(c_u + m_eu) - g(c_u)).
"""

from __future__ import annotations

from typing import Annotated

import numba as nb
import numpy as np

from algorithms.constraints import Interval, OneOf, Probability
from algorithms.submodular.data import load_table, random_features, take_rows
from algorithms.submodular.objective import Objective

CONCAVE = ("sqrt", "log1p")


@nb.njit(cache=True)
def _fb_gains(feats, weights, sums, member, elems, use_sqrt, out):
    nf = feats.shape[1]
    for t in range(elems.shape[0]):
        e = elems[t]
        if member[e]:
            out[t] = 0.0
            continue
        acc = 0.0
        for u in range(nf):
            x = feats[e, u]
            if x != 0.0:
                c = sums[u]
                if use_sqrt:
                    acc += weights[u] * (np.sqrt(c + x) - np.sqrt(c))
                else:
                    acc += weights[u] * (np.log1p(c + x) - np.log1p(c))
        out[t] = acc


class FeatureState:
    """Feature sums of the solution and which elements are in it."""

    __slots__ = ("sums", "member")

    def __init__(self, n_features: int, n: int) -> None:
        self.sums = np.zeros(n_features, dtype=np.float64)
        self.member = np.zeros(n, dtype=np.bool_)


class FeatureBased(Objective):
    """sum_u w_u g(sum_{i in S} features[i, u]) with g in {sqrt, log1p}, features >= 0."""

    def __init__(self, features: np.ndarray, concave: str = "sqrt",
                 weights: np.ndarray | None = None) -> None:
        super().__init__()
        if concave not in CONCAVE:
            raise ValueError(f"concave: {concave!r} unknown; allowed: {', '.join(CONCAVE)}")
        self.features = np.ascontiguousarray(features, dtype=np.float64)
        if self.features.ndim != 2 or (self.features.size and self.features.min() < 0):
            raise ValueError("features: need a 2-d array of nonnegative values")
        nf = self.features.shape[1]
        self.weights = np.ones(nf) if weights is None else np.asarray(weights, dtype=float)
        if self.weights.shape != (nf,) or (nf and self.weights.min() < 0):
            raise ValueError("weights: need one nonnegative weight per feature")
        self.concave = concave
        self.n = self.features.shape[0]

    def _g(self, c: np.ndarray) -> np.ndarray:
        return np.sqrt(c) if self.concave == "sqrt" else np.log1p(c)

    def _value(self, subset: np.ndarray) -> float:
        s = np.unique(subset)
        return float(self.weights @ self._g(self.features[s].sum(axis=0)))

    def _gains(self, elems: np.ndarray, state: FeatureState) -> np.ndarray:
        out = np.empty(len(elems), dtype=np.float64)
        _fb_gains(self.features, self.weights, state.sums, state.member, elems,
                  self.concave == "sqrt", out)
        return out

    def _empty(self) -> FeatureState:
        return FeatureState(self.features.shape[1], self.n)

    def _add(self, e: int, state: FeatureState) -> FeatureState:
        if not state.member[e]:
            state.member[e] = True
            state.sums += self.features[e]
        return state


class FeatureBasedInstance:
    """Config-facing feature-based objective: random sparse nonnegative features (each entry
    nonzero w.p. ``density``, Exp(1) valued) or a nonnegative CSV / .npy table at ``path``
    (first n rows; all if n is null).  Unit feature weights."""

    def __init__(self, n: Annotated[int | None, Interval(1)] = 500,
                 n_features: Annotated[int, Interval(1)] = 100,
                 density: Annotated[float, Probability] = 0.1,
                 concave: Annotated[str, OneOf(*CONCAVE)] = "sqrt",
                 path: str | None = None) -> None:
        if n is None and path is None:
            raise ValueError("n: null is only allowed with a path; allowed: an int >= 1")
        self.n, self.n_features, self.density = n, n_features, density
        self.concave, self.path = concave, path

    def validate(self) -> None:
        """Read the data file now (in the driver), so a malformed file stops the sweep before any job."""
        if self.path is not None:
            take_rows(load_table(self.path), self.n, self.path)

    def build(self, rng: np.random.Generator) -> FeatureBased:
        if self.path is not None:
            feats = take_rows(load_table(self.path), self.n, self.path)
            if feats.min() < 0:
                r, c = np.argwhere(feats < 0)[0]
                raise ValueError(f"{self.path}: row {r}, column {c}: feature {feats[r, c]} "
                                 "is negative; allowed: values >= 0")
        else:
            feats = random_features(rng, self.n, self.n_features, self.density)
        return FeatureBased(feats, self.concave)
