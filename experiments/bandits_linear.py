"""Misspecified linear bandit experiment: one linear policy on one linear environment.

Reads top to bottom: seed the parts, simulate ``n_reps`` replications at once, summarise. The env
stream ``rng_for(seed, "env")`` draws the instance (features, rotation, arm order) and the reward
noise (one normal per step and rep, shared by all arms), the policy stream
``rng_for(seed, "policy")`` its tie-breaks: for one seed every policy faces the same instances
and noise. Regret is the exact pseudo-regret from the env's expected rewards.
"""

from __future__ import annotations

from typing import Annotated

import numpy as np

from algorithms.bandits.linear.simulate import simulate_linear
from algorithms.constraints import Interval, NonNegative
from experiments.result import Result, log_spaced_steps, mean_and_se
from experiments.seeding import rng_for


def run(
    *,
    linear_env: object,
    linear_policy: object,
    horizon: Annotated[int, Interval(1, 10**8)],
    n_reps: Annotated[int, Interval(1, 10**5)],
    seed: Annotated[int, NonNegative],
    n_points: Annotated[int, Interval(2, 1000)] = 100,
) -> Result:
    """Final regret (mean, SE), the regret curve and per-rep arrays (regret, best-arm fraction)."""
    checkpoints = log_spaced_steps(horizon, n_points)
    out = simulate_linear(linear_env, linear_policy, horizon, n_reps, rng_for(seed, "env"),
                          rng_for(seed, "policy"), checkpoints)
    mean, se = mean_and_se(out.regret)
    best = out.means.argmax(axis=1)
    best_frac = out.counts[np.arange(n_reps), best] / horizon
    n_used = getattr(linear_policy, "n_used", None)
    d = linear_env.dim
    return Result(
        scalars={"regret": mean[-1], "regret_se": se[-1], "regret_per_step": mean[-1] / horizon,
                 "best_arm_fraction": float(best_frac.mean()),
                 "gap_realised": float(linear_env.gap_realised.mean()),
                 "zeta_realised": float(linear_env.zeta_realised.max()),
                 "zeta_over_gap_sqrt_d": float(linear_env.zeta * np.sqrt(d) / linear_env.gap),
                 "regression_size": float(np.mean(n_used)) if n_used is not None else float("nan")},
        series={"regret_curve": (out.checkpoints, mean), "regret_curve_se": (out.checkpoints, se)},
        arrays={"checkpoints": out.checkpoints, "regret": out.regret, "counts": out.counts,
                "best_arm_fraction": best_frac, "gap_realised": linear_env.gap_realised},
    )
