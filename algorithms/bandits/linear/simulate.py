"""The linear-bandit loop: one policy on one linear env, ``n_reps`` replications at once.

Per step: ``select``, ``pull``, ``update``; pulls are counted per arm and the exact pseudo-regret
``R(t) = sum_s (max_a mu_a - mu_{a_s})`` is evaluated at the checkpoints as ``counts @ gaps``
(as the base ``algorithms.bandits.simulate``, whose ``SimOutput`` it returns).
"""

from __future__ import annotations

import numpy as np

from algorithms.bandits.simulate import SimOutput


def simulate_linear(env, policy, horizon: int, n_reps: int, env_rng: np.random.Generator,
                    policy_rng: np.random.Generator, checkpoints: np.ndarray | None = None,
                    record_arms: bool = False) -> SimOutput:
    horizon, n_reps = int(horizon), int(n_reps)
    if horizon < 1 or n_reps < 1:
        raise ValueError(f"horizon and n_reps must be >= 1, got {horizon}, {n_reps}")
    ck = np.unique(np.array([horizon] if checkpoints is None else checkpoints, dtype=np.int64).ravel())
    if ck.size == 0 or ck[0] < 1 or ck[-1] > horizon:
        raise ValueError(f"checkpoints must be 1-based steps in [1, {horizon}], got {ck}")
    env.reset(n_reps, env_rng)
    policy.reset(env.features, horizon, policy_rng)
    K = env.n_arms
    means = np.array(env.means, dtype=np.float64, copy=True)
    gaps = means.max(axis=1, keepdims=True) - means
    counts = np.zeros(n_reps * K, dtype=np.int64)
    row_base = np.arange(n_reps, dtype=np.int64) * K
    regret = np.empty((n_reps, ck.size))
    arms_out = np.empty((n_reps, horizon), np.int64) if record_arms else None
    rewards_out = np.empty((n_reps, horizon)) if record_arms else None
    k, next_ck = 0, int(ck[0])
    for t in range(horizon):
        arms = policy.select(t)
        rewards = env.pull(arms)
        policy.update(arms, rewards)
        counts[row_base + arms] += 1
        if record_arms:
            arms_out[:, t] = arms
            rewards_out[:, t] = rewards
        if t + 1 == next_ck:
            regret[:, k] = (counts.reshape(n_reps, K) * gaps).sum(axis=1)
            k += 1
            next_ck = int(ck[k]) if k < ck.size else -1
    return SimOutput(checkpoints=ck, regret=regret, counts=counts.reshape(n_reps, K),
                     arms=arms_out, rewards=rewards_out, means=means)
