"""Arms with known means for fixed-budget pure exploration (see the package docstring).

Instances (means per rep; the positions of the arms are shuffled per rep from the env rng, so
no policy gains from an index-based tie rule):

- ``gap_scaled``: one best arm ``best_mean``, all others ``best_mean - Delta`` with
  ``Delta = min(best_mean, gap_scale * sqrt(n / T))``: the equal-gap family on which the minimax
  simple regret is of order sqrt(n/T) (Zhao et al. 2023, Cor. 1.2 and the lower bound it matches).
- ``power``: ``mu_(i) = best_mean - gap * (i / (n - 1))^alpha`` for ranks i = 0..n-1 (the
  polynomial-gap instances Delta_i = (i/n)^alpha of Zhao et al.'s discussion).
- ``uniform``: i.i.d. U[0, 1] means (a "many good arms" instance for the data-poor regime).
- ``explicit``: ``means`` for every rep (not shuffled).

Rewards: ``noise="bernoulli"`` (means must lie in [0, 1]) or ``"gaussian"`` with ``sigma``.
"""

from __future__ import annotations

import math
from typing import Annotated

import numpy as np

from algorithms.constraints import Interval, OneOf, Positive, Probability


class BudgetExceeded(RuntimeError):
    """A policy asked for more pulls than its budget."""


class PureExplorationEnv:
    """n stochastic arms, sampled in batches, with a per-rep pull budget."""

    def __init__(self,
                 n_arms: Annotated[int, Interval(2)] = 64,
                 instance: Annotated[str, OneOf("gap_scaled", "power", "uniform", "explicit")] = "gap_scaled",
                 means: list[float] | None = None,
                 best_mean: Annotated[float, Probability] = 0.5,
                 gap: Annotated[float, Probability] = 0.5,
                 gap_scale: Annotated[float, Positive] = 1.0,
                 alpha: Annotated[float, Positive] = 1.0,
                 noise: Annotated[str, OneOf("bernoulli", "gaussian")] = "bernoulli",
                 sigma: Annotated[float, Positive] = 1.0) -> None:
        if instance == "explicit":
            if means is None or len(means) != n_arms:
                raise ValueError(f"means: instance='explicit' needs a list of n_arms={n_arms} numbers")
        elif means is not None:
            raise ValueError(f"means: only used with instance='explicit' (instance={instance!r}); allowed: null")
        if noise == "bernoulli":
            lo = min(means) if instance == "explicit" else (best_mean - gap if instance == "power" else 0.0)
            hi = max(means) if instance == "explicit" else best_mean
            if lo < 0.0 or hi > 1.0:
                raise ValueError(f"means: range [{lo:g}, {hi:g}] not in [0, 1] as Bernoulli arms need")
        self.n_arms, self.instance, self.means_cfg = int(n_arms), instance, means
        self.best_mean, self.gap, self.gap_scale, self.alpha = float(best_mean), float(gap), float(gap_scale), float(alpha)
        self.noise, self.sigma = noise, float(sigma)
        self.means: np.ndarray | None = None

    def instance_means(self, n_reps: int, budget: int, rng: np.random.Generator) -> np.ndarray:
        n = self.n_arms
        if self.instance == "explicit":
            return np.tile(np.asarray(self.means_cfg, dtype=np.float64), (n_reps, 1))
        if self.instance == "uniform":
            return rng.random((n_reps, n))
        if self.instance == "gap_scaled":
            delta = min(self.best_mean, self.gap_scale * math.sqrt(n / budget))
            base = np.full(n, self.best_mean - delta)
            base[0] = self.best_mean
        else:
            base = self.best_mean - self.gap * (np.arange(n) / (n - 1)) ** self.alpha
        return rng.permuted(np.broadcast_to(base, (n_reps, n)), axis=1)

    def reset(self, n_reps: int, budget: int, rng: np.random.Generator) -> None:
        self.budget = int(budget)
        self.means = self.instance_means(n_reps, self.budget, rng)
        self.rng = np.random.default_rng(rng.integers(0, 2**63 - 1))   # reward stream
        self.used = np.zeros(n_reps, dtype=np.int64)

    def sample(self, arms: np.ndarray, counts) -> np.ndarray:
        arms = np.asarray(arms, dtype=np.int64)
        counts = np.broadcast_to(np.asarray(counts, dtype=np.int64), arms.shape)
        if (counts < 0).any():
            raise ValueError("counts must be >= 0")
        spend = self.used + counts.sum(axis=1)
        if (spend > self.budget).any():
            raise BudgetExceeded(f"a policy asked for {int(spend.max())} pulls; budget {self.budget}")
        self.used = spend
        mu = np.take_along_axis(self.means, arms, axis=1)
        if self.noise == "bernoulli":
            return self.rng.binomial(counts, mu).astype(np.float64)
        return counts * mu + self.sigma * np.sqrt(counts) * self.rng.standard_normal(arms.shape)
