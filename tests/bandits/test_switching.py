"""Switching-cost protocol: loss sequences, the loop's accounting, and the batched policies,
each against an independent computation (a direct construction of the random walk, a
per-round Python recomputation of the regret, a per-rep re-implementation of batched Exp3,
closed forms of the Hedge weights and of the budget plans)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from algorithms.bandits.switching.batched_exp3 import BatchedExp3
from algorithms.bandits.switching.exp_weights import (bandit_bound, default_batch, full_batch,
                                                       full_bound, probabilities)
from algorithms.bandits.switching.extra_obs import ExtraObservations
from algorithms.bandits.switching.losses import IIDLosses, RandomWalkLosses
from algorithms.bandits.switching.simulate import BudgetExceeded, simulate_switching
from algorithms.bandits.switching.total_budget import TotalBudget, bandit_plan
from algorithms.bandits.switching.uniform import UniformSwitching
from experiments.bandits_switching import run as run_entry


class Recorder:
    """Wraps a policy; records arms and the observation matrices it is given."""

    feedbacks = ("extra", "total")

    def __init__(self, inner):
        self.inner = inner

    def reset(self, *args):
        self.inner.reset(*args)
        self.arms, self.obs, self.masks = [], [], []

    def select(self, t):
        a = np.array(self.inner.select(t), copy=True)
        self.arms.append(a)
        return a

    def request(self, t):
        m = self.inner.request(t)
        self.masks.append(None if m is None else m.copy())
        return m

    def update(self, t, arms, obs):
        self.obs.append(obs.copy())
        self.inner.update(t, arms, obs)


class Greedy:
    """Test policy: arm 0 always, requests every loss every round."""

    feedbacks = ("extra", "total")

    def reset(self, K, n_reps, T, budget, feedback, rng):
        self.K, self.n = K, n_reps

    def select(self, t):
        return np.zeros(self.n, dtype=np.int64)

    def request(self, t):
        return np.ones((self.n, self.K), dtype=bool)

    def update(self, t, arms, obs):
        pass


def rows_of(losses, n_reps, T, seed):
    losses.reset(n_reps, T, np.random.default_rng(seed))
    return np.array([losses.row(t) for t in range(T)])            # (T, n_reps, K)


def test_random_walk_equals_direct_construction():
    """Lazy stack walk == W_t = W_{rho(t)} + sigma xi_t built over a full array from the same
    normal draws (drawn after the best actions), then clip(1/2 + W_t - gap 1{a = best})."""
    K, R, T, sigma, gap = 3, 4, 300, 0.1, 0.2
    got = rows_of(RandomWalkLosses(n_arms=K, gap=gap, sigma=sigma), R, T, seed=5)
    rng = np.random.default_rng(5)
    best = rng.integers(0, K, size=R)
    W = np.zeros((T + 1, R))
    for t in range(1, T + 1):
        W[t] = W[t - (t & -t)] + sigma * rng.standard_normal(R)
    ref = np.clip(0.5 + W[1:, :, None] - gap * (np.arange(K) == best[:, None])[None], 0, 1)
    np.testing.assert_array_equal(got, ref)
    assert [RandomWalkLosses.parent(t) for t in (1, 2, 3, 4, 6, 12, 13)] == [0, 0, 2, 0, 4, 8, 12]


def test_random_walk_default_constants_and_noise():
    """gap/sigma null -> 1/(9 log2 T) and K^{1/3} T^{-1/3} / (9 log2 T); noise > 0 makes the
    actions' losses differ by more than the gap at some rounds."""
    L = RandomWalkLosses(n_arms=8)
    L.reset(2, 4096, np.random.default_rng(0))
    assert L.sigma == pytest.approx(1 / (9 * 12)) and L.gap == pytest.approx(2 / 16 / (9 * 12))
    rows = rows_of(RandomWalkLosses(n_arms=2, gap=0.1, sigma=0.01, noise=0.2), 3, 200, seed=1)
    assert np.abs(rows[..., 0] - rows[..., 1]).max() > 0.3


def test_iid_losses_frequencies_and_independence():
    """Empirical mean per action within 4 SE of its Bernoulli mean; the two actions' losses are
    uncorrelated within a rep (|corr| of the rep-centred losses < 4/sqrt(n))."""
    rows = rows_of(IIDLosses(n_arms=2, base=0.6, gap=0.3), 50, 2000, seed=2)
    L = IIDLosses(n_arms=2, base=0.6, gap=0.3)
    L.reset(50, 2000, np.random.default_rng(2))
    for a in range(2):
        p = L.mu[:, a][None, :]
        emp, mu = rows[..., a].mean(), np.broadcast_to(p, rows[..., a].shape).mean()
        assert abs(emp - mu) < 4 * math.sqrt(0.25 / rows[..., a].size)
    centred = rows - rows.mean(axis=0, keepdims=True)
    x, y = centred[..., 0].ravel(), centred[..., 1].ravel()
    assert abs(np.corrcoef(x, y)[0, 1]) < 4 / math.sqrt(x.size)


@pytest.mark.parametrize("feedback", ["extra", "total"])
def test_regret_and_switches_match_per_round_recomputation(feedback):
    """regret = own losses + switches - min_a cumulative loss, recomputed in Python from the
    regenerated (oblivious) loss rows and the recorded arms, at every checkpoint."""
    K, R, T = 3, 5, 400
    pol = Recorder(UniformSwitching(batch=7))
    ck = np.array([1, 50, 399, 400])
    out = simulate_switching(IIDLosses(n_arms=K, gap=0.2), pol, T, R, 0, feedback,
                             np.random.default_rng(3), np.random.default_rng(4), ck, switch_cost=0.5)
    rows = rows_of(IIDLosses(n_arms=K, gap=0.2), R, T, seed=3)
    arms = np.array(pol.arms)
    for r in range(R):
        own = cum = sw = 0.0
        cum = np.zeros(K)
        got = []
        for t in range(T):
            own += rows[t, r, arms[t, r]]
            cum += rows[t, r]
            sw += t > 0 and arms[t, r] != arms[t - 1, r]
            if t + 1 in ck:
                got.append((own + 0.5 * sw - cum.min(), sw))
        np.testing.assert_allclose(out.regret[r], [g[0] for g in got], rtol=1e-12)
        np.testing.assert_array_equal(out.switches[r], [g[1] for g in got])
    assert (out.observations == 0).all()


def test_observations_feedback_and_budget_enforcement():
    """'extra': the played action's loss is given for free, others only when requested and
    charged; 'total': nothing is free. A policy requesting everything hits BudgetExceeded
    exactly when its count passes the budget."""
    K, R, T = 3, 2, 10
    rec = Recorder(UniformSwitching())
    simulate_switching(IIDLosses(n_arms=K), rec, T, R, 0, "extra", np.random.default_rng(0), np.random.default_rng(1))
    for a, o in zip(rec.arms, rec.obs):
        assert (~np.isnan(o)).sum(axis=1).tolist() == [1, 1]
        assert not np.isnan(o[np.arange(R), a]).any()
    rec = Recorder(UniformSwitching())
    simulate_switching(IIDLosses(n_arms=K), rec, T, R, 0, "total", np.random.default_rng(0), np.random.default_rng(1))
    assert all(np.isnan(o).all() for o in rec.obs)
    out = simulate_switching(IIDLosses(n_arms=K), Greedy(), 4, R, (K - 1) * 4, "extra",
                             np.random.default_rng(0), np.random.default_rng(1))
    assert (out.observations == (K - 1) * 4).all()
    with pytest.raises(BudgetExceeded):
        simulate_switching(IIDLosses(n_arms=K), Greedy(), 4, R, K * 4 - 1, "total",
                           np.random.default_rng(0), np.random.default_rng(1))


def naive_batched_exp3(rows, T, K, tau, eta, rng, R):
    """Per-rep Python Exp3 over batches (losses, no mixing) with the same uniform draws."""
    Lhat = [[0.0] * K for _ in range(R)]
    arms_out = np.zeros((T, R), dtype=np.int64)
    start = 0
    while start < T:
        end = min(start + tau, T)
        u = rng.random(R)
        for r in range(R):
            m = max(-eta * x for x in Lhat[r])
            w = [math.exp(-eta * x - m) for x in Lhat[r]]
            p = [x / sum(w) for x in w]
            cdf = np.cumsum(p)
            a = min(int((cdf <= u[r] * cdf[-1]).sum()), K - 1)
            arms_out[start:end, r] = a
            Lhat[r][a] += rows[start:end, r, a].mean() / p[a]
        start = end
    return arms_out


def test_batched_exp3_matches_naive_implementation():
    """Arms of BatchedExp3 (extra feedback, all own losses seen) == a per-rep re-implementation
    of Exp3 on batch averages with p = softmax(-eta Lhat), eta = sqrt(2 ln K / (N K))."""
    K, R, T, tau = 3, 4, 250, 9
    rec = Recorder(BatchedExp3(batch=tau))
    simulate_switching(IIDLosses(n_arms=K, gap=0.3), rec, T, R, 0, "extra",
                       np.random.default_rng(7), np.random.default_rng(8))
    rows = rows_of(IIDLosses(n_arms=K, gap=0.3), R, T, seed=7)
    eta = math.sqrt(2 * math.log(K) / (math.ceil(T / tau) * K))
    ref = naive_batched_exp3(rows, T, K, tau, eta, np.random.default_rng(8), R)
    np.testing.assert_array_equal(np.array(rec.arms), ref)


def test_full_regime_weights_budget_and_batches():
    """ExtraObservations(full): (a) one observed round per batch, K-1 extras each, total within
    budget; (b) the action is constant within a batch; (c) log-weights equal the closed form
    -eta sum_b tau_b l_{s_b} (up to a per-rep constant) from the recorded observations."""
    K, R, T, B = 3, 6, 600, 100
    pol = ExtraObservations(mode="full")
    rec = Recorder(pol)
    out = simulate_switching(RandomWalkLosses(n_arms=K, gap=0.2, sigma=0.05, noise=0.1), rec, T, R, B, "extra",
                             np.random.default_rng(1), np.random.default_rng(2))
    tau = full_batch(T, K - 1, B)
    assert pol.regime == "full" and pol.tau == tau == 12
    n_b = math.ceil(T / tau)
    assert (out.observations == (K - 1) * n_b).all() and (out.observations <= B).all()
    arms = np.array(rec.arms)
    for b in range(n_b):
        blk = arms[b * tau:(b + 1) * tau]
        assert (blk == blk[0]).all()
    obs = np.array(rec.obs)                                            # (T, R, K)
    full_rows = ~np.isnan(obs).any(axis=2)
    assert (full_rows.reshape(n_b, tau, R).sum(axis=1) == 1).all()
    eta = math.sqrt(8 * math.log(K) / n_b) / tau
    ref = np.zeros((R, K))
    for t in range(T):
        ref[full_rows[t]] -= eta * tau * obs[t][full_rows[t]]
    got = pol.core.log_w
    np.testing.assert_allclose(got - got.max(axis=1, keepdims=True), ref - ref.max(axis=1, keepdims=True), atol=1e-9)


def test_shrinking_dartboard_keeps_the_hedge_marginal():
    """Across 4000 reps, the frequency of each action in the last batch equals the mean Hedge
    probability of that batch within 4 binomial SEs (the dartboard coupling is exact in law)."""
    K, R, T, B = 3, 4000, 60, 200
    pol = ExtraObservations(mode="full", batch=6)
    rec = Recorder(pol)
    losses = IIDLosses(n_arms=K, base=0.5, gap=0.3)
    simulate_switching(losses, rec, T - 6, R, B, "extra", np.random.default_rng(3), np.random.default_rng(4))
    p = probabilities(pol.core.log_w)                                 # distribution of the next batch
    a = pol.core.arms
    for k in range(K):
        pk = p[:, k].mean()
        assert abs((a == k).mean() - pk) < 4 * math.sqrt(pk * (1 - pk) / R) + 1e-3


def test_budget_plans_and_bounds_closed_forms():
    """default_batch = ceil((2T/(K ln K))^{1/3}); full_batch is the smallest tau with
    ceil(T/tau) cost <= B (checked by brute force over tau); bandit_plan's observations fit B;
    the bounds equal their formulas."""
    assert default_batch(8000, 4) == math.ceil((16000 / (4 * math.log(4))) ** (1 / 3))
    for T, cost, B in [(1000, 3, 50), (1000, 1, 1000), (777, 4, 4), (50, 2, 1)]:
        brute = next((t for t in range(1, T + 1) if math.ceil(T / t) * cost <= B), None)
        assert full_batch(T, cost, B) == brute
    for T, K, B in [(10_000, 4, 30), (10_000, 4, 5000), (10_000, 2, 10**6)]:
        tau, m = bandit_plan(T, K, B)
        assert math.ceil(T / tau) * m <= max(B, math.ceil(T / tau)) and 1 <= m <= tau
    assert bandit_bound(100, 2, 5) == pytest.approx(math.sqrt(2 * 100 * 5 * 2 * math.log(2)) + 20)
    assert full_bound(100, 2, 5) == pytest.approx(math.sqrt(100 * 5 * math.log(2) / 2) + math.sqrt(8 * math.log(2) * 20))


@pytest.mark.parametrize("B", [1, 30, 1000, 40_000])
def test_total_budget_stays_within_budget(B):
    """TotalBudget never requests more than B observations (the loop would raise), for budgets
    from below one per batch to above K T."""
    out = run_entry(loss_sequence=IIDLosses(n_arms=4, gap=0.3), switching_policy=TotalBudget(),
                    horizon=3000, n_reps=8, seed=0, budget=B, feedback="total")
    assert out.arrays["observations"].max() <= B


def test_extra_observations_regime_choice_and_gain():
    """mode=auto stays bandit (extras unused, identical to mode=bandit) at B_ex = 0.03 T^{2/3},
    goes full at 10 T^{2/3}, and there its regret is below the bandit regime's (paired CI, same
    losses) on the random walk."""
    kw = dict(loss_sequence=RandomWalkLosses(n_arms=4, gap=0.45, sigma=0.02), horizon=4000, n_reps=60, seed=1)
    lo_auto = run_entry(switching_policy=ExtraObservations(), budget_ratio=0.03, **kw)
    lo_band = run_entry(switching_policy=ExtraObservations(mode="bandit"), budget_ratio=0.03, **kw)
    np.testing.assert_array_equal(lo_auto.arrays["regret"], lo_band.arrays["regret"])
    assert lo_auto.scalars["full_regime"] == 0 and lo_auto.scalars["observations"] == 0
    hi_auto = run_entry(switching_policy=ExtraObservations(), budget_ratio=10, **kw)
    assert hi_auto.scalars["full_regime"] == 1
    d = lo_band.arrays["regret"][:, -1] - hi_auto.arrays["regret"][:, -1]
    assert d.mean() - 3.3 * d.std(ddof=1) / math.sqrt(d.size) > 0


def test_entry_rejects_unsupported_feedback():
    with pytest.raises(ValueError, match="feedback"):
        run_entry(loss_sequence=IIDLosses(), switching_policy=ExtraObservations(), horizon=10,
                  n_reps=2, seed=0, feedback="total")
