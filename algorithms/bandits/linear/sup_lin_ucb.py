"""SupLinUCB-style phased elimination on a fixed arm set (Chu, Li, Reyzin & Schapire, AISTATS
2011, Alg. 3), in the anytime form analysed for misspecification by Zhang, He, Fan & Gu (ICML'23,
thesis Alg. 11 / Thm 4.5.1: constant regret O~(d^2/Delta) without knowing Delta when zeta is
below ~Delta/sqrt(d)).

Levels l = 1, 2, ... each keep their own ridge regression (U_l, theta_l) on the rounds recorded
at that level. At round k (1-based), with A_1 = all arms, for l = 1, 2, ...:
  (a) if some arm of A_l has width ||x||_{U_l^-1} >= 2^-l: play the widest one and record the
      round at level l;
  (b) else if k <= 4^l d (widths already below sqrt(d/k)): play argmax over A_l of
      <x, theta_l> + beta ||x||_{U_l^-1}, record nothing;
  (c) else A_{l+1} = arms of A_l whose optimistic value is within 3 beta 2^-l of the best one.
Only rounds of (a) enter a regression, so each level's regression set is finite. beta is a
constant (the paper's experiments tune beta); levels are capped at ``max_levels`` (then (b)).
Comparisons treat values within 1e-10 as equal (exact ties of
the model, e.g. orthonormal arms, are not decided by rounding); ties: random priority per rep.
"""

from __future__ import annotations

import math
from typing import Annotated

import numpy as np

from algorithms.bandits.linear.kernels import ridge_init, sup_select, sup_update
from algorithms.constraints import Interval, NonNegative, Positive


class SupLinUCB:
    """Phased elimination over width levels with per-level regressions."""

    def __init__(self,
                 beta: Annotated[float, NonNegative] = 1.0,
                 lam: Annotated[float, Positive] = 1.0,
                 max_levels: Annotated[int, Interval(1, 60)] = 30) -> None:
        self.beta, self.lam, self.max_levels = float(beta), float(lam), int(max_levels)

    def reset(self, features: np.ndarray, horizon: int, rng: np.random.Generator) -> None:
        X = np.ascontiguousarray(features, dtype=np.float64)
        n_reps, K, d = X.shape
        # levels beyond 2^-l < 1/sqrt(horizon) are never reached before k > 4^l d
        L = min(self.max_levels, max(1, int(math.ceil(0.5 * math.log2(max(horizon, 2)))) + 1))
        self.X, self.d, self.L = X, d, L
        self.uinv = np.empty((n_reps, L, d, d))
        self.b = np.empty((n_reps, L, d))
        self.theta = np.empty((n_reps, L, d))
        self.M = np.empty((n_reps, L, K))
        self.W = np.empty((n_reps, L, K))
        for r in range(n_reps):
            for l in range(L):
                ridge_init(self.uinv[r, l], self.b[r, l], self.theta[r, l], self.M[r, l], self.W[r, l], X[r], self.lam)
        self.prio = np.ascontiguousarray(rng.permuted(np.tile(np.arange(K), (n_reps, 1)), axis=1))
        self.n_used = np.zeros(n_reps, np.int64)
        self._arms = np.empty(n_reps, np.int64)
        self._levels = np.empty(n_reps, np.int64)

    def select(self, t: int) -> np.ndarray:
        sup_select(self.M, self.W, self.prio, self.beta, t + 1, self.d, self._arms, self._levels)
        return self._arms

    def update(self, arms: np.ndarray, rewards: np.ndarray) -> None:
        sup_update(self.uinv, self.b, self.theta, self.M, self.W, self.X, np.asarray(arms, np.int64),
                np.asarray(rewards, np.float64), self._levels, self.n_used)
