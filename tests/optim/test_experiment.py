"""The optimizer experiments in-process: determinism per seed, common random numbers across
optimizers, and metrics equal to an independent direct training loop (the reference)."""

from __future__ import annotations

import functools
import inspect
from pathlib import Path

import hydra.utils
import numpy as np
import omegaconf
import pytest

from algorithms.optim import convex_bound as cb
from algorithms.optim.problems.distributed_quadratic import DistributedQuadratic
from algorithms.optim.problems.least_squares import LeastSquares
from algorithms.optim.problems.logistic import LogisticRegression
from algorithms.optim.problems.mlp import MLPTeacher
from algorithms.optim.problems.reddi import ReddiCounterexample
from algorithms.optim.schedules.cosine import Cosine
from algorithms.optim.schedules.wsd import WSD
from algorithms.optim.transforms.adabound import AdaBound
from algorithms.optim.transforms.adam import Adam
from algorithms.optim.transforms.ef21 import EF21, EF21W, stepsize
from algorithms.optim.transforms.onebit_adam import OneBitAdam
from algorithms.optim.transforms.sgd import SGD
from experiments import optim, optim_bound
from experiments.seeding import rng_for

ROOT = Path(__file__).resolve().parents[2]


def ls_problem():
    return LeastSquares(n_samples=64, dim=5, noise_std=0.3, condition_number=5.0)


def run_ls(opt, seed=3, **kw):
    args = dict(problem=ls_problem(), optimizer=opt, steps=60, n_reps=3, seed=seed, batch_size=8,
                n_points=10, target_subopt=0.5)
    args.update(kw)
    return optim.run(**args)


# ------------------------------------------------------------------------------ determinism
def test_same_seed_bit_identical_other_seed_differs():
    opt = functools.partial(Adam, lr=0.05)
    a, b, c = run_ls(opt), run_ls(opt), run_ls(opt, seed=4)
    assert a.arrays.keys() == b.arrays.keys()
    for k in a.arrays:
        np.testing.assert_array_equal(a.arrays[k], b.arrays[k])
    assert a.scalars == b.scalars
    assert not np.array_equal(a.arrays["loss"], c.arrays["loss"])


# ---------------------------------------------------------------------- common random numbers
class SpyLS(LeastSquares):
    """Records the instance, the starting points and every minibatch the experiment draws."""

    def __init__(self, log):
        super().__init__(n_samples=64, dim=5, noise_std=0.3, condition_number=5.0)
        self.log = log

    def build(self, rng):
        super().build(rng)
        self.log["A"] = self.A.copy()
        return self

    def init_params(self, rng, n_reps=None):
        p = super().init_params(rng, n_reps)
        self.log["init"] = {k: v.copy() for k, v in p.items()}
        return p

    def sample_batch(self, rng, batch_size, n_reps=None, step=0):
        b = super().sample_batch(rng, batch_size, n_reps, step)
        self.log.setdefault("batches", []).append(b.copy())
        return b


def test_common_random_numbers_across_optimizers():
    logs = []
    for opt in (functools.partial(SGD, lr=0.05), functools.partial(Adam, lr=0.01),
                functools.partial(SGD, lr=0.01, momentum=0.9)):
        log = {}
        optim.run(problem=SpyLS(log), optimizer=opt, steps=30, n_reps=2, seed=7, batch_size=4, n_points=5)
        logs.append(log)
    for other in logs[1:]:
        np.testing.assert_array_equal(logs[0]["A"], other["A"])
        np.testing.assert_array_equal(logs[0]["init"]["x"], other["init"]["x"])
        assert len(other["batches"]) == len(logs[0]["batches"]) == 30
        for b0, b1 in zip(logs[0]["batches"], other["batches"]):
            np.testing.assert_array_equal(b0, b1)


# ------------------------------------------------------------------- direct-loop reference
def test_metrics_match_a_direct_sgd_loop():
    """SGD on least squares written out by hand with the same streams: the per-rep loss at every
    checkpoint, sub-optimality, distance, steps to target and the summary scalars agree."""
    seed, steps, n_reps, B, lr = 5, 60, 3, 8, 0.05
    res = run_ls(functools.partial(SGD, lr=lr), seed=seed)
    prob = ls_problem().build(rng_for(seed, "problem"))
    x = prob.init_params(rng_for(seed, "init"), n_reps)["x"]
    rng = rng_for(seed, "batches")
    losses, hit = {}, np.full(n_reps, steps + 1)
    for t in range(steps + 1):
        full = np.asarray(prob.loss({"x": x}))
        hit = np.where((hit > steps) & (full - prob.f_star <= 0.5), t, hit)
        if t == steps:
            break
        batch = prob.sample_batch(rng, B, n_reps, step=t)
        x = x + (-lr * prob.grad({"x": x}, batch)["x"])
        losses[t + 1] = np.asarray(prob.loss({"x": x}))
    ck = res.arrays["checkpoints"]
    ref = np.stack([losses[int(s)] for s in ck], axis=1)
    np.testing.assert_allclose(res.arrays["loss"], ref, rtol=1e-12)
    np.testing.assert_allclose(res.arrays["subopt"], ref - prob.f_star, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(res.arrays["dist"][:, -1], np.linalg.norm(x - prob.optimum["x"], axis=1), rtol=1e-10)
    np.testing.assert_array_equal(res.arrays["steps_to_subopt"][:, 0], hit)
    assert res.scalars["loss"] == pytest.approx(ref[:, -1].mean(), rel=1e-12)
    assert res.scalars["loss_se"] == pytest.approx(ref[:, -1].std(ddof=1) / np.sqrt(n_reps), rel=1e-9)
    assert res.scalars["state_bytes"] == 8                    # plain SGD: the step counter only


def test_state_bytes_per_replication_adam():
    """Adam holds m and v: 2 * 8 bytes per float64 parameter plus the counter, per replication."""
    res = run_ls(functools.partial(Adam, lr=0.01), n_reps=4)
    assert res.scalars["state_bytes"] == 2 * 8 * 5 + 8
    assert res.scalars["state_bytes_per_param"] == pytest.approx((2 * 8 * 5 + 8) / 5)


OPT_YAMLS = sorted((ROOT / "conf" / "optim" / "optimizer").glob("*.yaml"))


@pytest.mark.parametrize("path", OPT_YAMLS, ids=[p.stem for p in OPT_YAMLS])
def test_state_size_is_fixed_by_shapes(path):
    """The experiment measures state bytes on a freshly initialised one-replication state; that is
    exact because no optimizer's state grows or shrinks while it runs (checked here)."""
    cfg = omegaconf.OmegaConf.load(path)
    cls = hydra.utils.get_class(cfg._target_)
    sig = inspect.signature(cls.__init__).parameters
    extra = {"seed_axis": True}
    if "n_workers" in sig:
        extra["n_workers"] = 3
    if "smoothness" in sig:
        extra["smoothness"] = [1.0, 2.0, 3.0]
    opt = hydra.utils.instantiate(cfg, **extra)
    rng = np.random.default_rng(0)
    params = {"w": rng.normal(size=(1, 80, 64)), "b": rng.normal(size=(1, 80))}
    state = opt.init(params, rng=np.random.default_rng(1))
    before = opt.state_bytes(state)
    for _ in range(5):
        grads = {k: rng.normal(size=(1, 3) + v.shape[1:]) if "n_workers" in sig else rng.normal(size=v.shape)
                 for k, v in params.items()}
        u, state = opt.update(grads, state, params)
        params = {k: params[k] + u[k] for k in params}
    assert opt.state_bytes(state) == before


# ------------------------------------------------------------------------ distributed wiring
def test_data_parallel_shards_equal_full_batch_gradient():
    """1-bit Adam in its warm-up (bias-corrected) is Adam on the workers' mean gradient; with the
    minibatch split into 4 equal shards that mean is the full minibatch's gradient, so the run
    equals plain Adam's with the same batch_size (common random numbers) to rounding."""
    prob = lambda: MLPTeacher(n_samples=64, dim_in=5, hidden=6)  # noqa: E731
    kw = dict(steps=25, n_reps=2, seed=1, batch_size=16, n_points=5)
    a = optim.run(problem=prob(), optimizer=functools.partial(Adam, lr=0.01), **kw)
    b = optim.run(problem=prob(), optimizer=functools.partial(OneBitAdam, lr=0.01, n_workers=4,
                                                              warmup_steps=100, bias_correction=True), **kw)
    np.testing.assert_allclose(b.arrays["loss"], a.arrays["loss"], rtol=1e-9)
    d = sum(p.size for p in prob().build(np.random.default_rng(0)).init_params(np.random.default_rng(0)).values())
    assert b.scalars["bits_communicated"] == 25 * (4 + 1) * 32 * d          # warm-up: full precision


def test_onebit_bits_after_warmup():
    prob = MLPTeacher(n_samples=64, dim_in=5, hidden=6)
    res = optim.run(problem=prob, optimizer=functools.partial(OneBitAdam, n_workers=4, warmup_steps=3),
                    steps=10, n_reps=1, seed=0, batch_size=8, n_points=4)
    d, blocks, n = 5 * 6 + 6 + 6 + 1, 4, 4
    assert res.scalars["bits_per_step_first"] == (n + 1) * 32 * d
    assert res.scalars["bits_per_step_last"] == (n + 1) * (d + 32 * blocks)
    assert res.scalars["bits_communicated"] == 3 * (n + 1) * 32 * d + 7 * (n + 1) * (d + 32 * blocks)


def test_ef21_theory_lr_and_weights():
    """lr_rule=theory: EF21 gets 1/(L + L_QM xi), EF21-W 1/(L + L_AM xi) with its smoothness set to
    the problem's L_i; with Top-K (positively homogeneous) both produce the same iterates for the
    same step, so at equal lr their curves coincide (spec §4d)."""
    prob = lambda: DistributedQuadratic(n_workers=4, dim=6, L_max=50.0)  # noqa: E731
    kw = dict(steps=200, n_reps=1, seed=2, n_points=10, lr_rule="theory", target_grad_norm_sq=1e-6)
    r1 = optim.run(problem=prob(), optimizer=functools.partial(EF21, n_workers=4), **kw)
    r2 = optim.run(problem=prob(), optimizer=functools.partial(EF21W, n_workers=4), **kw)
    p = prob().build(rng_for(2, "problem"))
    assert r1.scalars["lr"] == pytest.approx(stepsize(p.L, p.L_i, 1 / 6, "qm"), rel=1e-12)
    assert r2.scalars["lr"] == pytest.approx(stepsize(p.L, p.L_i, 1 / 6, "am"), rel=1e-12)
    assert r1.scalars["L_QM"] == pytest.approx(p.L_QM) and r1.scalars["L_AM"] == pytest.approx(p.L_AM)
    same = dict(kw, lr_rule="config")
    c1 = optim.run(problem=prob(), optimizer=functools.partial(EF21, n_workers=4, lr=0.003), **same)
    c2 = optim.run(problem=prob(), optimizer=functools.partial(EF21W, n_workers=4, lr=0.003), **same)
    np.testing.assert_allclose(c1.arrays["grad_norm_sq"], c2.arrays["grad_norm_sq"], rtol=1e-8)


def test_wiring_errors_are_explicit():
    with pytest.raises(TypeError, match="_partial_"):
        run_ls(Adam(lr=0.01))
    with pytest.raises(ValueError, match="worker"):
        optim.run(problem=ReddiCounterexample(), optimizer=functools.partial(OneBitAdam, n_workers=2),
                  steps=5, n_reps=1, seed=0, batch_size=1)
    with pytest.raises(ValueError, match="smoothness"):
        run_ls(functools.partial(EF21W, n_workers=2))
    with pytest.raises(ValueError, match="target"):
        optim.run(problem=MLPTeacher(n_samples=8, dim_in=2, hidden=2), optimizer=functools.partial(SGD),
                  steps=2, n_reps=1, seed=0, target_error=0.0)


# ------------------------------------------------------------------------- online / bounds
def test_reddi_regret_tail_and_projection_against_hand_simulation():
    """SGD (lr 0.1) on Reddi's online problem, simulated by hand: x_{t+1} = clip(x_t - 0.1 g_t)."""
    steps = 300
    res = optim.run(problem=ReddiCounterexample(), optimizer=functools.partial(SGD, lr=0.1), steps=steps,
                    n_reps=1, seed=0, batch_size=1, track_regret=True, n_points=10, tail_frac=0.1)
    x, regret, tail = 0.0, 0.0, []
    for t in range(steps):
        g = 3.0 if t % 3 == 0 else -1.0
        regret += g * x - g * (-1.0)
        x = min(1.0, max(-1.0, x - 0.1 * g))
        if t >= steps - 30:
            tail.append(abs(x + 1.0))
    assert res.arrays["avg_regret"][0, -1] == pytest.approx(regret / steps, rel=1e-12)
    assert res.arrays["dist_tail"][0, 0] == pytest.approx(np.mean(tail), rel=1e-12)
    assert res.arrays["dist"][0, -1] == pytest.approx(abs(x + 1.0), abs=1e-12)


def test_adabound_effective_step_inside_its_bounds():
    res = optim.run(problem=ReddiCounterexample(), optimizer=functools.partial(AdaBound, lr=0.1, b1=0.0, b2=0.1,
                                                                               final_lr=0.1, gamma=1e-3),
                    steps=2000, n_reps=1, seed=0, batch_size=1, n_points=20)
    lo, hi = AdaBound(lr=0.1, final_lr=0.1, gamma=1e-3).bounds(2000, 0.1)
    assert lo - 1e-15 <= res.arrays["step_size"][0, -1] <= hi + 1e-15


def test_large_step_gd_targets_brute_force():
    """steps_to_loss / steps_to_error equal a hand-written GD loop's first crossing times."""
    seed, lr, steps = 1, 50.0, 40
    res = optim.run(problem=LogisticRegression(n_samples=50, dim=3, label_noise=0.0),
                    optimizer=functools.partial(SGD, lr=lr), steps=steps, n_reps=1, seed=seed,
                    target_loss=0.05, target_error=0.0, n_points=5)
    p = LogisticRegression(n_samples=50, dim=3, label_noise=0.0).build(rng_for(seed, "problem"))
    w = np.zeros(3)
    t_loss = t_err = steps + 1
    for t in range(steps + 1):
        if t_loss > steps and p.loss({"w": w}) <= 0.05:
            t_loss = t
        if t_err > steps and np.mean(p.y * (p.X @ w) <= 0) == 0:
            t_err = t
        w = w - lr * p.grad({"w": w})["w"]
    assert res.arrays["steps_to_loss"][0, 0] == t_loss
    assert res.arrays["steps_to_error"][0, 0] == t_err
    coarse = optim.run(problem=LogisticRegression(n_samples=50, dim=3, label_noise=0.0),
                       optimizer=functools.partial(SGD, lr=lr), steps=steps, n_reps=1, seed=seed,
                       target_loss=0.05, n_points=5, target_every=4)
    assert coarse.arrays["steps_to_loss"][0, 0] == -(-t_loss // 4) * 4 if t_loss <= steps else steps + 1


# ------------------------------------------------------------------------------ bound entry
@pytest.mark.parametrize("sched", [Cosine(lr=0.3, total_steps=200), WSD(lr=2.0, total_steps=300)])
def test_bound_entry_matches_calculator(sched):
    res = optim_bound.run(schedule=sched, seed=0, n_points=50)
    eta = sched.values() / sched.values().max()
    g, o = cb.optimal_base_lr(eta)
    assert res.scalars["gamma_star"] == pytest.approx(g, rel=1e-12)
    assert res.scalars["omega_star"] == pytest.approx(o, rel=1e-12)
    assert res.arrays["omega_t"][0, -1] == pytest.approx(o, rel=1e-12)     # Omega_T(gamma*)
    grid = np.geomspace(1e-4, 1, 20001)                                    # brute-force minimum
    assert res.scalars["omega_star"] == pytest.approx(min(cb.last_iterate_bound(eta, x) for x in grid[::50]),
                                                      rel=1e-3)
    assert res.arrays["bound"].min() >= o * (1 - 1e-12)
