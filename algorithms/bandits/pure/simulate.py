"""Run one pure-exploration policy on one env for ``n_reps`` replications (see the package doc)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class PureOutput:
    """arms: int64 (n_reps,) returned arms. simple_regret: float64 (n_reps,) max mu - mu[arm].
    pulls: int64 (n_reps,) pulls spent. means: float64 (n_reps, n_arms)."""

    arms: np.ndarray
    simple_regret: np.ndarray
    pulls: np.ndarray
    means: np.ndarray


def run_pure(env, policy, budget: int, n_reps: int, env_rng: np.random.Generator,
             policy_rng: np.random.Generator) -> PureOutput:
    budget, n_reps = int(budget), int(n_reps)
    if budget < 1 or n_reps < 1:
        raise ValueError(f"budget and n_reps must be >= 1, got {budget}, {n_reps}")
    env.reset(n_reps, budget, env_rng)
    arms = np.asarray(policy.recommend(env, n_reps, budget, policy_rng), dtype=np.int64)
    if arms.shape != (n_reps,) or arms.min() < 0 or arms.max() >= env.n_arms:
        raise ValueError(f"{type(policy).__name__} returned invalid arms {arms!r}")
    mu = env.means
    regret = mu.max(axis=1) - mu[np.arange(n_reps), arms]
    return PureOutput(arms=arms, simple_regret=regret, pulls=env.used.copy(), means=mu)
