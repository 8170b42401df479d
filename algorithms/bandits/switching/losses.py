"""Oblivious loss sequences for the switching-cost protocol (see the package docstring).

``RandomWalkLosses``: the multi-scale random walk of Dekel, Ding, Koren & Peres, "Bandits with
Switching Costs: T^{2/3} Regret" (STOC 2014; arXiv 1310.2997): xi_1..xi_T i.i.d. N(0, sigma^2),
W_0 = 0, W_t = W_{rho(t)} + xi_t with rho(t) = t - 2^{delta(t)}, delta(t) the exponent of the
largest power of 2 dividing t; losses l_t(a) = clip(1/2 + W_t - eps 1{a = chi}, 0, 1) with the
best action chi uniform per rep. All actions move together, so bandit feedback reveals the gap
eps only across a switch, and the walk's multi-scale structure makes every switch informative
only about O(log T) increments. Defaults (``gap``/``sigma`` null) are the paper's constants as
recalled (sigma = 1/(9 log2 T), eps = K^{1/3} T^{-1/3} / (9 log2 T); not re-checked against the
PDF); they make every regret tiny at simulation sizes, so presets set ``gap``/``sigma``.
``noise`` > 0 adds i.i.d. N(0, noise^2) per (round, action) before clipping -- not part of
Dekel et al.'s construction: it makes extra observations informative only statistically (with
noise = 0, one look at two actions at one round reveals the gap exactly).
The walk is generated lazily: rho(t) is always on the ancestor chain of t - 1, so a stack of
O(log T) values per rep suffices.

``IIDLosses``: the stochastic control: l_t(a) ~ Bernoulli(mu_a) independent over rounds and
actions, mu = ``base`` for all actions but the best one (``base - gap``), chi uniform per rep.
"""

from __future__ import annotations

import math
from typing import Annotated

import numpy as np

from algorithms.constraints import Interval, NonNegative, Probability


class RandomWalkLosses:
    """Dekel et al.'s multi-scale random walk with one better action."""

    def __init__(self,
                 n_arms: Annotated[int, Interval(2)] = 2,
                 gap: Annotated[float, Interval(0.0, 1.0)] | None = None,
                 sigma: Annotated[float, NonNegative] | None = None,
                 noise: Annotated[float, NonNegative] = 0.0) -> None:
        self.n_arms, self.gap_cfg, self.sigma_cfg, self.noise = int(n_arms), gap, sigma, float(noise)

    @staticmethod
    def parent(t: int) -> int:
        """rho(t) = t - 2^{delta(t)} (t >= 1)."""
        return t - (t & -t)

    def reset(self, n_reps: int, horizon: int, rng: np.random.Generator) -> None:
        log2t = math.log2(max(horizon, 2))
        self.sigma = self.sigma_cfg if self.sigma_cfg is not None else 1.0 / (9.0 * log2t)
        self.gap = (self.gap_cfg if self.gap_cfg is not None
                    else self.n_arms ** (1 / 3) * horizon ** (-1 / 3) / (9.0 * log2t))
        self.rng, self.n_reps = rng, n_reps
        self.best = rng.integers(0, self.n_arms, size=n_reps)
        self._bonus = np.zeros((n_reps, self.n_arms))
        self._bonus[np.arange(n_reps), self.best] = self.gap
        self._stack = [(0, np.zeros(n_reps))]       # (node, W_node) along the chain of t
        self._next = 0

    def walk(self, t1: int) -> np.ndarray:
        """W_{t1} for the next round (1-based t1 = t + 1)."""
        rho = self.parent(t1)
        while self._stack[-1][0] != rho:
            self._stack.pop()
        w = self._stack[-1][1] + self.sigma * self.rng.standard_normal(self.n_reps)
        self._stack.append((t1, w))
        return w

    def row(self, t: int) -> np.ndarray:
        if t != self._next:
            raise ValueError(f"rows must be read in order: expected t={self._next}, got {t}")
        self._next += 1
        x = (0.5 + self.walk(t + 1))[:, None] - self._bonus
        if self.noise > 0:
            x = x + self.noise * self.rng.standard_normal(x.shape)
        return np.clip(x, 0.0, 1.0)


class IIDLosses:
    """Independent Bernoulli losses, one better action (the stochastic control)."""

    def __init__(self,
                 n_arms: Annotated[int, Interval(2)] = 2,
                 base: Annotated[float, Probability] = 0.5,
                 gap: Annotated[float, Probability] = 0.1) -> None:
        if gap > base:
            raise ValueError(f"gap: {gap:g} > base {base:g}; allowed: gap <= base")
        self.n_arms, self.base, self.gap = int(n_arms), float(base), float(gap)

    def reset(self, n_reps: int, horizon: int, rng: np.random.Generator) -> None:
        self.rng, self.n_reps = rng, n_reps
        self.best = rng.integers(0, self.n_arms, size=n_reps)
        self.mu = np.full((n_reps, self.n_arms), self.base)
        self.mu[np.arange(n_reps), self.best] -= self.gap
        self._next = 0

    def row(self, t: int) -> np.ndarray:
        if t != self._next:
            raise ValueError(f"rows must be read in order: expected t={self._next}, got {t}")
        self._next += 1
        return (self.rng.random(self.mu.shape) < self.mu).astype(np.float64)
