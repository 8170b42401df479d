"""Linear env and policies against independent computations: a linear program for the
misspecification level, closed forms of the construction, from-scratch ridge solves, and plain
reference implementations of OFUL / DS-OFUL / SupLinUCB (tests/bandits/_linear_ref.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.optimize import linprog

from algorithms.bandits.linear.env import MisspecifiedLinearEnv, hidden_best_rewards
from algorithms.bandits.linear.oful import OFUL
from algorithms.bandits.linear.kernels import ridge_add, ridge_init
from algorithms.bandits.linear.simulate import simulate_linear
from algorithms.bandits.linear.sup_lin_ucb import SupLinUCB

from ._linear_ref import oful_reference, sup_lin_ucb_reference


def min_misspecification(X, r):
    """min over theta of max_a |r_a - <theta, x_a>|, by linear programming (variables theta, z)."""
    K, d = X.shape
    c = np.r_[np.zeros(d), 1.0]
    A = np.block([[X, -np.ones((K, 1))], [-X, -np.ones((K, 1))]])
    b = np.r_[r, -r]
    res = linprog(c, A_ub=A, b_ub=b, bounds=[(None, None)] * d + [(0, None)], method="highs")
    assert res.status == 0
    return res.fun


@pytest.mark.parametrize("dim,gap,zeta", [(2, 0.3, 0.05), (8, 0.2, 0.01), (8, 0.2, 0.3), (16, 0.5, 0.1)])
def test_hidden_best_has_exact_gap_and_misspecification(dim, gap, zeta):
    env = MisspecifiedLinearEnv(dim=dim, gap=gap, zeta=zeta, noise=1.0)
    env.reset(5, np.random.default_rng(0))
    assert env.features.shape == (5, dim + 1, dim)
    np.testing.assert_allclose(np.linalg.norm(env.features, axis=2), 1.0)
    np.testing.assert_allclose(env.gap_realised, gap, atol=1e-12)
    for r in range(5):
        assert min_misspecification(env.features[r], env.means[r]) == pytest.approx(zeta, abs=1e-7)
        # Gram matrix of the arms is rotation invariant: basis arms orthonormal, <x*, e_i> = 1/sqrt d
        G = env.features[r] @ env.features[r].T
        best = int(env.means[r].argmax())
        others = [a for a in range(dim + 1) if a != best]
        np.testing.assert_allclose(G[np.ix_(others, others)], np.eye(dim), atol=1e-12)
        np.testing.assert_allclose(G[best, others], 1 / math.sqrt(dim), atol=1e-12)


@pytest.mark.parametrize("dim,zeta", [(4, 0.02), (8, 0.05), (8, 0.2)])
def test_least_squares_on_basis_arms_underpredicts_best_by_sqrt_d_plus_1_zeta(dim, zeta):
    """The adversarial placement: fit theta on the basis arms only (exact data), predict x*:
    prediction = r* - (sqrt d + 1) zeta (closed form of the construction)."""
    gap = 0.2
    env = MisspecifiedLinearEnv(dim=dim, gap=gap, zeta=zeta)
    env.reset(3, np.random.default_rng(1))
    _, r_star = hidden_best_rewards(dim, gap, zeta)
    for r in range(3):
        best = int(env.means[r].argmax())
        basis = [a for a in range(dim + 1) if a != best]
        theta = np.linalg.lstsq(env.features[r, basis], env.means[r, basis], rcond=None)[0]
        assert env.features[r, best] @ theta == pytest.approx(r_star - (math.sqrt(dim) + 1) * zeta, abs=1e-10)
        assert env.means[r, best] == pytest.approx(r_star)


def test_random_instance_matches_its_definition():
    env = MisspecifiedLinearEnv(dim=5, instance="random", n_arms=30, zeta=0.03)
    env.reset(4, np.random.default_rng(2))
    np.testing.assert_allclose(np.linalg.norm(env.features, axis=2), 1.0)
    eta = env.means - np.einsum("rkd,rd->rk", env.features, env.theta)
    np.testing.assert_allclose(np.abs(eta), 0.03, atol=1e-12)
    np.testing.assert_allclose(env.zeta_realised, 0.03)
    with pytest.raises(ValueError, match="n_arms"):
        MisspecifiedLinearEnv(dim=5, instance="random")
    with pytest.raises(ValueError, match="n_arms"):
        MisspecifiedLinearEnv(dim=5, instance="hidden_best", n_arms=9)


def test_pull_is_mean_plus_shared_noise():
    """One N(0,1) per (step, rep) shared by all arms: pulling different arms with the same env
    seed differs exactly by the difference of their means (common random numbers)."""
    outs = []
    for arm in (0, 3):
        env = MisspecifiedLinearEnv(dim=4, zeta=0.1, noise=0.7)
        env.reset(6, np.random.default_rng(5))
        outs.append((env.pull(np.full(6, arm)), env.means[:, arm]))
    (r0, m0), (r3, m3) = outs
    np.testing.assert_allclose(r0 - m0, r3 - m3)


def test_ridge_kernel_matches_from_scratch_inverse():
    rng = np.random.default_rng(3)
    K, d, lam = 7, 4, 0.5
    X = rng.standard_normal((K, d))
    uinv, b, theta, M, W = np.empty((d, d)), np.empty(d), np.empty(d), np.empty(K), np.empty(K)
    ridge_init(uinv, b, theta, M, W, X, lam)
    hist_x, hist_r = [], []
    for _ in range(40):
        a, rew = int(rng.integers(K)), float(rng.normal())
        ridge_add(uinv, b, theta, M, W, X, a, rew)
        hist_x.append(X[a])
        hist_r.append(rew)
    A = lam * np.eye(d) + sum(np.outer(x, x) for x in hist_x)
    Ainv = np.linalg.inv(A)
    th = np.linalg.solve(A, sum(r * x for x, r in zip(hist_x, hist_r)))
    np.testing.assert_allclose(uinv, Ainv, atol=1e-10)
    np.testing.assert_allclose(theta, th, atol=1e-10)
    np.testing.assert_allclose(M, X @ th, atol=1e-10)
    np.testing.assert_allclose(W, np.einsum("kd,de,ke->k", X, Ainv, X), atol=1e-10)


def _replay(policy, env_kwargs, horizon, n_reps, seed):
    env = MisspecifiedLinearEnv(**env_kwargs)
    out = simulate_linear(env, policy, horizon, n_reps, np.random.default_rng([seed, 1]),
                          np.random.default_rng([seed, 2]), record_arms=True)
    z = (out.rewards - np.take_along_axis(out.means, out.arms, axis=1)) / env_kwargs["noise"]
    return env, out, z


@pytest.mark.parametrize("gamma", [0.0, 0.15])
@pytest.mark.parametrize("kw", [dict(dim=3, zeta=0.02, gap=0.3, noise=0.3),
                                dict(dim=4, instance="random", n_arms=6, zeta=0.05, noise=0.5)])
def test_oful_matches_reference(kw, gamma):
    pol = OFUL(beta=0.8, lam=1.0, gamma=gamma)
    env, out, z = _replay(pol, kw, 150, 3, seed=7)
    for r in range(3):
        ref = oful_reference(env.features[r], env.means[r], kw["noise"] * z[r], pol.prio[r], 0.8, 1.0, gamma)
        np.testing.assert_array_equal(out.arms[r], ref)
    if gamma > 0:
        assert (pol.n_used < 150).all()                  # data selection dropped some rounds


@pytest.mark.parametrize("kw", [dict(dim=3, zeta=0.02, gap=0.3, noise=0.3),
                                dict(dim=4, instance="random", n_arms=6, zeta=0.05, noise=0.2)])
def test_sup_lin_ucb_matches_reference(kw):
    pol = SupLinUCB(beta=0.3, lam=1.0)
    env, out, z = _replay(pol, kw, 200, 2, seed=8)
    for r in range(2):
        ref = sup_lin_ucb_reference(env.features[r], env.means[r], kw["noise"] * z[r], pol.prio[r], 0.3, 1.0, pol.L)
        np.testing.assert_array_equal(out.arms[r], ref)


def test_simulate_linear_regret_is_brute_force_sum():
    env = MisspecifiedLinearEnv(dim=3, zeta=0.05)
    ck = np.array([1, 5, 33, 80])
    out = simulate_linear(env, OFUL(), 80, 4, np.random.default_rng(0), np.random.default_rng(1), ck, record_arms=True)
    for r in range(4):
        per_step = [out.means[r].max() - out.means[r, a] for a in out.arms[r]]
        np.testing.assert_allclose(out.regret[r], np.cumsum(per_step)[ck - 1], atol=1e-12)


def test_threshold_behaviour_on_hidden_best():
    """Below (sqrt d + 1) zeta < Delta OFUL's regret flattens (late/early decade increment ratio
    < 2, log growth gives ~1); well above it grows linearly (per-step regret ~ Delta)."""
    kw = dict(dim=4, gap=0.3, noise=0.1)
    thr = 0.3 / 3.0                                              # Delta / (sqrt 4 + 1)
    ck = np.array([300, 3000, 30000])
    low = simulate_linear(MisspecifiedLinearEnv(zeta=thr / 4, **kw), OFUL(), 30000, 10,
                          np.random.default_rng(0), np.random.default_rng(1), ck).regret.mean(axis=0)
    high = simulate_linear(MisspecifiedLinearEnv(zeta=thr * 3, **kw), OFUL(), 30000, 10,
                           np.random.default_rng(0), np.random.default_rng(1), ck).regret.mean(axis=0)
    assert (low[2] - low[1]) < 2 * (low[1] - low[0]) + 1.0
    assert (high[2] - high[1]) / (27000 * 0.3) > 0.9
