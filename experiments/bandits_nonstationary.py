"""Non-stationary bandit experiment: one base-protocol policy on a piecewise-stationary env.

Same loop and seeding as ``experiments.bandits`` (env from ``rng_for(seed, "env")``, policy from
``rng_for(seed, "policy")``: every policy faces the same change points, segment means and reward
variates), but the reported regret is the dynamic pseudo-regret w.r.t. the *current* best arm,
``sum_t (max_a mu_t[a] - mu_t[a_t])``, which the env accumulates exactly from its known means
(``PiecewiseBernoulliEnv.record_dynamic_regret``). The base loop's regret against the best fixed
arm in hindsight (on the realised rewards) is kept as ``static_regret``.
"""

from __future__ import annotations

from typing import Annotated

import numpy as np

from algorithms.bandits.simulate import simulate
from algorithms.constraints import Interval, NonNegative
from experiments.result import Result, log_spaced_steps, mean_and_se
from experiments.seeding import rng_for


def run(
    *,
    env: object,
    policy: object,
    horizon: Annotated[int, Interval(1, 10**9)],
    n_reps: Annotated[int, Interval(1, 10**6)],
    seed: Annotated[int, NonNegative],
    n_points: Annotated[int, Interval(2, 1000)] = 200,
) -> Result:
    """Simulate; return the dynamic regret (mean, SE, curve, per-rep arrays) and context metrics.

    env: must expose ``record_dynamic_regret`` (the piecewise-stationary env).
    n_points: log-spaced checkpoints of the regret curve.
    """
    if not hasattr(env, "record_dynamic_regret"):
        raise TypeError(f"env {type(env).__name__} does not track the regret w.r.t. the current best "
                        "arm; use env=piecewise")
    checkpoints = log_spaced_steps(horizon, n_points)
    env.record_dynamic_regret(checkpoints)
    out = simulate(env, policy, horizon, n_reps, rng_for(seed, "env"), rng_for(seed, "policy"),
                   checkpoints)
    dyn = env.dynamic_regret_at
    mean, se = mean_and_se(dyn)
    static_mean, _ = mean_and_se(out.regret)
    return Result(
        scalars={"regret": mean[-1], "regret_se": se[-1], "regret_per_step": mean[-1] / horizon,
                 "static_regret": static_mean[-1], "changes": float(np.mean(env.n_changes))},
        series={"regret_curve": (checkpoints, mean), "regret_curve_se": (checkpoints, se)},
        arrays={"checkpoints": checkpoints, "regret": dyn, "static_regret": out.regret,
                "counts": out.counts, "n_changes": env.n_changes},
    )
