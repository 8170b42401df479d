"""Switching costs with extra observations (Cheng, Zhou & Ji, ICML 2023): one policy, one
oblivious loss sequence, ``n_reps`` replications vectorised.

The budget is ``budget`` if given, else ``round(budget_ratio * T^{2/3})`` (the paper's phase
transition sits at B_ex ~ K^{1/3} T^{2/3}, so a sweep over ``budget_ratio`` lines the
transition up across horizons). The loss sequence draws from ``rng_for(seed, "env")`` (every
policy faces the same losses at one seed), the policy from ``rng_for(seed, "policy")``.
Regret counts switches: sum_t l_t(A_t) + switch_cost * switches - min_a sum_t l_t(a).
"""

from __future__ import annotations

from typing import Annotated

import numpy as np

from algorithms.bandits.switching.simulate import simulate_switching
from algorithms.constraints import Interval, NonNegative, OneOf
from experiments.result import Result, log_spaced_steps, mean_and_se
from experiments.seeding import rng_for


def run(
    *,
    loss_sequence: object,
    switching_policy: object,
    horizon: Annotated[int, Interval(1, 10**8)],
    n_reps: Annotated[int, Interval(1, 10**6)],
    seed: Annotated[int, NonNegative],
    budget_ratio: Annotated[float, NonNegative] = 0.0,
    budget: Annotated[int, NonNegative] | None = None,
    feedback: Annotated[str, OneOf("extra", "total")] = "extra",
    switch_cost: Annotated[float, NonNegative] = 1.0,
    n_points: Annotated[int, Interval(2, 1000)] = 100,
) -> Result:
    """Simulate; return the final regret (with switching costs), its curve and per-rep arrays.

    budget: observations (extra ones under feedback="extra", all under "total"); null ->
    round(budget_ratio * horizon^(2/3)).
    """
    if feedback not in getattr(switching_policy, "feedbacks", ()):
        raise ValueError(f"{type(switching_policy).__name__} supports feedback "
                         f"{getattr(switching_policy, 'feedbacks', ())}, not {feedback!r}")
    b = int(budget) if budget is not None else int(round(budget_ratio * horizon ** (2 / 3)))
    checkpoints = log_spaced_steps(horizon, n_points)
    out = simulate_switching(loss_sequence, switching_policy, horizon, n_reps, b, feedback,
                             rng_for(seed, "env"), rng_for(seed, "policy"), checkpoints, switch_cost)
    mean, se = mean_and_se(out.regret)
    return Result(
        scalars={"regret": mean[-1], "regret_se": se[-1], "loss_regret": float(out.loss_regret[:, -1].mean()),
                 "switches": float(out.switches[:, -1].mean()), "budget": b,
                 "observations": float(out.observations.mean()),
                 "full_regime": float(getattr(switching_policy, "regime", "") == "full"),
                 "batch": float(getattr(switching_policy, "tau", np.nan))},
        series={"regret_curve": (checkpoints, mean), "regret_curve_se": (checkpoints, se)},
        arrays={"checkpoints": checkpoints, "regret": out.regret, "loss_regret": out.loss_regret,
                "switches": out.switches, "observations": out.observations},
    )
