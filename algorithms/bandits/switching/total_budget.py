"""A total budget of B observations of any type with switching costs (Cheng, Zhou & Ji, ICML
2023, setting (ii)): minimax regret ~Theta(T sqrt(K / B)), smooth in B.

Nothing is free: the played action's loss is seen only when requested. Two regimes of the
batched framework (``exp_weights``):
- ``bandit``: mini-batched Exp3 with N = min(B, T / tau*) batches (tau* the bandit-optimal
  batch, ``default_batch``), each observing its own action at floor(B/N) (<= tau) uniformly
  drawn rounds (regret ~ sqrt(T^2 K ln K / B) while B <= K^{1/3} T^{2/3}, then ~K^{1/3}T^{2/3});
- ``full``: one round per batch observed for all K actions, tau the smallest batch with
  ceil(T/tau) K <= B; batched Hedge + shrinking dartboard (regret ~ T sqrt(K ln K / B)).
``mode="auto"`` takes the smaller regret bound; bandit-type feedback stops improving past
~K^{1/3}T^{2/3} observations, full-information-type keeps improving up to B = KT.
"""

from __future__ import annotations

import math
from typing import Annotated

import numpy as np

from algorithms.bandits.switching.exp_weights import (BanditBatches, FullBatches, bandit_bound,
                                                       default_batch, full_batch, full_bound)
from algorithms.constraints import OneOf


def bandit_plan(horizon: int, n_arms: int, budget: int) -> tuple[int, int]:
    """(batch length, own observations per batch) of the bandit regime under a total budget."""
    tau = max(default_batch(horizon, n_arms), math.ceil(horizon / budget))
    n_batches = math.ceil(horizon / tau)
    return tau, max(1, min(tau, budget // n_batches))


class TotalBudget:
    """Budgeted observations: batched Exp3 on own losses or batched Hedge on full rounds."""

    feedbacks = ("total",)

    def __init__(self, mode: Annotated[str, OneOf("auto", "bandit", "full")] = "auto") -> None:
        self.mode = mode

    def reset(self, n_arms: int, n_reps: int, horizon: int, budget: int, feedback: str,
              rng: np.random.Generator) -> None:
        if feedback != "total":
            raise ValueError(f"TotalBudget is for feedback='total'; got {feedback!r}")
        if budget < 1:
            raise ValueError("TotalBudget needs budget >= 1")
        tau_b, m = bandit_plan(horizon, n_arms, budget)
        tau_f = full_batch(horizon, n_arms, budget)
        regime = "bandit"
        if tau_f is not None:
            if self.mode == "full" or (self.mode == "auto" and
                                       full_bound(horizon, n_arms, tau_f) < bandit_bound(horizon, n_arms, tau_b)):
                regime = "full"
        if regime == "full":
            self.core = FullBatches(n_arms, n_reps, horizon, tau_f, rng, cost=n_arms, budget=budget)
            self.tau = tau_f
        else:
            self.core = BanditBatches(n_arms, n_reps, horizon, tau_b, rng, obs_per_batch=m, budget=budget)
            self.tau = tau_b
        self.regime = regime

    def select(self, t: int) -> np.ndarray:
        return self.core.arms

    def request(self, t: int) -> np.ndarray | None:
        return self.core.request(t)

    def update(self, t: int, arms: np.ndarray, obs: np.ndarray) -> None:
        self.core.update(t, arms, obs)
