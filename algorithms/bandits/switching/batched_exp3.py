"""Mini-batched Exp3 (Arora, Dekel & Tewari, ICML 2012): the bandit-feedback baseline with
switching costs, regret O(K^{1/3} T^{2/3}) (tight up to logs by Dekel et al. 2014).

Batches of ``batch`` rounds (null: tau = ceil((2T / (K ln K))^{1/3}), minimising
sqrt(2 T tau K ln K) + T/tau); one action per batch, Exp3 on batch averages (see
``exp_weights.BanditBatches``). Uses no extra observations. Under ``feedback="total"`` it asks
for its own loss at every round, so it needs a budget of at least T.
"""

from __future__ import annotations

from typing import Annotated

import numpy as np

from algorithms.bandits.switching.exp_weights import BanditBatches, default_batch
from algorithms.constraints import Interval


class BatchedExp3:
    """Exp3 over batches of rounds (switch at most once per batch)."""

    feedbacks = ("extra", "total")

    def __init__(self, batch: Annotated[int, Interval(1)] | None = None) -> None:
        self.batch_cfg = batch

    def reset(self, n_arms: int, n_reps: int, horizon: int, budget: int, feedback: str,
              rng: np.random.Generator) -> None:
        tau = int(self.batch_cfg) if self.batch_cfg is not None else default_batch(horizon, n_arms)
        if feedback == "total" and budget < horizon:
            raise ValueError(f"BatchedExp3 observes its own loss every round: needs budget >= T={horizon}, "
                             f"got {budget}; use TotalBudget")
        self.core = BanditBatches(n_arms, n_reps, horizon, tau, rng,
                                  obs_per_batch=tau if feedback == "total" else None,
                                  budget=budget if feedback == "total" else None)
        self.regime, self.tau = "bandit", tau

    def select(self, t: int) -> np.ndarray:
        return self.core.arms

    def request(self, t: int) -> np.ndarray | None:
        return self.core.request(t)

    def update(self, t: int, arms: np.ndarray, obs: np.ndarray) -> None:
        self.core.update(t, arms, obs)
