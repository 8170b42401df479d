"""Bandit feedback plus B_ex extra observations with switching costs (Cheng, Zhou & Ji, ICML
2023, setting (i)): minimax regret ~Theta(K^{1/3} T^{2/3}) while B_ex = O~(K^{1/3} T^{2/3}),
then ~Theta(T sqrt(K / B_ex)).

The phase transition follows from two regimes of one batched framework (``exp_weights``):
- ``bandit``: mini-batched Exp3 on the free bandit feedback, extra observations unused
  (regret ~ K^{1/3} T^{2/3}, independent of B_ex);
- ``full``: in each batch of tau rounds, one uniformly drawn round is observed for all actions
  (the played one free, K-1 extras), tau the smallest batch with ceil(T/tau)(K-1) <= B_ex;
  batched Hedge + shrinking dartboard (regret ~ sqrt(T tau ln K) ~ T sqrt(K ln K / B_ex)).
``mode="auto"`` takes the regime with the smaller regret bound (``bandit_bound`` vs
``full_bound``), i.e. full-information-type observations once B_ex exceeds ~K^{1/3}T^{2/3}.
``mode="bandit"`` / ``"full"`` force one regime (full falls back to bandit when B_ex < K-1):
running both over a B_ex sweep shows where the extra observations start to pay.
``batch`` overrides the regime's batch length.
"""

from __future__ import annotations

from typing import Annotated

import numpy as np

from algorithms.bandits.switching.exp_weights import (BanditBatches, FullBatches, bandit_bound,
                                                       default_batch, full_batch, full_bound)
from algorithms.constraints import Interval, OneOf


class ExtraObservations:
    """Batched Exp3 or batched Hedge on extra observations, whichever the budget favours."""

    feedbacks = ("extra",)

    def __init__(self,
                 mode: Annotated[str, OneOf("auto", "bandit", "full")] = "auto",
                 batch: Annotated[int, Interval(1)] | None = None) -> None:
        self.mode, self.batch_cfg = mode, batch

    def reset(self, n_arms: int, n_reps: int, horizon: int, budget: int, feedback: str,
              rng: np.random.Generator) -> None:
        if feedback != "extra":
            raise ValueError(f"ExtraObservations is for feedback='extra' (bandit + B_ex); got {feedback!r}")
        tau_b = int(self.batch_cfg) if self.batch_cfg is not None else default_batch(horizon, n_arms)
        tau_f = int(self.batch_cfg) if self.batch_cfg is not None else full_batch(horizon, n_arms - 1, budget)
        regime = "bandit"
        if tau_f is not None and budget >= n_arms - 1:
            if self.mode == "full" or (self.mode == "auto" and
                                       full_bound(horizon, n_arms, tau_f) < bandit_bound(horizon, n_arms, tau_b)):
                regime = "full"
        if regime == "full":
            self.core = FullBatches(n_arms, n_reps, horizon, tau_f, rng, cost=n_arms - 1, budget=budget)
            self.tau = tau_f
        else:
            self.core = BanditBatches(n_arms, n_reps, horizon, tau_b, rng)
            self.tau = tau_b
        self.regime = regime

    def select(self, t: int) -> np.ndarray:
        return self.core.arms

    def request(self, t: int) -> np.ndarray | None:
        return self.core.request(t)

    def update(self, t: int, arms: np.ndarray, obs: np.ndarray) -> None:
        self.core.update(t, arms, obs)
