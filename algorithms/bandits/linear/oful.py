"""OFUL / LinUCB, and DS-OFUL (OFUL with data selection) for misspecified linear bandits.

OFUL (Abbasi-Yadkori, Pal & Szepesvari, NeurIPS 2011; LinUCB of Li et al. 2010 / Chu et al.
2011 on a fixed arm set): ridge regression theta_k = U_k^-1 sum r_s x_s, U_k = lambda I +
sum x_s x_s^T, and play argmax_a <x_a, theta_k> + beta ||x_a||_{U_k^-1}.

DS-OFUL (Zhang, He, Fan & Gu, ICML'23, Alg. "DS-OFUL"; thesis Alg. 10): the same rule, but the
round's (x_k, r_k) joins the regression only if ||x_k||_{U_k^-1} >= Gamma; Gamma = 0 is OFUL.
With Gamma ~ Delta / sqrt(d) the regression set stays finite (their Lemma 4.4.5:
|C_K| <= 16 d Gamma^-2 log(3LB/Gamma)), so the misspecification error it accumulates stays
below the gap and the regret is a constant O~(d^2/Delta) when zeta <= O~(Delta/sqrt d)
(Thm 4.4.1). beta is a constant, as in the paper's experiments (Sec. 4.7 tune beta, lambda in
{1, 3, 10}); the theory's beta grows like sqrt(d log k). Ties: random priority per rep.
"""

from __future__ import annotations

from typing import Annotated

import numpy as np

from algorithms.bandits.linear.kernels import oful_select, oful_update, ridge_init
from algorithms.constraints import NonNegative, Positive


class OFUL:
    """Optimism in the face of uncertainty for linear bandits; ``gamma`` > 0 gives DS-OFUL."""

    def __init__(self,
                 beta: Annotated[float, NonNegative] = 1.0,
                 lam: Annotated[float, Positive] = 1.0,
                 gamma: Annotated[float, NonNegative] = 0.0) -> None:
        self.beta, self.lam, self.gamma = float(beta), float(lam), float(gamma)

    def reset(self, features: np.ndarray, horizon: int, rng: np.random.Generator) -> None:
        X = np.ascontiguousarray(features, dtype=np.float64)
        n_reps, K, d = X.shape
        self.X = X
        self.uinv = np.empty((n_reps, d, d))
        self.b = np.empty((n_reps, d))
        self.theta = np.empty((n_reps, d))
        self.M = np.empty((n_reps, K))
        self.W = np.empty((n_reps, K))
        for r in range(n_reps):
            ridge_init(self.uinv[r], self.b[r], self.theta[r], self.M[r], self.W[r], X[r], self.lam)
        self.prio = np.ascontiguousarray(rng.permuted(np.tile(np.arange(K), (n_reps, 1)), axis=1))
        self.n_used = np.zeros(n_reps, np.int64)        # |C_k|: rounds kept in the regression
        self._arms = np.empty(n_reps, np.int64)

    def select(self, t: int) -> np.ndarray:
        oful_select(self.M, self.W, self.prio, self.beta, self._arms)
        return self._arms

    def update(self, arms: np.ndarray, rewards: np.ndarray) -> None:
        oful_update(self.uinv, self.b, self.theta, self.M, self.W, self.X, np.asarray(arms, np.int64),
                np.asarray(rewards, np.float64), self.gamma ** 2, self.n_used)
