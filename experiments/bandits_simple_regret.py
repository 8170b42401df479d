"""Simple-regret experiment: one fixed-budget pure-exploration policy on one instance family.

The policy spends a budget of T pulls per replication and returns one arm; the simple regret
``max_a mu[a] - mu[returned]`` is exact from the known means. The env draws the instance from
``rng_for(seed, "env")`` (the same instance for every policy at one seed, so policies are paired
per (seed, rep)); the policy draws from ``rng_for(seed, "policy")``. Per-rep arrays are stored as
(n_reps, 1) so the report's "final value" is the one number of each replication.
"""

from __future__ import annotations

import math
from typing import Annotated

import numpy as np

from algorithms.bandits.pure.simulate import run_pure
from algorithms.constraints import Interval, NonNegative
from experiments.result import Result, mean_and_se
from experiments.seeding import rng_for


def run(
    *,
    pure_env: object,
    pure_policy: object,
    budget: Annotated[int, Interval(1, 10**9)],
    n_reps: Annotated[int, Interval(1, 10**6)],
    seed: Annotated[int, NonNegative],
) -> Result:
    """Run the policy with ``budget`` pulls per rep; return the simple regret per rep and summaries.

    Arrays: ``simple_regret``, ``normalized`` (= simple regret * sqrt(T / n), flat under the
    sqrt(n/T) rate), ``error`` (1 if the returned arm is not a best arm) -- each (n_reps, 1) --,
    ``pulls`` (n_reps,) spent, ``budget`` (1,).
    """
    out = run_pure(pure_env, pure_policy, budget, n_reps, rng_for(seed, "env"), rng_for(seed, "policy"))
    n = pure_env.n_arms
    sreg = out.simple_regret[:, None]
    norm = sreg * math.sqrt(budget / n)
    error = (out.simple_regret > 0).astype(np.float64)[:, None]
    mean, se = mean_and_se(sreg[:, 0])
    return Result(
        scalars={"simple_regret": mean, "simple_regret_se": se, "normalized": float(norm.mean()),
                 "error_rate": float(error.mean()), "pulls_used": float(out.pulls.mean() / budget),
                 "budget_per_arm": budget / n},
        arrays={"budget": np.array([budget]), "simple_regret": sreg, "normalized": norm,
                "error": error, "pulls": out.pulls},
    )
