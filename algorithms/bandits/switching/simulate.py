"""The switching-cost loop: losses, observations under a budget, regret with switching costs.

Per round t: ``arms = select(t)``, ``mask = request(t)``, the env's row l_t is drawn, the
observation count is charged (``"extra"``: requested entries other than the played action;
``"total"``: every requested entry) and checked against the budget, then ``update(t, arms,
obs)`` with NaN where unobserved. Regret at a checkpoint t:
sum_{s<=t} l_s(A_s) + switch_cost * switches_t - min_a sum_{s<=t} l_s(a) (the best fixed action
in hindsight over the first t rounds, as in Cheng et al. 2023 and Dekel et al. 2014).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


class BudgetExceeded(RuntimeError):
    """A policy requested more observations than its budget."""


@dataclass
class SwitchingOutput:
    """checkpoints (n_ck,) 1-based; regret / loss_regret (without switching costs) / switches:
    (n_reps, n_ck); observations (n_reps,) observations charged in total."""

    checkpoints: np.ndarray
    regret: np.ndarray
    loss_regret: np.ndarray
    switches: np.ndarray
    observations: np.ndarray


def simulate_switching(losses, policy, horizon: int, n_reps: int, budget: int, feedback: str,
                       env_rng: np.random.Generator, policy_rng: np.random.Generator,
                       checkpoints: np.ndarray | None = None, switch_cost: float = 1.0) -> SwitchingOutput:
    if feedback not in ("extra", "total"):
        raise ValueError(f"feedback must be 'extra' or 'total', got {feedback!r}")
    horizon, n_reps, budget = int(horizon), int(n_reps), int(budget)
    ck = np.unique(np.array([horizon] if checkpoints is None else checkpoints, dtype=np.int64).ravel())
    if ck.size == 0 or ck[0] < 1 or ck[-1] > horizon:
        raise ValueError(f"checkpoints must be 1-based steps in [1, {horizon}], got {ck}")
    losses.reset(n_reps, horizon, env_rng)
    K = losses.n_arms
    policy.reset(K, n_reps, horizon, budget, feedback, policy_rng)
    rows = np.arange(n_reps)
    cum_arm = np.zeros((n_reps, K))
    cum_loss = np.zeros(n_reps)
    switches = np.zeros(n_reps, dtype=np.int64)
    used = np.zeros(n_reps, dtype=np.int64)
    prev = None
    regret = np.empty((n_reps, ck.size))
    loss_regret = np.empty((n_reps, ck.size))
    sw_out = np.empty((n_reps, ck.size), dtype=np.int64)
    k, next_ck = 0, int(ck[0])
    for t in range(horizon):
        arms = np.asarray(policy.select(t))
        mask = policy.request(t)
        row = losses.row(t)
        obs = np.full((n_reps, K), np.nan)
        if mask is not None:
            if feedback == "extra":
                mask = mask.copy()
                mask[rows, arms] = False
            used += mask.sum(axis=1)
            if (used > budget).any():
                raise BudgetExceeded(f"{type(policy).__name__} requested {int(used.max())} observations "
                                     f"by round {t}; budget {budget}")
            obs[mask] = row[mask]
        own = row[rows, arms]
        if feedback == "extra":
            obs[rows, arms] = own
        policy.update(t, arms, obs)
        cum_loss += own
        cum_arm += row
        if prev is not None:
            switches += arms != prev
        prev = arms.copy()
        if t + 1 == next_ck:
            loss_regret[:, k] = cum_loss - cum_arm.min(axis=1)
            regret[:, k] = loss_regret[:, k] + switch_cost * switches
            sw_out[:, k] = switches
            k += 1
            next_ck = int(ck[k]) if k < ck.size else -1
    return SwitchingOutput(ck, regret, loss_regret, sw_out, used)
