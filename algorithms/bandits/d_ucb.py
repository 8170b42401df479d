"""Discounted UCB (Kocsis & Szepesvari 2006; analysed by Garivier & Moulines, ALT 2011, D-UCB;
restated in Lattimore & Szepesvari 2020, Sec. 31.3).

Past plays are discounted by ``gamma`` per step: N_t(gamma, i) = sum_{s<=t} gamma^{t-s}
1{I_s = i}, Xbar_t(gamma, i) the gamma-weighted mean reward of arm i, n_t(gamma) = sum_i
N_t(gamma, i). Play each arm once, then

    I_{t+1} = argmax_i  Xbar_t(gamma, i) + 2B sqrt(xi log n_t(gamma) / N_t(gamma, i)).

Rewards are assumed in [0, B]. ``gamma`` null: the paper's tuning gamma = 1 - (4B)^{-1}
sqrt(Upsilon_T / T) (from its D-UCB regret bound) with ``breakpoints`` = Upsilon_T. ``xi = 0.6``:
our default (the analysis needs xi > 1/2). Ties: random priority per rep (``arm_order``). One
step costs O(n_reps K) (every discounted statistic decays).
"""

from __future__ import annotations

import math
from typing import Annotated

import numpy as np

from algorithms.bandits.arm_order import ArmOrder
from algorithms.constraints import Interval, Positive


def default_gamma(horizon: int, breakpoints: int, bound: float = 1.0) -> float:
    """gamma = 1 - sqrt(Upsilon_T / T) / (4 B)."""
    return 1.0 - math.sqrt(breakpoints / horizon) / (4.0 * bound)


class DiscountedUCB:
    """UCB on geometrically discounted statistics."""

    def __init__(self,
                 gamma: Annotated[float, Interval(0.0, 1.0, lo_open=True)] | None = None,
                 breakpoints: Annotated[int, Interval(1)] = 1,
                 xi: Annotated[float, Positive] = 0.6,
                 bound: Annotated[float, Positive] = 1.0) -> None:
        self.gamma_cfg, self.breakpoints = gamma, int(breakpoints)
        self.xi, self.bound = float(xi), float(bound)

    def reset(self, n_arms: int, n_reps: int, horizon: int, rng: np.random.Generator) -> None:
        self.n_arms, self.n_reps = n_arms, n_reps
        self.gamma = float(self.gamma_cfg) if self.gamma_cfg is not None else default_gamma(
            horizon, self.breakpoints, self.bound)
        if not 0.0 < self.gamma <= 1.0:
            raise ValueError(f"gamma: tuned value {self.gamma:g} out of range (breakpoints > 16 B^2 T?); "
                             "allowed: in (0, 1]")
        self.order = ArmOrder(n_arms, n_reps, rng)
        self.counts = np.zeros((n_reps, n_arms))          # discounted, slot coordinates
        self.sums = np.zeros((n_reps, n_arms))
        self._counts_flat, self._sums_flat = self.counts.ravel(), self.sums.ravel()
        self.total = 0.0                                   # n_t(gamma), the same for every rep

    def index(self) -> np.ndarray:
        """The D-UCB index per slot, shape (n_reps, n_arms)."""
        c = 2.0 * self.bound * math.sqrt(self.xi * math.log(max(self.total, 1.0)))
        safe = np.maximum(self.counts, 1e-300)
        return np.where(self.counts > 0, self.sums / safe + c / np.sqrt(safe), np.inf)

    def select(self, t: int) -> np.ndarray:
        if t < self.n_arms:
            return self.order.perm[:, t]
        return self.order.to_arm(self.index().argmax(axis=1))

    def update(self, arms: np.ndarray, rewards: np.ndarray) -> None:
        self.counts *= self.gamma
        self.sums *= self.gamma
        f = self.order.flat(self.order.to_slot(arms))
        self._counts_flat[f] += 1.0
        self._sums_flat[f] += rewards
        self.total = self.gamma * self.total + 1.0
