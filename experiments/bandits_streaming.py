"""Single-pass streaming bandit experiment (Wang, ICML'23): one streaming policy on one stream.

Reads top to bottom: seed the parts, reset the stream (instances per rep, memory bound, budget
T), let the policy play the single pass and the commit phase, summarise. The env stream is
``rng_for(seed, "env")`` (instances and rewards), the policy's ``rng_for(seed, "policy")``, so for
one seed every policy faces the same instances. Regret is exact pseudo-regret, per replication,
recorded at log-spaced pull counts; the env's peak slot use per rep is kept as evidence that the
memory bound held (the env raises the moment it would not).
"""

from __future__ import annotations

from typing import Annotated

import numpy as np

from algorithms.constraints import Interval, NonNegative
from experiments.result import Result, log_spaced_steps, mean_and_se
from experiments.seeding import rng_for


def run(
    *,
    stream_env: object,
    stream_policy: object,
    horizon: Annotated[int, Interval(1, 10**12)],
    n_reps: Annotated[int, Interval(1, 10**6)],
    seed: Annotated[int, NonNegative],
    n_points: Annotated[int, Interval(2, 1000)] = 100,
) -> Result:
    """Final regret (mean, SE), the regret curve over pulls, per-rep regret / peak memory arrays."""
    checkpoints = log_spaced_steps(horizon, n_points)
    stream_env.reset(n_reps, horizon, rng_for(seed, "env"), checkpoints)
    stream_policy.play(stream_env, rng_for(seed, "policy"))
    st = stream_env.state
    if not (st.used == horizon).all():
        raise RuntimeError(f"{type(stream_policy).__name__} spent {st.used.min()}..{st.used.max()} "
                           f"pulls; the protocol requires exactly T={horizon}")
    mean, se = mean_and_se(st.ck_regret)
    K = stream_env.n_arms
    scale = K ** (1 / 3) * horizon ** (2 / 3)
    return Result(
        scalars={"regret": mean[-1], "regret_se": se[-1],
                 "regret_scaled": mean[-1] / scale,                 # regret / (K^(1/3) T^(2/3))
                 "arms_read": float(st.pos.mean()),
                 "memory_peak": float(st.peak.max()), "memory_bound": float(stream_env.memory),
                 "memory_declared": float(stream_policy.slots(K, horizon))},
        series={"regret_curve": (st.ck, mean), "regret_curve_se": (st.ck, se)},
        arrays={"checkpoints": st.ck, "regret": st.ck_regret, "peak_memory": st.peak.astype(np.int64),
                "arms_read": st.pos.astype(np.int64)},
    )
