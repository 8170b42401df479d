"""Uniform play: the no-learning baseline for the switching-cost protocol.

A fresh uniformly random action every ``batch`` rounds (``batch = 1``: every round, paying about
T (1 - 1/K) switches). No observations are requested; under ``feedback="total"`` it therefore
needs no budget at all.
"""

from __future__ import annotations

from typing import Annotated

import numpy as np

from algorithms.constraints import Interval


class UniformSwitching:
    """Uniformly random action per batch of rounds."""

    feedbacks = ("extra", "total")

    def __init__(self, batch: Annotated[int, Interval(1)] = 1) -> None:
        self.batch = int(batch)

    def reset(self, n_arms: int, n_reps: int, horizon: int, budget: int, feedback: str,
              rng: np.random.Generator) -> None:
        self.n_arms, self.n_reps, self.rng = n_arms, n_reps, rng
        self.regime, self.tau = "none", self.batch

    def select(self, t: int) -> np.ndarray:
        if t % self.batch == 0:
            self.arms = self.rng.integers(0, self.n_arms, size=self.n_reps)
        return self.arms

    def request(self, t: int) -> None:
        return None

    def update(self, t: int, arms: np.ndarray, obs: np.ndarray) -> None:
        pass
