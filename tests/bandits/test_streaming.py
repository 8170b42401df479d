"""Streaming env and algorithms against independent computations: brute-force ledgers, hand-
computed budget tables, a second (plain Python) implementation, deterministic 0/1 instances."""

from __future__ import annotations

import math

import numpy as np
import pytest

from algorithms.bandits.streaming.env import BernoulliStream, StreamMemoryError, StreamProtocolError
from algorithms.bandits.streaming.eps_best import StreamEpsBest
from algorithms.bandits.streaming.levels import budget_table, play_levels
from algorithms.bandits.streaming.uniform import StreamUniform

from ._stream_ref import play_reference


def fixed_env(means, horizon, memory=5, checkpoints=None, seed=0):
    """A one-rep stream with explicit means (arrival order): a drawn instance, overwritten."""
    env = BernoulliStream(n_arms=len(means), instance="mix_in", memory=memory)
    env.reset(1, horizon, np.random.default_rng(seed), checkpoints)
    env.state.means[0, :] = means
    env.state.best[0] = max(means)
    return env


def test_read_is_single_pass_in_arrival_order_and_memory_is_enforced():
    env = fixed_env([0.1, 0.2, 0.3, 0.4], 100, memory=2)
    s0, s1 = env.read(0), env.read(0)
    assert (s0, s1) == (0, 1) and list(env.state.slots[0]) == [0, 1]
    with pytest.raises(StreamMemoryError):
        env.read(0)                          # both slots hold arms
    env.discard(0, s0)
    assert env.read(0) == 0 and env.state.slots[0, 0] == 2        # arm 2 arrives, never arm 0 again
    env.discard(0, 0)
    env.discard(0, 1)
    assert env.read(0) == 0 and env.state.slots[0, 0] == 3
    assert env.read(0) == -1                 # stream over: no way back to discarded arms
    assert env.state.peak[0] == 2


def test_pull_protocol_errors():
    env = fixed_env([0.5, 0.6], 10, memory=2)
    with pytest.raises(StreamProtocolError):
        env.pull(0, 0, 1)                    # empty slot
    s = env.read(0)
    env.pull(0, s, 10)
    with pytest.raises(StreamProtocolError):
        env.pull(0, s, 1)                    # beyond T
    with pytest.raises(StreamProtocolError):
        env.discard(0, 1)                    # empty slot


def test_regret_ledger_and_checkpoints_match_per_pull_brute_force():
    """Batches of pulls charge n*(mu* - mu); checkpoint regrets equal the per-pull running sum
    recomputed from an expanded list of every single pull."""
    means = [0.3, 0.9, 0.5]
    ck = np.array([1, 2, 5, 7, 13, 20, 21, 30])
    env = fixed_env(means, 30, checkpoints=ck)
    plan = [(0, 4), (1, 9), (2, 1), (1, 16)]             # (arm, pulls), arms read in order
    slots = {}
    for arm, n in plan:
        if arm not in slots:
            slots[arm] = env.read(0)
        env.pull(0, slots[arm], n)
    per_pull = [0.9 - means[a] for a, n in plan for _ in range(n)]
    running = np.cumsum(per_pull)
    np.testing.assert_allclose(env.state.ck_regret[0], running[ck - 1], atol=1e-12)
    assert env.state.regret[0] == pytest.approx(running[-1])


def test_deterministic_rewards_for_0_1_means():
    env = fixed_env([0.0, 1.0], 50)
    a, b = env.read(0), env.read(0)
    assert env.pull(0, a, 7) == 0 and env.pull(0, b, 7) == 7


@pytest.mark.parametrize("instance", ["clear_cut", "mix_in", "gap"])
def test_instances(instance):
    env = BernoulliStream(n_arms=50, instance=instance, best_mean=0.7, gap=0.2)
    means = env.draw_means(400, np.random.default_rng(1))
    assert means.shape == (400, 50) and ((means >= 0) & (means <= 1)).all()
    if instance == "clear_cut":
        assert ((means == 0.82).sum(axis=1) == 1).all()
        assert (np.sort(means, axis=1)[:, -2] <= 0.8).all()
        body = means[means != 0.82]
        assert abs(body.mean() - 0.5) < 0.01          # truncation at 0.8 / 0 is ~symmetric-ish
    if instance == "gap":
        assert ((means == 0.7).sum(axis=1) == 1).all() and np.allclose(np.sort(means, axis=1)[:, :-1], 0.5)
    # the best arm's position is uniform over the stream: every position gets some best arm
    if instance != "mix_in":
        assert np.unique(means.argmax(axis=1)).size > 40


def test_budget_tables_match_hand_computation():
    """K = 100, T = 10^6: eps = (1e-4)^(1/3), 1/eps^2 = 464.158...; values worked out by hand."""
    K, T = 100, 10**6
    inv = (T / K) ** (2 / 3)
    assert inv == pytest.approx(464.1588834)
    b, c, f = budget_table("uniform", K, T)
    assert list(b) == [math.ceil(464.1588834 * 13.815510558 ** (1 / 3))] == [1114] and list(c) == [-1]
    b, c, _ = budget_table("naive", K, T)
    assert list(b) == [2138]                                  # ln 100 * 464.16 = 2137.49
    b, c, _ = budget_table("loglog", K, T)                    # floor(ln ln 100) + 1 = 2 levels
    assert list(b) == [465, 2138] and list(c) == [4650, -1]
    b, c, _ = budget_table("log", K, T)                       # floor(ln 100) = 4 levels
    assert list(b) == [465, 557, 669, 803] and list(c) == [2790, 3342, 4014, -1]
    b, c, f = budget_table("logstar", 1000, T)               # 1000 -> 6.9 -> 1.93 -> 0.66: 4 levels
    inv = (T / 1000) ** (2 / 3)                               # 100
    assert list(b) == [100, 400, 1600, T] and f == 100
    assert list(c) == [400, 4 * 400, min(4096 * 1600, 2 * T), -1]   # caps clipped to 2T


def test_uniform_on_deterministic_stream_closed_form():
    """Means 0/1 make every comparison deterministic: uniform explores every arm m times, keeps the
    first 1-arm, commits: regret = m * (number of 0-arms)."""
    means = [0.0, 1.0, 0.0, 1.0, 0.0]
    T = 10**5
    env = fixed_env(means, T)
    StreamUniform().play(env, np.random.default_rng(0))
    m = int(budget_table("uniform", 5, T)[0][0])
    assert m == math.ceil((T / 5) ** (2 / 3) * math.log(T) ** (1 / 3))
    assert env.state.regret[0] == pytest.approx(3 * m)
    assert env.state.used[0] == T and env.state.pos[0] == 5 and env.state.peak[0] == 2


def test_budget_exhausted_mid_stream_stops_reading():
    env = fixed_env([0.2] * 20 + [0.9], 50)
    StreamUniform().play(env, np.random.default_rng(0))     # m = ceil((50/21)^(2/3) ln^(1/3) 50) = 3
    assert env.state.used[0] == 50 and env.state.pos[0] == math.ceil(50 / 3)
    assert env.state.regret[0] == pytest.approx(50 * 0.7)


@pytest.mark.parametrize("variant", ["uniform", "naive", "log", "loglog", "logstar"])
@pytest.mark.parametrize("K,T", [(7, 3000), (60, 10**5), (300, 10**6)])
def test_kernel_equals_plain_python_reference(variant, K, T):
    """The numba kernel and a plain Python re-implementation make identical env calls: same
    regret, checkpoint curve, peak memory and arms read, for every rep (same env seed)."""
    outs = []
    for impl in ("kernel", "reference"):
        env = BernoulliStream(n_arms=K, instance="clear_cut", memory=8)
        env.reset(6, T, np.random.default_rng([K, T]), np.array([1, T // 7, T // 2, T]))
        batch, cap, final = budget_table(variant, K, T)
        if impl == "kernel":
            play_levels(env.state, env.rng, batch, cap, final)
        else:
            play_reference(env, batch, cap, final)
        outs.append(env.state)
    a, b = outs
    for field in ("regret", "ck_regret", "peak", "pos", "used"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field), err_msg=field)
    assert (a.used == T).all()


@pytest.mark.parametrize("variant", ["naive", "log", "loglog", "logstar"])
def test_eps_best_memory_is_levels_plus_one_and_enforced(variant):
    K, T = 2000, 10**7
    pol = StreamEpsBest(variant)
    need = pol.slots(K, T)
    assert need == budget_table(variant, K, T)[0].size + 1
    env = BernoulliStream(n_arms=K, memory=need)
    env.reset(5, T, np.random.default_rng(0))
    pol.play(env, np.random.default_rng(1))
    assert (env.state.peak <= need).all() and (env.state.used == T).all()
    if need > 2:
        small = BernoulliStream(n_arms=K, memory=need - 1)
        small.reset(5, T, np.random.default_rng(0))
        with pytest.raises(ValueError, match="arm slots"):
            pol.play(small, np.random.default_rng(1))


def test_env_enforces_memory_even_without_the_policy_check():
    """Bypassing the policy's declared-slots check, the env itself stops a 3-level tournament run
    with 2 slots as soon as a third arm would be stored."""
    K, T = 200, 10**6
    batch, cap, final = budget_table("log", K, T)
    env = BernoulliStream(n_arms=K, memory=2)
    env.reset(3, T, np.random.default_rng(0))
    with pytest.raises(StreamMemoryError):
        play_levels(env.state, env.rng, batch, cap, final)


def test_eps_best_commits_to_a_near_best_arm_on_an_easy_instance():
    """gap instance (0.9 vs 0.3): the eps-best arm is the best arm; all regret is exploration, so
    regret <= 0.6 * (pulls before the commit) << 0.6 T."""
    K, T = 50, 10**7
    for variant in ("log", "loglog", "logstar"):
        env = BernoulliStream(n_arms=K, instance="gap", best_mean=0.9, gap=0.6, memory=8)
        env.reset(20, T, np.random.default_rng(3))
        StreamEpsBest(variant).play(env, np.random.default_rng(0))
        b, _, final = budget_table(variant, K, T)
        bound = 0.6 * (K * b.max() * 2 + b.size * final)
        assert (env.state.regret <= bound).all(), variant
