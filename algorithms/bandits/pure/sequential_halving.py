"""Sequential Halving (Karnin, Koren & Somekh, ICML 2013; as analysed by Zhao, Stephens,
Szepesvari & Jun, "Revisiting Simple Regret: Fast Rates for Returning a Good Arm", ICML 2023,
Alg. 1).

S_1 = all arms. For stages l = 1..L with L = ceil(log2 n): pull every arm of S_l
T_l = floor(T / (|S_l| L)) times, then keep the ceil(|S_l| / 2) arms with the largest empirical
means; return the last survivor. ``reuse_samples=False`` (the analysed Alg. 1) ranks by the
current stage's samples only; ``True`` ranks by all samples of the arm so far (what Zhao et al.'s
experiments do, their App. D). A stage with T_l = 0 (budget below n L, the data-poor regime)
pulls nothing and halves at random among tied arms. Ties (the paper leaves them open) are broken
uniformly at random: a fresh random priority per (rep, arm) and stage from the policy rng.

``sequential_halving`` runs on any per-rep multiset of arms and also returns the returned arm's
final-stage empirical mean (what Doubling SH reports, Alg. 2), so Bracketing SH reuses it.
"""

from __future__ import annotations

import math

import numpy as np


def n_stages(m: int) -> int:
    return max(1, math.ceil(math.log2(m))) if m > 1 else 0


def sequential_halving(env, arms: np.ndarray, budget: int, rng: np.random.Generator,
                       reuse_samples: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """SH with ``budget`` pulls per rep over ``arms`` (int64 (n_reps, m), m >= 2).

    Returns (arm per rep, its empirical mean in the last stage that sampled it; -inf if never
    sampled). Spends sum_l |S_l| T_l <= budget pulls per rep.
    """
    arms = np.asarray(arms, dtype=np.int64)
    n_reps, m = arms.shape
    L = n_stages(m)
    S = arms
    sums = np.zeros((n_reps, m))
    counts = np.zeros((n_reps, m))
    last_mean = np.full((n_reps, m), -np.inf)
    for _ in range(L):
        size = S.shape[1]
        t_l = budget // (size * L)
        if t_l > 0:
            stage = env.sample(S, t_l)
            if reuse_samples:
                sums += stage
                counts += t_l
                last_mean = sums / counts
            else:
                last_mean = stage / t_l
        keep = math.ceil(size / 2)
        prio = rng.random((n_reps, size))
        order = np.lexsort((prio, -last_mean), axis=1)[:, :keep]    # by mean desc, then random
        S = np.take_along_axis(S, order, axis=1)
        last_mean = np.take_along_axis(last_mean, order, axis=1)
        sums = np.take_along_axis(sums, order, axis=1)
        counts = np.take_along_axis(counts, order, axis=1)
    return S[:, 0], last_mean[:, 0]


class SequentialHalving:
    """SH over all n arms (visited in a random order per rep) with the whole budget."""

    def __init__(self, reuse_samples: bool = False) -> None:
        self.reuse_samples = bool(reuse_samples)

    def recommend(self, env, n_reps: int, budget: int, rng: np.random.Generator) -> np.ndarray:
        arms = rng.permuted(np.broadcast_to(np.arange(env.n_arms), (n_reps, env.n_arms)), axis=1)
        return sequential_halving(env, arms, budget, rng, self.reuse_samples)[0]
