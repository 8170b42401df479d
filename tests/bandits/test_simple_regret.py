"""Pure exploration: env, Sequential Halving, Bracketing SH and uniform allocation against
independent computations (a pull-by-pull per-rep re-implementation of SH on a shared reward
table, closed forms of the bracket schedule and of the stage budgets, Lemma 8's bracket count,
and noise-free instances whose answer is known)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from algorithms.bandits.pure.bracketing_sh import BracketingSH, bracket_schedule, finished_blocks
from algorithms.bandits.pure.env import BudgetExceeded, PureExplorationEnv
from algorithms.bandits.pure.sequential_halving import SequentialHalving, sequential_halving
from algorithms.bandits.pure.simulate import run_pure
from algorithms.bandits.pure.uniform_allocation import UniformAllocation
from experiments.bandits_simple_regret import run as run_entry


class TableEnv:
    """Test env: the k-th pull of arm a in rep r returns table[r, a, k] (a reward table), so two
    implementations that pull the same arms see the same rewards. Counts pulls like the real env."""

    def __init__(self, means, table, budget):
        self.means, self.table, self.budget = means, table, budget
        self.n_arms = means.shape[1]
        self.ptr = np.zeros(means.shape, dtype=np.int64)
        self.used = np.zeros(means.shape[0], dtype=np.int64)

    def pull(self, r, a):
        x = self.table[r, a, self.ptr[r, a]]
        self.ptr[r, a] += 1
        return x

    def sample(self, arms, counts):
        counts = np.broadcast_to(np.asarray(counts), arms.shape)
        self.used += counts.sum(axis=1)
        if (self.used > self.budget).any():
            raise BudgetExceeded("over budget")
        out = np.zeros(arms.shape)
        for r in range(arms.shape[0]):
            for j in range(arms.shape[1]):
                out[r, j] = sum(self.pull(r, arms[r, j]) for _ in range(int(counts[r, j])))
        return out


def naive_sh(env, r, arms, budget, reuse):
    """Plain SH for one rep: pull one at a time, keep ceil(|S|/2) best by (stage or all) means."""
    S = list(arms)
    L = math.ceil(math.log2(len(S)))
    tot = {i: [0.0, 0] for i in range(len(S))}            # per position: sum, count
    ids = list(range(len(S)))
    for _ in range(L):
        t_l = budget // (len(S) * L)
        means = []
        for pos, a in zip(ids, S):
            s = sum(env.pull(r, a) for _ in range(t_l))
            tot[pos][0] += s
            tot[pos][1] += t_l
            means.append(tot[pos][0] / tot[pos][1] if reuse else s / t_l)
        order = sorted(range(len(S)), key=lambda i: -means[i])[: math.ceil(len(S) / 2)]
        S, ids = [S[i] for i in order], [ids[i] for i in order]
    return S[0]


@pytest.mark.parametrize("reuse", [False, True])
@pytest.mark.parametrize("m,budget", [(8, 8 * 3 * 5), (13, 500), (6, 2000)])
def test_sequential_halving_matches_pull_by_pull_reimplementation(reuse, m, budget):
    """On a Gaussian reward table (no ties), vectorised SH returns the same arm per rep as a
    per-rep implementation that pulls one reward at a time (T_l >= 1 in every stage)."""
    R = 5
    rng = np.random.default_rng(0)
    means = rng.random((R, m))
    table = means[..., None] + rng.standard_normal((R, m, budget))
    arms = np.tile(np.arange(m), (R, 1))
    env = TableEnv(means, table, budget)
    got, _ = sequential_halving(env, arms, budget, np.random.default_rng(1), reuse)
    ref_env = TableEnv(means, table, budget)
    ref = [naive_sh(ref_env, r, arms[r], budget, reuse) for r in range(R)]
    np.testing.assert_array_equal(got, ref)
    L = math.ceil(math.log2(m))
    sizes, s = [], m
    for _ in range(L):
        sizes.append(s)
        s = math.ceil(s / 2)
    assert (env.used == sum(k * (budget // (k * L)) for k in sizes)).all()


def test_sequential_halving_noise_free_and_data_poor():
    """Noise-free rewards: with T >= n ceil(log2 n) SH returns the best arm in every rep; with
    T < n SH's first stages get 0 pulls and halve at random: it then returns the best arm of a
    random subset, never overspends, and returns the global best only sometimes."""
    n, R = 32, 400
    env = PureExplorationEnv(n_arms=n, instance="power", best_mean=1.0, gap=1.0, noise="gaussian", sigma=1e-9)
    out = run_pure(env, SequentialHalving(), n * 5, R, np.random.default_rng(2), np.random.default_rng(3))
    assert (out.simple_regret < 1e-6).all()
    out = run_pure(env, SequentialHalving(), 12, R, np.random.default_rng(2), np.random.default_rng(3))
    assert (out.pulls <= 12).all()
    hit = (out.simple_regret < 1e-6).mean()
    assert 0.0 < hit < 0.5


def test_env_sums_budget_and_gap_scaled_instance():
    """Bernoulli sums have Binomial mean and variance (4 SE); a request past the budget raises
    before sampling; gap_scaled: exactly one arm at best_mean, the rest min(best, c sqrt(n/T))
    below, its position uniform over the arms (chi-square-free check: every position occurs)."""
    env = PureExplorationEnv(n_arms=4, instance="explicit", means=[0.2, 0.5, 0.7, 0.9])
    env.reset(3000, 10**6, np.random.default_rng(0))
    s = env.sample(np.tile(np.arange(4), (3000, 1)), 25)
    for a, mu in enumerate([0.2, 0.5, 0.7, 0.9]):
        assert abs(s[:, a].mean() - 25 * mu) < 4 * math.sqrt(25 * mu * (1 - mu) / 3000)
        assert abs(s[:, a].var() / (25 * mu * (1 - mu)) - 1) < 0.15
    env.reset(2, 10, np.random.default_rng(0))
    env.sample(np.zeros((2, 1), dtype=np.int64), 10)
    with pytest.raises(BudgetExceeded):
        env.sample(np.zeros((2, 1), dtype=np.int64), 1)
    g = PureExplorationEnv(n_arms=64, instance="gap_scaled", best_mean=0.5, gap_scale=2.0)
    g.reset(500, 4096, np.random.default_rng(1))
    assert ((g.means == 0.5).sum(axis=1) == 1).all()
    np.testing.assert_allclose(np.sort(np.unique(g.means)), [0.5 - 2 * math.sqrt(64 / 4096), 0.5])
    assert len(np.unique(g.means.argmax(axis=1))) > 50


def test_bracket_schedule_closed_form_and_lemma8():
    """Brackets open at t = B 2^B (B = 0, 1, ...) with min(n, 2^B) arms; the round-robin gives
    every step to one bracket; the count L_t obeys Zhao et al.'s Lemma 8,
    0.63 log2(1 + t ln 2) < L_t <= 1 + log2(1 + t ln 2)."""
    for t in list(range(1, 200)) + [1000, 4096, 10_000, 65_536]:
        sizes, pulls = bracket_schedule(t, 10**9)
        opened = [B * 2**B for B in range(0, 40) if B * 2**B < t]
        assert len(sizes) == len(opened)
        assert sizes == [min(10**9, 2 ** (B + 1)) for B in range(len(sizes))]
        assert sum(pulls) == t
        x = math.log2(1 + t * math.log(2))
        assert 0.63 * x < len(sizes) <= 1 + x
    sizes, pulls = bracket_schedule(5000, 100)
    assert sizes[-1] == 100 and max(sizes) == 100
    # the first bracket is open from t = 0, the second from t = 2: round robin from there on
    sizes, pulls = bracket_schedule(8, 100)
    assert pulls == [2 + 3, 3]                 # t=0,1: bracket 1; t=2..7 alternate from bracket 2


def test_doubling_blocks_closed_form():
    """Blocks of a size-m bracket: T1 = ceil(m log2 m), then T1 2^k, kept while the cumulative
    sum fits in the bracket's pulls."""
    assert finished_blocks(4, 7) == []
    assert finished_blocks(4, 8) == [8]
    assert finished_blocks(4, 8 + 16 + 31) == [8, 16]
    assert finished_blocks(8, 24 + 48 + 96) == [24, 48, 96]
    assert finished_blocks(5, 12) == [12]                # ceil(5 log2 5) = 12


def test_bsh_returns_best_when_a_full_bracket_finishes():
    """Noise-free means and n = 8, T = 4000: the bracket with all 8 arms finishes a DSH block,
    reports the true best mean, and no other bracket can report more: BSH returns the best arm
    in every rep. With T too small for any block, the returned arm is still valid."""
    env = PureExplorationEnv(n_arms=8, instance="power", best_mean=1.0, gap=1.0, noise="gaussian", sigma=1e-9)
    out = run_pure(env, BracketingSH(), 4000, 100, np.random.default_rng(0), np.random.default_rng(1))
    assert (out.simple_regret < 1e-6).all()
    out = run_pure(env, BracketingSH(), 1, 100, np.random.default_rng(0), np.random.default_rng(1))
    assert (out.pulls == 0).all() and out.arms.min() >= 0 and out.arms.max() < 8


def test_uniform_allocation_counts_and_choice():
    """Uniform allocation spends exactly T; noise-free: with T >= n it returns the best arm, with
    T < n the best of the T pulled arms (a random subset), so its regret is 0 with probability
    T/n -- checked within 4 binomial SEs over 2000 reps."""
    n, R = 20, 2000
    env = PureExplorationEnv(n_arms=n, instance="power", best_mean=1.0, gap=1.0, noise="gaussian", sigma=1e-9)
    out = run_pure(env, UniformAllocation(), 45, R, np.random.default_rng(0), np.random.default_rng(1))
    assert (out.pulls == 45).all() and (out.simple_regret < 1e-6).all()
    out = run_pure(env, UniformAllocation(), 5, R, np.random.default_rng(0), np.random.default_rng(1))
    p = 5 / n
    assert abs((out.simple_regret < 1e-6).mean() - p) < 4 * math.sqrt(p * (1 - p) / R)


def test_sh_simple_regret_scales_like_sqrt_n_over_T_on_equal_gaps():
    """Gaussian equal-gap instances with gap sqrt(n/T): SH's error event is scale-free, so
    SReg * sqrt(T/n) is the same at T = 24 n and T = 384 n (exactly: with the same draws, as
    every stage budget T / (|S_l| ceil(log2 n)) is then an integer) -- the sqrt(n/T) rate of
    Zhao et al.'s Cor. 1.2."""
    vals = []
    for T in (64 * 6 * 4, 64 * 6 * 64):
        env = PureExplorationEnv(n_arms=64, instance="gap_scaled", best_mean=0.5, gap_scale=1.0,
                                 noise="gaussian", sigma=1.0)
        out = run_pure(env, SequentialHalving(), T, 300, np.random.default_rng(4), np.random.default_rng(5))
        vals.append(out.simple_regret.mean() * math.sqrt(T / 64))
    assert vals[0] > 0 and vals[0] == pytest.approx(vals[1], rel=1e-9)


def test_entry_arrays():
    res = run_entry(pure_env=PureExplorationEnv(n_arms=16, instance="uniform"), pure_policy=SequentialHalving(),
                    budget=256, n_reps=7, seed=0)
    assert res.arrays["simple_regret"].shape == (7, 1) and (res.arrays["simple_regret"] >= 0).all()
    np.testing.assert_allclose(res.arrays["normalized"], res.arrays["simple_regret"] * 4.0)
    assert res.scalars["budget_per_arm"] == 16
