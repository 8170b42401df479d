"""Find an eps-best arm in one pass, then commit (Wang, ICML'23, Sec. 4), eps = (K/T)^(1/3).

Committing to an eps-best arm costs at most T*eps = K^(1/3) T^(2/3) and finding it costs
O(K/eps^2) = O(K^(1/3) T^(2/3)) pulls, hence O(K^(1/3) T^(2/3)) regret, without uniform
exploration's log^(1/3) T factor. ``variant`` picks the streaming eps-best routine (budget
tables in ``levels``, from the authors' released code): ``logstar`` is the O(log* K)-memory
routine after Assadi & Wang (STOC'20) that Wang's expected-regret theorem uses; ``loglog`` and
``log`` are the code's other multi-level variants; ``naive`` pulls each arm ln K / eps^2 times.
Memory: one slot per level plus the arriving arm.
"""

from __future__ import annotations

from typing import Annotated

import numpy as np

from algorithms.bandits.streaming.levels import budget_table, play_levels
from algorithms.bandits.streaming.uniform import _check_slots
from algorithms.constraints import OneOf


class StreamEpsBest:
    """eps-best arm by a level tournament, then commit the remaining pulls."""

    def __init__(self, variant: Annotated[str, OneOf("naive", "log", "loglog", "logstar")] = "logstar") -> None:
        self.variant = variant

    def table(self, n_arms: int, horizon: int):
        return budget_table(self.variant, n_arms, horizon)

    def slots(self, n_arms: int, horizon: int) -> int:
        return int(self.table(n_arms, horizon)[0].size) + 1

    def play(self, env, rng: np.random.Generator) -> None:
        _check_slots(self, env)
        batch, cap, final = self.table(env.n_arms, env.state.horizon)
        play_levels(env.state, env.rng, batch, cap, final)
