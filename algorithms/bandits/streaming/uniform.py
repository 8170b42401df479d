"""Streaming uniform exploration (the benchmark of Wang, ICML'23, Sec. 1 and 3).

Each arriving arm is pulled m = ceil((T/K)^(2/3) ln^(1/3) T) times; the stored champion is
replaced when the newcomer's empirical mean is strictly higher; after the stream the champion
gets the remaining T - K m pulls. Two arm slots (champion + arriving arm). Regret
O(K^(1/3) T^(2/3) log^(1/3) T). Implemented as the one-level case of ``levels.play_levels``.
"""

from __future__ import annotations

import numpy as np

from algorithms.bandits.streaming.levels import budget_table, play_levels


class StreamUniform:
    """Uniform exploration with a stored champion, then commit."""

    def __init__(self) -> None:
        pass

    def table(self, n_arms: int, horizon: int):
        return budget_table("uniform", n_arms, horizon)

    def slots(self, n_arms: int, horizon: int) -> int:
        return 2

    def play(self, env, rng: np.random.Generator) -> None:
        st = env.state
        _check_slots(self, env)
        batch, cap, final = self.table(env.n_arms, st.horizon)
        play_levels(st, env.rng, batch, cap, final)


def _check_slots(policy, env) -> None:
    need = policy.slots(env.n_arms, env.state.horizon)
    if need > env.memory:
        raise ValueError(f"{type(policy).__name__} needs {need} arm slots for K={env.n_arms}, "
                         f"T={env.state.horizon}; the env allows memory={env.memory}")
