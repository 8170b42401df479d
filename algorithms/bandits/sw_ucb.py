"""Sliding-window UCB (Garivier & Moulines, "On Upper-Confidence Bound Policies for Switching
Bandit Problems", ALT 2011, SW-UCB; restated in Lattimore & Szepesvari 2020, Sec. 31.3).

Only the last ``tau`` plays count. With N_t(tau, i) the pulls of arm i among the last
min(t, tau) plays and Xbar_t(tau, i) their mean reward, play each arm once, then

    I_{t+1} = argmax_i  Xbar_t(tau, i) + B sqrt(xi log(min(t, tau)) / N_t(tau, i)),

with an infinite index for an arm absent from the window. Rewards are assumed in [0, B].
``window`` null: the paper's tuning tau = 2B sqrt(T log T / Upsilon_T) (from its SW-UCB regret
bound), with ``breakpoints`` = Upsilon_T, the number of change points the policy is told to
expect. ``xi = 0.6``: our default (the analysis needs xi > 1/2; section numbers and the
simulation settings of the paper were not re-checked).

State: per-slot window counts and sums (slot coordinates of ``arm_order``; ties go to a random
priority per rep) and a ring buffer of the last ``tau`` (slot, reward) pairs per rep, so one
step costs O(n_reps) plus the argmax over (n_reps, K).
"""

from __future__ import annotations

import math
from typing import Annotated

import numpy as np

from algorithms.bandits.arm_order import ArmOrder
from algorithms.constraints import Interval, Positive


def default_window(horizon: int, breakpoints: int, bound: float = 1.0) -> int:
    """tau = ceil(2 B sqrt(T log T / Upsilon_T)), at least 1."""
    return max(1, math.ceil(2.0 * bound * math.sqrt(horizon * math.log(max(horizon, 1)) / breakpoints)))


class SlidingWindowUCB:
    """UCB on the statistics of the last ``tau`` plays."""

    def __init__(self,
                 window: Annotated[int, Interval(1)] | None = None,
                 breakpoints: Annotated[int, Interval(1)] = 1,
                 xi: Annotated[float, Positive] = 0.6,
                 bound: Annotated[float, Positive] = 1.0) -> None:
        self.window_cfg, self.breakpoints = window, int(breakpoints)
        self.xi, self.bound = float(xi), float(bound)

    def reset(self, n_arms: int, n_reps: int, horizon: int, rng: np.random.Generator) -> None:
        self.n_arms, self.n_reps = n_arms, n_reps
        self.tau = int(self.window_cfg) if self.window_cfg is not None else default_window(
            horizon, self.breakpoints, self.bound)
        self.order = ArmOrder(n_arms, n_reps, rng)
        self.counts = np.zeros(n_reps * n_arms)          # flat, slot coordinates, within the window
        self.sums = np.zeros(n_reps * n_arms)
        self._buf_flat = np.zeros((n_reps, self.tau), dtype=np.int64)
        self._buf_rew = np.zeros((n_reps, self.tau))
        self._t = 0                                       # plays so far

    def index(self, t: int) -> np.ndarray:
        """The SW-UCB index per slot, shape (n_reps, n_arms)."""
        n = self.counts.reshape(self.n_reps, self.n_arms)
        s = self.sums.reshape(self.n_reps, self.n_arms)
        c = self.bound * math.sqrt(self.xi * math.log(max(min(t, self.tau), 1)))
        safe = np.maximum(n, 1.0)
        return np.where(n > 0, s / safe + c / np.sqrt(safe), np.inf)

    def select(self, t: int) -> np.ndarray:
        if t < self.n_arms:
            return self.order.perm[:, t]
        return self.order.to_arm(self.index(t).argmax(axis=1))

    def update(self, arms: np.ndarray, rewards: np.ndarray) -> None:
        pos = self._t % self.tau
        if self._t >= self.tau:                            # the oldest play leaves the window
            old = self._buf_flat[:, pos]
            self.counts[old] -= 1.0
            self.sums[old] -= self._buf_rew[:, pos]
        f = self.order.flat(self.order.to_slot(arms))
        self.counts[f] += 1.0
        self.sums[f] += rewards
        self._buf_flat[:, pos] = f
        self._buf_rew[:, pos] = rewards
        self._t += 1
