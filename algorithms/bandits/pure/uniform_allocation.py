"""Uniform allocation: the non-adaptive baseline for fixed-budget pure exploration.

The budget T is spread round-robin over the arms in a random order per rep (each arm gets
floor(T/n) pulls, the first T mod n arms of the order one more); return the arm with the highest
empirical mean among the arms pulled at least once, ties broken at random. With T < n (the
data-poor regime) this pulls T random arms once each.
"""

from __future__ import annotations

import numpy as np


class UniformAllocation:
    """Equal pulls per arm, then the empirical best."""

    def recommend(self, env, n_reps: int, budget: int, rng: np.random.Generator) -> np.ndarray:
        n = env.n_arms
        order = rng.permuted(np.broadcast_to(np.arange(n), (n_reps, n)), axis=1)
        counts = np.full(n, budget // n, dtype=np.int64)
        counts[: budget % n] += 1
        pulled = counts > 0
        order, counts = order[:, pulled], counts[pulled]
        means = env.sample(order, counts) / counts
        prio = rng.random(means.shape)
        best = np.lexsort((prio, -means), axis=1)[:, 0]
        return order[np.arange(n_reps), best]
