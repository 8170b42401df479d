"""Piecewise-stationary env, SW-UCB and D-UCB against independent computations.

References: the env's change points / means against the schedule written out by hand; its
dynamic regret against a per-step Python sum over recorded means; SW-UCB and D-UCB against
straightforward re-implementations that recompute every statistic from the full play history
at every step (no ring buffer, no recursive discounting).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from algorithms.bandits.arm_order import ArmOrder
from algorithms.bandits.d_ucb import DiscountedUCB, default_gamma
from algorithms.bandits.gaussian_env import GaussianEnv
from algorithms.bandits.piecewise_env import PiecewiseBernoulliEnv
from algorithms.bandits.sw_ucb import SlidingWindowUCB, default_window
from algorithms.bandits.ucb1 import UCB1
from algorithms.bandits.uniform import Uniform
from experiments.bandits_nonstationary import run as run_entry

from .conftest import AlwaysArm


def drive(env, policy, horizon, n_reps, seed=0):
    """Plain loop recording the true means, realised rows and arms of every step."""
    env.reset(n_reps, np.random.default_rng([seed, 1]))
    policy.reset(env.n_arms, n_reps, horizon, np.random.default_rng([seed, 2]))
    mus, rows, arms_all = [], [], []
    for t in range(horizon):
        arms = policy.select(t).copy()
        mus.append(env.true_means.copy())
        rows.append(env.means.copy())
        policy.update(arms, env.pull(arms))
        arms_all.append(arms)
    return np.array(mus), np.array(rows), np.array(arms_all)


def test_fixed_schedule_changes_exactly_at_multiples_of_L_and_rotate_moves_the_best_arm():
    """Means change exactly at t = L, 2L, ... (0-based step of the new segment) and nowhere
    else; with segment_means=rotate the best arm differs across every change and the means are
    {best_mean, best_mean - gap}."""
    L, T = 7, 50
    env = PiecewiseBernoulliEnv(n_arms=4, segment_length=L, schedule="fixed", segment_means="rotate",
                                best_mean=0.8, gap=0.3)
    mus, _, _ = drive(env, Uniform(), T, 5)
    changed = [t for t in range(1, T) if not np.array_equal(mus[t], mus[t - 1])]
    assert changed == list(range(L, T, L))
    for t in changed:
        assert (mus[t].argmax(axis=1) != mus[t - 1].argmax(axis=1)).all()
    assert set(np.unique(mus).round(12)) == {0.5, 0.8}
    assert (env.n_changes == T // L).all()


def test_random_schedule_has_geometric_segments_with_mean_L():
    """Segment lengths pooled over reps: mean within 4 SE of L (geometric law, variance
    L^2 - L) and every segment of uniform-means instances really changes the means."""
    L, T, R = 20, 4000, 50
    env = PiecewiseBernoulliEnv(n_arms=3, segment_length=L, schedule="random", segment_means="uniform")
    mus, _, _ = drive(env, Uniform(), T, R)
    lengths = []
    for r in range(R):
        cps = [0] + [t for t in range(1, T) if not np.array_equal(mus[t, r], mus[t - 1, r])]
        lengths += list(np.diff(cps))
    lengths = np.array(lengths, dtype=float)
    se = math.sqrt(L * L - L) / math.sqrt(lengths.size)
    assert abs(lengths.mean() - L) < 4 * se, (lengths.mean(), se)


def test_common_random_numbers_across_policies():
    """Two different policies on one env seed: identical means sequence and identical realised
    reward rows (the env stream never depends on the arms played)."""
    env = PiecewiseBernoulliEnv(n_arms=3, segment_length=30, schedule="random", segment_means="uniform")
    a = drive(env, AlwaysArm(0), 300, 4, seed=3)
    b = drive(env, UCB1(), 300, 4, seed=3)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[2], b[2])


def test_realised_rewards_are_bernoulli_of_the_current_means():
    """Mean realised reward of each arm over all (step, rep) cells equals the mean of mu_t
    within 4 binomial SEs."""
    env = PiecewiseBernoulliEnv(n_arms=3, segment_length=50, segment_means="uniform")
    mus, rows, _ = drive(env, Uniform(), 2000, 20)
    for a in range(3):
        p = mus[..., a].mean()
        se = math.sqrt(p * (1 - p) / rows[..., a].size)
        assert abs(rows[..., a].mean() - p) < 4 * se


def test_dynamic_regret_equals_per_step_sum():
    """env.dynamic_regret(_at) equals sum_t (max_a mu_t[a] - mu_t[a_t]) summed in Python over
    the recorded means and arms."""
    env = PiecewiseBernoulliEnv(n_arms=4, segment_length=25, schedule="random", segment_means="uniform")
    ck = np.array([1, 10, 99, 200])
    env.record_dynamic_regret(ck)
    mus, _, arms = drive(env, UCB1(), 200, 6, seed=4)
    for r in range(6):
        acc, at = 0.0, []
        for t in range(200):
            acc += max(mus[t, r]) - mus[t, r, arms[t, r]]
            if t + 1 in ck:
                at.append(acc)
        assert env.dynamic_regret[r] == pytest.approx(acc, rel=1e-12)
        np.testing.assert_allclose(env.dynamic_regret_at[r], at, rtol=1e-12)


def test_default_tunings_closed_forms():
    """tau = ceil(2B sqrt(T log T / Upsilon)) and gamma = 1 - sqrt(Upsilon/T)/(4B)
    (Garivier & Moulines 2011), evaluated by hand for T = 10^4, Upsilon = 4, B = 1."""
    assert default_window(10_000, 4) == math.ceil(2 * math.sqrt(10_000 * math.log(10_000) / 4))
    assert default_window(10_000, 4) == 304
    assert default_gamma(10_000, 4) == pytest.approx(1 - 0.02 / 4)


def naive_sw_choice(hist, t, perm_r, K, tau, xi, B):
    if t < K:
        return perm_r[t]
    window = hist[max(0, t - tau):t]
    best, arm = -math.inf, None
    for j in range(K):
        a = perm_r[j]
        xs = [x for (b, x) in window if b == a]
        idx = math.inf if not xs else sum(xs) / len(xs) + B * math.sqrt(xi * math.log(min(t, tau)) / len(xs))
        if idx > best:
            best, arm = idx, a
    return arm


def naive_d_choice(hist, t, perm_r, K, gamma, xi, B):
    if t < K:
        return perm_r[t]
    N, S = [0.0] * K, [0.0] * K
    for s, (b, x) in enumerate(hist[:t]):
        w = gamma ** (t - 1 - s)
        N[b] += w
        S[b] += w * x
    n = sum(N)
    best, arm = -math.inf, None
    for j in range(K):
        a = perm_r[j]
        idx = S[a] / N[a] + 2 * B * math.sqrt(xi * math.log(n) / N[a])
        if idx > best:
            best, arm = idx, a
    return arm


@pytest.mark.parametrize("which", ["sw", "d"])
def test_policies_match_naive_recomputation(which):
    """Arms chosen at every step equal those of a from-scratch recomputation over the history
    (same per-rep slot priority for ties). SW-UCB on a piecewise Bernoulli env (0/1 rewards,
    exact sums); D-UCB on a Gaussian env (continuous rewards: no exact ties)."""
    K, T, R = 3, 400, 4
    if which == "sw":
        env = PiecewiseBernoulliEnv(n_arms=K, segment_length=60, segment_means="uniform")
        pol, tau = SlidingWindowUCB(window=37, xi=0.6), 37
    else:
        env = GaussianEnv(n_arms=K, instance="uniform", sigma=0.3)
        pol, gamma = DiscountedUCB(gamma=0.97, xi=0.6), 0.97
    env.reset(R, np.random.default_rng(1))
    pol.reset(K, R, T, np.random.default_rng(2))
    perm = ArmOrder(K, R, np.random.default_rng(2)).perm
    hist = [[] for _ in range(R)]
    for t in range(T):
        arms = pol.select(t).copy()
        for r in range(R):
            ref = (naive_sw_choice(hist[r], t, perm[r], K, tau, 0.6, 1.0) if which == "sw"
                   else naive_d_choice(hist[r], t, perm[r], K, gamma, 0.6, 1.0))
            assert arms[r] == ref, (t, r)
        rewards = env.pull(arms)
        pol.update(arms, rewards)
        for r in range(R):
            hist[r].append((int(arms[r]), float(rewards[r])))


def test_sliding_window_ucb_beats_ucb1_after_changes():
    """On K=3 arms whose means are redrawn U[0,1] every 2000 steps (T = 20000, 200 reps, same
    env draws for both), SW-UCB's mean dynamic regret is below UCB1's with the paired 99.9% CI
    of the difference excluding 0 -- UCB1 keeps trusting statistics from old segments."""
    kw = dict(env=PiecewiseBernoulliEnv(n_arms=3, segment_length=2000, segment_means="uniform"),
              horizon=20_000, n_reps=200, seed=5, n_points=10)
    ucb = run_entry(policy=UCB1(), **kw).arrays["regret"][:, -1]
    sw = run_entry(policy=SlidingWindowUCB(breakpoints=9), **kw).arrays["regret"][:, -1]
    d = ucb - sw
    assert d.mean() - 3.3 * d.std(ddof=1) / math.sqrt(d.size) > 0, (ucb.mean(), sw.mean())


def test_entry_arrays_and_invariants():
    """Entry: per-rep dynamic regret is >= 0 and nondecreasing, with shapes (n_reps, n_ck);
    an env without the dynamic-regret hook is rejected."""
    res = run_entry(env=PiecewiseBernoulliEnv(n_arms=3, segment_length=50), policy=UCB1(),
                    horizon=500, n_reps=5, seed=0, n_points=20)
    reg = res.arrays["regret"]
    assert reg.shape == (5, res.arrays["checkpoints"].size)
    assert (reg >= 0).all() and (np.diff(reg, axis=1) >= -1e-12).all()
    assert (res.arrays["n_changes"] == 10).all()
    with pytest.raises(TypeError, match="piecewise"):
        run_entry(env=GaussianEnv(), policy=UCB1(), horizon=10, n_reps=2, seed=0)
