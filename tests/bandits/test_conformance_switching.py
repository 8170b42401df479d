"""Conformance of every switching-cost YAML: conf/bandits/switching_policy/*.yaml x
conf/bandits/loss_sequence/*.yaml, under every feedback model a policy declares.

Checks the protocol (determinism, valid actions, budget respected, regret accounting
invariants) and that every learner beats uniform play (fresh random action each round) on an
easy i.i.d. instance -- the reference is uniform's own regret measured in the same test on the
same losses.
"""

from __future__ import annotations

import importlib
import inspect
import itertools
import math
from pathlib import Path

import numpy as np
import pytest
from hydra.utils import instantiate
from omegaconf import OmegaConf

from algorithms.bandits.switching.losses import IIDLosses
from algorithms.bandits.switching.simulate import simulate_switching

ROOT = Path(__file__).resolve().parents[2]
POLICY_YAMLS = sorted((ROOT / "conf" / "bandits" / "switching_policy").glob("*.yaml"))
LOSS_YAMLS = sorted((ROOT / "conf" / "bandits" / "loss_sequence").glob("*.yaml"))


def build(path, **kw):
    cfg = OmegaConf.load(path)
    for k, v in kw.items():
        if k in cfg:
            cfg[k] = v
    return instantiate(cfg)


CASES = [(lp, pp, fb) for lp, pp in itertools.product(LOSS_YAMLS, POLICY_YAMLS) for fb in build(pp).feedbacks]


def test_yamls_discovered():
    assert {p.stem for p in POLICY_YAMLS} >= {"batched_exp3", "extra_obs", "total_budget", "uniform"}
    assert {p.stem for p in LOSS_YAMLS} >= {"random_walk", "iid"}


@pytest.mark.parametrize("path", POLICY_YAMLS + LOSS_YAMLS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_yaml_lists_every_param_with_its_default(path):
    """YAML keys == constructor params, values == defaults (reference: the signature)."""
    cfg = OmegaConf.to_container(OmegaConf.load(path))
    module, _, name = cfg.pop("_target_").rpartition(".")
    params = inspect.signature(getattr(importlib.import_module(module), name)).parameters
    assert set(cfg) == set(params)
    for k, v in cfg.items():
        assert v == params[k].default, (k, v)


def _run(lp, pp, fb, budget, T=240, R=5, seed=3):
    ck = np.array([1, 60, T])
    return simulate_switching(build(lp, n_arms=3), build(pp), T, R, budget, fb,
                              np.random.default_rng([seed, 1]), np.random.default_rng([seed, 2]), ck)


@pytest.mark.parametrize("lp,pp,fb", CASES, ids=[f"{l.stem}-{p.stem}-{f}" for l, p, f in CASES])
@pytest.mark.parametrize("budget", [0, 40, 2000])
def test_protocol(lp, pp, fb, budget):
    """Same seeds -> identical outputs; the loop's budget check never fires (policies that
    cannot work with a budget must refuse it at reset with ValueError); observations <= budget;
    0 <= switches <= t - 1; regret = loss regret + switches; |loss regret| <= t."""
    try:
        a = _run(lp, pp, fb, budget)
    except ValueError as exc:                       # an explicit refusal (e.g. needs budget >= T)
        assert fb == "total" and "budget" in str(exc)
        return
    b = _run(lp, pp, fb, budget)
    for f in ("regret", "loss_regret", "switches", "observations"):
        np.testing.assert_array_equal(getattr(a, f), getattr(b, f), err_msg=f)
    ck = a.checkpoints
    assert (a.observations <= budget).all()
    assert ((a.switches >= 0) & (a.switches <= ck - 1)).all()
    np.testing.assert_allclose(a.regret, a.loss_regret + a.switches)
    assert (np.abs(a.loss_regret) <= ck + 1e-9).all() and np.isfinite(a.regret).all()


class ActionCheck:
    """Wraps a policy and asserts every selected action is an int64 array of valid indices."""

    def __init__(self, inner):
        self.inner, self.feedbacks = inner, inner.feedbacks

    def reset(self, K, n_reps, *args):
        self.K, self.n = K, n_reps
        self.inner.reset(K, n_reps, *args)

    def select(self, t):
        a = self.inner.select(t)
        assert a.shape == (self.n,) and np.issubdtype(a.dtype, np.integer)
        assert a.min() >= 0 and a.max() < self.K
        return a

    def request(self, t):
        m = self.inner.request(t)
        assert m is None or (m.shape == (self.n, self.K) and m.dtype == bool)
        return m

    def update(self, t, arms, obs):
        self.inner.update(t, arms, obs)


@pytest.mark.parametrize("pp,fb", [(p, f) for p in POLICY_YAMLS for f in build(p).feedbacks],
                         ids=lambda x: getattr(x, "stem", x))
def test_valid_actions_and_requests(pp, fb):
    simulate_switching(IIDLosses(n_arms=4), ActionCheck(build(pp)), 300, 6, 300 * 4, fb,
                       np.random.default_rng(0), np.random.default_rng(1))


LEARNERS = [(p, f) for p in POLICY_YAMLS if p.stem != "uniform" for f in build(p).feedbacks]
UNIFORM = next(p for p in POLICY_YAMLS if p.stem == "uniform")


@pytest.mark.parametrize("pp,fb", LEARNERS, ids=[f"{p.stem}-{f}" for p, f in LEARNERS])
def test_beats_uniform_on_easy_instance(pp, fb):
    """3 actions, i.i.d. Bernoulli losses 0.5 vs 0.1, T = 3000, budget T, 100 reps: mean regret
    below uniform play's by more than 3 standard errors of the paired difference."""
    T, R = 3000, 100

    def regret(path):
        out = simulate_switching(IIDLosses(n_arms=3, base=0.5, gap=0.4), build(path), T, R, T, fb,
                                 np.random.default_rng(11), np.random.default_rng(12))
        return out.regret[:, -1]

    d = regret(UNIFORM) - regret(pp)
    assert d.mean() - 3 * d.std(ddof=1) / math.sqrt(R) > 0, d.mean()
