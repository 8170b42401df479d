"""Bracketing Sequential Halving (Zhao, Stephens, Szepesvari & Jun, ICML 2023, Alg. 3, with
Doubling SH, Alg. 2; details as read from the authors' Aug-2022 preprint, see
../shared/papers/bandits.md Sec. 3).

Brackets: B starts at 0; at every step t = 0, 1, ..., T-1, while t >= B 2^B, set B += 1 and open
bracket A_B of min(n, 2^B) arms drawn uniformly *with replacement* (all of [n], without
repetition, once 2^B >= n). The pseudocode prints "n v 2^B"; the prose (smallest bracket 2 arms,
largest Theta(t)) implies the minimum, which is used here. Step t goes round-robin to the open
brackets (a cycle over brackets 1..L_t that includes a new bracket from its opening on).

Each bracket runs Doubling SH on its (multi)set of m arms: T_1 = ceil(m log2 m); block k of
that bracket's pulls has length T_1 2^{k-1} and runs a fresh SH (Alg. 1, ``sequential_halving``)
with that budget; the bracket reports the last *finished* block's arm and that SH's final-stage
empirical mean (-inf while no block has finished). BSH returns the arm of the bracket reporting
the highest mean (ties at random). No samples are shared across brackets or blocks.

Simulation shortcut (exact in law): the round-robin schedule is deterministic, so each
bracket's pull count n_b after T steps is computed first; a block's SH is run when it fits in
n_b. The pulls of a block still running at time T are charged to nobody (its outcome is never
used), so ``env.used`` can be below T.
"""

from __future__ import annotations

import math

import numpy as np

from algorithms.bandits.pure.sequential_halving import sequential_halving


def bracket_schedule(budget: int, n_arms: int) -> tuple[list[int], list[int]]:
    """(size of each opened bracket, pulls each receives) for ``budget`` round-robin steps."""
    sizes: list[int] = []
    pulls: list[int] = []
    B, ptr = 0, 0
    for t in range(budget):
        while t >= B * 2**B:
            B += 1
            sizes.append(min(n_arms, 2**B))
            pulls.append(0)
        ptr %= len(sizes)
        pulls[ptr] += 1
        ptr += 1
    return sizes, pulls


def finished_blocks(m: int, n_pulls: int) -> list[int]:
    """Budgets T_1 2^{k-1} of the DSH blocks of a size-m bracket that finish within n_pulls."""
    t1 = math.ceil(m * math.log2(m))
    out, spent, k = [], 0, 0
    while spent + t1 * 2**k <= n_pulls:
        out.append(t1 * 2**k)
        spent += t1 * 2**k
        k += 1
    return out


class BracketingSH:
    """Doubling SH on brackets of geometrically growing random subsets; best reported mean wins."""

    def __init__(self, reuse_samples: bool = False) -> None:
        self.reuse_samples = bool(reuse_samples)

    def recommend(self, env, n_reps: int, budget: int, rng: np.random.Generator) -> np.ndarray:
        n = env.n_arms
        sizes, pulls = bracket_schedule(budget, n)
        best_arm = np.zeros((n_reps, len(sizes)), dtype=np.int64)
        best_mean = np.full((n_reps, len(sizes)), -np.inf)
        for b, (m, n_b) in enumerate(zip(sizes, pulls)):
            if m >= n:
                arms = rng.permuted(np.broadcast_to(np.arange(n), (n_reps, n)), axis=1)
            else:
                arms = rng.integers(0, n, size=(n_reps, m))
            best_arm[:, b] = arms[:, 0]                       # arbitrary arm until a block finishes
            for block in finished_blocks(m, n_b):
                best_arm[:, b], best_mean[:, b] = sequential_halving(env, arms, block, rng,
                                                                     self.reuse_samples)
        prio = rng.random(best_mean.shape)
        win = np.lexsort((prio, -best_mean), axis=1)[:, 0]
        return best_arm[np.arange(n_reps), win]
